import assert from 'node:assert/strict';
import { Rng } from '../../../../test/fuzz/prng';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { terraformOfLines } from '../../../../test/bench/generate';
import { prepareForGrammar } from './mask';
import { HclParser } from './parser';

// An edited document is prepared and parsed from its previous version (mask.ts
// restarts lexing near the edit, the syntax tree and unchanged blocks are
// reused). Whatever the edit, the result must be exactly what a parse from
// scratch gives. Random edits, biased towards the characters that change the
// lexer's state, check that; the seed makes a failure reproducible.

const SEED = Number(process.env.HCL_INCREMENTAL_SEED ?? 20261122);
const EDITS_PER_TEXT = 150;

/** The fuzzer's seeded generator, as a function. */
function random(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const PIECES = ['"', '{', '}', '[', ']', '(', ')', '#', '//', '/*', '*/', '<<EOT\n', '\nEOT\n', '${', '%{', '\\', '\n', '\r\n', ' = ', '=', 'x', '1e3', ' ', 'é', '😀'];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const roll = next();
  if (roll < 0.45) return text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(at);
  if (roll < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 6));
  // Delete or duplicate a whole line.
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end === -1 ? text.length : end + 1);
  return roll < 0.9 ? text.slice(0, start) + text.slice(start + line.length) : text.slice(0, start) + line + text.slice(start);
}

function corpus(): { name: string; text: string }[] {
  const fixtures = path.join(__dirname, '..', '..', 'rules', 'terraform');
  const picked = ['tf-required-tags', 'tf-allowed-regions', 'tf-aws-s3-versioning', 'tf-lifecycle-ignore-drift', 'tf-aws-iam-admin-wildcard'];
  const out = picked.flatMap((rule) => {
    const dir = path.join(fixtures, rule, 'fixtures');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => ({ name: `${rule}/${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
  });
  out.push({ name: 'generated 300 lines', text: terraformOfLines(300) });
  out.push({
    name: 'heredocs, comments, templates',
    text: [
      'locals {',
      '  policy = <<-EOT',
      '    {"a": "${var.x}"}',
      '    EOT',
      '  /* a comment { with braces',
      '     over lines */',
      '  name = "pre-%{ if var.on }on%{ endif }-${lower("X")}"',
      '  n = 1e3',
      '  empty =',
      '  bad = "unterminated',
      '}',
      '',
      'resource "aws_s3_bucket" "b" {',
      '  bucket = "b" # trailing',
      '}',
      '',
    ].join('\n'),
  });
  return out;
}

let parser: HclParser;
before(async () => {
  parser = await HclParser.create();
});

describe('incremental HCL preparation and parsing equal a parse from scratch', () => {
  for (const { name, text: initial } of corpus()) {
    it(name, () => {
      const next = random(SEED ^ [...name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
      const uri = `file:///incremental/${name.replace(/\W/g, '_')}.tf`;
      let text = initial;
      let prepared = { source: text, input: prepareForGrammar(text) };
      parser.parse(uri, text, true);
      for (let i = 0; i < EDITS_PER_TEXT; i++) {
        // Several edits between parses, as fast typing sends them.
        const steps = 1 + Math.floor(next() * 3);
        for (let s = 0; s < steps; s++) text = edit(text, next);
        const incremental = prepareForGrammar(text, prepared);
        const scratch = prepareForGrammar(text);
        assert.deepEqual(incremental, scratch, `preparation differs after edit ${i} (seed ${SEED})`);
        prepared = { source: text, input: incremental };
        const model = parser.parse(uri, text, true);
        const fresh = parser.parse(uri, text, false);
        assert.deepEqual(model, fresh, `model differs after edit ${i} (seed ${SEED})`);
      }
      parser.forget(uri);
    });
  }
});

describe('an edit within one line of one block rebuilds that block alone', () => {
  it('typing and deleting inside values of a large file: same model as from scratch, block rebuilt alone', () => {
    const next = random(SEED);
    const uri = 'file:///incremental/typing.tf';
    let text = terraformOfLines(600);
    parser.parse(uri, text, true);
    const before = { ...parser.stats };
    for (let i = 0; i < 200; i++) {
      // A position inside a quoted value: where someone types.
      const quotes = [...text.matchAll(/"[a-z-]+"/g)];
      const q = quotes[Math.floor(next() * quotes.length)]!;
      const at = q.index! + 1 + Math.floor(next() * (q[0].length - 2));
      text = next() < 0.6 ? text.slice(0, at) + 'abcxyz'[Math.floor(next() * 6)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      const model = parser.parse(uri, text, true);
      assert.deepEqual(model, parser.parse(uri, text, false), `model differs after edit ${i} (seed ${SEED})`);
    }
    parser.forget(uri);
    // Every edit stayed in a value: all but a few (an emptied value changes nothing else either) took the fast path.
    assert.ok(parser.stats.blockRebuilds - before.blockRebuilds >= 150, `${parser.stats.blockRebuilds - before.blockRebuilds} block rebuilds of 200`);
  });

  it('an edit that nests one value too deep gets "Nesting too deep", as from scratch (fuzz seed 14 threw here)', () => {
    const uri = 'file:///incremental/deep.tf';
    const text = terraformOfLines(60);
    parser.parse(uri, text, true);
    const at = text.indexOf('"', text.indexOf('  bucket = '));
    const deep = `${text.slice(0, at)}${'('.repeat(600)}1${')'.repeat(600)}${text.slice(text.indexOf('\n', at))}`;
    const model = parser.parse(uri, deep, true);
    assert.match(model.errors[0]?.message ?? '', /^Nesting too deep: /);
    assert.deepEqual(model, parser.parse(uri, deep, false));
    parser.forget(uri);
  });
});
