import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AnyRule } from '../server/src/engine/rule';

/** Folder of a rule: server/src/rules/<domain>/<id>/. */
export function ruleDir(root: string, rule: AnyRule): string {
  return path.join(root, 'server', 'src', 'rules', rule.domain, rule.id);
}

const MAPPING_NAMES: Record<string, string> = {
  nist: 'NIST SP 800-53 r5',
  cis: 'CIS Benchmarks',
  euAiAct: 'EU AI Act',
  gdpr: 'GDPR',
  scorecard: 'OpenSSF Scorecard',
  aiRmf: 'NIST AI RMF',
};

/** The documentation page of a rule: its metadata, then its README (without the README's title). */
export function renderRuleDoc(rule: AnyRule, readme: string): string {
  const body = readme.replace(/^# .*\n+/, '');
  const lines = [
    `# ${rule.id}`,
    '',
    `**${rule.title}**`,
    '',
    '| | |',
    '|---|---|',
    `| Default severity | ${rule.severity} |`,
    `| Applies to | ${rule.domain} |`,
    `| AI/ML governance | ${rule.ai ? 'yes' : 'no'} |`,
    ...Object.entries(rule.mappings)
      .filter(([, v]) => v && v.length)
      .map(([k, v]) => `| ${MAPPING_NAMES[k] ?? k} | ${(v as string[]).join(', ')} |`),
    '',
  ];
  const params = Object.entries(rule.params?.properties ?? {});
  if (params.length) {
    lines.push('Configure in `.plumbline.yaml` under `rules.' + rule.id + '.params`:', '', '| Param | Default | Meaning |', '|---|---|---|');
    for (const [name, schema] of params)
      lines.push(`| \`${name}\` | \`${JSON.stringify(schema.default ?? null)}\` | ${schema.description.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  lines.push(body.trimEnd(), '', '---', '', '_Generated from the rule\'s README by `npm run docs`; edit the README, not this page._', '');
  return lines.join('\n');
}

export function renderIndex(rules: readonly AnyRule[]): string {
  const rows = [...rules]
    .sort((a, b) => a.domain.localeCompare(b.domain) || a.id.localeCompare(b.id))
    .map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.domain} | ${r.severity} | ${r.title} |`);
  return ['# Plumbline rules', '', '| Rule | Applies to | Severity | What it requires |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** Every generated page, by file name under docs/rules/. */
export function renderAll(root: string, rules: readonly AnyRule[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of rules) out.set(`${rule.id}.md`, renderRuleDoc(rule, readFileSync(path.join(ruleDir(root, rule), 'README.md'), 'utf8')));
  out.set('README.md', renderIndex(rules));
  return out;
}
