import type { AnyRule } from '../engine/rule';
import { configSchema } from '../config/schema';

/**
 * Walks the config schema (configSchema: the same one the loader validates
 * with) along a path of keys, so completion and hover offer exactly what
 * validation accepts, descriptions included, without a second list.
 */
export type Schema = Readonly<Record<string, unknown>>;

/** A path in the config: map keys, and '-' for "an item of this sequence". */
export type ConfigPath = readonly string[];

const schemas = new WeakMap<readonly AnyRule[], Schema>();

export function schemaOf(rules: readonly AnyRule[]): Schema {
  let schema = schemas.get(rules);
  if (!schema) schemas.set(rules, (schema = configSchema(rules)));
  return schema;
}

/** The schema and its oneOf/anyOf branches: a key or value any of them allows is offered. */
function branches(schema: Schema): Schema[] {
  const alternatives = [...((schema.oneOf as Schema[] | undefined) ?? []), ...((schema.anyOf as Schema[] | undefined) ?? [])];
  return [schema, ...alternatives.flatMap(branches)];
}

export function schemaAt(root: Schema, path: ConfigPath): Schema | undefined {
  let cur: Schema | undefined = root;
  for (const step of path) {
    if (!cur) return undefined;
    const options = branches(cur);
    cur =
      step === '-'
        ? (options.map((s) => s.items as Schema | undefined).find(Boolean) ?? undefined)
        : (options.map((s) => (s.properties as Record<string, Schema> | undefined)?.[step]).find(Boolean) ??
          options.map((s) => (typeof s.additionalProperties === 'object' ? (s.additionalProperties as Schema) : undefined)).find(Boolean));
  }
  return cur;
}

/** The keys a mapping at this schema may hold, with their schemas. */
export function keysOf(schema: Schema | undefined): [string, Schema][] {
  if (!schema) return [];
  return branches(schema).flatMap((s) => Object.entries((s.properties as Record<string, Schema> | undefined) ?? {}));
}

/** The scalar values a schema names: enum members, true/false, examples. */
export function valuesOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const out = new Set<string>();
  for (const s of branches(schema)) {
    for (const v of (s.enum as unknown[] | undefined) ?? []) out.add(String(v));
    for (const v of (s.examples as unknown[] | undefined) ?? []) out.add(String(v));
    if (s.type === 'boolean') ['true', 'false'].forEach((v) => out.add(v));
  }
  return [...out];
}

/** Whether a value at this schema is a mapping or a list (written on the lines below its key). */
export function isBlock(schema: Schema | undefined): boolean {
  return !!schema && branches(schema).some((s) => s.type === 'object' || s.type === 'array') && valuesOf(schema).length === 0;
}

/** The rule a path is inside (`rules.<id>…`), if any. */
export function ruleOfPath(path: ConfigPath, rules: readonly AnyRule[]): AnyRule | undefined {
  return path[0] === 'rules' && path[1] ? rules.find((r) => r.id === path[1]) : undefined;
}
