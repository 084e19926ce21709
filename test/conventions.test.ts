import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { builtinRules } from '../server/src/rules';
import { CATALOG_RULE_IDS } from '../server/src/rules/catalog';
import { renderAll, withReadmeRules } from '../scripts/ruleDocs';

const root = path.resolve(__dirname, '..');
const rulesDir = path.join(root, 'server', 'src', 'rules');
const domains = ['terraform', 'kubernetes', 'github-actions', 'gitlab-ci'];

const folders = domains.flatMap((d) =>
  existsSync(path.join(rulesDir, d)) ? readdirSync(path.join(rulesDir, d)).map((id) => ({ domain: d, id, dir: path.join(rulesDir, d, id) })) : [],
);

describe('rule conventions', () => {
  it('every rule folder is registered and every registered rule has a folder', () => {
    assert.deepEqual(folders.map((f) => f.id).sort(), builtinRules.map((r) => r.id).sort());
  });

  it('rule ids are unique', () => {
    const ids = builtinRules.map((r) => r.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  it('rule ids are catalog ids', () => {
    assert.deepEqual(builtinRules.map((r) => r.id).filter((id) => !CATALOG_RULE_IDS.includes(id)), []);
  });

  for (const rule of builtinRules) {
    it(`${rule.id}: folder, domain, README, test and fixtures`, () => {
      const dir = path.join(rulesDir, rule.domain, rule.id);
      assert.ok(existsSync(dir), `expected folder ${path.relative(root, dir)} (domain ${rule.domain})`);
      for (const f of ['rule.ts', 'README.md', 'rule.test.ts']) assert.ok(existsSync(path.join(dir, f)), `${rule.id} lacks ${f}`);
      const fixtures = existsSync(path.join(dir, 'fixtures')) ? readdirSync(path.join(dir, 'fixtures')) : [];
      assert.ok(fixtures.some((f) => /^pass/.test(f)), `${rule.id} needs a fixtures/pass.* file`);
      assert.ok(fixtures.some((f) => /^fail/.test(f)), `${rule.id} needs a fixtures/fail.* file`);
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(readme, new RegExp(`^# ${rule.id}\\n`), 'README starts with "# <rule-id>"');
      for (const section of ['## Why', '## What it checks', '## How to fix']) assert.ok(readme.includes(section), `${rule.id} README lacks "${section}"`);
      const test = readFileSync(path.join(dir, 'rule.test.ts'), 'utf8');
      assert.match(test, /ruleTester\(/, 'rule tests use the rule tester');
    });
  }

  it('the README rule table is generated from the rules (run npm run docs)', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes('<!-- rules:start'), 'README has the generated rule table markers');
    assert.equal(readme, withReadmeRules(readme, builtinRules), 'README rule table is stale: run npm run docs');
  });

  it('docs/rules/ is generated from the current READMEs (run npm run docs)', () => {
    for (const [name, text] of renderAll(root, builtinRules)) {
      const file = path.join(root, 'docs', 'rules', name);
      assert.ok(existsSync(file), `docs/rules/${name} is missing: run npm run docs`);
      assert.equal(readFileSync(file, 'utf8'), text, `docs/rules/${name} is stale: run npm run docs`);
    }
  });

  const shared = path.join(root, '..', 'shared', 'docs', 'rules-catalog.md');
  it('the catalog id list matches the catalog document when it is beside the repository', { skip: !existsSync(shared) && 'no ../shared' }, () => {
    const text = readFileSync(shared, 'utf8');
    const ids = [...text.matchAll(/^\| `((?:tf|k8s|gha|gitlab)-[a-z0-9-]+)`/gm)].map((m) => m[1]);
    assert.deepEqual([...new Set(ids)], [...CATALOG_RULE_IDS]);
  });
});
