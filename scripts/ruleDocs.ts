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

const DOMAIN_NAMES: Record<string, string> = {
  terraform: 'Terraform',
  kubernetes: 'Kubernetes',
  'github-actions': 'GitHub Actions',
  'gitlab-ci': 'GitLab CI',
};

/** The index: rules by domain, then the same rules by severity and by regulation. */
export function renderIndex(rules: readonly AnyRule[]): string {
  const link = (r: AnyRule) => `[\`${r.id}\`](${r.id}.md)`;
  const sorted = [...rules].sort((a, b) => a.id.localeCompare(b.id));
  const lines = ['# Plumbline rules', '', `${rules.length} rules. Mappings are indicative, not legal advice.`, ''];
  lines.push('## By domain', '');
  for (const [domain, name] of Object.entries(DOMAIN_NAMES)) {
    const inDomain = sorted.filter((r) => r.domain === domain);
    if (!inDomain.length) continue;
    lines.push(`### ${name}`, '', '| Rule | Severity | AI/ML | What it requires |', '|---|---|---|---|');
    for (const r of inDomain) lines.push(`| ${link(r)} | ${r.severity} | ${r.ai ? 'yes' : ''} | ${r.title} |`);
    lines.push('');
  }
  lines.push('## By severity', '');
  for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
    const at = sorted.filter((r) => r.severity === severity);
    if (at.length) lines.push(`- **${severity}**: ${at.map(link).join(', ')}`);
  }
  lines.push('', '## By regulation', '');
  const byControl = (key: 'euAiAct' | 'nist', title: string) => {
    const controls = new Map<string, AnyRule[]>();
    for (const r of sorted) for (const c of r.mappings[key] ?? []) controls.set(c, [...(controls.get(c) ?? []), r]);
    if (!controls.size) return;
    lines.push(`### ${title}`, '', '| Control | Rules |', '|---|---|');
    for (const [c, rs] of [...controls].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) lines.push(`| ${c} | ${rs.map(link).join(', ')} |`);
    lines.push('');
  };
  byControl('euAiAct', 'EU AI Act (Regulation (EU) 2024/1689)');
  byControl('nist', 'NIST SP 800-53 r5');
  return lines.join('\n');
}

/** Every generated page, by file name under docs/rules/. */
export function renderAll(root: string, rules: readonly AnyRule[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of rules) out.set(`${rule.id}.md`, renderRuleDoc(rule, readFileSync(path.join(ruleDir(root, rule), 'README.md'), 'utf8')));
  out.set('README.md', renderIndex(rules));
  return out;
}
