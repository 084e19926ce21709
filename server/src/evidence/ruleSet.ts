import * as path from 'node:path';
import { paramsOf } from '../engine/run';
import { builtinRules } from '../rules';
import { toPath, type LanguageService } from '../service/languageService';
import { canonicalJson, sha256Hex } from './hash';
import type { EvidenceRule, EvidenceRules } from './types';

/** Per rule id, each distinct (severity, params) it ran with, and the folders where it did. */
export type RuleVariants = Map<string, Map<string, { severity: EvidenceRule['severity']; params: Record<string, unknown>; folders: Set<string> }>>;

/**
 * Records the built-in rules that run on the document `uri` under its
 * configuration: those of its kind's domain (a YAML file's documents
 * decide: Kubernetes, GitHub Actions, GitLab CI) that the config enables,
 * with the severity and params in force there.
 */
export function collectRuleVariants(service: LanguageService, uri: string, folder: string, into: RuleVariants): void {
  const config = service.configFor(uri);
  if (config.isExcluded(toPath(uri))) return;
  const kind = service.kindOf(uri);
  const domains =
    kind === 'terraform' ? new Set<string>(['terraform']) : kind === 'terraform-vars' || kind === 'other' ? new Set<string>() : new Set<string>((service.yamlFile(uri, kind)?.documents ?? []).map((d) => d.kind));
  for (const rule of builtinRules) {
    if (!domains.has(rule.domain) || !config.enabled(rule.id)) continue;
    const severity = config.severityOf(rule.id) ?? rule.severity;
    const params = paramsOf(rule, config.overridesFor(rule));
    const key = canonicalJson([severity, params]);
    const variants = into.get(rule.id) ?? new Map();
    into.set(rule.id, variants);
    const variant = variants.get(key) ?? { severity, params, folders: new Set<string>() };
    variants.set(key, variant);
    variant.folders.add(folder);
  }
}

/** The rule set section: one entry per rule (per variant where folders differ), sorted, with its hash. */
export function ruleSetOf(variants: RuleVariants): EvidenceRules {
  const list: EvidenceRule[] = [];
  for (const rule of builtinRules) {
    const forRule = variants.get(rule.id);
    if (!forRule) continue;
    const several = forRule.size > 1;
    for (const v of forRule.values())
      list.push({
        id: rule.id,
        title: rule.title,
        domain: rule.domain,
        severity: v.severity,
        defaultSeverity: rule.severity,
        params: v.params,
        mappings: rule.mappings,
        ...(several ? { folders: [...v.folders].sort() } : {}),
      });
  }
  list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || compare(canonicalJson(a.folders ?? []), canonicalJson(b.folders ?? [])));
  return { list, rulesetHash: rulesetHash(list) };
}

/**
 * SHA-256 over the canonical JSON of `[[id, severity, params, folders?], …]`
 * in list order: equal for two reports exactly when the same rules ran with
 * the same severities and parameters. Titles and mappings are left out (they
 * are documentation and move with the tool version).
 */
export function rulesetHash(list: readonly EvidenceRule[]): string {
  return sha256Hex(canonicalJson(list.map((r) => [r.id, r.severity, r.params, ...(r.folders ? [r.folders] : [])])));
}

/** A folder as the rule set names it: relative to the report's directory. */
export function folderName(cwd: string, dir: string): string {
  return path.relative(cwd, dir).split(path.sep).join('/') || '.';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
