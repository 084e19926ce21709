import type { Severity } from '../engine/severity';

/** Engine findings about directives themselves; like the parse error, they are not catalog rules. */
export const SUPPRESSION_EXPIRED_ID = 'plumbline-suppression-expired';
export const SUPPRESSION_INVALID_ID = 'plumbline-suppression-invalid';
export const SUPPRESSION_UNUSED_ID = 'plumbline-suppression-unused';
export const SUPPRESSION_FINDING_IDS: readonly string[] = [SUPPRESSION_EXPIRED_ID, SUPPRESSION_INVALID_ID, SUPPRESSION_UNUSED_ID];

export interface SuppressionOptions {
  /** The evaluation date: expiry and the horizon are measured from it. */
  readonly now: Date;
  /** `suppression.min_reason_chars`. */
  readonly minReasonChars: number;
  /** `suppression.max_days`: how far ahead `expires` may be. */
  readonly maxDays: number;
  /** `suppression.non_suppressible`: rules a directive may never silence. */
  readonly nonSuppressible: readonly string[];
}

/** Catalog §4 defaults, without `now` (which belongs to the caller's clock). */
export const DEFAULT_SUPPRESSION_OPTIONS: Omit<SuppressionOptions, 'now'> = {
  minReasonChars: 10,
  maxDays: 180,
  nonSuppressible: ['tf-no-static-provider-credentials', 'k8s-secret-env-literal', 'gha-hardcoded-credentials', 'gitlab-plaintext-secret-variable'],
};

export function suppressionOptions(overrides: Partial<SuppressionOptions> = {}, now: Date = new Date()): SuppressionOptions {
  return { now, ...DEFAULT_SUPPRESSION_OPTIONS, ...overrides };
}

/** What a directive needs to know about a rule: that it exists, and its default severity. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
}

// ---- calendar days (UTC) ----------------------------------------------------------

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day `date` falls in. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Milliseconds at 00:00 UTC of a real calendar date written `YYYY-MM-DD`, else undefined. */
export function parseIsoDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2027-02-30 over into March; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

/** Whole days from the UTC day of `now` to the day starting at `dayMs`. */
export function daysFrom(now: Date, dayMs: number): number {
  return Math.round((dayMs - parseIsoDay(isoDay(now))!) / DAY_MS);
}

/** True once `now` is past 23:59:59.999 UTC of the day starting at `dayMs`. */
export function isPastDay(now: Date, dayMs: number): boolean {
  return now.getTime() >= dayMs + DAY_MS;
}

export function addDays(now: Date, days: number): string {
  return isoDay(new Date(parseIsoDay(isoDay(now))! + days * DAY_MS));
}
