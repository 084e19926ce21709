import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../cliRun';

// The ready-made integrations (action.yml, the GitLab template, the pre-commit hooks) and the
// project's own pipelines that use them. Nothing here runs the CLI's report flags: the engine
// runs on the files, and the commands the integrations would run are checked as text.

const REPO = path.resolve(__dirname, '..', '..');
const read = (rel: string) => readFileSync(path.join(REPO, rel), 'utf8');
const yamlOf = (rel: string) => parse(read(rel)) as Record<string, unknown>;

/** `plumbline check` options of the CLI interface the integrations may use, and its format names. */
const CHECK_FLAGS = new Set(['--format', '--output', '--fail-on', '--max-warnings', '--baseline', '--baseline-write', '--changed-since', '--config']);
const FORMATS = new Set(['text', 'json', 'sarif', 'junit', 'codequality']);
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;

/** The files of the repository that the project's own pipelines check with zero tolerance. */
const OWN_PIPELINE_PATHS = ['.github/workflows', '.gitlab-ci.yml', 'ci', 'action.yml'];
const BASELINE = 'examples/.plumbline-baseline.json';

type Finding = { ruleId: string; severity: string; file: string; range: { start: { line: number } } };

async function findings(cwd: string): Promise<Finding[]> {
  const { code, out, err } = await runCli(cwd, ['check', ...OWN_PIPELINE_PATHS, '--format', 'json', '--fail-on', 'info']);
  assert.ok(code === 0 || code === 1, `plumbline check exited ${code}: ${err}`);
  return (JSON.parse(out) as { results: Finding[] }).results;
}

/** Replaces `from` by `to` in a copied file, failing when `from` is not there (the break must happen). */
function breakFile(root: string, rel: string, from: string, to: string): number {
  const file = path.join(root, rel);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${rel} no longer contains ${JSON.stringify(from)}; update the test's deliberate break`);
  writeFileSync(file, text.replace(from, to));
  return text.slice(0, text.indexOf(from)).split('\n').length - 1; // 0-based line of the break
}

/** Flags (`--x`) and `--format` values of a shell text that builds plumbline's arguments. */
function checkArgs(script: string): { flags: string[]; formats: string[] } {
  const flags = [...script.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);
  const formats = [...script.matchAll(/--format\s+"?([^"\s]+)"?/g)].map((m) => m[1]!);
  return { flags, formats };
}

describe('the project pipeline files pass Plumbline itself', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'plumbline-ci-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports no finding at all (info included) on the workflow, both GitLab files and action.yml', async () => {
    const results = await findings(REPO);
    assert.deepEqual(
      results.map((r) => `${r.file}:${r.range.start.line + 1} ${r.severity} ${r.ruleId}`),
      [],
    );
  });

  it('reports deliberately broken copies, so the check above can fail', async () => {
    for (const rel of OWN_PIPELINE_PATHS) cpSync(path.join(REPO, rel), path.join(tmp, rel), { recursive: true });
    breakFile(tmp, '.github/workflows/plumbline.yml', 'permissions:\n  contents: read\n\n', '');
    const checkoutLine = breakFile(tmp, '.github/workflows/plumbline.yml', '@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', '@v4');
    const imageLine = breakFile(tmp, 'ci/plumbline.gitlab-ci.yml', 'node:20-bookworm@sha256:', 'node:20-bookworm # sha256:');
    breakFile(tmp, 'ci/plumbline.gitlab-ci.yml', 'allow_failure: false', 'allow_failure: true');
    breakFile(tmp, '.gitlab-ci.yml', '    PLUMBLINE_FAIL_ON: low\n', '    PLUMBLINE_FAIL_ON: low\n    CI_DEBUG_TRACE: "true"\n');
    const results = await findings(tmp);
    const got = results.map((r) => `${r.file} ${r.ruleId}`);
    for (const expected of [
      '.github/workflows/plumbline.yml gha-action-pinned-sha',
      '.github/workflows/plumbline.yml gha-permissions-least-privilege',
      'ci/plumbline.gitlab-ci.yml gitlab-image-digest',
      'ci/plumbline.gitlab-ci.yml gitlab-security-job-allow-failure',
      '.gitlab-ci.yml gitlab-debug-trace',
    ]) {
      assert.ok(got.includes(expected), `expected ${expected} among ${JSON.stringify(got)}`);
    }
    // The template is GitLab CI only through the root file's include: local; the finding's line proves it was read.
    assert.equal(results.find((r) => r.ruleId === 'gitlab-image-digest')!.range.start.line, imageLine);
    assert.equal(results.find((r) => r.ruleId === 'gha-action-pinned-sha')!.range.start.line, checkoutLine);
  });
});

describe('action.yml', () => {
  const action = yamlOf('action.yml') as {
    name?: string;
    description?: string;
    inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>;
    outputs: Record<string, { description?: string; value?: string }>;
    runs: { using: string; steps: { id?: string; name?: string; run?: string; shell?: string; uses?: string; env?: Record<string, string> }[] };
  };
  const steps = action.runs.steps;
  const text = read('action.yml');

  it('is a composite action whose run steps each name a shell', () => {
    assert.ok(action.name && action.description);
    assert.equal(action.runs.using, 'composite');
    for (const s of steps) {
      assert.ok(s.run !== undefined || s.uses !== undefined, `step ${s.name} neither runs nor uses`);
      if (s.run !== undefined) assert.ok(s.shell, `composite step "${s.name}" has no shell:`);
    }
  });

  it('documents every input with a description and a string default, and uses each one', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      assert.ok(input.description && input.description.length > 20, `input ${name} has no real description`);
      assert.equal(typeof input.default, 'string', `input ${name} has no default`);
      assert.notEqual(input.required, true, `input ${name} is required but has a default`);
      assert.ok(text.includes(`inputs.${name}`), `input ${name} is declared but never used`);
    }
    assert.ok(SEVERITIES.includes(action.inputs['fail-on']!.default as string));
  });

  it('takes outputs from steps that exist', () => {
    const ids = new Set(steps.map((s) => s.id).filter(Boolean));
    for (const [name, output] of Object.entries(action.outputs)) {
      assert.ok(output.description, `output ${name} has no description`);
      const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(output.value ?? '');
      assert.ok(m && ids.has(m[1]!), `output ${name} reads a step that does not exist: ${output.value}`);
      const producer = steps.find((s) => s.id === m[1])!;
      assert.ok(producer.run?.includes(`${m[2]}=`), `step ${m[1]} never writes output ${m[2]}`);
    }
  });

  it('pins every action it uses by commit SHA and never expands ${{ }} inside a script', () => {
    for (const s of steps) {
      if (s.uses) assert.match(s.uses, SHA_PIN, `${s.uses} is not pinned by a full commit SHA`);
      if (s.run) assert.ok(!s.run.includes('${{'), `step "${s.name}" expands an expression in its script; pass it through env:`);
    }
  });

  it('builds the CLI from the action path with the lockfile, or installs an exact npm version', () => {
    const install = steps.find((s) => s.id === 'install')!.run!;
    assert.match(install, /cd "\$GITHUB_ACTION_PATH"/);
    assert.match(install, /npm ci --no-audit --no-fund --ignore-scripts/);
    assert.match(install, /node esbuild\.mjs/);
    assert.match(install, /cli="\$GITHUB_ACTION_PATH\/dist\/cli\.js"/);
    // The npm-package check accepts exact versions only.
    const pattern = new RegExp(/grep -Eq '([^']+)'/.exec(install)![1]!);
    for (const ok of ['@acme/plumbline@1.4.2', 'plumbline-cli@0.1.0-rc.1']) assert.match(ok, pattern);
    for (const bad of ['plumbline', 'plumbline@latest', '@acme/plumbline@^1.4.2', 'plumbline@1.4']) assert.doesNotMatch(bad, pattern);
  });

  it('runs plumbline check only with options of the CLI interface', () => {
    const run = steps.find((s) => s.id === 'check')!.run!;
    const argLines = run.split('\n').filter((l) => /args\+?=\(/.test(l)).join('\n');
    const { flags, formats } = checkArgs(argLines);
    assert.ok(flags.length >= 6, `expected the check options in args=(…), found ${flags.join(' ')}`);
    for (const f of flags) assert.ok(CHECK_FLAGS.has(f), `${f} is not a plumbline check option`);
    for (const f of formats) assert.ok(FORMATS.has(f.split('=')[0]!), `--format ${f} is not a plumbline format`);
    assert.deepEqual(formats.map((f) => f.split('=')[0]).sort(), ['junit', 'sarif', 'text']);
    assert.match(run, /^\s*plumbline "\$\{args\[@\]\}" \|\| code=\$\?$/m);
  });

  it('uploads the SARIF file it wrote, and fails the job with the exit code of the check', () => {
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'no upload-sarif step');
    assert.match(text, /sarif_file: \$\{\{ inputs\.sarif-file \}\}/);
    const gate = steps.at(-1)!;
    assert.equal(gate.env?.CODE, '${{ steps.check.outputs.exit-code }}');
    assert.match(gate.run!, /1\).*exit 1/);
  });
});

describe('.github/workflows/plumbline.yml', () => {
  const wf = yamlOf('.github/workflows/plumbline.yml') as {
    permissions: Record<string, string>;
    jobs: Record<string, { permissions?: Record<string, string>; 'timeout-minutes'?: number; steps: { uses?: string; with?: Record<string, string> }[] }>;
  };
  const inputs = Object.keys((yamlOf('action.yml') as { inputs: object }).inputs);

  it('uses the action of this commit on examples/ with a baseline, and only inputs the action declares', () => {
    const local = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses === './'));
    assert.ok(local.length >= 2);
    for (const s of local) for (const k of Object.keys(s.with ?? {})) assert.ok(inputs.includes(k), `uses: ./ passes unknown input ${k}`);
    assert.ok(local.some((s) => s.with?.paths === 'examples' && s.with.baseline === BASELINE));
  });

  it('grants only contents: read at the top and security-events: write where SARIF is uploaded', () => {
    assert.deepEqual(wf.permissions, { contents: 'read' });
    for (const [id, job] of Object.entries(wf.jobs)) {
      assert.ok(job['timeout-minutes'], `job ${id} has no timeout-minutes`);
      const writes = Object.entries(job.permissions ?? {}).filter(([, v]) => v === 'write').map(([k]) => k);
      assert.deepEqual(writes, ['security-events'], `job ${id} writes ${writes.join(', ')}`);
    }
  });
});

describe('ci/plumbline.gitlab-ci.yml', () => {
  const template = yamlOf('ci/plumbline.gitlab-ci.yml') as Record<
    string,
    {
      extends?: string;
      image?: string;
      script?: string[];
      variables?: Record<string, string>;
      rules?: { if?: string }[];
      allow_failure?: boolean;
      artifacts?: { when?: string; paths?: string[]; reports?: Record<string, string> };
    }
  >;
  const job = template['.plumbline-check']!;
  const script = (job.script ?? []).join('\n');

  it('defines the hidden job and a plumbline-check job extending it, pinned by digest, blocking', () => {
    assert.equal(template['plumbline-check']?.extends, '.plumbline-check');
    assert.match(job.image ?? '', /@sha256:[0-9a-f]{64}$/);
    assert.equal(job.allow_failure, false);
    assert.ok(job.script && job.script.length > 0);
    assert.match(script, /^\s*plumbline check "\$@"$/m);
  });

  it('writes the JUnit and Code Quality reports where artifacts:reports reads them, and keeps the SARIF', () => {
    const { formats, flags } = checkArgs(script.split('\n').filter((l) => /set -- "\$@" --/.test(l)).join('\n'));
    for (const f of flags) assert.ok(CHECK_FLAGS.has(f), `${f} is not a plumbline check option`);
    const target = (name: string) => formats.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
    for (const f of formats) assert.ok(FORMATS.has(f.split('=')[0]!), `--format ${f} is not a plumbline format`);
    assert.equal(job.artifacts?.reports?.junit, target('junit'));
    assert.equal(job.artifacts?.reports?.codequality, target('codequality'));
    assert.ok(target('sarif'));
    for (const name of ['junit', 'codequality', 'sarif']) assert.ok(job.artifacts?.paths?.includes(target(name)!), `${name} report is not kept`);
    assert.equal(job.artifacts?.when, 'always', 'reports must be kept when the gate fails');
  });

  it('runs on merge requests and on the default branch', () => {
    const ifs = (job.rules ?? []).map((r) => r.if);
    assert.ok(ifs.includes('$CI_PIPELINE_SOURCE == "merge_request_event"'));
    assert.ok(ifs.includes('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'));
  });

  it('declares every PLUMBLINE_ variable its script reads, and reads every one it declares', () => {
    const declared = Object.keys(job.variables ?? {}).sort();
    const used = [...new Set([...script.matchAll(/\$\{?(PLUMBLINE_[A-Z_]+)/g)].map((m) => m[1]!))].sort();
    assert.deepEqual(used, declared);
    assert.ok(SEVERITIES.includes(job.variables!.PLUMBLINE_FAIL_ON!));
  });

  it('is configured by the project pipeline only through variables the template declares', () => {
    const own = yamlOf('.gitlab-ci.yml') as Record<string, { extends?: string; variables?: Record<string, string> }>;
    assert.deepEqual(own.include, [{ local: 'ci/plumbline.gitlab-ci.yml' }]);
    const jobs = Object.entries(own).filter(([id, j]) => id === 'plumbline-check' || j?.extends === '.plumbline-check');
    assert.equal(jobs.length, 2);
    for (const [id, j] of jobs) {
      for (const k of Object.keys(j.variables ?? {})) assert.ok(k in job.variables!, `${id} sets ${k}, which the template does not read`);
    }
    assert.ok(jobs.some(([, j]) => j.variables?.PLUMBLINE_PATHS === 'examples' && j.variables.PLUMBLINE_BASELINE === BASELINE));
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(read('.pre-commit-hooks.yaml')) as Record<string, unknown>[];
  const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; scripts: Record<string, string> };

  it('declares hooks with the keys pre-commit requires, running plumbline check', () => {
    assert.ok(Array.isArray(hooks) && hooks.length === 2);
    for (const h of hooks) {
      for (const key of ['id', 'name', 'entry', 'language']) assert.equal(typeof h[key], 'string', `hook ${String(h.id)} lacks ${key}`);
      assert.ok(['node', 'system'].includes(h.language as string));
      const [bin, command] = (h.entry as string).split(/\s+/);
      assert.ok(bin! in pkg.bin, `entry ${String(h.entry)} does not start with a bin of package.json`);
      assert.equal(command, 'check');
      assert.equal(h.require_serial, true, 'one process must see a whole module');
      assert.equal(h.pass_filenames, true);
    }
  });

  it('selects the files Plumbline analyses and nothing else', () => {
    for (const h of hooks) {
      const files = new RegExp(h.files as string); // pre-commit uses Python re.search; this pattern means the same in both
      for (const p of ['infra/main.tf', 'infra/prod.tfvars', 'infra/x.tfvars.json', '.github/workflows/ci.yml', '.gitlab-ci.yml', 'k8s/deploy.yaml']) {
        assert.ok(files.test(p), `${String(h.id)} skips ${p}`);
      }
      for (const p of ['README.md', 'package.json', 'main.tf.bak', 'Dockerfile']) assert.ok(!files.test(p), `${String(h.id)} selects ${p}`);
    }
  });

  it('can be installed as a node hook: prepare builds dist/, and npm pack keeps the bin and the wasm', () => {
    assert.match(pkg.scripts.prepare ?? '', /node esbuild\.mjs/);
    // pre-commit installs the tarball of `npm pack`; --ignore-scripts lists the dist/ already built.
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', shell: process.platform === 'win32' });
    assert.equal(r.status, 0, r.stderr);
    const packed = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    const bin = pkg.bin.plumbline!.replace(/^\.\//, '');
    assert.ok(packed.has(bin), `npm pack leaves out ${bin}: build first (node esbuild.mjs), or fix .npmignore`);
    for (const wasm of readdirSync(path.join(REPO, 'dist')).filter((f) => f.endsWith('.wasm'))) assert.ok(packed.has(`dist/${wasm}`), `npm pack leaves out dist/${wasm}`);
    assert.ok(!packed.has('dist/extension.js'), 'npm pack should hold the CLI only');
  });
});

describe('docs/ci.md', () => {
  const doc = read('docs/ci.md');

  it('documents every action input and every template variable', () => {
    for (const name of Object.keys((yamlOf('action.yml') as { inputs: object }).inputs)) assert.ok(doc.includes(`\`${name}\``), `docs/ci.md does not document input ${name}`);
    const vars = Object.keys((yamlOf('ci/plumbline.gitlab-ci.yml') as Record<string, { variables: object }>)['.plumbline-check']!.variables);
    for (const v of vars) assert.ok(doc.includes(`\`${v}\``), `docs/ci.md does not document ${v}`);
    for (const hook of ['plumbline', 'plumbline-system']) assert.ok(doc.includes(`id: ${hook}`));
  });

  it('gives the exact command that writes the baseline the project pipelines use', () => {
    assert.ok(doc.includes(`plumbline check examples --baseline-write ${BASELINE}`));
  });
});
