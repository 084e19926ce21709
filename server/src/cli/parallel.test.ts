import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateWorkspace } from '../../../test/bench/workspace';
import { collectFiles } from './files';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService } from '../service/languageService';
import { ANALYSIS_FAILURE_ID } from '../engine/finding';
import { checkParallel, checkUnit, mergeReports, partition } from './parallel';
import { check, type Report } from './report';

const REPO = path.resolve(__dirname, '..', '..', '..');

describe('checkParallel', () => {
  let tree: string;
  before(() => {
    tree = mkdtempSync(path.join(os.tmpdir(), 'plumbline-parallel-'));
    const stats = generateWorkspace(tree, { terraformFiles: 90, yamlFiles: 90 });
    // A manifest inside a Terraform module that sorts before its .tf files: its batch finishes after the
    // module's unit, so only sorting the merged findings puts them in check's order.
    writeFileSync(path.join(path.dirname(stats.sampleTerraform), 'a-pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n');
  });
  after(() => rmSync(tree, { recursive: true, force: true }));

  for (const workers of [1, 3]) {
    it(`gives the report check gives on examples/, with ${workers} worker${workers > 1 ? 's' : ''}`, async () => {
      const files = collectFiles([path.join(REPO, 'examples')]);
      const roots = [REPO, path.join(REPO, 'examples')];
      const expected = await check(files, roots, REPO);
      assert.ok(expected.findings.length > 40, 'the examples have findings to compare');
      assert.deepEqual(await checkParallel(files, roots, REPO, undefined, { workers }), expected);
    });

    it(`gives the report check gives on a generated tree of modules, tfvars and YAML, with ${workers} worker${workers > 1 ? 's' : ''}`, async () => {
      const files = collectFiles([tree]);
      const expected = await check(files, [tree], tree);
      assert.ok(expected.findings.length > 100 && expected.suppressed !== undefined);
      // Findings of one file from several rules, and of several files of one module: the order is what is compared.
      assert.ok(new Set(expected.findings.map((f) => f.file)).size > 50);
      assert.deepEqual(await checkParallel(files, [tree], tree, undefined, { workers }), expected);
    });
  }

  it('reports the problems of a --config file outside the checked paths once, first, as check does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-parallel-config-'));
    try {
      const config = path.join(dir, 'base.yaml');
      writeFileSync(config, 'rules:\n  no-such-rule:\n    severity: low\n');
      const files = collectFiles([tree]).slice(0, 40);
      const expected = await check(files, [tree], tree, config);
      assert.equal(expected.findings[0]!.ruleId, 'plumbline-config');
      const actual = await checkParallel(files, [tree], tree, config, { workers: 2 });
      assert.deepEqual(actual, expected);
      assert.equal(actual.findings.filter((f) => f.ruleId === 'plumbline-config').length, expected.findings.filter((f) => f.ruleId === 'plumbline-config').length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calls onReport once per unit as each finishes, and the partial reports add up to the whole', async () => {
    const files = collectFiles([tree]);
    const partials: Report[] = [];
    const merged = await checkParallel(files, [tree], tree, undefined, { workers: 2, onReport: (r) => partials.push(r) });
    const units = partition(files);
    assert.equal(partials.length, units.length);
    assert.ok(units.some((u) => u.kind === 'module' && u.files.length > 5), 'a module is one unit');
    assert.equal(partials.reduce((n, r) => n + r.fileCount, 0), files.length);
    assert.equal(partials.reduce((n, r) => n + r.findings.length, 0), merged.findings.length);
  });

  it('records a unit whose analysis throws as a failure: a batch file by file, a module on its first file', async () => {
    // A disk that fails on two files, as an unreadable mount would: the analysis itself throws, not a rule.
    const files: Record<string, string> = {
      '/r/a/main.tf': 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n',
      '/r/a/vars.tf': 'variable "x" {}\n',
      '/r/k/bad.yaml': 'apiVersion: v1\nkind: Pod\n',
      '/r/k/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n',
    };
    const memory = memoryFileSystem(files);
    const broken = new Set(['/r/a/vars.tf', '/r/k/bad.yaml']);
    const fs = { ...memory, readFile: (p: string) => (broken.has(p) ? raise(new Error(`EIO: i/o error, read ${p}`)) : memory.readFile(p)) };
    const service = await LanguageService.create({ fs, roots: ['/r'] });
    const module = checkUnit(service, { kind: 'module', files: ['/r/a/main.tf', '/r/a/vars.tf'] }, '/r');
    assert.deepEqual(module.failures.map((f) => [f.ruleId, f.file]), [[ANALYSIS_FAILURE_ID, 'a/main.tf']]);
    assert.match(module.failures[0]!.error, /^analysing the Terraform module a failed: Error: EIO: i\/o error, read \/r\/a\/vars\.tf/);
    assert.equal(module.fileCount, 2);
    const batch = checkUnit(service, { kind: 'files', files: ['/r/k/bad.yaml', '/r/k/pod.yaml'] }, '/r');
    assert.deepEqual(batch.failures.map((f) => [f.ruleId, f.file]), [[ANALYSIS_FAILURE_ID, 'k/bad.yaml']]);
    assert.equal(batch.fileCount, 2);
    assert.ok(batch.findings.length > 0 && batch.findings.every((f) => f.file === 'k/pod.yaml'), 'the other file of the batch is still reported');
  });

  it('keeps one failure per rule and error, on the first file, and every analysis failure', () => {
    const part = (failures: Report['failures']): Report => ({ fileCount: 1, findings: [], suppressed: [], failures });
    const merged = mergeReports(
      [
        part([{ ruleId: 'r1', error: 'boom', file: 'b.tf' }, { ruleId: ANALYSIS_FAILURE_ID, error: 'x', file: 'b.tf' }]),
        part([{ ruleId: 'r1', error: 'boom', file: 'a.tf' }, { ruleId: ANALYSIS_FAILURE_ID, error: 'x', file: 'a.tf' }]),
      ],
      ['/r/a.tf', '/r/b.tf'],
      '/r',
    );
    assert.deepEqual(
      merged.failures.map((f) => `${f.ruleId} ${f.file}`),
      ['r1 a.tf', `${ANALYSIS_FAILURE_ID} a.tf`, `${ANALYSIS_FAILURE_ID} b.tf`],
    );
    assert.equal(merged.fileCount, 2);
  });

  it('puts a module in one unit and other files in small batches, every file once', () => {
    const files = ['/r/a/main.tf', '/r/a/terraform.tfvars', '/r/a/vars.tf', '/r/b/main.tf', ...Array.from({ length: 10 }, (_, i) => `/r/k/${i}.yaml`)];
    const units = partition(files, '/elsewhere/base.yaml');
    assert.deepEqual(
      units.filter((u) => u.kind === 'module'),
      [
        { kind: 'module', files: ['/r/a/main.tf', '/r/a/vars.tf'] },
        { kind: 'module', files: ['/r/b/main.tf'] },
      ],
    );
    assert.deepEqual(units.at(-1), { kind: 'config', files: [] });
    assert.deepEqual(units.flatMap((u) => u.files).sort(), [...files].sort());
    assert.ok(units.filter((u) => u.kind === 'files').every((u) => u.files.length <= 8));
    assert.equal(partition(files, '/r/k/0.yaml').at(-1)!.kind, 'files', 'a config file among the checked ones is analysed, not reported apart');
  });

  it('refuses a worker count below 1', async () => {
    await assert.rejects(checkParallel([], [], REPO, undefined, { workers: 0 }), /workers must be a whole number of at least 1, not 0/);
  });
});

function raise(e: Error): never {
  throw e;
}
