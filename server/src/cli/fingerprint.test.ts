import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../../test/cliRun';
import { normaliseText } from './fingerprint';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** A private copy of examples/ to edit. */
function copyOfExamples(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-fp-'));
  cpSync(path.join(REPO, 'examples'), dir, { recursive: true });
  return dir;
}

type Result = { ruleId: string; file: string; fingerprint: string; range: { start: { line: number } } };

async function results(dir: string): Promise<Result[]> {
  const { out } = await runCli(dir, ['check', '--format', 'json']);
  return (JSON.parse(out) as { results: Result[] }).results;
}

const prints = (rs: Result[]) => rs.map((r) => `${r.file} ${r.ruleId} ${r.fingerprint}`).sort();

function edit(dir: string, file: string, change: (text: string) => string): void {
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = change(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  writeFileSync(p, after);
}

/** registry.tf's two resources in the other order. */
const swapRepositories = (t: string) => {
  const [a, b] = t.split(/\n(?=resource "aws_ecr_repository" "training")/);
  return `${b!.trimEnd()}\n\n${a!.trimEnd()}\n`;
};

describe('fingerprints', () => {
  it('normalise whitespace: collapsed runs, nothing beside punctuation', () => {
    assert.equal(normaliseText('image_tag_mutability    =   "MUTABLE"'), normaliseText('image_tag_mutability="MUTABLE"'));
    assert.equal(normaliseText('a\n    b'), 'a b');
    assert.notEqual(normaliseText('"MUTABLE"'), normaliseText('"IMMUTABLE"'));
  });

  it('survive moving blocks, reformatting, and unrelated blocks above; lines do move', async () => {
    const dir = copyOfExamples();
    const before = await results(dir);
    assert.equal(before.length, 45);
    edit(dir, 'terraform/registry.tf', swapRepositories);
    edit(dir, 'terraform/registry.tf', (t) => t.replace(/^ {2}/gm, '    ').replace(/ +=/g, ' =').replace(/= +/g, '= '));
    edit(dir, 'terraform/storage.tf', (t) => `locals {\n  unrelated = "block above"\n}\n\n${t}`);
    // A step inserted above the others: steps are known by their uses:, not their position.
    edit(dir, '.github/workflows/deploy.yml', (t) => t.replace('    steps:\n      - uses: actions/checkout@v4', '    steps:\n      - name: say hello\n        run: echo hello\n      - uses: actions/checkout@v4'));
    // YAML: the two documents of model-serving.yaml swapped, every file re-indented by 4.
    edit(dir, 'kubernetes/model-serving.yaml', (t) => {
      const [a, b] = t.split(/^---\n/m);
      return `${b!.trimEnd()}\n---\n${a!.trimEnd()}\n`;
    });
    for (const f of ['kubernetes/model-serving.yaml', 'kubernetes/batch-scoring.yaml', '.github/workflows/deploy.yml', '.gitlab-ci.yml'])
      edit(dir, f, (t) => parseAllDocuments(t).map((d) => d.toString({ indent: 4, indentSeq: true })).join(''));
    const after = await results(dir);
    assert.deepEqual(prints(after), prints(before));
    const line = (rs: Result[], file: string) => rs.filter((r) => r.file === file).map((r) => r.range.start.line).sort().join(',');
    assert.notEqual(line(after, 'terraform/storage.tf'), line(before, 'terraform/storage.tf'), 'the findings did move');
    assert.notEqual(line(after, 'kubernetes/model-serving.yaml'), line(before, 'kubernetes/model-serving.yaml'), 'the findings did move');
  });

  it('change when the offending value changes, and only for that finding', async () => {
    const dir = copyOfExamples();
    const before = await results(dir);
    edit(dir, 'terraform/registry.tf', (t) => t.replace('image_tag_mutability = "MUTABLE"', 'image_tag_mutability = "MUTABLE_WITH_EXCLUSION"'));
    const after = await results(dir);
    const gone = prints(before).filter((p) => !prints(after).includes(p));
    const added = prints(after).filter((p) => !prints(before).includes(p));
    assert.deepEqual(gone.map((p) => p.split(' ').slice(0, 2).join(' ')), ['terraform/registry.tf tf-aws-ecr-tag-immutability']);
    assert.deepEqual(added.map((p) => p.split(' ').slice(0, 2).join(' ')), ['terraform/registry.tf tf-aws-ecr-tag-immutability']);
  });

  it('differ for duplicates (occurrence index) and depend on the file path', async () => {
    const dir = copyOfExamples();
    edit(dir, 'terraform/registry.tf', (t) => `${t}\nresource "aws_ecr_repository" "training" {\n  image_tag_mutability = "MUTABLE"\n}\n`);
    const rs = (await results(dir)).filter((r) => r.ruleId === 'tf-aws-ecr-tag-immutability');
    assert.equal(rs.length, 2);
    assert.notEqual(rs[0]!.fingerprint, rs[1]!.fingerprint);
    const all = await results(dir);
    assert.equal(new Set(all.map((r) => r.fingerprint)).size, all.length);
  });
});
