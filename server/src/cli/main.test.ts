import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';
import { builtinRules } from '../rules';
import { REPOSITORY_URL } from './ruleCatalog';

const REPO = path.resolve(__dirname, '..', '..', '..');

const run = (args: string[]) => runCli(REPO, args);

describe('plumbline check', () => {
  it('prints the architecture doc JSON shape for the examples, with paths relative to the current directory, and exits 1', async () => {
    const { code, out } = await run(['check', 'examples/', '--format', 'json']);
    assert.equal(code, 1);
    const json = JSON.parse(out) as { version: number; results: { ruleId: string; severity: string; message: string; file: string; range: unknown }[] };
    assert.equal(json.version, 1);
    assert.equal(json.results.length, 45);
    const ecr = json.results.find((r) => r.ruleId === 'tf-aws-ecr-tag-immutability')!;
    assert.deepEqual(Object.keys(ecr), ['ruleId', 'severity', 'message', 'file', 'range', 'fingerprint']);
    assert.equal(ecr.file, 'examples/terraform/registry.tf');
    assert.deepEqual(ecr.range, { start: { line: 11, character: 25 }, end: { line: 11, character: 34 } });
  });

  it('gives the same findings as the editor: one per example finding the LSP test pins', async () => {
    const { out } = await run(['check', 'examples/', '--format', 'json']);
    const byFile = new Map<string, number>();
    for (const r of (JSON.parse(out) as { results: { file: string }[] }).results) byFile.set(r.file, (byFile.get(r.file) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...byFile].sort()), {
      'examples/.github/workflows/deploy.yml': 6,
      'examples/.gitlab-ci.yml': 3,
      'examples/kubernetes/batch-scoring.yaml': 1,
      'examples/kubernetes/model-serving.yaml': 14,
      'examples/terraform/compute.tf': 1,
      'examples/terraform/registry.tf': 2,
      'examples/terraform/serving.tf': 1,
      'examples/terraform/storage.tf': 17,
    });
  });

  it('exits 0 when nothing reaches --fail-on, and never counts info', async () => {
    const critical = await run(['check', 'examples/kubernetes', '--fail-on', 'critical']);
    assert.equal(critical.code, 0, 'the Kubernetes examples have high findings but no critical one');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-'));
    // A tag from an undefined CI variable is only an info note.
    writeFileSync(path.join(dir, '.gitlab-ci.yml'), 'build:\n  image: registry.example.com/app:$CI_COMMIT_SHA\n  script: [make]\n');
    const info = await run(['check', dir, '--fail-on', 'info', '--format', 'json']);
    assert.deepEqual((JSON.parse(info.out) as { results: { severity: string }[] }).results.map((r) => r.severity), ['info']);
    assert.equal(info.code, 0);
  });

  it('honours .plumbline.yaml in the tree and --config, and reports a broken config without stopping', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-config-'));
    const ecr = 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n';
    writeFileSync(path.join(dir, 'main.tf'), ecr);
    const ids = (out: string) =>
      (JSON.parse(out) as { results: { ruleId: string; severity: string }[] }).results
        .filter((r) => r.ruleId !== 'tf-provider-version-pinned')
        .map((r) => `${r.ruleId} ${r.severity}`);
    const plain = await run(['check', dir, '--format', 'json']);
    assert.deepEqual(ids(plain.out), ['tf-aws-ecr-tag-immutability high']);
    writeFileSync(path.join(dir, '.plumbline.yaml'), 'rules:\n  tf-aws-ecr-tag-immutability:\n    severity: low\n');
    const tree = await run(['check', dir, '--format', 'json']);
    assert.deepEqual(ids(tree.out), ['tf-aws-ecr-tag-immutability low']);
    assert.equal(tree.code, 0, 'low does not reach --fail-on high');
    const extra = path.join(mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-base-')), 'base.yaml');
    writeFileSync(extra, 'rules:\n  tf-aws-ecr-tag-immutability:\n    enabled: false\n  no-such-rule: {}\n');
    const based = await run(['check', dir, '--format', 'json', '--config', extra]);
    assert.deepEqual(ids(based.out), ['plumbline-config medium'], 'the rule is off, and the unknown id is reported');
    const missing = await run(['check', dir, '--config', path.join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
  });

  it('prints file:line:column, severity, rule and message, then a summary', async () => {
    const { out } = await run(['check', 'examples/terraform']);
    assert.match(out, /^examples\/terraform\/registry\.tf:12:26 {2}high {6}tf-aws-ecr-tag-immutability {2}image_tag_mutability is "MUTABLE"/m);
    assert.match(out, /21 finding\(s\) in 7 file\(s\): 2 critical, 13 high, 4 medium, 2 info\.$/m);
  });

  it('exits 2 on a usage error and says what is wrong', async () => {
    for (const args of [['check', '--format', 'xml'], ['check', '--fail-on', 'severe'], ['check', 'no/such/path'], ['lint'], ['check', '--bogus']]) {
      const { code, err } = await run(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(err, /plumbline: |unknown command|Usage/, args.join(' '));
    }
  });

  it('the bundled dist/cli.js runs on its own', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', 'examples/terraform/registry.tf', '--format', 'json'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    const ids = (JSON.parse(r.stdout) as { results: { ruleId: string }[] }).results.map((x) => x.ruleId);
    assert.deepEqual(ids, ['tf-aws-ecr-scan-on-push', 'tf-aws-ecr-tag-immutability']);
    // A report far larger than a pipe's buffer arrives whole: the process exits only once stdout is flushed.
    const big = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', 'examples/', '--format', 'sarif'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.ok(big.stdout.length > 100_000, `${big.stdout.length} characters`);
    assert.equal((JSON.parse(big.stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results.length, 45);
  });

  it('--workers N analyses on worker threads (the bundled dist/cli-worker.js) with the same report', () => {
    const run = (workers: string) =>
      spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', 'examples/', '--format', 'json', '--workers', workers], { cwd: REPO, encoding: 'utf8' });
    const one = run('1');
    const three = run('3');
    assert.equal(three.status, 1, three.stderr);
    assert.equal((JSON.parse(three.stdout) as { results: unknown[] }).results.length, 45);
    assert.equal(three.stdout, one.stdout);
    const bad = run('0');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--workers takes a whole number of at least 1, not 0/);
  });

  it('--max-warnings counts findings below --fail-on that are not info', async () => {
    // examples/terraform: 2 critical, 13 high, 4 medium, 2 info. At --fail-on critical the 17 high and medium are warnings.
    assert.equal((await run(['check', 'examples/terraform', '--fail-on', 'critical'])).code, 1, 'two critical findings');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-warn-'));
    writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "IMMUTABLE"\n}\n');
    const json = JSON.parse((await runCli(dir, ['check', '--format', 'json'])).out) as { results: { severity: string }[] };
    const warnings = json.results.filter((r) => r.severity !== 'info').length;
    assert.ok(warnings > 0 && json.results.every((r) => r.severity === 'medium' || r.severity === 'low' || r.severity === 'info'), JSON.stringify(json.results));
    assert.equal((await runCli(dir, ['check'])).code, 0);
    assert.equal((await runCli(dir, ['check', '--max-warnings', String(warnings)])).code, 0);
    const over = await runCli(dir, ['check', '--max-warnings', String(warnings - 1)]);
    assert.equal(over.code, 1);
    assert.match(over.err, new RegExp(`${warnings} warning\\(s\\) .* exceed --max-warnings ${warnings - 1}`));
    for (const bad of ['-1', 'many', '1.5']) assert.equal((await runCli(dir, ['check', `--max-warnings=${bad}`])).code, 2, bad);
  });

  it('writes several formats: name=file to files, one to stdout (text when none is), --output for the stdout one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-out-'));
    const sarif = path.join(dir, 'a.sarif');
    const out = path.join(dir, 'a.json');
    const r = await run(['check', 'examples/terraform/registry.tf', '--format', `sarif=${sarif}`, '--format', 'json', '--output', out]);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { version: number }).version, 1);
    assert.equal((JSON.parse(readFileSync(sarif, 'utf8')) as { version: string }).version, '2.1.0');
    assert.match(r.err, /sarif report written to .*a\.sarif/);
    const two = await run(['check', 'examples/terraform', '--format', 'json', '--format', 'sarif']);
    assert.equal(two.code, 2);
    assert.match(two.err, /only one format can go to stdout/);
    const same = await run(['check', 'examples/terraform', '--format', `json=${out}`, '--format', `sarif=${out}`]);
    assert.equal(same.code, 2);
    assert.match(same.err, /two outputs write to/);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; repository: { url: string } };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.out, `${pkg.version}\n`);
    }
    assert.equal(REPOSITORY_URL, pkg.repository.url.replace(/\.git$/, ''), 'help URIs point at the repository package.json names');
  });

  it('rules lists every built-in rule with its metadata, as JSON or text', async () => {
    const r = await run(['rules', '--format', 'json']);
    assert.equal(r.code, 0);
    const rules = (JSON.parse(r.out) as { rules: { id: string; title: string; domain: string; severity: string; ai: boolean; params: Record<string, { default: unknown }>; mappings: unknown; helpUri: string }[] }).rules;
    assert.deepEqual(rules.map((x) => x.id), builtinRules.map((x) => x.id));
    const tags = rules.find((x) => x.id === 'tf-required-tags')!;
    const rule = builtinRules.find((x) => x.id === 'tf-required-tags')!;
    assert.equal(tags.title, rule.title);
    assert.equal(tags.domain, 'terraform');
    assert.equal(tags.severity, rule.severity);
    assert.deepEqual(Object.keys(tags.params), Object.keys(rule.params!.properties));
    assert.deepEqual(tags.mappings, rule.mappings);
    assert.equal(tags.helpUri, `${REPOSITORY_URL}/blob/main/docs/rules/tf-required-tags.md`);
    assert.equal(rules.filter((x) => x.ai).length, builtinRules.filter((x) => x.ai).length);
    const text = await run(['rules']);
    assert.match(text.out, /^tf-required-tags +medium +terraform +\[AI\] Resources carry the required governance tags$/m);
    assert.match(text.out, new RegExp(`^${builtinRules.length} rules\\.$`, 'm'));
    assert.equal((await run(['rules', '--format', 'xml'])).code, 2);
  });
});
