import { SEVERITIES } from '../../engine/severity';
import { descriptorsOf } from '../ruleCatalog';
import type { FormatContext } from './context';

/**
 * The architecture doc's JSON shape — `version`, and `results` of ruleId,
 * severity, message, file, range (0-based LSP positions, paths relative to the
 * current directory) — plus each result's fingerprint, the suppressed
 * findings, the metadata of every rule a result names, and a summary.
 */
export function formatJson(ctx: FormatContext): string {
  const { report } = ctx;
  const result = (f: (typeof report.findings)[number]) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    range: f.range,
    fingerprint: f.fingerprint,
  });
  return JSON.stringify(
    {
      version: 1,
      tool: { name: 'plumbline', version: ctx.version },
      results: report.findings.map(result),
      suppressed: report.suppressed.map((f) => ({ ...result(f), suppression: f.suppression })),
      rules: descriptorsOf([...report.findings, ...report.suppressed]),
      summary: {
        files: report.fileCount,
        findings: report.findings.length,
        bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length])),
        suppressed: report.suppressed.length,
        baselined: ctx.baselined,
        failOn: ctx.failOn,
        ruleFailures: report.failures.map((f) => ({ ruleId: f.ruleId, file: f.file, error: f.error.split('\n')[0] ?? '' })),
      },
    },
    null,
    2,
  );
}
