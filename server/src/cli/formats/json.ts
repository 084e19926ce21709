import type { Finding } from '../../engine/finding';
import type { Report } from '../report';

/** The architecture doc's JSON shape: 0-based LSP positions, paths relative to the current directory. */
export function formatJson(report: Report): string {
  return JSON.stringify(
    {
      version: 1,
      results: report.findings.map((f: Finding & { file: string }) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        file: f.file,
        range: f.range,
      })),
    },
    null,
    2,
  );
}
