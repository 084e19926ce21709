import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The version-control position of the analysed tree, as far as files on disk tell it. */
export interface GitSource {
  /** The `origin` remote's URL without any user name or password in it; absent when there is none. */
  readonly repository?: string;
  /** The full object name HEAD points at; absent when the branch has no commit yet or the refs cannot be read. */
  readonly commit?: string;
  /** The checked-out branch; absent when HEAD is detached. */
  readonly branch?: string;
  readonly detached: boolean;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Reads HEAD, the branch ref (loose, then packed-refs) and the origin URL
 * straight from the `.git` folder that holds `dir` (or its nearest parent).
 * Nothing is run: an untrusted workspace must not start programs, so `git`
 * is never called. Handles `.git` files (`gitdir: …`, as worktrees and
 * submodules have) and a worktree's `commondir`. Undefined when `dir` is in
 * no repository or HEAD cannot be read. Whether the working tree has
 * uncommitted changes is not reported: telling would mean reimplementing
 * `git status`.
 */
export function readGitSource(dir: string): GitSource | undefined {
  const gitDir = findGitDir(path.resolve(dir));
  if (!gitDir) return undefined;
  const head = read(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  const common = commonDir(gitDir);
  const repository = originUrl(common);
  const withRepo = repository ? { repository } : {};
  // A reftable repository keeps refs in binary tables (HEAD names a placeholder branch): not read here.
  if (statKind(path.join(common, 'reftable')) === 'dir') return { ...withRepo, detached: false };
  if (SHA.test(head)) return { ...withRepo, commit: head, detached: true };
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref || !isSafeRef(ref)) return undefined;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  // A worktree keeps its own HEAD but shares branches with the main repository.
  const commit = resolveRef(gitDir, ref) ?? (common !== gitDir ? resolveRef(common, ref) : undefined);
  return { ...withRepo, ...(commit ? { commit } : {}), ...(branch ? { branch } : {}), detached: false };
}

/** The `.git` directory for `dir`: a folder, or the target of a `gitdir:` file. */
function findGitDir(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, '.git');
    const kind = statKind(candidate);
    if (kind === 'dir') return candidate;
    if (kind === 'file') {
      const target = /^gitdir:\s*(.+?)\s*$/m.exec(read(candidate) ?? '')?.[1];
      if (target) {
        const resolved = path.resolve(d, target);
        if (statKind(resolved) === 'dir') return resolved;
      }
      return undefined;
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Where refs, packed-refs and config live: a worktree's `commondir`, else the git dir itself. */
function commonDir(gitDir: string): string {
  const rel = read(path.join(gitDir, 'commondir'))?.trim();
  if (!rel) return gitDir;
  const resolved = path.resolve(gitDir, rel);
  return statKind(resolved) === 'dir' ? resolved : gitDir;
}

/** A ref's object name: its loose file, else its line in packed-refs; symbolic refs are followed a few steps. */
function resolveRef(gitDir: string, ref: string, depth = 0): string | undefined {
  if (depth > 5 || !isSafeRef(ref)) return undefined;
  const loose = read(path.join(gitDir, ...ref.split('/')))?.trim();
  if (loose) {
    if (SHA.test(loose)) return loose;
    const next = /^ref:\s*(\S+)$/.exec(loose)?.[1];
    return next ? resolveRef(gitDir, next, depth + 1) : undefined;
  }
  for (const line of (read(path.join(gitDir, 'packed-refs')) ?? '').split(/\r?\n/)) {
    // "# pack-refs with: …" is a header; "^<sha>" lines peel the annotated tag above them.
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return undefined;
}

/** Refs name files under the git dir: nothing that climbs out of it. */
function isSafeRef(ref: string): boolean {
  return ref.startsWith('refs/') && !ref.split('/').some((s) => s === '..' || s === '.' || s === '') && !ref.includes('\\');
}

/** `[remote "origin"] url = …`, with credentials taken out (a token in an https URL must not land in a report). */
function originUrl(gitDir: string): string | undefined {
  let inOrigin = false;
  for (const raw of (read(path.join(gitDir, 'config')) ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*([^\]\s]+)(?:\s+"([^"]*)")?\s*\]/.exec(line);
    if (section) {
      inOrigin = section[1]!.toLowerCase() === 'remote' && section[2] === 'origin';
      continue;
    }
    const url = inOrigin ? /^url\s*=\s*(.+)$/i.exec(line)?.[1]?.trim() : undefined;
    if (url) return withoutCredentials(url.replace(/^"(.*)"$/, '$1'));
  }
  return undefined;
}

export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function statKind(p: string): 'dir' | 'file' | undefined {
  try {
    const st = statSync(p);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}
