import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { documentKind } from '../parsers/yaml/kind';
import { parseYaml } from '../parsers/yaml/parser';
import { builtinRules } from '../rules';
import type { AnyRule } from './rule';
import { mergeParams, runYamlRules, type RunResult } from './run';

describe('mergeParams', () => {
  it('merges object params key by key, and lets lists and scalars replace', () => {
    const defaults = { require_cmk: { data_assets: true, default: false }, allowed: ['a', 'b'], days: 183 };
    assert.deepEqual(mergeParams(defaults, { require_cmk: { default: true }, allowed: ['c'], days: 365 }), {
      require_cmk: { data_assets: true, default: true },
      allowed: ['c'],
      days: 365,
    });
    assert.deepEqual(defaults.require_cmk, { data_assets: true, default: false }, 'defaults are not mutated');
  });
});

describe("scope: 'document' holds for every rule that declares it", () => {
  // The engine runs such a rule one document at a time (and replays its findings on
  // unchanged documents). That is only right when what it reports on a document never
  // depends on another document: run whole, the rule must report exactly the same.
  const fixtures = path.join(__dirname, '..', 'rules', 'kubernetes');
  const texts = readdirSync(fixtures).flatMap((rule) => {
    const dir = path.join(fixtures, rule, 'fixtures');
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  });
  // Each fixture file, and all of them in one stream (objects of one file meet those of others).
  const files = [...texts, texts.filter((t) => !/^%/m.test(t)).map((t) => t.replace(/^---\n/, '').trimEnd()).join('\n---\n')].map((text, i) =>
    parseYaml(`file:///ws/f${i}.yaml`, text, { kindOf: (root) => documentKind('yaml', root) }),
  );
  const scoped = builtinRules.filter((r) => r.scope === 'document');
  // The registry allowlist reports nothing until registries are configured.
  const params = { 'k8s-image-registry-allowlist': { allowed_registries: ['registry.acme.io'] } };

  it('covers the document-scoped rules on Kubernetes objects that they report on', () => {
    assert.ok(scoped.length >= 20, `${scoped.length} rules`);
    assert.ok(files.at(-1)!.documents.filter((d) => d.kind === 'kubernetes').length > 100, 'the stream holds the fixtures\' objects');
    for (const rule of scoped) assert.ok(runYamlRules({ rules: [rule], params }, files.at(-1)!).findings.length > 0, `${rule.id} reports on its own fixtures`);
  });

  for (const rule of scoped) {
    it(rule.id, () => {
      const whole = { ...rule, scope: undefined } as AnyRule;
      for (const file of files) {
        const brief = (r: RunResult) => r.findings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.message}`).sort();
        assert.deepEqual(brief(runYamlRules({ rules: [rule], params }, file)), brief(runYamlRules({ rules: [whole], params }, file)), file.uri);
      }
    });
  }
});
