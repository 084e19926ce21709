import type { Located, Range } from '../model/location';
import type { Severity } from './severity';

export interface RelatedInfo {
  readonly at: Located;
  readonly message: string;
}

/** What a rule reports: where, what is wrong and what good looks like. */
export interface ReportInput {
  readonly at: Located;
  readonly message: string;
  /** Overrides the rule's default severity when a row gives several levels. */
  readonly severity?: Severity;
  readonly related?: readonly RelatedInfo[];
  /** What a quick fix will need; carried in the diagnostic's `data`. */
  readonly data?: Record<string, unknown>;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly uri: string;
  readonly range: Range;
  readonly related?: readonly RelatedInfo[];
  readonly data?: Record<string, unknown>;
}

export const PARSE_ERROR_ID = 'plumbline-parse-error';

/** The id of a failure that is no rule's: the analysis of a file threw (a parser or engine bug, a pathological file). */
export const ANALYSIS_FAILURE_ID = 'plumbline-analysis';
