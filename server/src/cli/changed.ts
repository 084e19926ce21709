import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CONFIG_FILE } from '../config/load';
import { governedFolder, isPolicyFile } from '../policy';
import { UsageError } from './files';

const run = promisify(execFile);

/**
 * Files that differ from `ref` in the git repository around `cwd`: committed
 * since, staged, unstaged and untracked (not ignored), as absolute paths,
 * deleted ones included (they still change what their module means). Git
 * runs without a shell, so the ref is never interpreted by one.
 */
export async function gitChangedFiles(ref: string, cwd: string): Promise<string[]> {
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--changed-since needs a git ref (a branch, tag or commit), not "${ref}"`);
  const git = async (args: string[], dir: string): Promise<string> => {
    try {
      return (await run('git', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })).stdout;
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') throw new UsageError('--changed-since needs git, and no git executable was found on the PATH');
      throw Object.assign(new Error(err.stderr?.trim() || err.message), { gitFailed: true });
    }
  };
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--changed-since needs a git repository, and ${cwd} is not in one (${(e as Error).message.split('\n')[0]})`);
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], top);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`unknown git ref for --changed-since: ${ref} (is the branch fetched? in CI a shallow clone may lack it: fetch it, e.g. git fetch origin ${ref})`);
  }
  const tracked = await git(['diff', '--name-only', '--no-renames', '-z', ref, '--'], top);
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], top);
  const names = [...tracked.split('\0'), ...untracked.split('\0')].filter(Boolean);
  return [...new Set(names.map((n) => path.join(top, n)))].sort();
}

const TERRAFORM_FILE = /\.tf$|\.tfvars$|\.tfvars\.json$/;

/**
 * The files of `candidates` (what the paths hold) that a change to `changed`
 * can affect: a changed file itself; for Terraform (`.tf`, `.tfvars`), every
 * candidate of its module directory, since rules read the module as a whole;
 * for a `.plumbline.yaml` or a policy file, every candidate of the folder it
 * governs. Files that no longer exist are not analysed.
 */
export function affectedFiles(candidates: readonly string[], changed: readonly string[]): string[] {
  const real = (p: string) => {
    try {
      return realpathSync.native(p);
    } catch {
      // A deleted file: resolve its folder instead.
      try {
        return path.join(realpathSync.native(path.dirname(p)), path.basename(p));
      } catch {
        return path.resolve(p);
      }
    }
  };
  const files = new Set<string>();
  const modules = new Set<string>();
  const governed: string[] = [];
  for (const c of changed.map(real)) {
    if (path.basename(c) === CONFIG_FILE) governed.push(path.dirname(c));
    else if (isPolicyFile(c)) governed.push(governedFolder(c));
    else if (TERRAFORM_FILE.test(c)) modules.add(path.dirname(c));
    files.add(c);
  }
  return candidates.filter((file) => {
    const r = real(file);
    return files.has(r) || (TERRAFORM_FILE.test(r) && modules.has(path.dirname(r))) || governed.some((dir) => r.startsWith(dir + path.sep));
  });
}
