import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { AnyRule, Mappings } from '../engine/rule';
import type { Finding } from '../engine/finding';
import { comparePos } from '../model/location';
import type { Directive } from '../suppressions';
import { ruleDocsUrl } from './ruleDocs';

/** The parts of a rule's documentation page a hover shows. */
export interface RuleDocSummary {
  /** The first paragraph of "## Why". */
  readonly why?: string;
  /** The first code block of "## How to fix": what good looks like. */
  readonly good?: { readonly language: string; readonly code: string };
}

/** Reads the summary of a rule page (docs/rules/<id>.md) from a `file:` docs base; undefined elsewhere. */
export function readRuleDoc(ruleId: string, docsBase: string): RuleDocSummary | undefined {
  const url = ruleDocsUrl(ruleId, docsBase);
  if (!url.startsWith('file:')) return undefined;
  try {
    return summarizeRuleDoc(readFileSync(fileURLToPath(url), 'utf8'));
  } catch {
    return undefined;
  }
}

export function summarizeRuleDoc(markdown: string): RuleDocSummary {
  const section = (title: string) => {
    const m = new RegExp(`^## ${title}\\s*$([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(markdown);
    return m?.[1]?.trim();
  };
  const why = section('Why')?.split(/\r?\n\s*\r?\n/)[0]?.replace(/\s*\r?\n\s*/g, ' ');
  const fence = /```(\w*)\r?\n([\s\S]*?)```/.exec(section('How to fix') ?? '');
  return { ...(why ? { why } : {}), ...(fence ? { good: { language: fence[1] || 'text', code: fence[2]!.trimEnd() } } : {}) };
}

const MAPPING_NAMES: Record<keyof Mappings, string> = {
  nist: 'NIST SP 800-53',
  euAiAct: 'EU AI Act',
  gdpr: 'GDPR',
  cis: 'CIS',
  scorecard: 'OpenSSF Scorecard',
  aiRmf: 'NIST AI RMF',
};

/**
 * Hover over a finding's range: for each Plumbline finding there, the rule's
 * title, why it matters, what good looks like, its mappings and a link to its
 * page. The diagnostic's own message is shown by the editor next to it.
 */
export function findingHover(
  findings: readonly Finding[],
  position: Position,
  ruleOf: (id: string) => AnyRule | undefined,
  docsBase: string,
  docOf: (id: string) => RuleDocSummary | undefined = (id) => readRuleDoc(id, docsBase),
): Hover | undefined {
  const here = findings.filter((f) => comparePos(f.range.start, position) <= 0 && comparePos(position, f.range.end) <= 0);
  const seen = new Set<string>();
  const parts: string[] = [];
  let range: Finding['range'] | undefined;
  for (const f of here) {
    const rule = ruleOf(f.ruleId);
    if (!rule || seen.has(rule.id)) continue;
    seen.add(rule.id);
    range ??= f.range;
    const doc = docOf(rule.id);
    const lines = [`**${rule.title}** — \`${rule.id}\` (${f.severity})`];
    if (doc?.why) lines.push('', doc.why);
    if (doc?.good) lines.push('', '**What good looks like**', '', `\`\`\`${doc.good.language}`, doc.good.code, '```');
    const mappings = Object.entries(rule.mappings)
      .filter(([, v]) => v && v.length)
      .map(([k, v]) => `${MAPPING_NAMES[k as keyof Mappings] ?? k}: ${(v as string[]).join(', ')}`);
    if (mappings.length) lines.push('', mappings.join(' · '));
    lines.push('', `[Rule documentation](${ruleDocsUrl(rule.id, docsBase)})`);
    parts.push(lines.join('\n'));
  }
  if (parts.length === 0) return undefined;
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
}

/**
 * Hover over a suppression directive: what it silences, why, until when
 * (days left, or how long ago it expired), and what is wrong with it if anything.
 */
export function directiveHover(directives: readonly Directive[], position: Position, now: Date, ruleOf: (id: string) => AnyRule | undefined): Hover | undefined {
  const d = directives.find((x) => comparePos(x.range.start, position) <= 0 && comparePos(position, x.range.end) <= 0);
  if (!d) return undefined;
  const lines = [`**Plumbline suppression** — ${d.status}`, ''];
  for (const r of d.rules) lines.push(`- \`${r.id}\`${ruleOf(r.id) ? ` — ${ruleOf(r.id)!.title}` : ''}`);
  lines.push('', `**Reason:** ${d.reason ? d.reason : '_none given_'}`);
  if (d.expires) lines.push('', `**Expires:** ${d.expires} (${daysLeft(d.expires, now)})`);
  if (d.status === 'active' || d.status === 'unused') lines.push('', `Suppresses ${d.suppressed} finding${d.suppressed === 1 ? '' : 's'} here.`);
  for (const p of d.problems) lines.push('', `⚠ ${p.message}`);
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: d.range };
}

/** "42 days left", "expires today", "expired 3 days ago": a directive is valid through the end of its day (UTC). */
export function daysLeft(expires: string, now: Date): string {
  const end = Date.parse(`${expires}T23:59:59.999Z`);
  if (Number.isNaN(end)) return 'not a date';
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Math.round((Date.parse(`${expires}T00:00:00Z`) - today) / 86_400_000);
  if (now.getTime() > end) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  if (days === 0) return 'expires today, 0 days left';
  return `${days} day${days === 1 ? '' : 's'} left`;
}
