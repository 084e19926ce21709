import { lstatSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where an editor tells the server which per-user directory to keep its caches
 * in (the VS Code extension passes its global storage directory).
 */
export const CACHE_DIR_ENV = 'PLUMBLINE_CACHE_DIR';
/** `off` turns the V8 code cache off: the bundle then loads the ordinary way. */
export const CODE_CACHE_ENV = 'PLUMBLINE_CODE_CACHE';

/** The directory the code cache lives in, below the cache root. */
const SUBDIRECTORY = 'v8-code-cache';

/**
 * The code-cache directory for this user, or undefined when there is none
 * (turned off, or no absolute location to put it). V8 cached data is
 * executable bytecode that nothing authenticates, so it is only ever kept in a
 * per-user location: never the system temp directory, never the workspace.
 */
export function codeCacheDirectory(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string | undefined {
  if (env[CODE_CACHE_ENV] === 'off') return undefined;
  const root = cacheRoot(env, platform, home);
  return root && path.join(root, SUBDIRECTORY);
}

function cacheRoot(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  const absolute = (p: string | undefined) => (p && path.isAbsolute(p) ? p : undefined);
  const given = absolute(env[CACHE_DIR_ENV]);
  if (given) return given;
  if (platform === 'win32') {
    const local = absolute(env.LOCALAPPDATA);
    return local && path.join(local, 'plumbline', 'Cache');
  }
  // The XDG base directory spec says a relative XDG_CACHE_HOME is to be ignored.
  const base = absolute(env.XDG_CACHE_HOME) ?? (absolute(home) && path.join(home, '.cache'));
  return base && path.join(base, 'plumbline');
}

/** The user the cache belongs to; undefined on Windows, where the per-user profile directory is the boundary. */
export const currentUid = (): number | undefined => process.getuid?.();

/**
 * Creates `dir` (mode 0700) when missing and checks that it is a real
 * directory that belongs to `uid` and that no other user can enter. Throws an
 * Error saying what is wrong and how to fix it otherwise.
 */
export function ensurePrivateDirectory(dir: string, uid: number | undefined = currentUid()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw new Error(`${dir} is a symbolic link; the code cache is only kept in a real directory (remove the link).`);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory (remove it).`);
  if (uid === undefined) return;
  if (st.uid !== uid) throw new Error(`${dir} belongs to user id ${st.uid}, not to this user (${uid}); remove it or set ${CACHE_DIR_ENV} to a directory of your own.`);
  if ((st.mode & 0o077) !== 0)
    throw new Error(`${dir} has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, which lets other users in; run \`chmod 700 ${dir}\`.`);
}
