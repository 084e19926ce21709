import type { AnyRule } from '../engine/rule';
import { SEVERITIES } from '../engine/severity';
import { PRESET_NAMES } from './presets';

/**
 * The JSON Schema of `.plumbline.yaml`, built from the rules themselves so
 * that every rule id and every rule's params are described (and completed
 * by editors) without a second list to keep in step. `npm run docs` writes it
 * to schemas/plumbline.schema.json; a test checks the file is current.
 */
export function configSchema(rules: readonly AnyRule[], entries: 'full' | 'ids only' = 'full'): Record<string, unknown> {
  const ruleEntry = entries === 'full' ? ruleEntrySchema : () => ({});
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://plumbline.dev/schemas/plumbline.schema.json',
    title: 'Plumbline configuration (.plumbline.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      extends: {
        description: `Presets (${PRESET_NAMES.join(', ')}) or paths of other config files, applied before this file.`,
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        examples: [...PRESET_NAMES],
      },
      rules: {
        type: 'object',
        description: 'Per-rule settings, by rule id.',
        additionalProperties: false,
        properties: Object.fromEntries(rules.map((r) => [r.id, ruleEntry(r)])),
      },
      exclude: globs('Paths (globs, relative to this file) Plumbline does not analyse.'),
      report_unknown: { type: 'boolean', description: 'Every rule reports an info note where it could not evaluate a value.' },
      suppression: {
        type: 'object',
        description: 'Limits on inline suppression directives: the shortest reason, the latest expiry, and rules that cannot be suppressed.',
        additionalProperties: false,
        properties: {
          min_reason_chars: { type: 'integer', minimum: 1, description: 'Shortest accepted reason (default 10).' },
          max_days: { type: 'integer', minimum: 1, description: 'Latest accepted expiry, in days from today (default 180).' },
          non_suppressible: { type: 'array', items: { type: 'string' }, description: 'Rules that cannot be suppressed inline.' },
        },
      },
      policies: { type: 'array', description: 'Custom policies: a match (resource types, kinds, labels, jobs) and a JSON Schema assert each block must satisfy (docs/policies.md).', items: { type: 'object' } },
      ...globalParams(rules),
    },
  };
}

/**
 * The schema of one rule's entry under `rules:`. With `configSchema(rules,
 * 'ids only')` a validator checks the entries one by one with these, and
 * compiles only those of the rules a config names (compiling all of them
 * takes about half a second).
 */
export function ruleEntrySchema(rule: AnyRule): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    description: `${rule.title} (default severity ${rule.severity}).`,
    properties: {
      enabled: { type: 'boolean', description: 'Run this rule (default true).' },
      severity: { enum: [...SEVERITIES], description: 'Severity of every finding of this rule.' },
      params: rule.params
        ? { type: 'object', additionalProperties: false, properties: stripDefaults(rule.params.properties) }
        : { type: 'object', additionalProperties: false, properties: {} },
      exclude_paths: globs('Paths (globs, relative to this file) where this rule does not report.'),
      report_unknown: { type: 'boolean', description: 'Report one info note where the rule could not evaluate a value.' },
    },
  };
}

/**
 * Global parameters: a param that several rules share by name (required_tags,
 * allowed_regions, prod_patterns, data_asset_selector …) may be set once at
 * the top level and reaches every rule that declares it.
 */
export function globalParams(rules: readonly AnyRule[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of GLOBAL_PARAMS) {
    const owners = rules.filter((r) => r.params?.properties[name]);
    if (owners.length === 0) continue;
    const { default: _, ...schema } = owners[0]!.params!.properties[name]!;
    out[name] = { ...schema, description: `${String(schema.description ?? '')} Applies to: ${owners.map((r) => r.id).join(', ')}.`.trim() };
  }
  return out;
}

/** The catalog's shared parameters that may be set at the top level of the config. */
export const GLOBAL_PARAMS = [
  'required_tags',
  'allowed_regions',
  'allowed_registries',
  'protected_environments',
  'prod_patterns',
  'data_asset_selector',
  'ai_workload_selector',
  'deploy_signals',
  'policy_actions',
  'policy_commands',
  'kms_key_ref',
  'must_be_in_workspace',
] as const;

function globs(description: string) {
  return { type: 'array', items: { type: 'string' }, description };
}

/** Param schemas without `default` (a default in the config schema would suggest the user must write it). */
function stripDefaults(props: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([key]) => key !== 'default'))]));
}
