import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { CACHE_DIR_ENV, CODE_CACHE_ENV, codeCacheDirectory, ensurePrivateDirectory } from './cacheDirectory';
import { loadBundle, sourceMapsEnabled, type CodeCacheOptions } from './codeCache';

const posix = process.platform !== 'win32';
const uid = process.getuid?.();

const roots: string[] = [];
// At exit, after the loads that were never asked to write have written their caches.
after(() => process.once('exit', () => roots.forEach((r) => rmSync(r, { recursive: true, force: true }))));

/** A fresh workspace: a CommonJS "bundle" (with a sibling it requires) and a cache directory path. */
function setup(body = BUNDLE): { root: string; bundle: string; cacheDir: string; logs: string[]; options: CodeCacheOptions } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plumbline-code-cache-'));
  roots.push(root);
  const bundle = path.join(root, 'dist', 'bundle.js');
  mkdirSync(path.dirname(bundle));
  writeFileSync(bundle, body);
  writeFileSync(path.join(root, 'dist', 'sibling.js'), 'module.exports = "sibling";\n');
  const cacheDir = path.join(root, 'home', 'cache');
  const logs: string[] = [];
  // tsx turns source maps on in this process; the loader would then step aside (see the last tests).
  return { root, bundle, cacheDir, logs, options: { directory: cacheDir, log: (l) => logs.push(l), sourceMaps: false } };
}

// Exercises what Node's own loader gives a module; `calls` makes a few functions compile lazily.
const BUNDLE = `"use strict";
function square(x) { return x * x; }
function calls(n) { let s = 0; for (let i = 0; i < n; i++) s += square(i); return s; }
module.exports = {
  filename: __filename,
  dirname: __dirname,
  sibling: require("./sibling.js"),
  sep: require("node:path").sep,
  thisIsExports: this === exports,
  moduleId: module.id,
  calls,
  where: () => new Error("here").stack.split("\\n")[1],
};
`;

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

/** Loads `bundle` in a new Node.js process that then exits; returns its state and the lines it logged. */
function startInChild(root: string, bundle: string, cacheDir: string): string[] {
  const script = path.join(root, 'start.ts');
  writeFileSync(
    script,
    `import { loadBundle } from ${JSON.stringify(path.join(__dirname, 'codeCache'))};
const logs: string[] = [];
const r = loadBundle(process.argv[2]!, { directory: process.argv[3], log: (l) => logs.push('log: ' + l), sourceMaps: false });
console.log([r.state, ...logs].join('\\n'));
process.exit(0);
`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, bundle, cacheDir], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim().split('\n');
}

describe('loadBundle', () => {
  it('loads the bundle as a CommonJS module, writes the cache when asked, and finds it on the next load', () => {
    const { bundle, cacheDir, logs, options } = setup();
    const first = loadBundle(bundle, options);
    assert.equal(first.state, 'miss');
    const exports = first.exports as Record<string, unknown> & { calls(n: number): number };
    assert.deepEqual(
      { ...exports, calls: undefined, where: undefined },
      { filename: bundle, dirname: path.dirname(bundle), sibling: 'sibling', sep: path.sep, thisIsExports: true, moduleId: bundle, calls: undefined, where: undefined },
    );
    assert.equal(exports.calls(4), 14);
    // The wrapper adds no line: positions in stack traces are the bundle's own (line 12, column 16).
    assert.match((exports.where as () => string)(), new RegExp(`\\(${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:16\\)$`));
    assert.deepEqual(cacheFiles(cacheDir), [], 'nothing is written during the load itself');

    assert.equal(first.writeNow(), true);
    assert.equal(first.writeNow(), false, 'written once');
    assert.deepEqual(cacheFiles(cacheDir), [path.basename(first.cacheFile!)]);
    assert.match(path.basename(first.cacheFile!), /^bundle-[0-9a-f]{32}\.v8cache$/);
    if (posix) assert.equal(statSync(first.cacheFile!).mode & 0o777, 0o600);

    const second = loadBundle(bundle, options);
    assert.equal(second.state, 'hit');
    assert.equal(second.cacheFile, first.cacheFile);
    assert.equal((second.exports as { calls(n: number): number }).calls(3), 5);
    assert.equal(second.writeNow(), false, 'a cache that was used is not rewritten');
    assert.deepEqual(logs, []);
  });

  it('creates the cache directory, and the missing directories above it, with mode 0700', { skip: !posix && 'POSIX modes' }, () => {
    const { root, bundle, cacheDir, options } = setup();
    loadBundle(bundle, options);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(root, 'home')).mode & 0o777, 0o700);
  });

  it('writes the cache when the timer after the load fires', () => {
    const { bundle, cacheDir, options } = setup();
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      loadBundle(bundle, { ...options, writeAfterMs: 5_000 });
      mock.timers.tick(4_999);
      assert.deepEqual(cacheFiles(cacheDir), []);
      mock.timers.tick(1);
      assert.equal(cacheFiles(cacheDir).length, 1);
    } finally {
      mock.timers.reset();
    }
  });

  // V8 keeps what it compiled in memory and takes a script it has seen from there, ignoring any
  // cached data: whether V8 accepts or refuses cached data shows only in a fresh process.
  it('writes the cache when the process exits before the timer, and the next process uses it', () => {
    const { root, bundle, cacheDir } = setup();
    assert.deepEqual(startInChild(root, bundle, cacheDir), ['miss']);
    assert.equal(cacheFiles(cacheDir).length, 1);
    assert.deepEqual(startInChild(root, bundle, cacheDir), ['hit']);
  });

  it('rejects the cached data of another script (V8 refuses it) and replaces it', () => {
    const { root, bundle, cacheDir } = setup();
    const other = path.join(path.dirname(bundle), 'other.js');
    writeFileSync(other, 'module.exports = function other() { return [1, 2, 3].map((x) => x + 1); };\n');
    startInChild(root, other, cacheDir);
    startInChild(root, bundle, cacheDir);
    const [ownFile, otherFile] = ['bundle-', 'other-'].map((p) => path.join(cacheDir, cacheFiles(cacheDir).find((f) => f.startsWith(p))!));
    // The other script's cache file, well-formed, put where this bundle's belongs.
    writeFileSync(ownFile!, readFileSync(otherFile!));
    const [state, log, ...rest] = startInChild(root, bundle, cacheDir);
    assert.equal(state, 'rejected');
    assert.match(log!, /^log: V8 refused the code cache .*bundle-[0-9a-f]{32}\.v8cache \(written by another build of V8 or with other V8 flags\); a fresh one will replace it\.$/);
    assert.deepEqual(rest, []);
    assert.deepEqual(startInChild(root, bundle, cacheDir), ['hit'], 'the refused cache was replaced at exit');
  });

  it('rejects a damaged cache file (its checksum fails), still loads, and writes a fresh one', () => {
    const { bundle, logs, options } = setup();
    const first = loadBundle(bundle, options);
    first.writeNow();
    const bytes = readFileSync(first.cacheFile!);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(first.cacheFile!, bytes);
    const damaged = loadBundle(bundle, options);
    assert.equal(damaged.state, 'rejected');
    assert.equal((damaged.exports as { sibling: string }).sibling, 'sibling');
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /is damaged \(its checksum does not match\); a fresh one will replace it/);
    assert.equal(damaged.writeNow(), true);
    assert.equal(loadBundle(bundle, options).state, 'hit');
  });

  it('does not follow a cache file that is a symbolic link, and replaces the link, not its target', { skip: !posix && 'symlinks' }, () => {
    const { root, bundle, logs, options } = setup();
    const first = loadBundle(bundle, options);
    first.writeNow();
    const target = path.join(root, 'elsewhere.bin');
    writeFileSync(target, readFileSync(first.cacheFile!));
    const linked = first.cacheFile!;
    unlinkSync(linked);
    symlinkSync(target, linked);
    const r = loadBundle(bundle, options);
    assert.equal(r.state, 'rejected');
    assert.match(logs[0]!, /not read/);
    const before = readFileSync(target);
    assert.equal(r.writeNow(), true);
    assert.equal(statSync(linked).isFile(), true);
    assert.deepEqual(readFileSync(target), before, 'the link target is untouched');
  });

  it('does not use a cache file other users can write', { skip: !posix && 'POSIX modes' }, () => {
    const { bundle, logs, options } = setup();
    const first = loadBundle(bundle, options);
    first.writeNow();
    chmodSync(first.cacheFile!, 0o666);
    assert.equal(loadBundle(bundle, options).state, 'rejected');
    assert.match(logs[0]!, /other users can write it \(mode 0666\)/);
  });

  it('does not use a cache file that belongs to another user', { skip: uid !== 0 && 'chown needs root' }, () => {
    const { bundle, logs, options } = setup();
    const first = loadBundle(bundle, options);
    first.writeNow();
    chownSync(first.cacheFile!, 1, 1);
    assert.equal(loadBundle(bundle, options).state, 'rejected');
    assert.match(logs[0]!, /belongs to user id 1, not to this user \(0\)/);
  });

  it('does not use a directory of another user: loads without the cache and says why', { skip: uid === undefined && 'no user ids' }, () => {
    const { bundle, cacheDir, logs, options } = setup();
    const r = loadBundle(bundle, { ...options, uid: uid! + 1 });
    assert.equal(r.state, 'off');
    assert.equal((r.exports as { sibling: string }).sibling, 'sibling');
    assert.equal(r.writeNow(), false);
    assert.deepEqual(logs, [
      `V8 code cache not used (the server starts without it): ${cacheDir} belongs to user id ${uid}, not to this user (${uid! + 1}); remove it or set PLUMBLINE_CACHE_DIR to a directory of your own.`,
    ]);
  });

  it('does not use a directory other users can enter, and says how to fix it', { skip: !posix && 'POSIX modes' }, () => {
    const { bundle, cacheDir, logs, options } = setup();
    mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
    chmodSync(cacheDir, 0o755);
    assert.equal(loadBundle(bundle, options).state, 'off');
    assert.match(logs[0]!, /has mode 0755, which lets other users in; run `chmod 700 .*cache`/);
    assert.deepEqual(cacheFiles(cacheDir), []);
  });

  it('still loads when the directory cannot be created', () => {
    const { root, bundle, logs, options } = setup();
    writeFileSync(path.join(root, 'file'), '');
    const r = loadBundle(bundle, { ...options, directory: path.join(root, 'file', 'cache') });
    assert.equal(r.state, 'off');
    assert.equal((r.exports as { sibling: string }).sibling, 'sibling');
    assert.match(logs[0]!, /^V8 code cache not used \(the server starts without it\): .*ENOTDIR/);
  });

  it('still loads when the cache cannot be written, and says so once', () => {
    const { bundle, logs, options } = setup();
    const r = loadBundle(bundle, options);
    // A directory where the cache file belongs: the rename over it fails.
    mkdirSync(r.cacheFile!);
    writeFileSync(path.join(r.cacheFile!, 'x'), '');
    assert.equal(r.writeNow(), false);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /^could not write the V8 code cache .*the next start compiles the server again/);
    assert.equal(r.writeNow(), false);
    assert.equal(logs.length, 1);
    assert.deepEqual(
      readdirSync(path.dirname(r.cacheFile!)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file is left behind',
    );
  });

  it('removes the caches of earlier builds of the same bundle older than a week when it writes, and nothing else', () => {
    const { bundle, cacheDir, options } = setup();
    const build = (n: number) => {
      writeFileSync(bundle, `${BUNDLE}// build ${n}\n`);
      const r = loadBundle(bundle, options);
      r.writeNow();
      return r.cacheFile!;
    };
    const [old, recent] = [build(1), build(2)];
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    const unrelated = path.join(cacheDir, 'other-0123456789abcdef0123456789abcdef.v8cache');
    writeFileSync(unrelated, 'x');
    utimesSync(unrelated, eightDaysAgo, eightDaysAgo);
    const current = build(3);
    assert.deepEqual(cacheFiles(cacheDir).sort(), [recent, current, unrelated].map((f) => path.basename(f)).sort());
  });

  it('loads with plain require when source maps are on (Node maps only what its own loader compiled)', () => {
    const { bundle, cacheDir, options } = setup();
    const r = loadBundle(bundle, { ...options, sourceMaps: true });
    assert.equal(r.state, 'off');
    assert.equal((r.exports as { filename: string }).filename, bundle);
    assert.equal(existsSync(cacheDir), false);
  });

  it('sees source maps turned on by the flag, by NODE_OPTIONS, or at run time', () => {
    const p = (sourceMapsEnabled: boolean | undefined, execArgv: string[], NODE_OPTIONS?: string) => ({ sourceMapsEnabled, execArgv, env: { NODE_OPTIONS } });
    assert.equal(sourceMapsEnabled(p(undefined, [])), false);
    assert.equal(sourceMapsEnabled(p(false, ['--max-old-space-size=4096'], '--no-warnings')), false);
    assert.equal(sourceMapsEnabled(p(undefined, ['--enable-source-maps'])), true);
    assert.equal(sourceMapsEnabled(p(undefined, [], '--no-warnings --enable-source-maps')), true);
    assert.equal(sourceMapsEnabled(p(true, [])), true);
  });

  it('loads with plain require when there is no cache directory', () => {
    const { bundle, options } = setup();
    assert.equal(loadBundle(bundle, { ...options, directory: undefined }).state, 'off');
  });
});

describe('codeCacheDirectory', () => {
  const home = '/home/ada';
  it('uses the directory the editor passes, then XDG_CACHE_HOME, then ~/.cache', () => {
    assert.equal(codeCacheDirectory({ [CACHE_DIR_ENV]: '/vs/globalStorage/plumbline.plumbline', XDG_CACHE_HOME: '/xdg' }, 'linux', home), '/vs/globalStorage/plumbline.plumbline/v8-code-cache');
    assert.equal(codeCacheDirectory({ XDG_CACHE_HOME: '/xdg' }, 'linux', home), '/xdg/plumbline/v8-code-cache');
    assert.equal(codeCacheDirectory({}, 'darwin', home), '/home/ada/.cache/plumbline/v8-code-cache');
  });

  it('ignores relative locations (they would depend on the current directory, often the workspace)', () => {
    assert.equal(codeCacheDirectory({ [CACHE_DIR_ENV]: '.cache', XDG_CACHE_HOME: 'rel' }, 'linux', home), '/home/ada/.cache/plumbline/v8-code-cache');
    assert.equal(codeCacheDirectory({}, 'linux', ''), undefined);
  });

  it('uses LOCALAPPDATA on Windows', () => {
    const local = path.join(path.parse(process.cwd()).root, 'Users', 'ada', 'AppData', 'Local');
    assert.equal(codeCacheDirectory({ LOCALAPPDATA: local }, 'win32', home), path.join(local, 'plumbline', 'Cache', 'v8-code-cache'));
    assert.equal(codeCacheDirectory({}, 'win32', home), undefined);
  });

  it(`is undefined when ${CODE_CACHE_ENV}=off`, () => {
    assert.equal(codeCacheDirectory({ [CODE_CACHE_ENV]: 'off', XDG_CACHE_HOME: '/xdg' }, 'linux', home), undefined);
  });
});

describe('ensurePrivateDirectory', () => {
  it('refuses a symbolic link to a directory', { skip: !posix && 'symlinks' }, () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'plumbline-code-cache-'));
    roots.push(root);
    mkdirSync(path.join(root, 'real'), { mode: 0o700 });
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    assert.throws(() => ensurePrivateDirectory(path.join(root, 'link')), /is a symbolic link; the code cache is only kept in a real directory/);
  });
});
