import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { HclAttribute, HclBlock, HclBody, HclExpr, HclFile, HclObject } from '../../model/hcl';
import type { Range } from '../../model/location';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HclParser, PARSE_BUDGET_MS } from './parser';

/** A range from 0-based line/character pairs, as LSP counts them (UTF-16 units). */
function r(l1: number, c1: number, l2: number, c2: number): Range {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

function attr(body: HclBody, name: string): HclAttribute {
  const a = body.attributes.find((x) => x.name === name);
  assert.ok(a, `attribute ${name} not found; have ${body.attributes.map((x) => x.name).join(', ')}`);
  return a;
}

function block(file: HclFile, ...labels: string[]): HclBlock {
  const b = file.body.blocks.find((x) => x.labels.map((l) => l.value).join('/') === labels.join('/'));
  assert.ok(b, `block ${labels.join('/')} not found`);
  return b;
}

function object(e: HclExpr): HclObject {
  assert.equal(e.type, 'object');
  return e as HclObject;
}

let parser: HclParser;
before(async () => {
  parser = await HclParser.create();
});
const parse = (text: string, uri = 'file:///main.tf') => parser.parse(uri, text, false);

describe('HCL parser: ranges', () => {
  const text = [
    'resource "aws_s3_bucket" "data" {', // 0
    '  bucket = "ml-data"', //              1
    '  tags = {', //                        2
    '    Name  = "data"', //                3
    '    "cost-center" = "cc-1"', //        4
    '  }', //                               5
    '}', //                                 6
    '',
  ].join('\n');

  it('gives the block its whole range and a header range of type and labels', () => {
    const b = block(parse(text), 'aws_s3_bucket', 'data');
    assert.equal(b.type, 'resource');
    assert.deepEqual(b.range, r(0, 0, 6, 1));
    assert.deepEqual(b.headerRange, r(0, 0, 0, 31));
    assert.deepEqual(
      b.labels.map((l) => l.range),
      [r(0, 9, 0, 24), r(0, 25, 0, 31)],
    );
    assert.equal(b.hasError, false);
  });

  it('gives an attribute its key range, its value range, and both together', () => {
    const a = attr(block(parse(text), 'aws_s3_bucket', 'data').body, 'bucket');
    assert.deepEqual(a.keyRange, r(1, 2, 1, 8));
    assert.deepEqual(a.expr.range, r(1, 11, 1, 20));
    assert.deepEqual(a.range, r(1, 2, 1, 20));
    assert.deepEqual(a.expr, { type: 'literal', range: r(1, 11, 1, 20), source: '"ml-data"', value: 'ml-data' });
  });

  it('gives each object key inside tags = {…} its own range', () => {
    const tags = attr(block(parse(text), 'aws_s3_bucket', 'data').body, 'tags');
    assert.deepEqual(tags.expr.range, r(2, 9, 5, 3));
    const items = object(tags.expr).items;
    assert.deepEqual(
      items.map((i) => [i.key, i.keyRange, i.value.range, i.range]),
      [
        ['Name', r(3, 4, 3, 8), r(3, 12, 3, 18), r(3, 4, 3, 18)],
        ['cost-center', r(4, 4, 4, 17), r(4, 20, 4, 26), r(4, 4, 4, 26)],
      ],
    );
  });

  it('counts characters in UTF-16 units after accents and an emoji', () => {
    const file = parse(['locals {', '  labels = { "é" = "🚀", après = 1 }', '}', ''].join('\n'));
    const labels = object(attr(file.body.blocks[0]!.body, 'labels').expr);
    // "🚀" is two UTF-16 units: everything after it on the line shifts by two.
    assert.deepEqual(
      labels.items.map((i) => [i.key, i.keyRange, i.value.range]),
      [
        ['é', r(1, 13, 1, 16), r(1, 19, 1, 23)],
        ['après', r(1, 25, 1, 30), r(1, 33, 1, 34)],
      ],
    );
    assert.deepEqual(labels.range, r(1, 11, 1, 36));
    assert.equal(labels.items[0]!.value.type === 'literal' && labels.items[0]!.value.value, '🚀');
  });

  it('handles CRLF line endings', () => {
    const file = parse('locals {\r\n  a = 1\r\n  b = "x"\r\n  c = <<EOT\r\nline\r\nEOT\r\n}\r\n');
    assert.deepEqual(file.errors, []);
    const body = file.body.blocks[0]!.body;
    assert.deepEqual(attr(body, 'b').keyRange, r(2, 2, 2, 3));
    assert.deepEqual(attr(body, 'b').expr.range, r(2, 6, 2, 9));
    assert.deepEqual(attr(body, 'c').expr.range, r(3, 6, 5, 3));
    assert.equal(literalValue(attr(body, 'c').expr), 'line\r\n');
    assert.deepEqual(file.body.blocks[0]!.range, r(0, 0, 6, 1));
  });

  it('collects comments of all three kinds with their ranges', () => {
    const file = parse('# one\nlocals { // two\n  a = 1 /* three */\n}\n');
    assert.deepEqual(
      file.comments.map((c) => [c.text, c.range]),
      [
        ['# one', r(0, 0, 0, 5)],
        ['// two', r(1, 9, 1, 15)],
        ['/* three */', r(2, 8, 2, 19)],
      ],
    );
  });
});

describe('HCL parser: values', () => {
  it('keeps whitespace at the edges of strings', () => {
    const body = parse('a = " | "\nb = "  ${x}  "\n').body;
    assert.equal(literalValue(attr(body, 'a').expr), ' | ');
    const b = attr(body, 'b').expr;
    assert.equal(b.type, 'template');
    assert.deepEqual(b.type === 'template' && b.parts.map((p) => (p.kind === 'literal' ? p.value : p.kind)), ['  ', 'interpolation', '  ']);
  });

  it('reads numbers with an exponent but no fraction, which the grammar alone rejects', () => {
    const file = parse('a = 1e3\nb = 2E-2\nc = [1e3, 2]\n');
    assert.deepEqual(file.errors, []);
    assert.deepEqual(attr(file.body, 'a').expr, { type: 'literal', range: r(0, 4, 0, 7), source: '1e3', value: 1000 });
    assert.equal(literalValue(attr(file.body, 'b').expr), 0.02);
    const c = attr(file.body, 'c').expr;
    assert.deepEqual(c.type === 'tuple' && c.items.map((i) => i.source), ['1e3', '2']);
  });

  it('gives a plain heredoc its exact text and range', () => {
    const text = 'locals {\n  policy = <<EOT\n{\n  "a": "$${b}"\n}\nEOT\n}\n';
    const a = attr(parse(text).body.blocks[0]!.body, 'policy');
    assert.equal(literalValue(a.expr), '{\n  "a": "${b}"\n}\n');
    assert.deepEqual(a.expr.range, r(1, 11, 5, 3));
  });

  it('strips the common indentation of a <<- heredoc, keeping interpolations as parts', () => {
    const text = ['x = <<-EOT', '    hello ${var.name}', '      indented', '    EOT', ''].join('\n');
    const e = attr(parse(text).body, 'x').expr;
    assert.equal(e.type, 'template');
    if (e.type !== 'template') return;
    assert.deepEqual(
      e.parts.map((p) => (p.kind === 'literal' ? p.value : p.kind === 'interpolation' ? p.expr.source : p.kind)),
      ['hello ', 'var.name', '\n  indented\n'],
    );
    const interp = e.parts[1]!;
    assert.deepEqual(interp.kind === 'interpolation' && interp.expr.range, r(1, 12, 1, 20));
  });

  it('applies strip markers to the literal next to them only, as HCL does', () => {
    const text = ['x = <<EOT', '%{ for h in hosts ~}', '  ${h}', '%{~ endfor }', 'EOT', ''].join('\n');
    const e = attr(parse(text).body, 'x').expr;
    assert.equal(e.type, 'template');
    if (e.type !== 'template') return;
    const loop = e.parts[0]!;
    assert.equal(loop.kind, 'for');
    if (loop.kind !== 'for') return;
    // `~}` removes the newline after the directive, not the next line's indent.
    assert.deepEqual(
      loop.body.map((p) => (p.kind === 'literal' ? p.value : p.kind)),
      ['  ', 'interpolation'],
    );
    assert.deepEqual(e.parts.slice(1), [{ kind: 'literal', value: '\n' }]);
  });
});

describe('HCL parser: syntax errors', () => {
  it('reports a half-typed attribute once, at the attribute, and keeps the rest', () => {
    const text = [
      'resource "aws_s3_bucket" "a" {',
      '  bucket = "a"',
      '  acl = ',
      '  force_destroy = true',
      '}',
      '',
      'resource "aws_s3_bucket" "b" {',
      '  bucket = "b"',
      '}',
      '',
    ].join('\n');
    const file = parse(text);
    assert.equal(file.errors.length, 1);
    assert.deepEqual(file.errors[0]!.range, r(2, 2, 2, 7));
    assert.match(file.errors[0]!.message, /"acl" has no value/);
    const a = block(file, 'aws_s3_bucket', 'a');
    assert.deepEqual(
      a.body.attributes.map((x) => [x.name, x.expr.source]),
      [
        ['bucket', '"a"'],
        ['force_destroy', 'true'],
      ],
    );
    assert.equal(a.hasError, true);
    assert.equal(block(file, 'aws_s3_bucket', 'b').hasError, false);
    assert.equal(literalValue(attr(block(file, 'aws_s3_bucket', 'b').body, 'bucket').expr), 'b');
  });

  it('reports a block left open at the end once, at its header, and keeps the blocks', () => {
    const text = ['resource "aws_s3_bucket" "a" {', '  bucket = "a"', '}', '', 'resource "aws_s3_bucket" "b" {', '  bucket = "b"', ''].join('\n');
    const file = parse(text);
    assert.equal(file.errors.length, 1);
    assert.deepEqual(file.errors[0]!.range, r(4, 0, 4, 30));
    assert.match(file.errors[0]!.message, /not closed/);
    assert.equal(literalValue(attr(block(file, 'aws_s3_bucket', 'a').body, 'bucket').expr), 'a');
    assert.equal(literalValue(attr(block(file, 'aws_s3_bucket', 'b').body, 'bucket').expr), 'b');
  });

  it('reports an unterminated string once, at the string, and keeps the rest', () => {
    const text = [
      'resource "aws_s3_bucket" "a" {',
      '  bucket = "a',
      '  acl = "private"',
      '}',
      '',
      'resource "aws_s3_bucket" "b" {',
      '  bucket = "b"',
      '}',
      '',
    ].join('\n');
    const file = parse(text);
    assert.equal(file.errors.length, 1);
    assert.deepEqual(file.errors[0]!.range, r(1, 11, 1, 13));
    assert.match(file.errors[0]!.message, /string is not closed/);
    assert.equal(literalValue(attr(block(file, 'aws_s3_bucket', 'a').body, 'acl').expr), 'private');
    assert.equal(literalValue(attr(block(file, 'aws_s3_bucket', 'b').body, 'bucket').expr), 'b');
  });

  it('reports nothing for a valid file', () => {
    assert.deepEqual(parse('a = "x # not a comment"\nb = <<EOT\nc =\nEOT\n').errors, []);
  });
});

describe('HCL parser: incremental re-parse', () => {
  it('yields the same model as a fresh parse after each of several edits', () => {
    const uri = 'file:///edited.tf';
    const versions = [
      'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n',
      // add an attribute
      'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n  tags = { Team = "ml" }\n}\n',
      // type a new block, half done
      'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n  tags = { Team = "ml" }\n}\n\nlocals {\n  x = \n',
      // finish it, with non-ASCII text
      'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n  tags = { Team = "ml", Note = "équipe 🚀" }\n}\n\nlocals {\n  x = "${var.y}-1e3"\n}\n',
      // delete a line in the middle
      'resource "aws_s3_bucket" "a" {\n  tags = { Team = "ml", Note = "équipe 🚀" }\n}\n\nlocals {\n  x = "${var.y}-1e3"\n}\n',
      // open a string without closing it, then close it
      'resource "aws_s3_bucket" "a" {\n  tags = { Team = "ml", Note = "équipe 🚀" }\n  acl = "pri\n}\n\nlocals {\n  x = "${var.y}-1e3"\n}\n',
      'resource "aws_s3_bucket" "a" {\n  tags = { Team = "ml", Note = "équipe 🚀" }\n  acl = "private"\n}\n\nlocals {\n  x = "${var.y}-1e3"\n  n = 1e3\n}\n',
    ];
    const incremental = new Map<string, HclFile>();
    for (const [i, text] of versions.entries()) {
      const edited = parser.parse(uri, text, true);
      incremental.set(text, edited);
      assert.deepStrictEqual(edited, parser.parse(uri, text, false), `version ${i} differs`);
    }
    parser.forget(uri);
    assert.equal(incremental.size, versions.length);
  });
});

function literalValue(e: HclExpr): unknown {
  assert.equal(e.type, 'literal', `expected a literal, got ${e.type}: ${e.source}`);
  return e.type === 'literal' ? e.value : undefined;
}

describe('re-use of unchanged blocks after an edit', () => {
  const blocks = (n: number) =>
    Array.from({ length: n }, (_, i) => `# block ${i}\nresource "aws_s3_bucket" "b${i}" {\n  bucket = "data-${i}" # name\n  tags   = { n = ${i} }\n}\n`).join('\n');

  it('gives the same model as a fresh parse, for edits inside a block, above blocks and that add or remove lines', async () => {
    const parser = await HclParser.create();
    const fresh = await HclParser.create();
    const uri = 'file:///reuse.tf';
    let text = blocks(6);
    parser.parse(uri, text);
    const edits: ((t: string) => string)[] = [
      (t) => t.replace('"data-2"', '"data-2x"'), // inside one block, same length of lines
      (t) => `locals {\n  a = 1\n}\n\n${t}`, // lines added above every block
      (t) => t.replace('  tags   = { n = 3 }\n', ''), // a line removed in the middle
      (t) => t.replace('# block 4\n', '# block 4\n# another comment\n'), // a comment line between blocks
      (t) => t.replace('resource "aws_s3_bucket" "b5" {', '  resource "aws_s3_bucket" "b5" {'), // a block moved sideways
    ];
    for (const edit of edits) {
      text = edit(text);
      const incremental = parser.parse(uri, text);
      const reference = fresh.parse('file:///reuse.tf', text, false);
      assert.deepEqual(incremental, reference);
    }
  });

  it('keeps the very same block object when neither its text nor its position changed', async () => {
    const parser = await HclParser.create();
    const uri = 'file:///same.tf';
    const text = blocks(3);
    const first = parser.parse(uri, text);
    const second = parser.parse(uri, text.replace('"data-0"', '"data-00"'));
    assert.notEqual(second.body.blocks[0], first.body.blocks[0], 'the edited block is rebuilt');
    assert.equal(second.body.blocks[2], first.body.blocks[2], 'an untouched block is re-used');
  });
});

describe('a parse that would take too long', () => {
  it('is cancelled after the time budget with a clear error, and the next text parses normally', async () => {
    // Found by the fuzzer: tree-sitter's error recovery spends seconds on this malformed text.
    const slow = readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'pathological', 'slow-recovery.tf'), 'utf8');
    const uri = 'file:///slow.tf';
    const started = Date.now();
    const file = parser.parse(uri, slow);
    assert.ok(Date.now() - started < 10_000, 'answered within the hang bound');
    const error = file.errors[0];
    assert.ok(error, 'the file reports a problem');
    // On a machine fast enough to finish inside the budget, the parse error is the grammar's own.
    if (error.message.startsWith('Plumbline stopped parsing')) {
      assert.match(error.message, new RegExp(`after ${PARSE_BUDGET_MS / 1000} s: .*Fix the syntax errors, starting here`));
      assert.deepEqual(error.range.start, { line: 0, character: 9 }, 'at the unclosed string of line 1');
    }
    const next = parser.parse(uri, 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n');
    assert.deepEqual(next.errors, []);
    assert.equal(next.body.blocks.length, 1);
  });
});
