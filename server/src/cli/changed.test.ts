import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';

const ECR_OK = 'resource "aws_ecr_repository" "ok" {\n  image_tag_mutability = "IMMUTABLE"\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n';
const ECR_BAD = 'resource "aws_ecr_repository" "bad" {\n  image_tag_mutability = "MUTABLE"\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: team\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n';

/** A repository with one commit: two modules, a manifest folder with its own config. Git identity set in the repository only. */
function repo(): { dir: string; git: (...args: string[]) => string; write: (file: string, text: string) => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-changed-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Plumbline Test');
  git('config', 'user.email', 'test@plumbline.invalid');
  git('config', 'commit.gpgsign', 'false');
  write('net/main.tf', ECR_OK);
  write('net/other.tf', ECR_BAD);
  write('app/main.tf', ECR_BAD);
  write('k8s/pod.yaml', POD);
  write('k8s/other.yaml', POD.replace('name: p', 'name: q'));
  git('add', '-A');
  git('commit', '--quiet', '-m', 'initial');
  return { dir, git, write };
}

const filesOf = (out: string) =>
  [...new Set((JSON.parse(out) as { results: { file: string; ruleId: string }[] }).results.filter((r) => r.ruleId !== 'tf-provider-version-pinned').map((r) => r.file))].sort();

describe('plumbline check --changed-since', () => {
  it('nothing changed: no file analysed, exit 0', async () => {
    const { dir } = repo();
    const r = await runCli(dir, ['check', '--changed-since', 'HEAD']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /No findings in 0 file\(s\)\./);
  });

  it('an uncommitted .tf change brings in its whole module, and nothing else', async () => {
    const { dir, write } = repo();
    write('net/main.tf', `${ECR_OK}# touched\n`);
    const r = await runCli(dir, ['check', '--changed-since', 'HEAD', '--format', 'json']);
    assert.deepEqual(filesOf(r.out), ['net/other.tf'], 'the unchanged file of the same module is analysed; app/ is not');
    assert.match((await runCli(dir, ['check', '--changed-since', 'HEAD'])).out, /in 2 file\(s\)/);
  });

  it('committed changes since a ref, staged and untracked files count; deleted files are dropped', async () => {
    const { dir, git, write } = repo();
    git('tag', 'base');
    write('app/main.tf', `${ECR_BAD}# edited\n`);
    git('commit', '--quiet', '-am', 'edit app');
    write('k8s/new.yaml', POD.replace('name: p', 'name: n'));
    rmSync(path.join(dir, 'k8s', 'other.yaml'));
    write('k8s/pod.yaml', `${POD}# staged\n`);
    git('add', 'k8s/pod.yaml');
    const r = await runCli(dir, ['check', '--changed-since', 'base', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.deepEqual(filesOf(r.out), ['app/main.tf', 'k8s/new.yaml', 'k8s/pod.yaml']);
  });

  it('a changed .plumbline.yaml brings in every file it governs', async () => {
    const { dir, write } = repo();
    write('k8s/.plumbline.yaml', 'rules:\n  k8s-image-no-latest:\n    severity: low\n');
    const r = await runCli(dir, ['check', '--changed-since', 'HEAD', '--format', 'json']);
    assert.deepEqual(filesOf(r.out), ['k8s/other.yaml', 'k8s/pod.yaml']);
  });

  it('paths still limit what is analysed', async () => {
    const { dir, write } = repo();
    write('net/main.tf', `${ECR_OK}# touched\n`);
    write('app/main.tf', `${ECR_BAD}# touched\n`);
    const r = await runCli(dir, ['check', 'app', '--changed-since', 'HEAD', '--format', 'json']);
    assert.deepEqual(filesOf(r.out), ['app/main.tf']);
  });

  it('an unknown ref or a folder outside git is a usage error (exit 2) with a clear message', async () => {
    const { dir } = repo();
    const unknown = await runCli(dir, ['check', '--changed-since', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown git ref for --changed-since: no-such-branch/);
    const dash = await runCli(dir, ['check', '--changed-since=--output=x']);
    assert.equal(dash.code, 2);
    assert.match(dash.err, /needs a git ref/);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'plumbline-nogit-'));
    writeFileSync(path.join(plain, 'main.tf'), ECR_BAD);
    const outside = await runCli(plain, ['check', '--changed-since', 'HEAD'], { GIT_CEILING_DIRECTORIES: path.dirname(plain) });
    assert.equal(outside.code, 2);
    assert.match(outside.err, /needs a git repository, and .* is not in one/);
  });
});
