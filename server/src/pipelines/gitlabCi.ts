/**
 * A resolved view of a GitLab CI file, shared by the `gitlab-` rules (catalog §8):
 * jobs and hidden templates, `extends` (deep merge, later entries win),
 * `!reference`, `default:` with `inherit:`, `environment`, `include` entries
 * and `$VAR` expansion from the variables written in the file; and the
 * selectors several rules share: every `variables:` block, deploy jobs and
 * policy gates (catalog §4), stage order, `needs`/`dependencies`, artifact
 * sources and paths, and blocking manual gates.
 *
 * Every value keeps the node where it is written, so a finding lands on the
 * template or the `default:` entry a job got it from. What the file cannot
 * tell (an `extends` target or a `default:` that may live in an included
 * file, a project CI/CD variable) is Unknown, never Absent.
 */
import type { Located } from '../model/location';
import { get, keyOf, pair, scalarText, type YamlDocument, type YamlFile, type YamlMap, type YamlNode, type YamlPair, type YamlScalar } from '../model/yaml';

/** Top-level keys that are not jobs. `pages` is a job. `types` is the removed spelling of `stages`. */
export const RESERVED_KEYWORDS: ReadonlySet<string> = new Set([
  'default',
  'include',
  'stages',
  'types',
  'variables',
  'workflow',
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'spec',
]);

/** Job keywords a job takes from `default:` when it does not set them itself. */
export const DEFAULT_INHERITED_KEYS: ReadonlySet<string> = new Set([
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'artifacts',
  'retry',
  'timeout',
  'interruptible',
  'tags',
  'hooks',
  'id_tokens',
]);

/** Deprecated top-level spellings of `default:` keys; `default:` wins over them. */
export const GLOBAL_DEFAULT_KEYS: ReadonlySet<string> = new Set(['image', 'services', 'before_script', 'after_script', 'cache']);

/** GitLab refuses deeper `extends` chains; the limit also stops cycles. */
const MAX_EXTENDS_DEPTH = 11;
const MAX_REFERENCE_DEPTH = 10;

// ---- lookups ------------------------------------------------------------------

/** Where a value came from: the job itself, a template it extends, `default:` or a deprecated top-level key. */
export type Origin = { readonly kind: 'job' | 'extends'; readonly name: string } | { readonly kind: 'default' | 'global' };

export interface Found {
  readonly state: 'found';
  readonly key: string;
  /** The pair that writes the key: `key(x)` is `pair.keyRange`. */
  readonly pair: YamlPair;
  /** The value: `val(x)`. A `!reference` is replaced by the node it points at. */
  readonly node: YamlNode;
  readonly origin: Origin;
  /**
   * For a map: the maps `extends` deep-merges into it, most specific first
   * (the first is `node`); read them with `child`. Empty for other values.
   */
  readonly layers: readonly Layer[];
  readonly pipeline: GitlabPipeline;
}

export interface Unknown {
  readonly state: 'unknown';
  /** Why: shown in `could not evaluate` notes. */
  readonly reason: string;
  readonly at?: Located;
}

export interface Absent {
  readonly state: 'absent';
}

export type Lookup = Found | Unknown | Absent;

const ABSENT: Absent = { state: 'absent' };

/** One map in a merge chain, or an `extends` target this file does not define. */
export type Layer = { readonly map: YamlMap; readonly origin: Origin } | { readonly missing: string; readonly at: Located };

// ---- the pipeline ---------------------------------------------------------------

export class GitlabPipeline {
  readonly root: YamlMap;
  /** Runnable jobs: top-level maps that are neither keywords nor hidden. */
  readonly jobs: readonly GitlabJob[];
  /** Hidden jobs (`.name`): never run, used by `extends` and `!reference`. */
  readonly templates: readonly GitlabJob[];
  private readonly byName = new Map<string, GitlabJob>();

  private constructor(
    readonly file: YamlFile,
    readonly document: YamlDocument,
    root: YamlMap,
  ) {
    this.root = root;
    const jobs: GitlabJob[] = [];
    const templates: GitlabJob[] = [];
    for (const p of root.pairs) {
      if (RESERVED_KEYWORDS.has(p.key) || p.value?.kind !== 'map' || this.byName.has(p.key)) continue;
      const job = new GitlabJob(this, p.key, p, p.value);
      this.byName.set(p.key, job);
      (job.hidden ? templates : jobs).push(job);
    }
    this.jobs = jobs;
    this.templates = templates;
  }

  /** The pipelines of a rule's documents (a component's `spec:` header document has no jobs). */
  static all(file: YamlFile, documents: readonly YamlDocument[]): GitlabPipeline[] {
    return documents.flatMap((d) => (d.root?.kind === 'map' ? [new GitlabPipeline(file, d, d.root)] : []));
  }

  /** A job or hidden template by name. */
  job(name: string): GitlabJob | undefined {
    return this.byName.get(name);
  }

  /** Any top-level entry, as `!reference` may point at keywords too (`[default, image]`). */
  topLevel(name: string): YamlPair | undefined {
    return pair(this.root, name);
  }

  /** Whether `include:` pulls in other files, which may define `default:`, templates and jobs. */
  hasIncludes(): boolean {
    return this.root.pairs.some((p) => p.key === 'include' && p.value !== undefined);
  }

  /**
   * The `default:` value of a key, else its deprecated top-level spelling.
   * Absent here but the file includes others ⇒ Unknown (they may set it).
   */
  defaultValue(key: string): Lookup {
    const def = this.topLevel('default')?.value;
    const fromDefault = pair(def, key);
    if (fromDefault) return this.valueOf(key, fromDefault, { kind: 'default' });
    if (GLOBAL_DEFAULT_KEYS.has(key)) {
      const p = this.topLevel(key);
      if (p) return this.valueOf(key, p, { kind: 'global' });
    }
    if (this.hasIncludes()) return { state: 'unknown', reason: `default:${key} may be set by an included file` };
    return ABSENT;
  }

  /** Top-level `variables:` (the file's own). */
  globalVariables(): YamlMap | undefined {
    const v = this.topLevel('variables')?.value;
    return v?.kind === 'map' ? v : undefined;
  }

  /** Expands variables with the top-level `variables:` only (for values outside any job, like `default:`). */
  expand(text: string): Expanded {
    return expandWith(
      text,
      (name) => {
        const v = get(this.globalVariables(), name);
        return v ? variableValue(v) : undefined;
      },
      0,
    );
  }

  /**
   * A pair's value with `!reference` resolved; an empty value (`key:`) counts
   * as absent. Maps get their merge layers from the caller.
   */
  valueOf(key: string, pair: YamlPair, origin: Origin, depth = 0): Lookup {
    if (!pair.value) return ABSENT;
    const ref = this.reference(pair.value);
    if (!ref) return { state: 'found', key, pair, node: pair.value, origin, layers: pair.value.kind === 'map' ? [{ map: pair.value, origin }] : [], pipeline: this };
    const target = this.resolveReference(ref, pair.value, depth);
    return target.state === 'found' ? { ...target, key, pair } : target;
  }

  // ---- !reference ---------------------------------------------------------------

  /** The path of a `!reference [job, key, …]` node, else undefined. */
  reference(node: YamlNode): readonly string[] | undefined {
    if (node.kind !== 'seq' || node.tag !== '!reference') return undefined;
    const path = node.items.map((i) => (i.kind === 'scalar' ? scalarText(i) : undefined));
    return path.length >= 2 && path.every((s): s is string => s !== undefined) ? path : undefined;
  }

  /** Resolves a `!reference` path against the merged (extended) configuration, as GitLab does. */
  resolveReference(path: readonly string[], at: YamlNode, depth: number): Lookup {
    const unknown = (reason: string): Unknown => ({ state: 'unknown', reason, at });
    if (depth > MAX_REFERENCE_DEPTH) return unknown('!reference nested too deeply');
    const [name, key, ...rest] = path as [string, string, ...string[]];
    let cur: Lookup;
    const job = this.job(name);
    if (job) cur = job.own(key, depth + 1);
    else {
      const top = this.topLevel(name);
      if (!top) return unknown(`!reference target ${name} is not in this file`);
      const p = pair(top.value, key);
      cur = p ? this.valueOf(key, p, { kind: name === 'default' ? 'default' : 'global' }, depth + 1) : ABSENT;
    }
    for (const k of rest) {
      if (cur.state !== 'found') break;
      cur = child(cur, k);
    }
    if (cur.state === 'absent') return unknown(`!reference [${path.join(', ')}] points at nothing in this file`);
    return cur;
  }

  /**
   * A sequence flattened the way GitLab runs it (`script:` items may be nested
   * lists and `!reference`s). A plain string counts as a one-line list.
   */
  flatten(node: YamlNode | undefined, depth = 0): { items: YamlNode[]; unknown: Unknown[] } {
    const out = { items: [] as YamlNode[], unknown: [] as Unknown[] };
    if (!node) return out;
    const visit = (n: YamlNode, d: number): void => {
      const ref = this.reference(n);
      if (ref) {
        const r = this.resolveReference(ref, n, d + 1);
        if (r.state === 'found') visit(r.node, d + 1);
        else if (r.state === 'unknown') out.unknown.push(r);
        return;
      }
      if (n.kind === 'seq') for (const i of n.items) visit(i, d);
      else out.items.push(n);
    };
    visit(node, depth);
    return out;
  }

  // ---- include --------------------------------------------------------------------

  /** `include:` entries, normalised (a string is `local`, or `remote` when it is a URL). */
  includes(): IncludeEntry[] {
    const include = this.topLevel('include')?.value;
    if (!include) return [];
    const list = include.kind === 'seq' ? this.flatten(include).items : [include];
    return list.flatMap((e): IncludeEntry[] => {
      if (e.kind === 'scalar') {
        const text = scalarText(e);
        if (text === undefined) return [];
        return [/^https?:\/\//i.test(text) ? { type: 'remote', entry: e, value: e } : { type: 'local', entry: e, value: e }];
      }
      if (e.kind !== 'map') return [];
      const p = (k: string) => pair(e, k);
      for (const type of ['project', 'remote', 'component', 'template', 'local'] as const) {
        const main = p(type);
        if (!main?.value) continue;
        const base = { entry: e, pair: main, value: main.value };
        if (type === 'project') return [{ type, ...base, ref: p('ref'), file: p('file') }];
        if (type === 'remote') return [{ type, ...base, integrity: p('integrity') }];
        return [{ type, ...base }];
      }
      return [];
    });
  }
}

export type IncludeEntry =
  | { readonly type: 'local' | 'template' | 'component'; readonly entry: YamlNode; readonly pair?: YamlPair; readonly value: YamlNode }
  | { readonly type: 'remote'; readonly entry: YamlNode; readonly pair?: YamlPair; readonly value: YamlNode; readonly integrity?: YamlPair }
  | {
      readonly type: 'project';
      readonly entry: YamlNode;
      readonly pair: YamlPair;
      readonly value: YamlNode;
      readonly ref: YamlPair | undefined;
      readonly file: YamlPair | undefined;
    };

// ---- jobs -------------------------------------------------------------------------

export class GitlabJob {
  readonly hidden: boolean;
  private cachedLayers: Layer[] | undefined;

  constructor(
    readonly pipeline: GitlabPipeline,
    readonly name: string,
    /** `job` = `keyOf(pair)`. */
    readonly pair: YamlPair,
    readonly map: YamlMap,
  ) {
    this.hidden = name.startsWith('.');
  }

  /**
   * The maps this job is merged from, most specific first: the job, then its
   * `extends` (a later entry wins over an earlier one, each with its own chain).
   */
  layers(): readonly Layer[] {
    if (this.cachedLayers) return this.cachedLayers;
    const out: Layer[] = [];
    const visit = (job: GitlabJob, origin: Origin, path: readonly string[]): void => {
      out.push({ map: job.map, origin });
      if (path.length >= MAX_EXTENDS_DEPTH) return;
      const ext = get(job.map, 'extends');
      const names = ext?.kind === 'seq' ? ext.items : ext ? [ext] : [];
      for (const n of [...names].reverse()) {
        const name = scalarText(n);
        if (name === undefined || path.includes(name)) continue; // a cycle is a GitLab error; stop here
        const target = this.pipeline.job(name);
        if (target) visit(target, { kind: 'extends', name }, [...path, name]);
        else out.push({ missing: name, at: n });
      }
    };
    visit(this, { kind: 'job', name: this.name }, [this.name]);
    return (this.cachedLayers = out);
  }

  /** A key from the job and its `extends` chain only (what `!reference` sees). */
  own(key: string, depth = 0): Lookup {
    return lookupIn(this.pipeline, this.layers(), key, depth);
  }

  /**
   * A key as the job runs with it: the job, its `extends` chain, then
   * `default:` for the keys GitLab inherits from there, honouring `inherit:default`.
   */
  get(key: string): Lookup {
    const own = this.own(key);
    if (own.state !== 'absent' || !DEFAULT_INHERITED_KEYS.has(key)) return own;
    const inherits = this.inherits('default', key);
    if (inherits !== true) return inherits === false ? ABSENT : inherits;
    return this.pipeline.defaultValue(key);
  }

  /** Whether `inherit:<what>` (`default` or `variables`) lets the job take `key` from the top level. */
  inherits(what: 'default' | 'variables', key: string): boolean | Unknown {
    const inherit = this.own('inherit');
    if (inherit.state !== 'found') return inherit.state === 'unknown' ? inherit : true;
    const setting = child(inherit, what);
    if (setting.state !== 'found') return setting.state === 'unknown' ? setting : true;
    const n = setting.node;
    if (n.kind === 'scalar') return n.value !== false;
    if (n.kind !== 'seq') return true;
    const { items, unknown } = this.pipeline.flatten(n);
    if (items.some((i) => scalarText(i) === key)) return true;
    return unknown[0] ?? false;
  }

  /** The job's `script`, `before_script` or `after_script` lines, flattened. */
  scriptLines(key: 'script' | 'before_script' | 'after_script'): { lines: YamlScalar[]; unknown: Unknown[] } {
    const r = this.get(key);
    if (r.state === 'unknown') return { lines: [], unknown: [r] };
    if (r.state === 'absent') return { lines: [], unknown: [] };
    const { items, unknown } = this.pipeline.flatten(r.node);
    return { lines: items.filter((i): i is YamlScalar => i.kind === 'scalar'), unknown };
  }

  /** `environment:` (a name, or a map with `name` and `deployment_tier`). */
  environment(): EnvironmentLookup {
    const env = this.get('environment');
    if (env.state !== 'found') return env;
    if (env.node.kind === 'scalar') return { state: 'found', env, name: env, tier: ABSENT };
    if (env.node.kind !== 'map') return { state: 'unknown', reason: 'environment is neither a name nor a map', at: env.node };
    return { state: 'found', env, name: child(env, 'name'), tier: child(env, 'deployment_tier') };
  }

  /**
   * Expands `$VAR`, `${VAR}` and `%VAR%` with the variables written in the file
   * (job and `extends` over top-level `variables:`, honouring `inherit:variables`).
   * Project/group and predefined variables are not in the file: those parts are Unknown.
   */
  expand(text: string): Expanded {
    return expandWith(text, (name) => this.variable(name), 0);
  }

  private variable(name: string): string | undefined {
    const fromJob = this.own('variables');
    if (fromJob.state === 'unknown') return undefined;
    if (fromJob.state === 'found') {
      const v = child(fromJob, name);
      if (v.state === 'found') return variableValue(v.node);
      if (v.state === 'unknown') return undefined;
    }
    if (this.inherits('variables', name) !== true) return undefined;
    const global = pair(this.pipeline.globalVariables(), name);
    return global?.value ? variableValue(global.value) : undefined;
  }
}

export type EnvironmentLookup =
  | { readonly state: 'found'; readonly env: Found; readonly name: Lookup; readonly tier: Lookup }
  | Unknown
  | Absent;

/**
 * Looks a key up through merge layers, most specific first. GitLab merges
 * `extends` before it resolves `!reference`, so a reference is an opaque value
 * there: it overrides what is below it and is never merged with it.
 * `path` names the key in Unknown reasons (`image`, `environment.name`).
 */
function lookupIn(pipeline: GitlabPipeline, layers: readonly Layer[], key: string, depth: number, path = key): Lookup {
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    if ('missing' in layer)
      return { state: 'unknown', reason: `${path} may come from ${layer.missing}, which is not in this file`, at: layer.at };
    const p = pair(layer.map, key);
    if (!p) continue;
    const r = pipeline.valueOf(key, p, layer.origin, depth);
    if (r.state !== 'found' || r.node.kind !== 'map' || pipeline.reference(p.value!)) return r;
    return { ...r, layers: [...r.layers, ...mapsBelow(layers.slice(i + 1), key)] };
  }
  return ABSENT;
}

/** The values of `key` in lower layers that a deep merge adds to a map above them. */
function mapsBelow(lower: readonly Layer[], key: string): Layer[] {
  const out: Layer[] = [];
  for (const layer of lower) {
    if ('missing' in layer) {
      out.push(layer);
      break;
    }
    const p = pair(layer.map, key);
    if (!p) continue;
    // A scalar, list, reference or empty value below a map is overridden by it, and so is everything under that.
    if (p.value?.kind !== 'map') break;
    out.push({ map: p.value, origin: layer.origin });
  }
  return out;
}

/** A key inside a map value, across the maps `extends` deep-merged into it. */
export function child(parent: Found, key: string): Lookup {
  return lookupIn(parent.pipeline, parent.layers, key, 0, `${parent.key}.${key}`);
}

// ---- scalars and variables -----------------------------------------------------------

/** Text with the variables that could be expanded from the file, and the names that could not. */
export interface Expanded {
  readonly parts: readonly (string | { readonly variable: string })[];
  /** The whole text when every variable was known. */
  readonly known: string | undefined;
  readonly unknown: readonly string[];
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%|\$\[\[[^\]]*\]\]/g;

/** Whether text holds a `$VAR`, `${VAR}`, `%VAR%` or `$[[ inputs.x ]]` (an escaped `$$` is not one). */
export function hasVariable(text: string): boolean {
  for (const m of text.matchAll(VARIABLE)) if (m[0] !== '$$') return true;
  return false;
}

function expandWith(text: string, lookup: (name: string) => string | undefined, depth: number): Expanded {
  const parts: (string | { variable: string })[] = [];
  const unknown: string[] = [];
  let last = 0;
  const push = (s: string) => {
    if (!s) return;
    const prev = parts[parts.length - 1];
    if (typeof prev === 'string') parts[parts.length - 1] = prev + s;
    else parts.push(s);
  };
  for (const m of text.matchAll(VARIABLE)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '$$') {
      push('$');
      continue;
    }
    const name = m[1] ?? m[2] ?? m[3] ?? m[0];
    const value = m[0].startsWith('$[[') || depth > 5 ? undefined : lookup(name);
    if (value === undefined) {
      parts.push({ variable: name });
      unknown.push(name);
      continue;
    }
    const inner = expandWith(value, lookup, depth + 1);
    for (const p of inner.parts) typeof p === 'string' ? push(p) : parts.push(p);
    unknown.push(...inner.unknown);
  }
  push(text.slice(last));
  return { parts, unknown, known: unknown.length ? undefined : parts.map((p) => (typeof p === 'string' ? p : '')).join('') };
}

/** A `variables:` entry's value: `NAME: value` or `NAME: { value: …, expand: false }`. */
function variableValue(node: YamlNode): string | undefined {
  if (node.kind === 'scalar') return scalarText(node) ?? '';
  if (node.kind !== 'map') return undefined;
  const v = get(node, 'value');
  const raw = v ? scalarText(v) : undefined;
  if (raw === undefined) return undefined;
  const expand = get(node, 'expand');
  // `expand: false` keeps `$` literal; double it so the caller does not expand it again.
  return expand?.kind === 'scalar' && expand.value === false ? raw.replace(/\$/g, '$$$$') : raw;
}

// ---- variables blocks ------------------------------------------------------------------

/** Where a `variables:` block is written. */
export type VariablesScope = 'global' | 'workflow-rule' | 'job' | 'job-rule';

/** One `variables:` entry as written: `NAME: value` or `NAME: { value: …, … }`. */
export interface VariableEntry {
  readonly name: string;
  readonly pair: YamlPair;
  /** The scalar holding the value (the `value:` of the long form); undefined when there is none. */
  readonly value: YamlScalar | undefined;
  readonly scope: VariablesScope;
  /** The job or template the block belongs to (`job`, `job-rule`). */
  readonly job?: GitlabJob;
}

/**
 * Every `variables:` entry written in the file: top level, `workflow:rules[*]`,
 * jobs and hidden templates, and their `rules[*]`. A block shared through a
 * YAML anchor is listed once, where it is written.
 */
export function variableEntries(pipeline: GitlabPipeline): VariableEntry[] {
  const out: VariableEntry[] = [];
  const seen = new Set<YamlMap>();
  const add = (block: YamlNode | undefined, scope: VariablesScope, job?: GitlabJob) => {
    if (block?.kind !== 'map' || seen.has(block)) return;
    seen.add(block);
    for (const p of block.pairs) {
      const v = p.value;
      const value = v?.kind === 'scalar' ? v : v?.kind === 'map' ? (get(v, 'value')?.kind === 'scalar' ? (get(v, 'value') as YamlScalar) : undefined) : undefined;
      out.push({ name: p.key, pair: p, value, scope, ...(job ? { job } : {}) });
    }
  };
  const rulesOf = (holder: YamlNode | undefined): YamlNode[] => {
    const rules = get(holder, 'rules');
    return rules ? pipeline.flatten(rules).items : [];
  };
  add(get(pipeline.root, 'variables'), 'global');
  for (const rule of rulesOf(get(pipeline.root, 'workflow'))) add(get(rule, 'variables'), 'workflow-rule');
  for (const job of [...pipeline.jobs, ...pipeline.templates]) {
    add(get(job.map, 'variables'), 'job', job);
    for (const rule of rulesOf(job.map)) add(get(rule, 'variables'), 'job-rule', job);
  }
  return out;
}

/** Expands a variable's value in the scope it is written in. */
export function expandEntry(pipeline: GitlabPipeline, entry: VariableEntry, text: string): Expanded {
  return entry.job ? entry.job.expand(text) : pipeline.expand(text);
}

// ---- deploy jobs -------------------------------------------------------------------------

/** `environment:action` values that do not deploy anything. */
const NON_DEPLOY_ACTIONS: ReadonlySet<string> = new Set(['prepare', 'verify', 'access', 'stop']);

/** The script lines of a job that match one of `signals` (before_script and script). */
export function signalLines(job: GitlabJob, signals: readonly RegExp[]): YamlScalar[] {
  return (['before_script', 'script'] as const).flatMap((k) =>
    job.scriptLines(k).lines.filter((line) => {
      const text = scalarText(line);
      return text !== undefined && signals.some((s) => s.test(text));
    }),
  );
}

/**
 * A job that deploys (catalog §4 `deploy_signals`): it deploys to an
 * environment (`environment:` whose `action` is not prepare/verify/access/stop),
 * or its scripts match a deploy signal.
 */
export function isDeployJob(job: GitlabJob, signals: readonly RegExp[]): boolean {
  const env = job.environment();
  if (env.state === 'found') {
    const action = env.env.node.kind === 'map' ? child(env.env, 'action') : ABSENT;
    if (action.state !== 'found' || !NON_DEPLOY_ACTIONS.has(scalarText(action.node) ?? '')) return true;
  }
  return signalLines(job, signals).length > 0;
}

// ---- stages and needs -------------------------------------------------------------------

/** GitLab's stages when `stages:` is not written. */
export const DEFAULT_STAGES: readonly string[] = ['build', 'test', 'deploy'];

export interface NeedEntry {
  readonly job: string;
  /** The sequence item (`- build` or `- job: build`). */
  readonly node: YamlNode;
  /** `artifacts:` of the entry; true when not written. */
  readonly artifacts: boolean;
  readonly optional: boolean;
}

export type Needs =
  /** No `needs:`: the job waits for every job of the earlier stages. */
  | { readonly kind: 'stages' }
  | { readonly kind: 'needs'; readonly found: Found; readonly entries: readonly NeedEntry[] }
  | Unknown;

/** The pipeline's stage order: `.pre`, `stages:` (or the defaults), `.post`. Unknown when an included file may set `stages:`. */
export function stageOrder(pipeline: GitlabPipeline): readonly string[] | Unknown {
  const written = pipeline.topLevel('stages') ?? pipeline.topLevel('types');
  if (!written?.value) {
    if (pipeline.hasIncludes()) return { state: 'unknown', reason: 'stages: may be set by an included file' };
    return ['.pre', ...DEFAULT_STAGES, '.post'];
  }
  const { items, unknown } = pipeline.flatten(written.value);
  if (unknown.length) return unknown[0]!;
  const names = items.map((i) => scalarText(i)).filter((s): s is string => s !== undefined && s !== '.pre' && s !== '.post');
  return ['.pre', ...names, '.post'];
}

/** A job's stage (`test` when not written); Unknown when it is a variable or comes from an unknown template. */
export function stageOf(job: GitlabJob): string | Unknown {
  const stage = job.own('stage');
  if (stage.state === 'unknown') return stage;
  if (stage.state === 'absent') return 'test';
  const name = scalarText(stage.node);
  if (name === undefined || hasVariable(name)) return { state: 'unknown', reason: `stage ${name ?? ''} is not a literal`, at: stage.node };
  return name;
}

/** A job's `needs:` (cross-project and parent-pipeline entries are left out: they are not jobs of this pipeline). */
export function needsOf(job: GitlabJob): Needs {
  const needs = job.own('needs');
  if (needs.state === 'unknown') return needs;
  if (needs.state === 'absent') return { kind: 'stages' };
  const { items, unknown } = job.pipeline.flatten(needs.node);
  if (unknown.length) return unknown[0]!;
  const entries: NeedEntry[] = [];
  for (const item of items) {
    if (item.kind === 'scalar') {
      const name = scalarText(item);
      if (name === undefined) continue;
      if (hasVariable(name)) return { state: 'unknown', reason: `needs entry ${name} is not a literal`, at: item };
      entries.push({ job: name, node: item, artifacts: true, optional: false });
    } else if (item.kind === 'map') {
      if (get(item, 'project') || get(item, 'pipeline')) continue;
      const name = scalarText(get(item, 'job'));
      if (name === undefined) continue;
      if (hasVariable(name)) return { state: 'unknown', reason: `needs entry ${name} is not a literal`, at: item };
      const artifacts = get(item, 'artifacts');
      const optional = get(item, 'optional');
      entries.push({
        job: name,
        node: item,
        artifacts: !(artifacts?.kind === 'scalar' && artifacts.value === false),
        optional: optional?.kind === 'scalar' && optional.value === true,
      });
    }
  }
  return { kind: 'needs', found: needs, entries };
}

/**
 * The jobs a job waits for, directly: its `needs`, else every job of an
 * earlier stage. `unknown` says where that cannot be read (stages, `needs`,
 * a stage name, a needed job that is not in this file).
 */
export function directUpstream(job: GitlabJob): { jobs: GitlabJob[]; unknown: Unknown[] } {
  const needs = needsOf(job);
  if ('state' in needs) return { jobs: [], unknown: [needs] };
  if (needs.kind === 'needs') {
    const jobs: GitlabJob[] = [];
    const unknown: Unknown[] = [];
    for (const e of needs.entries) {
      const target = job.pipeline.job(e.job);
      if (target) jobs.push(target);
      else if (!e.optional) unknown.push({ state: 'unknown', reason: `needed job ${e.job} is not in this file`, at: e.node });
    }
    return { jobs, unknown };
  }
  const order = stageOrder(job.pipeline);
  if (!Array.isArray(order)) return { jobs: [], unknown: [order as Unknown] };
  const stage = stageOf(job);
  if (typeof stage !== 'string') return { jobs: [], unknown: [stage] };
  const mine = order.indexOf(stage);
  if (mine < 0) return { jobs: [], unknown: [{ state: 'unknown', reason: `stage ${stage} is not in stages:`, at: keyOf(job.pair) }] };
  const jobs: GitlabJob[] = [];
  for (const other of job.pipeline.jobs) {
    if (other === job) continue;
    const s = stageOf(other);
    if (typeof s !== 'string') continue; // an unknown stage cannot be shown to come first
    const i = order.indexOf(s);
    if (i >= 0 && i < mine) jobs.push(other);
  }
  return { jobs, unknown: [] };
}

/**
 * Every job a job waits for, transitively (a job that needs `build`, which
 * waits for `policy-check`, also waits for it). `unknown` lists the places
 * where the chain could not be followed.
 */
export function upstreamClosure(job: GitlabJob): { jobs: Set<GitlabJob>; unknown: Unknown[] } {
  const jobs = new Set<GitlabJob>();
  const unknown: Unknown[] = [];
  const queue = [job];
  const visited = new Set<GitlabJob>([job]);
  while (queue.length) {
    const cur = queue.shift()!;
    const up = directUpstream(cur);
    unknown.push(...up.unknown);
    for (const u of up.jobs) {
      jobs.add(u);
      if (!visited.has(u)) {
        visited.add(u);
        queue.push(u);
      }
    }
  }
  return { jobs, unknown };
}

/** Whether a lookup is the literal `true` (YAML boolean or the string `"true"`). */
export function isTrue(lookup: Lookup): boolean {
  return lookup.state === 'found' && lookup.node.kind === 'scalar' && String(lookup.node.value).toLowerCase() === 'true';
}

/** Whether a lookup is the literal `false`. */
export function isFalse(lookup: Lookup): boolean {
  return lookup.state === 'found' && lookup.node.kind === 'scalar' && String(lookup.node.value).toLowerCase() === 'false';
}

// ---- credentials ----------------------------------------------------------------------------

/**
 * GitLab token formats beyond the shared `credential_regexes` (which cover
 * `glpat-`): CI/CD job `glcbt-`, deploy `gldt-`, runner `glrt-`, pipeline
 * trigger `glptt-`, feed `glft-`, OAuth application `gloas-`, incoming mail
 * `glimt-`, agent `glagent-`, SCIM `glsoat-`, and runner registration `GR1348941…`.
 */
export const GITLAB_TOKEN_REGEXES: readonly string[] = [
  '\\bgl(cbt|dt|rt|ptt|ft|oas|imt|agent|soat)-[A-Za-z0-9_.-]{20,}',
  '\\bGR1348941[A-Za-z0-9_-]{20,}',
];

// ---- policy gates ------------------------------------------------------------------------------

/**
 * A `policy_gate` job (catalog §4): its id matches one of `jobPatterns`, or its
 * `before_script`/`script` runs one of `commands`. Hidden templates are never gates.
 */
export function isPolicyGate(job: GitlabJob, jobPatterns: readonly RegExp[], commands: readonly RegExp[]): boolean {
  if (job.hidden) return false;
  return jobPatterns.some((p) => p.test(job.name)) || signalLines(job, commands).length > 0;
}

// ---- artifacts ----------------------------------------------------------------------------------

/**
 * The jobs whose artifacts a job downloads: `dependencies:` when written, else
 * its `needs` entries with `artifacts` not false, else every job of an earlier stage.
 */
export function artifactSources(job: GitlabJob): { jobs: GitlabJob[]; unknown: Unknown[] } {
  const deps = job.own('dependencies');
  if (deps.state === 'unknown') return { jobs: [], unknown: [deps] };
  if (deps.state === 'found') {
    const { items, unknown } = job.pipeline.flatten(deps.node);
    const jobs: GitlabJob[] = [];
    for (const i of items) {
      const name = scalarText(i);
      const target = name === undefined ? undefined : job.pipeline.job(name);
      if (target) jobs.push(target);
      else unknown.push({ state: 'unknown', reason: `dependency ${name ?? '?'} is not in this file`, at: i });
    }
    return { jobs, unknown };
  }
  const needs = needsOf(job);
  if (!('state' in needs) && needs.kind === 'needs') {
    const jobs: GitlabJob[] = [];
    const unknown: Unknown[] = [];
    for (const e of needs.entries) {
      if (!e.artifacts) continue;
      const target = job.pipeline.job(e.job);
      if (target) jobs.push(target);
      else if (!e.optional) unknown.push({ state: 'unknown', reason: `needed job ${e.job} is not in this file`, at: e.node });
    }
    return { jobs, unknown };
  }
  return directUpstream(job);
}

/** A job's `artifacts:paths` entries, each with its text expanded as far as the file allows. */
export function artifactPaths(job: GitlabJob): { node: YamlScalar; expanded: Expanded }[] {
  const artifacts = job.get('artifacts');
  if (artifacts.state !== 'found' || artifacts.node.kind !== 'map') return [];
  const paths = child(artifacts, 'paths');
  if (paths.state !== 'found') return [];
  return job.pipeline
    .flatten(paths.node)
    .items.filter((i): i is YamlScalar => i.kind === 'scalar')
    .flatMap((node) => {
      const text = scalarText(node);
      return text === undefined ? [] : [{ node, expanded: job.expand(text) }];
    });
}

// ---- manual gates ----------------------------------------------------------------------------------

/**
 * Whether a job waits for a person (`gitlab-prod-deploy-gated` semantics):
 * job-level `when: manual` with `allow_failure: false` (job-level manual
 * defaults to true, which does not block), or `rules:` whose every entry that
 * can run the job is `when: manual` (blocking unless `allow_failure: true`).
 */
export function manualGate(job: GitlabJob): 'blocking' | 'automatic' | 'non-blocking' | Unknown {
  const rules = job.own('rules');
  if (rules.state === 'unknown') return rules;
  const jobAllow = job.own('allow_failure');
  if (rules.state === 'found') {
    const { items, unknown } = job.pipeline.flatten(rules.node);
    if (unknown.length) return unknown[0]!;
    let result: 'blocking' | 'non-blocking' = 'blocking';
    for (const rule of items) {
      if (rule.kind !== 'map') return { state: 'unknown', reason: 'a rules: entry is not a map', at: rule };
      const when = scalarText(get(rule, 'when')) ?? 'on_success';
      if (when === 'never') continue;
      if (when !== 'manual') return 'automatic';
      const p = pair(rule, 'allow_failure');
      const allow: Lookup = p ? job.pipeline.valueOf('allow_failure', p, { kind: 'job', name: job.name }) : jobAllow;
      if (allow.state === 'unknown') return allow;
      if (allow.state === 'found' && !isFalse(allow)) result = 'non-blocking';
    }
    return result;
  }
  const when = job.own('when');
  if (when.state === 'unknown') return when;
  if (when.state === 'absent' || scalarText(when.node) !== 'manual') return 'automatic';
  if (jobAllow.state === 'unknown') return jobAllow;
  return isFalse(jobAllow) ? 'blocking' : 'non-blocking';
}
