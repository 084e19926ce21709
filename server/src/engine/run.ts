import type { Located } from '../model/location';
import type { YamlFile } from '../model/yaml';
import type { TerraformModule } from '../terraform/module';
import type { Finding, ReportInput } from './finding';
import { defaultParams, type AnyRule, type Domain } from './rule';

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
  const kinds = new Set(file.documents.map((d) => d.kind));
  for (const rule of selection.rules) {
    if (rule.domain === 'terraform' || !kinds.has(rule.domain as Exclude<Domain, 'terraform'> & string)) continue;
    const documents = file.documents.filter((d) => d.kind === rule.domain);
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
  const { report_unknown: reportUnknown, ...ruleParams } = overrides ?? {};
  const params = mergeParams(defaultParams(rule), ruleParams);
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
