import type { Severity } from '../../engine/severity';
import type { Report } from '../report';

/** What every output format is given: the report after the baseline, and how the run was gated. */
export interface FormatContext {
  readonly report: Report;
  /** `--fail-on`: findings at or above it fail the run (info never does). */
  readonly failOn: Severity;
  /** Plumbline's version. */
  readonly version: string;
  /** Findings the baseline matched and left out of `report.findings`; 0 without --baseline. */
  readonly baselined: number;
  /** Absolute directory the paths are relative to. */
  readonly cwd: string;
  /** Colours (text only): on a TTY and when NO_COLOR is unset. */
  readonly colour: boolean;
  /** Text only: the finding lines were already printed as the analysis went (streamed); print the summary alone. */
  readonly summaryOnly?: boolean;
}
