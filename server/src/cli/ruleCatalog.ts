import { PARSE_ERROR_ID } from '../engine/finding';
import { PLACEHOLDER_ID } from '../engine/placeholders';
import { defaultParams, type AnyRule, type Domain, type Mappings } from '../engine/rule';
import type { Severity } from '../engine/severity';
import { ruleDocsUrl } from '../features/ruleDocs';
import { builtinRules } from '../rules';
import { CONFIG_ERROR_ID } from '../service/languageService';
import { SUPPRESSION_EXPIRED_ID, SUPPRESSION_INVALID_ID, SUPPRESSION_UNUSED_ID } from '../suppressions';

/** package.json `repository.url` without `.git` (a test keeps the two equal). */
export const REPOSITORY_URL = 'https://github.com/plumbline/plumbline';

/** The one place that says where a page of the repository's docs lives on the web (SARIF helpUri, `plumbline rules`). */
export function docsPageUri(page: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/${page}`;
}

/** Stable web address of a built-in rule's documentation page (docs/rules/<id>.md in the repository). */
export function ruleHelpUri(ruleId: string): string {
  return ruleDocsUrl(ruleId, docsPageUri('rules/'));
}

/** What the reports say about a rule id, built-in or not. */
export interface RuleDescriptor {
  readonly id: string;
  readonly title: string;
  /** `engine` for findings about files, configs and directives; `policy` for a custom policy of a config. */
  readonly domain: Domain | 'engine' | 'policy';
  readonly severity: Severity;
  readonly ai: boolean;
  readonly params: Record<string, { readonly default: unknown; readonly description: string }>;
  readonly mappings: Mappings;
  readonly helpUri: string | undefined;
}

const ENGINE: readonly { id: string; title: string; severity: Severity; page?: string }[] = [
  { id: PARSE_ERROR_ID, title: 'The file does not parse', severity: 'high' },
  { id: CONFIG_ERROR_ID, title: 'A problem in .plumbline.yaml or a policy file', severity: 'medium', page: 'policies.md' },
  { id: PLACEHOLDER_ID, title: 'A placeholder left in the code', severity: 'medium' },
  { id: SUPPRESSION_EXPIRED_ID, title: 'A suppression directive has expired', severity: 'medium', page: 'suppressions.md' },
  { id: SUPPRESSION_INVALID_ID, title: 'A suppression directive is malformed', severity: 'low', page: 'suppressions.md' },
  { id: SUPPRESSION_UNUSED_ID, title: 'A suppression directive suppresses nothing', severity: 'info', page: 'suppressions.md' },
];

export function describeRule(rule: AnyRule): RuleDescriptor {
  const defaults = defaultParams(rule);
  return {
    id: rule.id,
    title: rule.title,
    domain: rule.domain,
    severity: rule.severity,
    ai: rule.ai ?? false,
    params: Object.fromEntries(Object.entries(rule.params?.properties ?? {}).map(([k, s]) => [k, { default: defaults[k] ?? null, description: s.description }])),
    mappings: rule.mappings,
    helpUri: ruleHelpUri(rule.id),
  };
}

const BUILTIN = new Map(builtinRules.map((r) => [r.id, describeRule(r)]));
const ENGINE_RULES = new Map(
  ENGINE.map((e) => [
    e.id,
    { id: e.id, title: e.title, domain: 'engine', severity: e.severity, ai: false, params: {}, mappings: {}, helpUri: e.page ? docsPageUri(e.page) : undefined } satisfies RuleDescriptor,
  ]),
);

/** Every built-in rule, in the registry's order. */
export function builtinDescriptors(): RuleDescriptor[] {
  return [...BUILTIN.values()];
}

/**
 * The descriptor of any id a finding can carry. An id that is neither a
 * built-in rule nor an engine finding is a custom policy of some config: its
 * title is its id and its severity the one its finding carries.
 */
export function descriptorFor(ruleId: string, severity: Severity): RuleDescriptor {
  return (
    BUILTIN.get(ruleId) ??
    ENGINE_RULES.get(ruleId) ?? { id: ruleId, title: `Custom policy ${ruleId}`, domain: 'policy', severity, ai: false, params: {}, mappings: {}, helpUri: docsPageUri('policies.md') }
  );
}

/** The descriptors of the ids `findings` carry, sorted by id. */
export function descriptorsOf(findings: readonly { ruleId: string; severity: Severity }[]): RuleDescriptor[] {
  const out = new Map<string, RuleDescriptor>();
  for (const f of findings) if (!out.has(f.ruleId)) out.set(f.ruleId, descriptorFor(f.ruleId, f.severity));
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Mapping values as SARIF-style tags: `nist:AC-6`, `euAiAct:Art.12`. */
export function mappingTags(m: Mappings): string[] {
  return Object.entries(m).flatMap(([k, v]) => ((v as readonly string[] | undefined) ?? []).map((x) => `${k}:${x}`));
}
