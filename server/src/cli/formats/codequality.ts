import type { Severity } from '../../engine/severity';
import type { FormatContext } from './context';

/** Our five levels onto GitLab's five, in order. */
export const CODE_QUALITY_SEVERITY: Record<Severity, 'blocker' | 'critical' | 'major' | 'minor' | 'info'> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

/**
 * A GitLab Code Quality report (`artifacts:reports:codequality`): a JSON
 * array of issues. GitLab keeps one issue per fingerprint and compares them
 * between the branches of a merge request, so the fingerprint is the
 * finding's (stable across unrelated edits, unique within a run).
 */
export function formatCodeQuality(ctx: FormatContext): string {
  return JSON.stringify(
    ctx.report.findings.map((f) => ({
      description: f.message,
      check_name: f.ruleId,
      fingerprint: f.fingerprint,
      severity: CODE_QUALITY_SEVERITY[f.severity],
      location: { path: f.file, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
    })),
    null,
    2,
  );
}
