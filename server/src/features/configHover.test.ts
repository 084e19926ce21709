import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-types';
import { parseYaml } from '../parsers/yaml/parser';
import { builtinRules } from '../rules';
import { configHover } from './configHover';

const CONFIG = [
  'extends: strict',
  'required_tags: [owner]',
  'rules:',
  '  k8s-probes:',
  '    severity: high',
  '    params:',
  '      model_load_grace_seconds: 300',
  '  tf-no-such-rule: {}',
  '',
].join('\n');

const DOCS = 'file:///docs/rules/';
const hover = (line: number, character: number, text = CONFIG) =>
  configHover(parseYaml('file:///w/.plumbline.yaml', text, { kindOf: () => 'other' }), { line, character }, builtinRules, DOCS, (id) =>
    id === 'k8s-probes' ? { why: 'Without probes, traffic reaches pods that cannot serve it.' } : undefined,
  );
const value = (h: Hover | undefined) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
const at = (h: Hover | undefined) => h?.range && `${h.range.start.line}:${h.range.start.character}-${h.range.end.line}:${h.range.end.character}`;

describe('hover in .plumbline.yaml', () => {
  it("over a rule id: the rule's title, default severity, why, params and page", () => {
    const h = hover(3, 5);
    assert.equal(at(h), '3:2-3:12');
    const text = value(h);
    assert.match(text, /^\*\*Long-running containers have readiness and liveness probes\*\* — `k8s-probes`/);
    assert.match(text, /Default severity: medium · applies to kubernetes/);
    assert.match(text, /Without probes, traffic reaches pods/);
    assert.match(text, /Params: `required_probes`, `model_load_grace_seconds`/);
    assert.match(text, /\(file:\/\/\/docs\/rules\/k8s-probes\.md\)/);
  });

  it('over a param: its description and default', () => {
    const h = hover(6, 8);
    assert.equal(at(h), '6:6-6:30');
    assert.match(value(h), /^\*\*model_load_grace_seconds\*\* — param of `k8s-probes`/);
    assert.match(value(h), /slow weight loading/);
    assert.match(value(h), /Default: `120`/);
  });

  it('over a setting or a global parameter: what the schema says', () => {
    assert.match(value(hover(4, 6)), /Severity of every finding of this rule/);
    assert.equal(at(hover(1, 0)), '1:0-1:13');
    assert.match(value(hover(1, 0)), /Applies to: .*tf-required-tags/);
  });

  it('nothing over a value or an unknown rule id', () => {
    assert.equal(hover(4, 15), undefined);
    assert.equal(hover(7, 4), undefined);
  });

  it('the keys of a file with a syntax error still hover', () => {
    assert.match(value(hover(0, 2, 'rules: [\n')), /Per-rule settings/);
  });
});
