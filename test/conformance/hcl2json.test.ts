import { parse } from '@cdktf/hcl2json';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { hclToJson } from '../../server/src/parsers/hcl/json';
import { HclParser } from '../../server/src/parsers/hcl/parser';

/**
 * Conformance: for every valid Terraform file of the corpus, our position-aware
 * model rendered to JSON must equal what `@cdktf/hcl2json` (HashiCorp's own HCL
 * parser compiled to wasm) produces. No file is excluded.
 *
 * Files named `*.crlf.tf` have CRLF line endings; `.gitattributes` marks them
 * `-text` so that git keeps them byte-exact.
 */
const CORPUS = path.join(__dirname, 'corpus');
const files = readdirSync(CORPUS)
  .filter((f) => /\.(tf|tfvars)$/.test(f))
  .sort();

describe('HCL model conforms to hcl2json', () => {
  let parser: HclParser;
  before(async () => {
    parser = await HclParser.create();
  });

  it('has a corpus of at least 40 files', () => {
    assert.ok(files.length >= 40, `only ${files.length} corpus files`);
  });

  it('keeps the CRLF files byte-exact', () => {
    const crlf = files.filter((f) => f.endsWith('.crlf.tf'));
    assert.ok(crlf.length >= 2, 'expected at least two *.crlf.tf files');
    for (const f of crlf) {
      const text = readFileSync(path.join(CORPUS, f), 'utf8');
      assert.ok(!/[^\r]\n/.test(text), `${f} has a line ending without CR (was it normalised by git?)`);
    }
  });

  for (const name of files) {
    it(name, async () => {
      const text = readFileSync(path.join(CORPUS, name), 'utf8');
      const ours = parser.parse(`file:///corpus/${name}`, text, false);
      assert.deepStrictEqual(ours.errors, [], 'our parser reports errors on a valid file');
      assert.deepStrictEqual(hclToJson(ours), await parse(name, text));
    });
  }
});
