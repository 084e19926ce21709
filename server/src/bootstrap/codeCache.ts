import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { currentUid, ensurePrivateDirectory } from './cacheDirectory';

/**
 * Loads a CommonJS bundle the way Node's own loader does, but through
 * vm.Script with V8 cached data, so a start after the first skips most of
 * V8's parsing and compiling of the bundle (Node 20 has no compile cache of
 * its own; `module.enableCompileCache` came with Node 22).
 *
 * The cached data is written after the bundle has run for a while (or when the
 * process exits, if that is sooner), so it holds the functions compiled lazily
 * by the first requests too, not only the top level.
 *
 * The bundle must not use dynamic `import()`: Node 20 loses the callback that
 * resolves it when a script comes from cached data (esbuild.mjs compiles
 * `import()` into `require()` for this reason).
 */

export type CacheState =
  /** Compiled from the cached data. */
  | 'hit'
  /** No cached data yet (first start with this bundle and this Node.js). */
  | 'miss'
  /** Cached data was there but unusable (damaged, or V8 refused it); a fresh one replaces it. */
  | 'rejected'
  /** Loaded with plain `require` (no directory, source maps on, or the directory is unusable). */
  | 'off';

export interface CodeCacheOptions {
  /** The private per-user directory for the cache files (see codeCacheDirectory); undefined: no cache. */
  directory: string | undefined;
  /** Receives one line per problem; a problem never stops the load. */
  log: (line: string) => void;
  /** How long after the load the cache is written (it is also written at exit, if sooner). */
  writeAfterMs?: number;
  /** The user who must own the directory and the cache file (tests pass another). */
  uid?: number | undefined;
  /** Whether Node maps stack traces through source maps (default: asked of this process). */
  sourceMaps?: boolean;
}

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  exports: unknown;
  state: CacheState;
  /** The cache file for this bundle and this Node.js (undefined when state is 'off'). */
  cacheFile: string | undefined;
  /** Writes the cache now if this load needs one written and it was not yet; true when it wrote. */
  writeNow(): boolean;
}

const DEFAULT_WRITE_AFTER_MS = 10_000;
/** The cached data of a bundle of a few MB is a few MB; anything much larger is not ours. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
const DIGEST_BYTES = 32;
const SUFFIX = '.v8cache';

export function loadBundle(file: string, options: CodeCacheOptions): LoadedBundle {
  const plain = (): LoadedBundle => ({ exports: createRequire(file)(file) as unknown, state: 'off', cacheFile: undefined, writeNow: () => false });
  // Node maps stack traces only for code its own loader compiled; keep them readable.
  if (!options.directory || (options.sourceMaps ?? sourceMapsEnabled(process))) return plain();
  const uid = 'uid' in options ? options.uid : currentUid();
  try {
    ensurePrivateDirectory(options.directory, uid);
  } catch (e) {
    options.log(`V8 code cache not used (the server starts without it): ${(e as Error).message}`);
    return plain();
  }

  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const base = path.basename(file, '.js');
  const cacheFile = path.join(options.directory, `${base}-${cacheKey(bytes)}${SUFFIX}`);
  const stored = readCache(cacheFile, uid, options.log);
  const script = new vm.Script(wrap(source), { filename: file, ...(stored?.data ? { cachedData: stored.data } : {}) });
  let state: CacheState = stored ? (stored.data ? 'hit' : 'rejected') : 'miss';
  if (stored?.data && script.cachedDataRejected) {
    state = 'rejected';
    options.log(`V8 refused the code cache ${cacheFile} (written by another build of V8 or with other V8 flags); a fresh one will replace it.`);
  }

  let written = state === 'hit';
  const writeNow = (): boolean => {
    if (written) return false;
    written = true;
    try {
      writeCache(cacheFile, script.createCachedData());
      removeOthers(options.directory!, base, cacheFile);
      return true;
    } catch (e) {
      options.log(`could not write the V8 code cache ${cacheFile} (the next start compiles the server again): ${(e as Error).message}`);
      return false;
    }
  };
  if (!written) {
    setTimeout(writeNow, options.writeAfterMs ?? DEFAULT_WRITE_AFTER_MS).unref();
    process.once('exit', () => writeNow());
  }

  const exports = run(script, file);
  return { exports, state, cacheFile, writeNow };
}

/**
 * The function Node's CommonJS loader wraps a module in. The wrapper's text is on the
 * first line, so the bundle's line numbers (stack traces, breakpoints) stay as they are.
 */
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** Runs the compiled wrapper with the five arguments Node's CommonJS loader gives a module. */
function run(script: vm.Script, file: string): unknown {
  const mod = new Module(file, require.main);
  mod.filename = file;
  const req = createRequire(file);
  (req.cache as Record<string, unknown>)[file] = mod;
  const wrapper = script.runInThisContext({ displayErrors: true }) as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

/** `--enable-source-maps` given, or source maps turned on at run time (`process.sourceMapsEnabled` is Node 20.7+). */
export function sourceMapsEnabled(p: { sourceMapsEnabled?: boolean; execArgv: readonly string[]; env: NodeJS.ProcessEnv }): boolean {
  const flag = (s: string | undefined) => !!s && /--enable-source-maps\b/.test(s);
  return p.sourceMapsEnabled === true || p.execArgv.some((a) => flag(a)) || flag(p.env.NODE_OPTIONS);
}

/** The bundle's content and everything V8's bytecode depends on: another build or another Node.js is another file. */
export function cacheKey(source: Buffer | string): string {
  return createHash('sha256')
    .update(source)
    .update(`\0${process.version}\0${process.versions.v8}\0${process.arch}\0${process.platform}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The cached data stored in `cacheFile`: undefined when there is no such
 * file, no `data` when there is one that cannot be trusted: not a regular file
 * (a link is not followed), another owner, writable by others, too large, or
 * its digest does not match (a damaged or truncated file).
 */
function readCache(cacheFile: string, uid: number | undefined, log: (line: string) => void): { data?: Buffer } | undefined {
  let fd: number;
  try {
    fd = openSync(cacheFile, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    log(`V8 code cache ${cacheFile} not read (a fresh one will replace it): ${(e as Error).message}`);
    return {};
  }
  try {
    const st = fstatSync(fd);
    const problem = !st.isFile()
      ? 'it is not a regular file'
      : uid !== undefined && st.uid !== uid
        ? `it belongs to user id ${st.uid}, not to this user (${uid})`
        : uid !== undefined && (st.mode & 0o022) !== 0
          ? `other users can write it (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`
          : st.size > MAX_CACHE_BYTES || st.size <= DIGEST_BYTES
            ? `its size (${st.size} bytes) cannot be a code cache`
            : undefined;
    if (problem) {
      log(`V8 code cache ${cacheFile} not used, ${problem}; a fresh one will replace it.`);
      return {};
    }
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    const data = buf.subarray(DIGEST_BYTES, n);
    if (n !== buf.length || !createHash('sha256').update(data).digest().equals(buf.subarray(0, DIGEST_BYTES))) {
      log(`V8 code cache ${cacheFile} is damaged (its checksum does not match); a fresh one will replace it.`);
      return {};
    }
    return { data };
  } finally {
    closeSync(fd);
  }
}

/** Writes digest + data to a new private file beside `cacheFile`, then renames it over: readers never see half a file. */
function writeCache(cacheFile: string, data: Buffer): void {
  const tmp = path.join(path.dirname(cacheFile), `.${path.basename(cacheFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, Buffer.concat([createHash('sha256').update(data).digest(), data]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, cacheFile);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // it was never created
    }
    throw e;
  }
}

/** A cache file of the same bundle this much older than the one being written is removed. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/**
 * Caches of earlier builds of the same bundle are dead weight (a few MB each):
 * remove them. Only old ones, because a recent one may belong to another
 * Node.js that still uses it (two editors, each with its own).
 */
function removeOthers(dir: string, base: string, keep: string): void {
  const before = Date.now() - STALE_MS;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (p === keep || !name.startsWith(`${base}-`) || !name.endsWith(SUFFIX) || !/^[0-9a-f]{32}$/.test(name.slice(base.length + 1, -SUFFIX.length))) continue;
    try {
      if (lstatSync(p).mtimeMs < before) unlinkSync(p);
    } catch {
      // another server removed it first
    }
  }
}
