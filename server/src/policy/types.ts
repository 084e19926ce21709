import type { ValidateFunction } from 'ajv';
import type { Severity } from '../engine/severity';
import type { Range } from '../model/location';

/** What a policy applies to: exactly one file kind, with its selector (`'*'`: every one). */
export type PolicyMatch =
  | { readonly kind: 'terraform'; readonly block: 'resource' | 'data'; readonly types: '*' | readonly string[] }
  | { readonly kind: 'kubernetes'; readonly kinds: '*' | readonly string[]; readonly apiVersions?: '*' | readonly string[]; readonly labels?: Readonly<Record<string, string>> }
  | { readonly kind: 'github-actions'; readonly jobs: '*' | readonly string[] }
  | { readonly kind: 'github-actions-steps'; readonly steps: '*' | { readonly uses?: string; readonly run?: string } }
  | { readonly kind: 'gitlab-ci'; readonly jobs: '*' | readonly string[] };

/** A custom policy that passed validation and whose `assert` compiled. */
export interface Policy {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly message: string;
  readonly match: PolicyMatch;
  readonly validate: ValidateFunction;
  /** The file that declares it, and the range of its id there. */
  readonly file: string;
  readonly idRange: Range;
}

/**
 * The value a policy's schema is evaluated against, and the way back from a
 * JSON pointer in that value to the text that wrote it.
 */
export interface Subject {
  readonly uri: string;
  /** What a finding about the whole subject calls it: "the resource", "the job" … */
  readonly noun: string;
  readonly value: unknown;
  /**
   * Pointers (segments joined by "/") of values that cannot be known here.
   * They are in `value` as a placeholder so that `required` sees them present;
   * no verdict is drawn from them.
   */
  readonly unknown: ReadonlySet<string>;
  /** Pointers of objects that may hold more keys than shown (a merge with an unknown map, `extends:`). */
  readonly open: ReadonlySet<string>;
  /** Where the subject as a whole is reported (block header, job key, `kind:` …). */
  readonly anchor: Range;
  /** The key and the value written at a pointer, when the text has them. */
  locate(segments: readonly string[]): { readonly key?: Range; readonly value?: Range } | undefined;
}

/** A JSON pointer's segments as one key, escaped the way ajv writes `instancePath` (without the leading "/"). */
export function pointer(segments: readonly string[]): string {
  return segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** The segments of an ajv `instancePath`. */
export function segmentsOf(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
