import type { Severity } from '../engine/severity';

/** One rule's settings in `.plumbline.yaml` (`rules.<id>`). */
export interface RuleSettings {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly exclude_paths?: readonly string[];
  readonly report_unknown?: boolean;
}

/** The content of one config file, as written (after validation). */
export interface ConfigData {
  readonly extends?: string | readonly string[];
  readonly rules?: Readonly<Record<string, RuleSettings>>;
  readonly exclude?: readonly string[];
  readonly report_unknown?: boolean;
  readonly suppression?: { readonly min_reason_chars?: number; readonly max_days?: number; readonly non_suppressible?: readonly string[] };
  readonly policies?: readonly unknown[];
  /** Global parameters (GLOBAL_PARAMS): passed to every rule that declares a param of that name. */
  readonly [global: string]: unknown;
}
