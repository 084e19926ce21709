import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const REPO = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The CLI as an npm package: `npm install -g plumbline` gives a `plumbline`
 * command that needs no VS Code. .npmignore decides what the package holds
 * (dist/cli.js, its worker and the .wasm files; npm adds package.json,
 * README and LICENSE).
 */
describe('the npm package', () => {
  before(() => {
    if (!existsSync(path.join(REPO, 'dist', 'cli.js'))) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'ignore' });
  });

  it('npm pack lists the CLI bundle, its worker and both .wasm files, and no source, test or extension file', async () => {
    const { stdout } = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    for (const f of ['dist/cli.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-terraform.wasm', 'package.json']) assert.ok(files.includes(f), `${f} is packed`);
    const stray = files.filter((f) => /^(server|client|test|examples|node_modules)\/|\.ts$|\.map$|^dist\/(extension|server)\.js$/.test(f));
    assert.deepEqual(stray, []);
  });

  it('installs globally from the packed tarball (offline, from the npm cache) and runs --version and a check', async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-pack-'));
    await run(npm, ['pack', '--pack-destination', dir, '--ignore-scripts', '--silent'], { cwd: REPO });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const prefix = path.join(dir, 'prefix');
    try {
      await run(npm, ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(dir, tarball)], { cwd: dir, timeout: 120_000 });
    } catch (e) {
      // The package's declared dependencies (which the bundle does not use) must come from the npm cache here.
      if (/ENOTCACHED/.test(String((e as { stderr?: string }).stderr))) return t.skip('the npm cache lacks a dependency of the package; run once online');
      throw e;
    }
    const bin = path.join(prefix, process.platform === 'win32' ? 'plumbline.cmd' : path.join('bin', 'plumbline'));
    const pkg = JSON.parse((await import('node:fs')).readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout, `${pkg.version}\n`, version.stderr);
    // Run from a folder outside the repository, so nothing resolves from its node_modules.
    const check = spawnSync(bin, ['check', path.join(REPO, 'examples', 'terraform', 'registry.tf'), '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 1, check.stderr);
    const ids = (JSON.parse(check.stdout) as { results: { ruleId: string }[] }).results.map((r) => r.ruleId);
    assert.deepEqual(ids, ['tf-aws-ecr-scan-on-push', 'tf-aws-ecr-tag-immutability']);
  });
});
