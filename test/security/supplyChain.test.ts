import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

/**
 * Supply chain: what is installed is what the lock file pins; what ships in
 * the VSIX is what .vscodeignore admits; production dependencies carry no
 * known high or critical advisory.
 */

const REPO = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
}
interface Lock {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry & { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
}

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  files?: string[];
};

describe('dependencies are pinned by the lock file', () => {
  const lockFile = path.join(REPO, 'package-lock.json');

  it('package-lock.json exists, lockfileVersion 2 or later', () => {
    assert.ok(existsSync(lockFile), 'package-lock.json is missing: run `npm install` and commit it');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as Lock;
    assert.ok((lock.lockfileVersion ?? 0) >= 2, `lockfileVersion ${lock.lockfileVersion}: regenerate with npm 7 or later`);
  });

  it('every dependency in package.json is an exact version, the one the lock file installs', () => {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as Lock;
    const root = lock.packages?.[''] ?? {};
    const problems: string[] = [];
    for (const [field, deps] of [
      ['dependencies', pkg.dependencies ?? {}],
      ['devDependencies', pkg.devDependencies ?? {}],
    ] as const) {
      for (const [name, spec] of Object.entries(deps)) {
        // x.y.z with an optional pre-release or build: no ^ ~ > < * x ranges, tags, URLs or git specs.
        if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(spec)) problems.push(`${field}.${name} is "${spec}": write the exact version`);
        const installed = lock.packages?.[`node_modules/${name}`]?.version;
        if (installed !== spec) problems.push(`${field}.${name} is "${spec}" but the lock file installs ${installed ?? 'nothing'}: run \`npm install\``);
        if (root[field]?.[name] !== spec) problems.push(`${field}.${name} is "${spec}" but the lock file's root records ${root[field]?.[name] ?? 'nothing'}: run \`npm install\``);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every package in the lock file carries an integrity hash, and none comes from git or a URL', () => {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as Lock;
    const entries = Object.entries(lock.packages ?? {}).filter(([key, e]) => key !== '' && !e.link);
    assert.ok(entries.length > 10, 'the lock file lists the installed packages');
    const missing = entries.filter(([, e]) => !/^sha(512|384|256)-/.test(e.integrity ?? '')).map(([key]) => key);
    assert.deepEqual(missing, [], 'entries without a sha-2 integrity hash');
    // This lock file records no `resolved` (npm then fetches from the configured registry); where one is
    // recorded it must be the npm registry over HTTPS, not git, a tarball URL or http:.
    const elsewhere = entries.filter(([, e]) => e.resolved !== undefined && !e.resolved.startsWith('https://registry.npmjs.org/')).map(([key, e]) => `${key} from ${e.resolved}`);
    assert.deepEqual(elsewhere, [], 'entries resolved from somewhere other than the npm registry');
  });
});

/** The patterns `.vscodeignore` admits (its `!` lines), as vsce reads them. */
function allowList(): string[] {
  return readFileSync(path.join(REPO, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1));
}

/**
 * A `.vscodeignore` glob as a RegExp: `**` any path, `*` and `?` within one
 * segment; a pattern whose last segment has no wildcard also matches what is
 * under it (vsce adds `/**` to such patterns).
 */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const folder = !/(^|\/)[^/]*\*[^/]*$/.test(glob);
  return new RegExp(`^${re}${folder ? '(/.*)?' : ''}$`);
}

describe('the VSIX holds only what .vscodeignore admits', () => {
  it('the glob reading matches vsce on the patterns this repository uses', () => {
    assert.equal(globToRegExp('dist/*.wasm').test('dist/tree-sitter-terraform.wasm'), true);
    assert.equal(globToRegExp('dist/*.wasm').test('dist/sub/x.wasm'), false);
    assert.equal(globToRegExp('docs/images/**').test('docs/images/a/b.png'), true);
    assert.equal(globToRegExp('media/**').test('mediax/a'), false);
    assert.equal(globToRegExp('dist/server.js').test('dist/server.js.map'), false);
    assert.equal(globToRegExp('syntaxes').test('syntaxes/a.json'), true);
  });

  it('`vsce ls` lists the essentials and nothing else', { timeout: 120_000 }, async () => {
    // `vsce ls` runs no prepublish script and, with --no-dependencies, no npm: it reads the
    // disk and applies .vscodeignore exactly as `vsce package` does (same collectFiles).
    const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    const { stdout } = await run(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const files = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const allowed = [...allowList(), 'package.json', 'README.md'].map(globToRegExp);
    const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files in the VSIX that no `!` line of .vscodeignore admits');
    const essentials = ['package.json', 'README.md', 'LICENSE', 'dist/extension.js', 'dist/server.js', 'dist/server-main.js', 'dist/cli.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-terraform.wasm'];
    const absent = essentials.filter((f) => !files.includes(f));
    assert.deepEqual(absent, [], 'essentials missing from the VSIX (dist/ files: run `node esbuild.mjs` first)');
    const forbidden = files.filter((f) => /^(server\/src|client\/src|test|node_modules|\.vscode-test|examples|scripts|out|\.scratch|test-results)\//.test(f) || /\.(ts|map)$/.test(f) || /(^|\/)\.env/.test(f));
    assert.deepEqual(forbidden, [], 'sources, tests, dependencies, examples, source maps or env files in the VSIX');
  });

  it('`vsce package` can apply .vscodeignore: package.json has no "files" list beside it', () => {
    // vsce package refuses to build when both exist ("VSCE does not support combining both
    // strategies"); `vsce ls` does not check it, so this test does. Publish the CLI to npm
    // with an .npmignore allow-list instead (vsce ignores .npmignore).
    assert.equal(existsSync(path.join(REPO, '.vscodeignore')), true);
    assert.equal(pkg.files, undefined, `package.json "files" (${JSON.stringify(pkg.files)}) makes \`vsce package\` fail beside .vscodeignore`);
  });
});

describe('production dependencies have no known high or critical advisory', () => {
  it('npm audit --omit=dev --audit-level=high', { timeout: 120_000 }, async (t) => {
    // The audit needs the registry's advisory endpoint. Where it cannot be reached the test is
    // skipped with the reason shown, unless PLUMBLINE_REQUIRE_AUDIT=1 (CI sets it), which makes
    // an unreachable endpoint a failure: a supply-chain gate that silently passes is worse than none.
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    let out: string;
    try {
      ({ stdout: out } = await run(npm, ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 }));
    } catch (e) {
      // npm audit exits 1 when it finds something at or above the level: its JSON is still on stdout.
      out = (e as { stdout?: string }).stdout ?? '';
    }
    let report: { vulnerabilities?: Record<string, { severity: string; via: unknown[] }>; metadata?: { vulnerabilities?: Record<string, number> }; error?: unknown; statusCode?: number; message?: string };
    try {
      report = JSON.parse(out);
    } catch {
      report = { message: `npm audit printed no JSON: ${out.slice(0, 200)}` };
    }
    if (!report.metadata?.vulnerabilities) {
      const why = `the registry's audit endpoint did not answer (${report.message ?? JSON.stringify(report.error ?? report).slice(0, 200)})`;
      if (process.env.PLUMBLINE_REQUIRE_AUDIT === '1') assert.fail(`npm audit could not run: ${why}`);
      t.skip(`not checked: ${why}; set PLUMBLINE_REQUIRE_AUDIT=1 to make this a failure`);
      return;
    }
    const serious = Object.entries(report.vulnerabilities ?? {})
      .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
      .map(([name, v]) => `${name} (${v.severity})`);
    assert.deepEqual(serious, [], 'production dependencies with high or critical advisories: update them (npm audit fix --omit=dev) or replace them');
  });
});
