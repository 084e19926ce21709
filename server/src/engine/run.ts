import type { Located } from '../model/location';
import type { YamlFile } from '../model/yaml';
import type { TerraformModule } from '../terraform/module';
import type { Finding, ReportInput } from './finding';
import { defaultParams, type AnyRule } from './rule';

export interface RuleFailure {
  readonly ruleId: string;
  readonly error: string;
}

export interface RunResult {
  readonly findings: Finding[];
  /** Rules that threw; the others still ran. */
  readonly failures: RuleFailure[];
}

export interface RuleSelection {
  readonly rules: readonly AnyRule[];
  /** Per-rule params overriding the defaults (from configuration, later). */
  readonly params?: Readonly<Record<string, Record<string, unknown>>>;
}

/** Runs the Terraform rules over one module; findings may land in any of its files. */
export function runTerraformRules(selection: RuleSelection, module: TerraformModule): RunResult {
  const result: RunResult = { findings: [], failures: [] };
  for (const rule of selection.rules) {
    if (rule.domain !== 'terraform') continue;
    guarded(rule, result, (report, params, unknown) => rule.check({ module, params, report, unknown }), selection.params?.[rule.id]);
  }
  return result;
}

/** Runs the rules of each document kind present in a YAML file. */
export function runYamlRules(selection: RuleSelection, file: YamlFile): RunResult {
  const result: RunResult = { findings: [], failures: [] };
  // One array per document kind, shared by the rules of that kind (helpers memoize on it).
  const byKind = new Map<string, YamlFile['documents']>();
  for (const d of file.documents) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
  for (const rule of selection.rules) {
    if (rule.domain === 'terraform') continue;
    const documents = byKind.get(rule.domain);
    if (!documents) continue;
    guarded(rule, result, (report, params, unknown) => rule.check({ file, documents, params, report, unknown }), selection.params?.[rule.id]);
  }
  return result;
}

function guarded(
  rule: AnyRule,
  result: RunResult,
  run: (report: (f: ReportInput) => void, params: Record<string, unknown>, unknown: (at: Located, origin: string) => void) => void,
  overrides?: Record<string, unknown>,
): void {
  const reportUnknown = overrides?.report_unknown;
  const params = paramsOf(rule, overrides);
  const report = (f: ReportInput) =>
    result.findings.push({
      ruleId: rule.id,
      severity: f.severity ?? rule.severity,
      message: f.message,
      uri: f.at.uri,
      range: f.at.range,
      ...(f.related?.length ? { related: f.related } : {}),
      ...(f.data ? { data: f.data } : {}),
    });
  // Every rule accepts report_unknown (catalog §1); it is not one of its own params.
  const unknown = (at: Located, origin: string) => {
    if (reportUnknown === true) report({ at, severity: 'info', message: `could not evaluate ${rule.id}: ${origin}` });
  };
  try {
    run(report, params, unknown);
  } catch (e) {
    result.failures.push({ ruleId: rule.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

const paramsCache = new WeakMap<AnyRule, { overrides: Record<string, unknown> | undefined; params: Record<string, unknown> }>();

/**
 * A rule's params: its defaults merged with the overrides (without
 * `report_unknown`, which every rule accepts and none reads). Computed once
 * per overrides object and frozen, since every analysis of every file needs them.
 */
export function paramsOf(rule: AnyRule, overrides: Record<string, unknown> | undefined): Record<string, unknown> {
  const hit = paramsCache.get(rule);
  if (hit && hit.overrides === overrides) return hit.params;
  const { report_unknown: _, ...ruleParams } = overrides ?? {};
  const params = deepFreeze(mergeParams(defaultParams(rule), ruleParams));
  paramsCache.set(rule, { overrides, params });
  return params;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * A rule's params over its defaults. Object params merge key by key (setting
 * one key of `require_cmk` keeps the others); lists and scalars replace.
 */
export function mergeParams(defaults: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) {
    const d = out[k];
    out[k] = isPlainObject(d) && isPlainObject(v) ? mergeParams(d, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
