import * as path from 'node:path';
import type { AnyRule } from '../engine/rule';
import { mergeParams } from '../engine/run';
import type { Severity } from '../engine/severity';
import type { SuppressionOptions } from '../suppressions';
import { globMatcher } from './glob';
import type { ConfigLoader } from './load';
import { PRESETS } from './presets';
import { GLOBAL_PARAMS } from './schema';
import type { ConfigData } from './types';

/** A custom policy as written, with the file it came from (its `match`/`assert` are read by the policy engine). */
export interface PolicySource {
  readonly file: string;
  readonly index: number;
  readonly policy: unknown;
}

/**
 * The configuration in force for one folder: the `.plumbline.yaml` files from
 * the workspace root down to the folder (nearest wins), each after what it
 * `extends`. Computed once per set of config texts.
 */
export class EffectiveConfig {
  private readonly rules = new Map<string, { enabled?: boolean; severity?: Severity; params: Record<string, unknown>; reportUnknown?: boolean; excludes: ((f: string) => boolean)[] }>();
  private readonly excludes: ((f: string) => boolean)[] = [];
  private readonly globals: Record<string, unknown> = {};
  private reportUnknown: boolean | undefined;
  readonly suppression: { -readonly [K in keyof SuppressionOptions]?: SuppressionOptions[K] } = {};
  readonly policies: PolicySource[] = [];
  private readonly overrides = new Map<string, Record<string, unknown> | undefined>();

  constructor(
    /** The config files applied, root first. */
    readonly files: readonly string[],
  ) {}

  /** Applies one layer (a file's own data, or a preset), whose globs are relative to `base`. */
  apply(data: ConfigData, base: string, file: string): void {
    for (const [id, s] of Object.entries(data.rules ?? {})) {
      const r = this.rules.get(id) ?? { params: {}, excludes: [] };
      if (s.enabled !== undefined) r.enabled = s.enabled;
      if (s.severity !== undefined) r.severity = s.severity;
      if (s.report_unknown !== undefined) r.reportUnknown = s.report_unknown;
      if (s.params) r.params = mergeParams(r.params, s.params as Record<string, unknown>);
      for (const g of s.exclude_paths ?? []) r.excludes.push(globMatcher(base, g));
      this.rules.set(id, r);
    }
    for (const g of data.exclude ?? []) this.excludes.push(globMatcher(base, g));
    for (const name of GLOBAL_PARAMS) if (data[name] !== undefined) this.globals[name] = data[name];
    if (data.report_unknown !== undefined) this.reportUnknown = data.report_unknown;
    Object.assign(this.suppression, {
      ...(data.suppression?.min_reason_chars !== undefined ? { minReasonChars: data.suppression.min_reason_chars } : {}),
      ...(data.suppression?.max_days !== undefined ? { maxDays: data.suppression.max_days } : {}),
      ...(data.suppression?.non_suppressible !== undefined ? { nonSuppressible: data.suppression.non_suppressible } : {}),
    });
    (data.policies ?? []).forEach((policy, index) => this.policies.push({ file, index, policy }));
  }

  isExcluded(file: string): boolean {
    return this.excludes.some((m) => m(file));
  }

  /** Whether `rule` runs, and reports in `file` (a Terraform rule's findings may land in any file of the module). */
  enabled(ruleId: string): boolean {
    return this.rules.get(ruleId)?.enabled !== false;
  }

  reportsIn(ruleId: string, file: string): boolean {
    return !(this.rules.get(ruleId)?.excludes.some((m) => m(file)) ?? false);
  }

  severityOf(ruleId: string): Severity | undefined {
    return this.rules.get(ruleId)?.severity;
  }

  /**
   * The rule's params as configured: the global parameters it declares, its
   * own `params` over them, and `report_unknown`. The same object for the same
   * config, so the engine's params cache holds.
   */
  overridesFor(rule: AnyRule): Record<string, unknown> | undefined {
    if (this.overrides.has(rule.id)) return this.overrides.get(rule.id);
    const declared = rule.params?.properties ?? {};
    const globals = Object.fromEntries(Object.entries(this.globals).filter(([k]) => k in declared));
    const own = this.rules.get(rule.id);
    const reportUnknown = own?.reportUnknown ?? this.reportUnknown;
    const merged = mergeParams(globals, own?.params ?? {});
    const out = Object.keys(merged).length || reportUnknown !== undefined ? { ...merged, ...(reportUnknown !== undefined ? { report_unknown: reportUnknown } : {}) } : undefined;
    this.overrides.set(rule.id, out);
    return out;
  }
}

/**
 * The effective config for `dir`: config files from the root that holds `dir`
 * (or the filesystem root) down to `dir`, each expanded with its `extends`;
 * `base`, when given, first.
 */
export function resolveConfig(loader: ConfigLoader, dir: string, roots: readonly string[], base?: string, user?: ConfigData): EffectiveConfig {
  const chain = folderChain(dir, roots).map((d) => path.join(d, '.plumbline.yaml'));
  // An explicit config (`plumbline check --config`) applies first, under every file found in the tree.
  const present = [...(base ? [base] : []), ...chain.filter((f) => f !== base)].filter((f) => loader.load(f) !== undefined);
  const config = new EffectiveConfig(present);
  // The editor's settings are the user's defaults: every config file in the tree applies over them.
  if (user) config.apply(user, dir, '(settings)');
  for (const file of present) applyFile(loader, config, file, new Set());
  return config;
}

/**
 * The outermost root holding `dir`: configuration is inherited from there
 * down. (For the CLI, `plumbline check examples/terraform` run from the
 * repository still sees examples/.plumbline.yaml: the current directory is a root.)
 */
export function outermostRoot(dir: string, roots: readonly string[]): string | undefined {
  return roots.filter((r) => dir === r || dir.startsWith(r.endsWith(path.sep) ? r : r + path.sep)).sort((a, b) => a.length - b.length)[0];
}

/** The folders from the outermost root holding `dir` (or the filesystem root) down to `dir`. */
export function folderChain(dir: string, roots: readonly string[]): string[] {
  const root = outermostRoot(dir, roots);
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root || path.dirname(d) === d) break;
  }
  return chain;
}

function applyFile(loader: ConfigLoader, config: EffectiveConfig, file: string, seen: Set<string>): void {
  if (seen.has(file)) return; // an extends cycle: each file applies once
  seen.add(file);
  const loaded = loader.load(file);
  if (!loaded) return;
  applyWithExtends(loader, config, loaded.data, path.dirname(file), file, seen);
}

function applyWithExtends(loader: ConfigLoader, config: EffectiveConfig, data: ConfigData, base: string, file: string, seen: Set<string>): void {
  for (const entry of [data.extends ?? []].flat()) {
    const preset = PRESETS[entry];
    if (preset) {
      if (seen.has(`preset:${entry}`)) continue;
      seen.add(`preset:${entry}`);
      applyWithExtends(loader, config, preset, base, file, seen);
    } else applyFile(loader, config, path.resolve(base, entry), seen);
  }
  config.apply(data, base, file);
}
