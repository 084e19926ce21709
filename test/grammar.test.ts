import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

// The suppression injection grammar: contributed in package.json, and its
// patterns (Oniguruma syntax that JavaScript shares here) find each part of a directive.
const ROOT = path.join(__dirname, '..');
const grammar = JSON.parse(readFileSync(path.join(ROOT, 'syntaxes', 'suppression.injection.tmLanguage.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('suppression directive grammar', () => {
  it('is contributed as an injection into HCL/Terraform and YAML', () => {
    const entry = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === grammar.scopeName);
    assert.ok(entry, 'package.json contributes the grammar');
    assert.equal(path.normalize(path.join(ROOT, entry.path)), path.join(ROOT, 'syntaxes', 'suppression.injection.tmLanguage.json'));
    for (const scope of ['source.terraform', 'source.hcl', 'source.yaml']) assert.ok(entry.injectTo.includes(scope), scope);
    assert.match(grammar.injectionSelector, /comment/);
  });

  it('matches the keyword, the rule ids, the reason and the date of a directive', () => {
    const line = '# plumbline:ignore tf-aws-s3-object-lock,tf-aws-s3-versioning reason="legacy bucket; GOV-142" expires=2027-03-31';
    const repo = grammar.repository;
    const re = (src: string) => new RegExp(src.replace(/\\h/g, '[0-9a-fA-F]'));
    assert.equal(re(repo.directive.begin).exec(line)?.[1], 'plumbline:ignore');
    assert.equal(re(repo.reason.begin).exec(line)?.[1], 'reason');
    assert.equal(re(repo.expires.match).exec(line)?.[3], '2027-03-31');
    const ids = new RegExp(repo['rule-id'].match, 'g');
    const found = [...line.slice(line.indexOf('tf-'), line.indexOf(' reason')).matchAll(ids)].map((m) => m[0]);
    assert.deepEqual(found, ['tf-aws-s3-object-lock', 'tf-aws-s3-versioning']);
  });
});
