import { atLeast, SEVERITIES, type Severity } from '../../engine/severity';
import type { FormatContext } from './context';

const COLOURS: Record<Severity, string> = {
  critical: '\x1b[35m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[90m',
};
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** One finding as `file:line:column  severity  rule-id  message`, 1-based. */
export function findingLine(f: FormatContext['report']['findings'][number], colour: boolean): string {
  const severity = f.severity.padEnd(8);
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}  ${colour ? `${COLOURS[f.severity]}${severity}${RESET}` : severity}  ${f.ruleId}  ${f.message}`;
}

/**
 * `file:line:column  severity  rule-id  message` (1-based, as compilers print
 * it, so terminals and editors make it a link), then a summary table: counts
 * per severity (marking those that fail the run) and per rule, and a verdict line.
 */
export function formatText(ctx: FormatContext): string {
  const { report } = ctx;
  const paint = (code: string, text: string) => (ctx.colour ? `${code}${text}${RESET}` : text);
  const lines = ctx.summaryOnly ? [] : report.findings.map((f) => findingLine(f, ctx.colour));
  const out = [...lines];
  if (lines.length) out.push('');
  const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  if (report.findings.length === 0) out.push(`No findings in ${report.fileCount} file(s).`);
  else {
    out.push(...table(ctx, paint));
    out.push('', `${report.findings.length} finding(s) in ${report.fileCount} file(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.`);
  }
  const extra = [
    ...(report.suppressed.length ? [`${report.suppressed.length} suppressed in source`] : []),
    ...(ctx.baselined ? [`${ctx.baselined} matched the baseline`] : []),
  ];
  if (extra.length) out.push(paint(DIM, `Not shown: ${extra.join(', ')}.`));
  return out.join('\n');
}

/** Severity rows, then rule rows sorted by count; `*` marks what reaches --fail-on. */
function table(ctx: FormatContext, paint: (code: string, text: string) => string): string[] {
  const { findings } = ctx.report;
  const gate = (s: Severity) => s !== 'info' && atLeast(s, ctx.failOn);
  const bySeverity = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const byRule = new Map<string, { n: number; worst: Severity }>();
  for (const f of findings) {
    const r = byRule.get(f.ruleId);
    if (!r) byRule.set(f.ruleId, { n: 1, worst: f.severity });
    else {
      r.n++;
      if (atLeast(f.severity, r.worst)) r.worst = f.severity;
    }
  }
  const rules = [...byRule].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  const width = Math.max('SEVERITY'.length, 'RULE'.length, ...rules.map(([id]) => id.length));
  const row = (label: string, n: number, mark: boolean, code?: string) =>
    `${code ? paint(code, label.padEnd(width)) : label.padEnd(width)}  ${String(n).padStart(5)}${mark ? '  *' : ''}`;
  return [
    paint(BOLD, `${'SEVERITY'.padEnd(width)}  COUNT`),
    ...bySeverity.map(([s, n]) => row(s, n, gate(s), COLOURS[s])),
    '',
    paint(BOLD, `${'RULE'.padEnd(width)}  COUNT`),
    ...rules.map(([id, r]) => row(id, r.n, gate(r.worst))),
    '',
    `* fails the run (--fail-on ${ctx.failOn})`,
  ];
}
