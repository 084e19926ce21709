import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';

const REPO = path.resolve(__dirname, '..', '..', '..');

const run = (args: string[]) => runCli(REPO, args);

describe('plumbline check', () => {
  it('prints the architecture doc JSON shape for the examples, with paths relative to the current directory, and exits 1', async () => {
    const { code, out } = await run(['check', 'examples/', '--format', 'json']);
    assert.equal(code, 1);
    const json = JSON.parse(out) as { version: number; results: { ruleId: string; severity: string; message: string; file: string; range: unknown }[] };
    assert.equal(json.version, 1);
    assert.equal(json.results.length, 45);
    const ecr = json.results.find((r) => r.ruleId === 'tf-aws-ecr-tag-immutability')!;
    assert.deepEqual(Object.keys(ecr), ['ruleId', 'severity', 'message', 'file', 'range']);
    assert.equal(ecr.file, 'examples/terraform/registry.tf');
    assert.deepEqual(ecr.range, { start: { line: 11, character: 25 }, end: { line: 11, character: 34 } });
  });

  it('gives the same findings as the editor: one per example finding the LSP test pins', async () => {
    const { out } = await run(['check', 'examples/', '--format', 'json']);
    const byFile = new Map<string, number>();
    for (const r of (JSON.parse(out) as { results: { file: string }[] }).results) byFile.set(r.file, (byFile.get(r.file) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...byFile].sort()), {
      'examples/.github/workflows/deploy.yml': 6,
      'examples/.gitlab-ci.yml': 3,
      'examples/kubernetes/batch-scoring.yaml': 1,
      'examples/kubernetes/model-serving.yaml': 14,
      'examples/terraform/compute.tf': 1,
      'examples/terraform/registry.tf': 2,
      'examples/terraform/serving.tf': 1,
      'examples/terraform/storage.tf': 17,
    });
  });

  it('exits 0 when nothing reaches --fail-on, and never counts info', async () => {
    const critical = await run(['check', 'examples/kubernetes', '--fail-on', 'critical']);
    assert.equal(critical.code, 0, 'the Kubernetes examples have high findings but no critical one');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-'));
    // A tag from an undefined CI variable is only an info note.
    writeFileSync(path.join(dir, '.gitlab-ci.yml'), 'build:\n  image: registry.example.com/app:$CI_COMMIT_SHA\n  script: [make]\n');
    const info = await run(['check', dir, '--fail-on', 'info', '--format', 'json']);
    assert.deepEqual((JSON.parse(info.out) as { results: { severity: string }[] }).results.map((r) => r.severity), ['info']);
    assert.equal(info.code, 0);
  });

  it('honours .plumbline.yaml in the tree and --config, and reports a broken config without stopping', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-config-'));
    const ecr = 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n';
    writeFileSync(path.join(dir, 'main.tf'), ecr);
    const ids = (out: string) =>
      (JSON.parse(out) as { results: { ruleId: string; severity: string }[] }).results
        .filter((r) => r.ruleId !== 'tf-provider-version-pinned')
        .map((r) => `${r.ruleId} ${r.severity}`);
    const plain = await run(['check', dir, '--format', 'json']);
    assert.deepEqual(ids(plain.out), ['tf-aws-ecr-tag-immutability high']);
    writeFileSync(path.join(dir, '.plumbline.yaml'), 'rules:\n  tf-aws-ecr-tag-immutability:\n    severity: low\n');
    const tree = await run(['check', dir, '--format', 'json']);
    assert.deepEqual(ids(tree.out), ['tf-aws-ecr-tag-immutability low']);
    assert.equal(tree.code, 0, 'low does not reach --fail-on high');
    const extra = path.join(mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-base-')), 'base.yaml');
    writeFileSync(extra, 'rules:\n  tf-aws-ecr-tag-immutability:\n    enabled: false\n  no-such-rule: {}\n');
    const based = await run(['check', dir, '--format', 'json', '--config', extra]);
    assert.deepEqual(ids(based.out), ['plumbline-config medium'], 'the rule is off, and the unknown id is reported');
    const missing = await run(['check', dir, '--config', path.join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
  });

  it('prints file:line:column, severity, rule and message, then a summary', async () => {
    const { out } = await run(['check', 'examples/terraform']);
    assert.match(out, /^examples\/terraform\/registry\.tf:12:26 {2}high {6}tf-aws-ecr-tag-immutability {2}image_tag_mutability is "MUTABLE"/m);
    assert.match(out, /21 finding\(s\) in 7 file\(s\): 2 critical, 13 high, 4 medium, 2 info\.$/m);
  });

  it('exits 2 on a usage error and says what is wrong', async () => {
    for (const args of [['check', '--format', 'xml'], ['check', '--fail-on', 'severe'], ['check', 'no/such/path'], ['lint'], ['check', '--bogus']]) {
      const { code, err } = await run(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(err, /plumbline: |unknown command|Usage/, args.join(' '));
    }
  });

  it('the bundled dist/cli.js runs on its own', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', 'examples/terraform/registry.tf', '--format', 'json'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    const ids = (JSON.parse(r.stdout) as { results: { ruleId: string }[] }).results.map((x) => x.ruleId);
    assert.deepEqual(ids, ['tf-aws-ecr-scan-on-push', 'tf-aws-ecr-tag-immutability']);
  });
});
