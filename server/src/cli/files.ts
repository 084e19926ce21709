import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileKindOf } from '../parsers/yaml/kind';

const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.vscode-test', 'dist']);

/** Files under the given paths that Plumbline analyses, sorted, absolute. */
export function collectFiles(paths: readonly string[]): string[] {
  const out = new Set<string>();
  const visit = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      if (explicit) throw new UsageError(`no such file or directory: ${p}`);
      return;
    }
    if (st.isDirectory()) {
      if (!explicit && SKIP_DIRS.has(path.basename(p))) return;
      for (const name of readdirSync(p)) visit(path.join(p, name), false);
    } else if (explicit || fileKindOf(p) !== 'other') {
      out.add(path.resolve(p));
    }
  };
  for (const p of paths) visit(p, true);
  return [...out].sort();
}

export class UsageError extends Error {}
