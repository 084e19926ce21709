import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { MAX_HCL_NESTING } from '../../server/src/parsers/hcl/build';
import { MAX_LINE_CHARS, MAX_TEXT_CHARS } from '../../server/src/parsers/limits';
import { MAX_YAML_ALIAS_EXPANSION, MAX_YAML_NESTING } from '../../server/src/parsers/yaml/parser';
import { runCli } from '../cliRun';
import { LspClient } from './client';

/**
 * Inputs built to hurt, each opened in a workspace next to a normal file.
 * The bound: every pathological file gets its diagnostics within BOUND_MS
 * (the 20 MB one, which first crosses the pipe and is parsed as JSON, within
 * BIG_BOUND_MS), and the normal file keeps its exact findings afterwards.
 */
const BOUND_MS = 5_000;
const BIG_BOUND_MS = 10_000;

const brief = (d: Diagnostic) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

const NORMAL_TF = 'resource "aws_ecr_repository" "images" {\n  name                 = "images"\n  image_tag_mutability = "MUTABLE"\n}\n';

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no diagnostics within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** 9 aliases of 9 aliases … of a 9-item list: 9^depth nodes once expanded. */
function billionLaughs(depth: number, leaf: string): string {
  let s = `x0: &a0 [${Array(9).fill(leaf).join(', ')}]\n`;
  for (let i = 1; i <= depth; i++) s += `x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return s;
}

describe('pathological inputs through the standalone server', () => {
  let client: LspClient;
  let root: string;
  const uriOf = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
  let normalBaseline: string[];
  let normalText = NORMAL_TF;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'plumbline-pathological-'));
    mkdirSync(path.join(root, 'infra'));
    mkdirSync(path.join(root, 'k8s'));
    // Files that are analysed go to a module of their own: a module-wide rule may move a finding between its files.
    mkdirSync(path.join(root, 'more'));
    mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(root, 'infra', 'main.tf'), NORMAL_TF);
    client = await LspClient.start(root);
    normalBaseline = (await client.open(uriOf('infra/main.tf'), NORMAL_TF)).map(brief);
    assert.ok(normalBaseline.includes('tf-aws-ecr-tag-immutability@2:25-2:34'), JSON.stringify(normalBaseline));
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Opens `rel` with `text`, requires its diagnostics within `bound`, then the normal file's exact findings again. */
  async function openBeside(rel: string, text: string, bound = BOUND_MS): Promise<Diagnostic[]> {
    const started = Date.now();
    const diagnostics = await within(client.open(uriOf(rel), text), bound, rel);
    const took = Date.now() - started;
    assert.ok(client.isRunning(), `the server still runs after ${rel}`);
    // The normal file (in the same module as the skipped .tf files) re-analysed after an edit.
    normalText = normalText.endsWith('\n\n') ? normalText.slice(0, -1) : `${normalText}\n`;
    const version = await client.change(uriOf('infra/main.tf'), [{ text: normalText }]);
    const normal = await within(client.diagnostics(uriOf('infra/main.tf'), version), BOUND_MS, 'the normal file');
    assert.deepEqual(normal.diagnostics.map(brief), normalBaseline, `the normal file's findings after ${rel} (which took ${took} ms)`);
    return diagnostics;
  }

  const only = (ds: Diagnostic[]) => {
    assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => `${brief(d)} ${d.message}`)));
    return ds[0]!;
  };

  it(`a 20 MB Terraform file beside the normal one: skipped with one diagnostic at the file start (bound ${BIG_BOUND_MS} ms)`, async () => {
    const block = (i: number) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "acme-${i}"\n}\n\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 20 * 1024 * 1024; i++) size += (parts[parts.length] = block(i)).length;
    const d = only(await openBeside('infra/big.tf', parts.join(''), BIG_BOUND_MS));
    assert.equal(brief(d), 'plumbline-parse-error@0:0-0:0');
    assert.match(String(d.message), /^Plumbline skipped this file: it holds 20\.0 million characters and files over 2 million are not analysed\. .*exclude:/);
  });

  it(`10,000 nested braces in Terraform: "nesting too deep" at the opener past ${MAX_HCL_NESTING} levels`, async () => {
    const depth = 10_000;
    const text = `locals {\n  x = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}\n}\n`;
    const d = only(await openBeside('infra/deep.tf', text));
    // `locals` is level 1 and each object one more: the first refused object opens at level MAX+1.
    const column = '  x = '.length + (MAX_HCL_NESTING - 1) * '{ a = '.length;
    assert.equal(brief(d), `plumbline-parse-error@1:${column}-1:${column + 1}`);
    assert.match(String(d.message), /^Nesting too deep: .* more than 500 levels, so Plumbline does not analyse this file\. Flatten/);
  });

  it('10,000 nested parentheses and index brackets: "nesting too deep", and the server goes on', async () => {
    // These levels once went uncounted: 5,000 of them overflowed the stack and ended the server.
    for (const [name, open, close] of [['parens', '(', ')'], ['index', 'x[', ']']] as const) {
      const text = `locals {\n  x = ${open.repeat(10_000)}1${close.repeat(10_000)}\n}\n`;
      const d = only(await openBeside(`infra/deep-${name}.tf`, text));
      assert.equal(d.code, 'plumbline-parse-error', name);
      assert.match(String(d.message), /^Nesting too deep: /, name);
    }
  });

  it('nesting below the limit is analysed as usual (no false alarm)', async () => {
    const depth = MAX_HCL_NESTING - 20;
    const text = `resource "aws_s3_bucket" "nested" {\n  bucket = "n"\n  tags = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}\n}\n`;
    const ds = await openBeside('more/nested.tf', text);
    assert.ok(!ds.some((d) => d.code === 'plumbline-parse-error'), JSON.stringify(ds.map(brief)));
    assert.ok(ds.some((d) => d.code === 'tf-aws-s3-versioning'), 'the bucket is still analysed');
  });

  it('10,000 nested YAML mappings (flow) in a manifest: one clear error, no crash', async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`;
    const d = only(await openBeside('k8s/deep-flow.yaml', text));
    assert.match(String(d.message), /^YAML syntax error: collections nested too deeply for the YAML parser, so Plumbline does not analyse this document\./);
  });

  it(`YAML block mappings nested ${MAX_YAML_NESTING + 100} deep: refused at the level past ${MAX_YAML_NESTING}`, async () => {
    const depth = MAX_YAML_NESTING + 100;
    const lines = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n${lines.map((l) => ` ${l}`).join('\n')} x\n`;
    const d = only(await openBeside('k8s/deep-block.yaml', text));
    assert.match(String(d.message), /^YAML collections nested more than 500 levels deep here, so Plumbline does not analyse this document\./);
    // The root is level 1 and data's mapping (line 5) level 2: level 501 is the value of k498, on line 504.
    assert.equal(d.range.start.line, 4 + MAX_YAML_NESTING, 'at the mapping that is one level too deep');
  });

  it(`a YAML bomb in a workflow (9^11 nodes once expanded; it used to hang the server): refused past ${MAX_YAML_ALIAS_EXPANSION} nodes`, async () => {
    const text = `on: push\n${billionLaughs(11, '{run: echo}')}jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps: *a11\n`;
    const d = only(await openBeside('.github/workflows/bomb.yml', text));
    assert.match(String(d.message), /^YAML aliases expand to more than 100,000 nodes in this document \(anchors aliasing anchors: a "billion laughs" pattern\)/);
    // &a0 holds 19 nodes, each level nine times the one below: the running total of
    // aliased nodes passes 100,000 among the aliases of &a4 (9 × 13,942), on line 5.
    assert.equal(d.range.start.line, 5, brief(d));
  });

  it('a YAML bomb in a Kubernetes manifest and a cyclic alias', async () => {
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  ${billionLaughs(9, '"lol"').trimEnd().split('\n').join('\n  ')}\n`;
    assert.match(String(only(await openBeside('k8s/bomb.yaml', bomb)).message), /^YAML aliases expand to more than 100,000 nodes/);
    const cycle = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cycle\n  labels: &l\n    self: *l\n';
    const ds = await openBeside('k8s/cycle.yaml', cycle);
    const error = ds.find((d) => d.code === 'plumbline-parse-error')!;
    assert.equal(brief(error), 'plumbline-parse-error@5:10-5:12');
    assert.match(String(error.message), /^YAML alias \*l points into the node that defines &l, an endless cycle; Plumbline ignores this alias\./);
  });

  it(`a single 1 MB line: skipped, the diagnostic at column ${MAX_LINE_CHARS} of that line`, async () => {
    const tf = `locals {\n  blob = "${'a'.repeat(1024 * 1024)}"\n}\n`;
    const d = only(await openBeside('infra/long.tf', tf));
    assert.equal(brief(d), `plumbline-parse-error@1:${MAX_LINE_CHARS}-1:${MAX_LINE_CHARS + 1}`);
    assert.match(String(d.message), /^Plumbline skipped this file: line 2 is 1,048,587 characters long and lines over 100,000 are not analysed/);
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  blob: "${'a'.repeat(1024 * 1024)}"\n`;
    const y = only(await openBeside('k8s/long.yaml', yaml));
    assert.equal(brief(y), `plumbline-parse-error@5:${MAX_LINE_CHARS}-5:${MAX_LINE_CHARS + 1}`, 'a manifest is recognised by its apiVersion and kind lines');
  });

  it('a file that is not text (NUL bytes) under a .tf and a .yml name: skipped at the first NUL', async () => {
    const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' + '\u0000\u00ff'.repeat(500);
    const d = only(await openBeside('infra/image.tf', png));
    assert.equal(brief(d), 'plumbline-parse-error@2:0-2:1', 'lines end at \\r\\n and \\n, as in LSP');
    assert.match(String(d.message), /^Plumbline skipped this file: it contains a NUL character, so it is binary/);
    const y = only(await openBeside('.github/workflows/image.yml', png));
    assert.match(String(y.message), /contains a NUL character/);
  });

  it('text that was invalid UTF-8 (decoded by the editor to U+FFFD) is analysed as usual', async () => {
    const text = 'resource "aws_ecr_repository" "r\ufffd" {\n  name = "caf\ufffd\ufffd"\n  image_tag_mutability = "MUTABLE"\n}\n';
    const ds = await openBeside('more/latin1.tf', text);
    assert.ok(ds.map(brief).includes('tf-aws-ecr-tag-immutability@2:25-2:34'), JSON.stringify(ds.map(brief)));
    assert.ok(!ds.some((d) => d.code === 'plumbline-parse-error'));
  });

  it(`the limits are as documented (docs/robustness.md)`, () => {
    assert.equal(MAX_TEXT_CHARS, 2 * 1024 * 1024);
    assert.equal(MAX_LINE_CHARS, 100_000);
    assert.equal(MAX_HCL_NESTING, 500);
    assert.equal(MAX_YAML_NESTING, 500);
    assert.equal(MAX_YAML_ALIAS_EXPANSION, 100_000);
  });
});

describe('pathological files on disk through plumbline check', () => {
  it('reads invalid UTF-8 as U+FFFD and analyses it, skips binary and over-long files with a message, and reports the rest', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cli-pathological-'));
    try {
      writeFileSync(path.join(dir, 'main.tf'), NORMAL_TF);
      // "café" in Latin-1 (0xE9 is not UTF-8 on its own), and a truncated UTF-8 sequence.
      // In a module of its own, so that module-wide findings land in it as in main.tf.
      mkdirSync(path.join(dir, 'latin1'));
      writeFileSync(path.join(dir, 'latin1', 'main.tf'), Buffer.concat([Buffer.from('resource "aws_ecr_repository" "latin1" {\n  name = "caf'), Buffer.from([0xe9, 0xc3]), Buffer.from('"\n  image_tag_mutability = "MUTABLE"\n}\n')]));
      writeFileSync(path.join(dir, 'image.tf'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
      writeFileSync(path.join(dir, 'deploy.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  blob: "${'a'.repeat(200_000)}"\n`);
      const started = Date.now();
      const { code, out } = await runCli(dir, ['check', '.', '--format', 'json']);
      assert.ok(Date.now() - started < BOUND_MS * 2, 'within the bound');
      const results = (JSON.parse(out) as { results: { ruleId: string; file: string; message: string; range: { start: { line: number; character: number } } }[] }).results;
      const at = (r: (typeof results)[number]) => `${r.file} ${r.ruleId}@${r.range.start.line}:${r.range.start.character}`;
      const of = (file: string) => results.filter((r) => r.file === file).map(at).map((s) => s.slice(file.length + 1));
      assert.deepEqual(of('deploy.yaml'), ['plumbline-parse-error@5:100000']);
      assert.match(results.find((r) => r.file === 'deploy.yaml')!.message, /^Plumbline skipped this file: line 6 is 200,010 characters long/);
      assert.deepEqual(of('image.tf'), ['plumbline-parse-error@2:0'], 'at the first NUL, after \\r\\n and \\n');
      assert.match(results.find((r) => r.file === 'image.tf')!.message, /contains a NUL character/);
      assert.ok(of('main.tf').includes('tf-aws-ecr-tag-immutability@2:25'));
      assert.deepEqual(of('latin1/main.tf'), of('main.tf'), 'the Latin-1 file gets the findings of its UTF-8 twin');
      assert.equal(code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
