import { readdirSync, readFileSync, statSync } from 'node:fs';

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
