import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The little the language service reads from disk; tests give it an in-memory one. */
export interface FileSystem {
  readFile(path: string): string | undefined;
  /** File names (not paths) in a directory, or undefined if it does not exist. */
  readDir(path: string): string[] | undefined;
}

export const nodeFileSystem: FileSystem = {
  readFile(p) {
    try {
      if (!statSync(p).isFile()) return undefined;
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDir(p) {
    try {
      return readdirSync(p);
    } catch {
      return undefined;
    }
  },
};

/** An in-memory file system keyed by absolute path. */
export function memoryFileSystem(files: Record<string, string>): FileSystem {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/$/, '');
  const map = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  return {
    readFile: (p) => map.get(norm(p)),
    readDir: (p) => {
      const dir = `${norm(p)}/`;
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(dir)) names.add(k.slice(dir.length).split('/')[0]!);
      return names.size ? [...names] : undefined;
    },
  };
}

/** Where reads may go while the workspace is not trusted. */
export interface Confinement {
  /** Workspace folder paths (asked on every check: folders come and go). */
  roots(): readonly string[];
  /** While true, nothing is confined. */
  trusted(): boolean;
  /**
   * Told the first time each path is refused (an existing file or directory
   * outside every folder), so the user can learn why a module is unknown.
   */
  onRefused?(path: string, resolved: string): void;
  /** The real path of an existing file (symbolic links resolved); undefined when it does not exist. Node's by default. */
  realpath?(p: string): string | undefined;
}

export interface RefusedPath {
  readonly path: string;
  readonly kind: 'file' | 'dir';
}

export interface ConfinedFileSystem extends FileSystem {
  /** Whether `p` may be read now (always, when trusted). */
  allows(p: string): boolean;
  /**
   * The paths refused since the last call, forgotten on return. When trust
   * is granted, whatever was cached from these refusals (an empty listing)
   * must be dropped so they are read.
   */
  takeRefused(): RefusedPath[];
}

/**
 * A file system that, while the workspace is untrusted, reads nothing outside
 * the workspace folders. A repository can name such paths in many ways: a
 * module `source = "../../shared/x"`, a `Dir` in `.terraform/modules/modules.json`,
 * a GitLab `include: local` with `..`, a state or config file that is a
 * symbolic link. Each of those would let an untrusted repository make the
 * editor read (and show, through findings and drift values) files of the
 * user's machine, so they are refused; the analysis then sees nothing there,
 * which the evaluator treats as Unknown (no finding, never a false one).
 *
 * The check is on the real path: symbolic links are resolved, so a link
 * inside a folder that points outside is refused, and a path that leaves
 * through `..` and comes back in is allowed (what is read is inside). A path
 * that does not exist reads as nothing either way. The folders are resolved
 * the same way, so a folder opened through a link still contains its files.
 * Trusted, every call goes straight to `inner`.
 */
export function confinedFileSystem(inner: FileSystem, confinement: Confinement): ConfinedFileSystem {
  const realpath = confinement.realpath ?? nodeRealpath;
  const announced = new Set<string>();
  let refused = new Map<string, RefusedPath>();
  let rootsKey = '';
  let realRoots: string[] = [];

  const folders = (): string[] => {
    const roots = confinement.roots();
    const key = roots.join('\0');
    if (key !== rootsKey) {
      rootsKey = key;
      realRoots = roots.map((r) => comparable(realpath(path.resolve(r)) ?? path.resolve(r)));
    }
    return realRoots;
  };

  const check = (p: string, kind: RefusedPath['kind']): boolean => {
    if (confinement.trusted()) return true;
    const abs = path.resolve(p);
    const real = realpath(abs);
    if (real === undefined) return false; // nothing there: the read would find nothing anyway
    const target = comparable(real);
    if (folders().some((root) => target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) return true;
    if (!refused.has(abs)) refused.set(abs, { path: abs, kind });
    if (!announced.has(abs)) {
      announced.add(abs);
      confinement.onRefused?.(abs, real);
    }
    return false;
  };

  return {
    readFile: (p) => (check(p, 'file') ? inner.readFile(p) : undefined),
    readDir: (p) => (check(p, 'dir') ? inner.readDir(p) : undefined),
    allows: (p) => check(p, 'file'),
    takeRefused() {
      const out = [...refused.values()];
      refused = new Map();
      return out;
    },
  };
}

/** A refused path for a message: `p`, or `p (a link to real)` when a link led out. */
export function describePath(p: string, real: string): string {
  return p === real ? p : `${p} (a link to ${real})`;
}

function nodeRealpath(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/**
 * Windows compares paths without case (the drive letter's case also varies).
 * Elsewhere the real path already has the case the disk stores, and folding
 * it would let a case-sensitive volume's `/Work` pass for `/work`.
 */
function comparable(p: string): string {
  return process.platform === 'win32' ? p.toLowerCase() : p;
}
