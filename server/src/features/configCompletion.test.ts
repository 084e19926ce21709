import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { PRESET_NAMES } from '../config/presets';
import { builtinRules } from '../rules';
import { configCompletion } from './configCompletion';

/** Completions at the `|` of `text` (which is removed). */
function complete(text: string): CompletionItem[] {
  const at = text.indexOf('|');
  const before = text.slice(0, at).split('\n');
  return configCompletion(text.slice(0, at) + text.slice(at + 1), { line: before.length - 1, character: before[before.length - 1]!.length }, builtinRules);
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const item = (items: CompletionItem[], label: string) => {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `${label} is offered (got ${labels(items).slice(0, 8).join(', ')}…)`);
  return found;
};
/** `newText@line:col-line:col`, 0-based like LSP. */
const edit = (i: CompletionItem) => {
  const e = i.textEdit as TextEdit;
  return `${e.newText}@${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}`;
};
const doc = (i: CompletionItem) => (typeof i.documentation === 'object' ? i.documentation.value : String(i.documentation ?? ''));

describe('completion in .plumbline.yaml', () => {
  it('offers the top-level keys and the global parameters in an empty file', () => {
    const items = complete('|');
    for (const key of ['extends', 'rules', 'exclude', 'report_unknown', 'suppression', 'policies', 'required_tags', 'allowed_regions']) item(items, key);
    assert.equal(edit(item(items, 'rules')), 'rules:\n  $0@0:0-0:0');
    assert.equal(edit(item(items, 'report_unknown')), 'report_unknown: $0@0:0-0:0');
    assert.match(doc(item(items, 'required_tags')), /Applies to: .*tf-required-tags/);
  });

  it('completes a half-typed rule id under rules:, replacing what was typed', () => {
    const items = complete('rules:\n  tf-aws-|');
    const imds = item(items, 'tf-aws-imdsv2');
    assert.equal(edit(imds), 'tf-aws-imdsv2:\n    $0@1:2-1:9');
    assert.equal(imds.detail, 'EC2 hosts and SageMaker notebooks require IMDSv2 (high)');
    assert.equal(items.length, builtinRules.length);
  });

  it('completes a rule id on an empty line, and not the ones already configured', () => {
    const items = complete('rules:\n  tf-required-tags:\n    severity: low\n  |\nexclude: []\n');
    assert.equal(edit(item(items, 'k8s-probes')), 'k8s-probes:\n    $0@3:2-3:2');
    assert.ok(!labels(items).includes('tf-required-tags'));
    assert.ok(!labels(items).includes('extends'), 'top-level keys are not offered inside rules');
  });

  it('renames a key in place without doubling its colon', () => {
    const items = complete('rules:\n  k8s-pro|bes: {}\n');
    assert.equal(edit(item(items, 'k8s-probes')), 'k8s-probes@1:2-1:12');
  });

  it("offers a rule's settings, without those already set", () => {
    const items = complete('rules:\n  k8s-probes:\n    enabled: true\n    |');
    assert.deepEqual(labels(items), ['severity', 'params', 'exclude_paths', 'report_unknown']);
    assert.equal(edit(item(items, 'severity')), 'severity: $0@3:4-3:4');
    assert.equal(edit(item(items, 'params')), 'params:\n      $0@3:4-3:4');
  });

  it("offers a rule's params with their description and default", () => {
    const items = complete('rules:\n  k8s-probes:\n    params:\n      mod|');
    assert.deepEqual(labels(items), ['required_probes', 'model_load_grace_seconds', 'ai_image_patterns', 'exempt_namespaces']);
    const grace = item(items, 'model_load_grace_seconds');
    assert.equal(edit(grace), 'model_load_grace_seconds: $0@3:6-3:9');
    assert.equal(grace.detail, 'param of k8s-probes');
    assert.match(doc(grace), /slow weight loading/);
    assert.match(doc(grace), /Default: `120`/);
  });

  it('offers the severities after severity:', () => {
    const items = complete('rules:\n  k8s-probes:\n    severity: h|');
    assert.deepEqual(labels(items), ['critical', 'high', 'medium', 'low', 'info']);
    assert.equal(edit(item(items, 'high')), 'high@2:14-2:15');
  });

  it('offers true and false for a boolean, and enum members inside a flow list', () => {
    assert.deepEqual(labels(complete('report_unknown: |')), ['true', 'false']);
    assert.deepEqual(labels(complete('rules:\n  k8s-probes:\n    params:\n      required_probes: [readiness, |]\n')), ['readiness', 'liveness', 'startup']);
  });

  it('offers the presets after extends:, in a flow list and as list items', () => {
    assert.deepEqual(labels(complete('extends: |')), PRESET_NAMES);
    assert.deepEqual(labels(complete('extends: [strict, |')), PRESET_NAMES);
    const items = complete('extends:\n  - st|\nrules: {}\n');
    assert.deepEqual(labels(items), PRESET_NAMES);
    assert.equal(edit(item(items, 'strict')), 'strict@1:4-1:6');
  });

  it('offers the suppression settings under suppression:', () => {
    assert.deepEqual(labels(complete('suppression:\n  max_days: 30\n  |')), ['min_reason_chars', 'non_suppressible']);
  });

  it('offers nothing inside a comment, under an unknown rule, or inside a free-form value', () => {
    assert.deepEqual(complete('# rules: |'), []);
    assert.deepEqual(complete('rules:\n  no-such-rule:\n    |'), []);
    assert.deepEqual(complete('policies:\n  - id: x\n    assert:\n      |'), []);
  });
});
