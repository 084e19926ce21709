import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import type { AnyRule } from '../engine/rule';
import { comparePos } from '../model/location';
import type { YamlFile, YamlNode } from '../model/yaml';
import { readRuleDoc, type RuleDocSummary } from './hover';
import { ruleDocsUrl } from './ruleDocs';
import { schemaAt, schemaOf } from './configSchemaWalk';

/**
 * Hover over a key of a `.plumbline.yaml`: a rule id shows the rule (title,
 * default severity, why it matters, a link to its page), a param its
 * description and default, any other key what the schema says about it.
 */
export function configHover(
  file: YamlFile,
  position: Position,
  rules: readonly AnyRule[],
  docsBase: string,
  docOf: (id: string) => RuleDocSummary | undefined = (id) => readRuleDoc(id, docsBase),
): Hover | undefined {
  const hit = keyAt(file.documents[0]?.root, position, []);
  if (!hit) return undefined;
  const { path, range } = hit;
  const rule = path[0] === 'rules' && path.length >= 2 ? rules.find((r) => r.id === path[1]) : undefined;
  const markdown = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });

  if (rule && path.length === 2) {
    const doc = docOf(rule.id);
    const lines = [`**${rule.title}** — \`${rule.id}\``, '', `Default severity: ${rule.severity} · applies to ${rule.domain}`];
    if (doc?.why) lines.push('', doc.why);
    const params = Object.keys(rule.params?.properties ?? {});
    if (params.length) lines.push('', `Params: ${params.map((p) => `\`${p}\``).join(', ')}`);
    lines.push('', `[Rule documentation](${ruleDocsUrl(rule.id, docsBase)})`);
    return markdown(lines.join('\n'));
  }
  if (rule && path.length === 4 && path[2] === 'params') {
    const param = rule.params?.properties[path[3]!];
    if (!param) return undefined;
    return markdown([`**${path[3]}** — param of \`${rule.id}\``, '', param.description, '', `Default: \`${JSON.stringify(param.default ?? null)}\``].join('\n'));
  }
  const schema = schemaAt(schemaOf(rules), path);
  if (typeof schema?.description !== 'string') return undefined;
  return markdown([`**${path[path.length - 1]}**`, '', schema.description].join('\n'));
}

/** The key under `position`, with its path from the root (list items as '-'). */
function keyAt(node: YamlNode | undefined, position: Position, path: string[]): { path: string[]; range: Range } | undefined {
  const inside = (r: Range) => comparePos(r.start, position) <= 0 && comparePos(position, r.end) <= 0;
  if (node?.kind === 'map') {
    for (const p of node.pairs) {
      if (inside(p.keyRange)) return { path: [...path, p.key], range: p.keyRange };
      if (p.value && inside(p.value.range)) return keyAt(p.value, position, [...path, p.key]);
    }
  } else if (node?.kind === 'seq') {
    const item = node.items.find((i) => inside(i.range));
    return keyAt(item, position, [...path, '-']);
  }
  return undefined;
}
