import { SEVERITIES, type Severity } from '../../engine/severity';
import type { Report } from '../report';

const COLOURS: Record<Severity, string> = {
  critical: '\x1b[35m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[90m',
};

/** `file:line:column  severity  rule-id  message`, 1-based like compilers print, then a summary. */
export function formatText(report: Report, colour: boolean): string {
  const paint = (s: Severity, text: string) => (colour ? `${COLOURS[s]}${text}\x1b[0m` : text);
  const lines = report.findings.map(
    (f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}  ${paint(f.severity, f.severity.padEnd(8))}  ${f.ruleId}  ${f.message}`,
  );
  const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const summary =
    report.findings.length === 0
      ? `No findings in ${report.fileCount} file(s).`
      : `${report.findings.length} finding(s) in ${report.fileCount} file(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.`;
  return [...lines, ...(lines.length ? [''] : []), summary].join('\n');
}
