import type { HclBlock } from '../model/hcl';
import type { Located } from '../model/location';
import type { YamlDocument, YamlFile } from '../model/yaml';
import { ANY_RESOURCE, type TerraformModule } from '../terraform/module';
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

/**
 * Runs the Terraform rules over one module; findings may land in any of its files.
 *
 * A rule's findings are reused, without running it, in a later version of
 * the module with the same environment (see `TerraformModule.environment`)
 * when the resources of every type the rule read are the same blocks: an edit
 * re-runs only the rules that read the resource types it touched (and `memo`
 * keeps per-block results within those).
 */
export function runTerraformRules(selection: RuleSelection, module: TerraformModule): RunResult {
  const result: RunResult = { findings: [], failures: [] };
  let previous = lastRuns.get(module.environment);
  if (!previous) lastRuns.set(module.environment, (previous = new Map()));
  for (const rule of selection.rules) {
    if (rule.domain !== 'terraform') continue;
    guarded(
      rule,
      result,
      (report, params, unknown) => {
        const recorder = new Recorder(module, report, unknown);
        const last = previous.get(rule.id);
        if (last && last.params === params && last.touched.every((t, i) => sameDeps(module.peekResources(t), last.read[i]))) return recorder.replay(last.calls);
        previous.delete(rule.id);
        const { calls, touched } = recorder.record(() =>
          rule.check({
            module,
            params,
            report: recorder.report,
            unknown: recorder.unknown,
            memo: (block, compute, deps) => recorder.memo(rule.id, params, module.environment, block, compute, deps),
          }),
        );
        // Reading every resource (or the files) is read again after any edit: nothing to keep.
        if (!touched.includes(ANY_RESOURCE)) previous.set(rule.id, { params, touched, read: touched.map((t) => module.peekResources(t)), calls });
      },
      selection.params?.[rule.id],
    );
  }
  return result;
}

/** The last run of each rule on a module environment: what it read and reported. */
const lastRuns = new WeakMap<object, Map<string, { params: object; touched: readonly string[]; read: (readonly HclBlock[])[]; calls: readonly Call[] }>>();

type Call = { readonly report: ReportInput } | { readonly unknown: readonly [Located, string] };

interface MemoEntry {
  readonly params: object;
  readonly environment: object;
  readonly deps: readonly unknown[] | undefined;
  readonly value: unknown;
  readonly calls: readonly Call[];
  readonly touched: readonly string[] | undefined;
}

/** Per resource block (while it lives), per rule: a result, what it reported, and what it was computed under. */
const memos = new WeakMap<HclBlock, Map<string, MemoEntry>>();

/**
 * A rule's report and unknown, recording what is reported (and which
 * resource types were read) while the rule or one of its `memo`s computes,
 * so that a reused result reports the same again.
 */
class Recorder {
  private readonly recording: Call[][] = [];

  constructor(
    private readonly module: TerraformModule | undefined,
    private readonly forward: (f: ReportInput) => void,
    private readonly forwardUnknown: (at: Located, origin: string) => void,
  ) {}

  readonly report = (f: ReportInput): void => {
    this.recording[this.recording.length - 1]?.push({ report: f });
    this.forward(f);
  };

  readonly unknown = (at: Located, origin: string): void => {
    this.recording[this.recording.length - 1]?.push({ unknown: [at, origin] });
    this.forwardUnknown(at, origin);
  };

  /** Reports again what a reused result reported. */
  replay(calls: readonly Call[]): void {
    for (const c of calls) 'report' in c ? this.report(c.report) : this.unknown(...c.unknown);
  }

  /** Runs `compute`, recording its reports and the resource types it read. */
  record<T>(compute: () => T): { value: T; calls: Call[]; touched: readonly string[] } {
    const calls: Call[] = [];
    this.recording.push(calls);
    let done: { value: T; touched?: readonly string[] };
    try {
      done = this.module ? this.module.track(compute) : { value: compute() };
    } finally {
      this.recording.pop();
      this.recording[this.recording.length - 1]?.push(...calls);
    }
    return { value: done.value, calls, touched: done.touched ?? [] };
  }

  memo<T>(ruleId: string, params: object, environment: object, block: HclBlock, compute: () => T, deps?: readonly unknown[]): T {
    let byRule = memos.get(block);
    const hit = byRule?.get(ruleId);
    if (hit && hit.params === params && hit.environment === environment && sameDeps(hit.deps, deps)) {
      if (hit.touched) this.module?.touchAll(hit.touched);
      this.replay(hit.calls);
      return hit.value as T;
    }
    const { value, calls, touched } = this.record(compute);
    if (!byRule) memos.set(block, (byRule = new Map()));
    byRule.set(ruleId, { params, environment, deps: deps && [...deps], value, calls, touched: touched.length ? touched : undefined });
    return value;
  }
}

function sameDeps(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Runs the rules of each document kind present in a YAML file. */
export function runYamlRules(selection: RuleSelection, file: YamlFile): RunResult {
  const result: RunResult = { findings: [], failures: [] };
  // One array per document kind, shared by the rules of that kind (helpers memoize on it).
  const byKind = new Map<string, YamlFile['documents']>();
  for (const d of file.documents) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
  // One single-document array per document, shared by the rules of this run (helpers memoize on it).
  const alone = new Map<YamlDocument, readonly YamlDocument[]>();
  for (const rule of selection.rules) {
    if (rule.domain === 'terraform') continue;
    const documents = byKind.get(rule.domain);
    if (!documents) continue;
    guarded(
      rule,
      result,
      (report, params, unknown) => {
        if (rule.scope !== 'document') return rule.check({ file, documents, params, report, unknown });
        // A document-scoped rule: each document on its own, reported again as it was while the document is unchanged.
        const recorder = new Recorder(undefined, report, unknown);
        for (const doc of documents) {
          const last = documentRuns.get(doc)?.get(rule.id);
          if (last?.params === params) {
            recorder.replay(last.calls);
            continue;
          }
          if (!alone.has(doc)) alone.set(doc, [doc]);
          const { calls } = recorder.record(() => rule.check({ file, documents: alone.get(doc)!, params, report: recorder.report, unknown: recorder.unknown }));
          let byRule = documentRuns.get(doc);
          if (!byRule) documentRuns.set(doc, (byRule = new Map()));
          byRule.set(rule.id, { params, calls });
        }
      },
      selection.params?.[rule.id],
    );
  }
  return result;
}

/** What each document-scoped rule reported on a document (while the document object lives). */
const documentRuns = new WeakMap<YamlDocument, Map<string, { params: object; calls: readonly Call[] }>>();

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
