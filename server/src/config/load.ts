import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as path from 'node:path';
import type { AnyRule } from '../engine/rule';
import type { Range } from '../model/location';
import type { YamlNode } from '../model/yaml';
import { parseYaml } from '../parsers/yaml/parser';
import { PRESETS } from './presets';
import { configSchema, ruleEntrySchema } from './schema';
import type { ConfigData } from './types';

export const CONFIG_FILE = '.plumbline.yaml';

/** Something wrong in a config file, at the offending key or value. */
export interface ConfigProblem {
  readonly file: string;
  readonly range: Range;
  readonly message: string;
  readonly severity: 'high' | 'medium';
}

/** One config file, read and validated: what is valid in it, and what is not. */
export interface LoadedConfig {
  readonly file: string;
  readonly text: string;
  /** The valid part: invalid entries are left out (the rest still applies). */
  readonly data: ConfigData;
  readonly problems: readonly ConfigProblem[];
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Reads config files through `read` (open buffers first, then disk) and
 * validates them against the schema built from the rules. A file that does
 * not parse keeps the last version of it that did, and says so.
 */
export class ConfigLoader {
  private readonly cache = new Map<string, LoadedConfig>();
  private readonly lastValid = new Map<string, ConfigData>();
  private ajv: Ajv | undefined;
  private topLevel: ValidateFunction | undefined;
  private readonly ruleEntries = new Map<string, ValidateFunction>();

  constructor(
    private readonly rules: readonly AnyRule[],
    private readonly read: (file: string) => string | undefined,
  ) {}

  /**
   * The config's schema errors. The validators are compiled on first use,
   * and a rule's entry only when a config names that rule: compiling the
   * whole schema takes about half a second, which a workspace without a
   * .plumbline.yaml never needs to pay and one with a config pays only for
   * the rules it sets.
   */
  private schemaErrors(data: ConfigData): ErrorObject[] {
    const ajv = (this.ajv ??= newAjv());
    const topLevel = (this.topLevel ??= ajv.compile(configSchema(this.rules, 'ids only')));
    const errors = topLevel(data) ? [] : [...(topLevel.errors ?? [])];
    const entries = data.rules;
    if (!entries || typeof entries !== 'object' || Array.isArray(entries)) return errors;
    for (const [id, entry] of Object.entries(entries)) {
      const validate = this.ruleEntryValidator(ajv, id);
      if (validate && !validate(entry)) {
        const at = `/rules/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        errors.push(...(validate.errors ?? []).map((e) => ({ ...e, instancePath: at + e.instancePath })));
      }
    }
    return errors;
  }

  /** Undefined for an id that is not a rule (the top-level schema reports it). */
  private ruleEntryValidator(ajv: Ajv, id: string): ValidateFunction | undefined {
    const known = this.ruleEntries.get(id);
    if (known) return known;
    const rule = this.rules.find((r) => r.id === id);
    if (!rule) return undefined;
    const compiled = ajv.compile(ruleEntrySchema(rule));
    this.ruleEntries.set(id, compiled);
    return compiled;
  }

  load(file: string): LoadedConfig | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.text === text) return cached;
    const loaded = this.parse(file, text);
    this.cache.set(file, loaded);
    return loaded;
  }

  private parse(file: string, text: string): LoadedConfig {
    const yaml = parseYaml(`file://${file}`, text, { kindOf: () => 'other' });
    const root = yaml.documents[0]?.root;
    if (yaml.errors.length > 0) {
      const kept = this.lastValid.get(file);
      const e = yaml.errors[0]!;
      return {
        file,
        text,
        data: kept ?? {},
        problems: [{ file, range: e.range, severity: 'high', message: `${e.message} ${kept ? 'The last valid version of this file stays in force until it parses again.' : 'This file is ignored until it parses.'}` }],
      };
    }
    if (root === undefined) return { file, text, data: {}, problems: [] };
    const problems: ConfigProblem[] = [];
    let data = toJs(root) as ConfigData;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return { file, text, data: {}, problems: [{ file, range: root.range, severity: 'high', message: 'A Plumbline config is a mapping: extends, rules, exclude, policies and global parameters.' }] };
    }
    // Validate, drop what is invalid, and validate again: the rest applies.
    for (let round = 0; round < 5; round++) {
      const found = this.schemaErrors(data);
      if (found.length === 0) break;
      const errors = dedupe(found);
      for (const e of errors) problems.push({ file, range: rangeOf(root, e), severity: 'medium', message: messageOf(e) });
      data = withoutInvalid(data, errors) as ConfigData;
    }
    for (const entry of [data.extends ?? []].flat()) {
      if (typeof entry === 'string' && !PRESETS[entry] && !/[\\/]|\.ya?ml$/.test(entry))
        problems.push({ file, range: rangeAt(root, ['extends']) ?? root.range, severity: 'medium', message: `Unknown preset "${entry}": use ${Object.keys(PRESETS).join(', ')}, or a path to another config file.` });
    }
    this.lastValid.set(file, data);
    return { file, text, data, problems };
  }
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  // Rule params that hold regular expressions say so: an invalid one is a config error.
  ajv.addFormat('regex', (s: string) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  return ajv;
}

/** The plain value of a YAML node. */
export function toJs(node: YamlNode | undefined): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJs);
  return Object.fromEntries(node.pairs.map((p) => [p.key, toJs(p.value)]));
}

/** The node (and its key) at a JSON pointer path. */
export function rangeAt(root: YamlNode, segments: readonly string[], key = false): Range | undefined {
  let node: YamlNode | undefined = root;
  let keyRange: Range | undefined;
  for (const s of segments) {
    if (node?.kind === 'map') {
      const p: { keyRange: Range; value: YamlNode | undefined } | undefined = node.pairs.find((x) => x.key === s);
      if (!p) return undefined;
      keyRange = p.keyRange;
      node = p.value;
    } else if (node?.kind === 'seq') {
      node = node.items[Number(s)];
      keyRange = undefined;
    } else return undefined;
  }
  return key ? (keyRange ?? node?.range) : (node?.range ?? keyRange);
}

function segmentsOf(e: ErrorObject): string[] {
  return e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Where an ajv error belongs: an unknown key on that key, a wrong value on
 * the value, a missing property on the key of the mapping that lacks it.
 */
function rangeOf(root: YamlNode, e: ErrorObject): Range {
  const at = segmentsOf(e);
  if (e.keyword === 'additionalProperties') return rangeAt(root, [...at, String(e.params.additionalProperty)], true) ?? rangeAt(root, at, true) ?? ZERO;
  if (e.keyword === 'required') return rangeAt(root, at, true) ?? root.range;
  return rangeAt(root, at) ?? rangeAt(root, at.slice(0, -1), true) ?? root.range;
}

function messageOf(e: ErrorObject): string {
  const at = segmentsOf(e);
  const where = at.length ? at.join('.') : 'the config';
  if (e.keyword === 'additionalProperties') {
    const key = String(e.params.additionalProperty);
    if (at.length === 1 && at[0] === 'rules') return `Unknown rule id "${key}": it is not a Plumbline rule (see docs/rules/README.md). This entry is ignored.`;
    if (at[at.length - 1] === 'params') return `Rule ${at[1]} has no parameter "${key}". This parameter is ignored.`;
    return `Unknown setting "${key}" in ${where}. It is ignored.`;
  }
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}. This value is ignored.`;
  return `${where} ${e.message ?? 'is invalid'}. This value is ignored.`;
}

/** ajv reports oneOf/anyOf branches separately: keep one error per place. */
function dedupe(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.instancePath}|${e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A copy of `data` without the values the errors point at. */
function withoutInvalid(data: unknown, errors: readonly ErrorObject[]): unknown {
  const copy = structuredClone(data) as Record<string, unknown>;
  for (const e of errors) {
    const at = segmentsOf(e);
    const target = e.keyword === 'additionalProperties' ? [...at, String(e.params.additionalProperty)] : at;
    if (target.length === 0) return {};
    let parent: unknown = copy;
    for (const s of target.slice(0, -1)) parent = (parent as Record<string, unknown> | undefined)?.[s];
    const last = target[target.length - 1]!;
    if (Array.isArray(parent)) parent[Number(last)] = REMOVED;
    else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
  }
  return dropRemoved(copy);
}

const REMOVED = Symbol('removed');

function dropRemoved(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== REMOVED).map(dropRemoved);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dropRemoved(x)]));
  return v;
}

export function configPathIn(dir: string): string {
  return path.join(dir, CONFIG_FILE);
}
