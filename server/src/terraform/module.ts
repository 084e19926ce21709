import type { RelatedInfo } from '../engine/finding';
import type { HclAttribute, HclBlock, HclExpr, HclFile } from '../model/hcl';
import type { Located, Range } from '../model/location';
import { evaluate as evaluateExpr, shorten, type EvalHost, type Instance } from './evaluate';
import { providerSelector, resolveProvider, type ProviderConfig } from './providers';
import { isRecord, setKeyOrigin, Unknown, type Value } from './value';
import { walkExpr } from './walk';

export type { Instance } from './evaluate';
export type { ProviderConfig } from './providers';

/** A variable-definitions file of a root module: `terraform.tfvars`, `*.auto.tfvars`, `*.tfvars.json`. */
export interface VarFile {
  readonly uri: string;
  /** Parsed HCL (`.tfvars`). */
  readonly hcl?: HclFile;
  /** Raw text (`.tfvars.json`). */
  readonly json?: string;
}

/** Loads the `.tf` files of a local child module's directory (URI), or undefined if there is none. */
export type ModuleLoader = (dir: string) => readonly HclFile[] | undefined;

/** What `terraform init` left beside a module, when present in the workspace. */
export interface InstalledState {
  /** `.terraform.lock.hcl`: the provider versions selected and tested. */
  readonly lockFile?: HclFile;
  /** `.terraform/modules/modules.json`: the module versions installed. */
  readonly modulesJson?: string;
}

export interface ModuleOptions {
  /** Root modules only, in Terraform's precedence order (later files win). */
  readonly varFiles?: readonly VarFile[];
  readonly installed?: InstalledState;
  readonly load?: ModuleLoader;
  /** Set for a child module evaluated with its caller's arguments. */
  readonly caller?: { readonly module: TerraformModule; readonly call: HclBlock };
  /**
   * The same object for every version of a module whose declarations outside
   * `resource` blocks are unchanged (see `environment`); a new one otherwise.
   */
  readonly environment?: object;
}

interface VarSetting {
  readonly value: Value;
  readonly at: Located;
  readonly how: string;
}

/**
 * One Terraform module: the `.tf` files of a directory, read as a whole so
 * that a resource in one file can link to its companion in another, and
 * evaluated the way Terraform would (see `evaluate`). A root module reads its
 * tfvars; a local child module (`source = "./…"`) is evaluated with its
 * caller's arguments (`child`). Results are memoised per module; the language
 * service rebuilds only the module whose files changed.
 */
/** Key of evaluations outside any block. */
const NO_BLOCK = Symbol('no block');

/** Results kept across module versions, per block (see `TerraformModule.kept`). */
const keptResults = new WeakMap<HclBlock, Map<string, Tracked<unknown> & { readonly environment: object }>>();

/** Stands for every resource type in what a computation read (see `TerraformModule.track`). */
export const ANY_RESOURCE = '*';

/** A result and the resource types read to compute it (none when undefined). */
export interface Tracked<T> {
  readonly value: T;
  readonly touched?: readonly string[];
}

export class TerraformModule implements EvalHost {
  private readonly byAddress = new Map<string, HclBlock>();
  /** Top-level blocks by block type, and resources by resource type, indexed once. */
  private readonly byBlockType = new Map<string, HclBlock[]>();
  private readonly byResourceType = new Map<string, HclBlock[]>();
  private readonly evaluated = new WeakMap<HclExpr, Map<HclBlock | typeof NO_BLOCK, Tracked<Value>>>();
  private readonly memo = new Map<string, Tracked<unknown>>();
  private readonly ownerMemo = new WeakMap<object, Map<string, Tracked<unknown>>>();
  private readonly values = new Map<string, Tracked<Value>>();
  /** Resource types read by each computation under way, innermost last (see `track`); null until one is read. */
  private readonly frames: (Set<string> | null)[] = [];
  private readonly evaluating: string[] = [];
  private readonly instanceMemo = new Map<HclBlock, Tracked<readonly Instance[] | Unknown>>();
  private readonly children = new Map<HclBlock, TerraformModule | Unknown>();
  private tfvars: Map<string, VarSetting> | undefined;
  /** Directories (URIs) of the local child modules this module loaded, transitively. */
  readonly dependencies = new Set<string>();

  constructor(
    /** URI of the module's directory. */
    readonly dir: string,
    private readonly allFiles: readonly HclFile[],
    private readonly options: ModuleOptions = {},
  ) {
    for (const f of allFiles)
      for (const b of f.body.blocks) {
        push(this.byBlockType, b.type, b);
        const [type, name] = b.labels;
        if (b.type !== 'resource' || !type) continue;
        push(this.byResourceType, type.value, b);
        if (name && !this.byAddress.has(`${type.value}.${name.value}`)) this.byAddress.set(`${type.value}.${name.value}`, b);
      }
  }

  /**
   * What a resource's evaluation can depend on besides the resource itself:
   * variables, tfvars, locals, providers, data sources, module calls (and the
   * child modules they load), the lock file, and which resources exist. Two
   * versions of a module share this object only when all of that is the
   * same, so a result computed from one resource block and this environment
   * holds for the next version too while the block is the same object (see
   * `memo` in engine/run.ts).
   */
  get environment(): object {
    return (this.ownEnvironment ??= this.options.environment ?? {});
  }

  private ownEnvironment: object | undefined;

  /** The module's `.tf` files (reading them whole counts as reading every resource, see `track`). */
  get files(): readonly HclFile[] {
    this.touch(ANY_RESOURCE);
    return this.allFiles;
  }

  // ---- what a computation read -------------------------------------------------

  /**
   * Runs `compute` and says which resource types it read: through
   * `resources(type)`, `resource(type, name)` and references in evaluated
   * expressions; `*` when it read all resources, the files, or a child
   * module's outputs (which may carry any resource). Memoised results replay
   * what they read, so a result that is the same for two computations counts
   * for both. A result computed from the environment, the resources of these
   * types and nothing else stays the same in a later version of the module
   * with the same environment and the same resources of these types.
   */
  track<T>(compute: () => T): Tracked<T> {
    this.frames.push(null);
    let value: T;
    let frame: Set<string> | null | undefined;
    try {
      value = compute();
    } finally {
      frame = this.frames.pop();
    }
    const touched = frame ? [...frame] : undefined;
    if (touched) this.touchAll(touched);
    return touched ? { value, touched } : { value };
  }

  /** Counts resource types as read by the computation under way (replaying a memoised one). */
  touchAll(types: readonly string[]): void {
    for (const t of types) this.touch(t);
  }

  /** The resources of one type (all with `*`) without counting them as read: for comparing versions. */
  peekResources(type: string): readonly HclBlock[] {
    return type === ANY_RESOURCE ? (this.byBlockType.get('resource') ?? []) : (this.byResourceType.get(type) ?? []);
  }

  private touch(type: string): void {
    const i = this.frames.length - 1;
    if (i >= 0) (this.frames[i] ??= new Set()).add(type);
  }

  /** A memoised value: replays what it read, or computes it tracked. */
  private replay<T>(hit: Tracked<T>): T {
    if (hit.touched) this.touchAll(hit.touched);
    return hit.value;
  }

  /** The lock file and installed modules recorded by `terraform init`, if the workspace has them. */
  get installed(): InstalledState {
    return this.options.installed ?? {};
  }

  /** The calling module and its `module` block, for a child module. */
  get caller(): ModuleOptions['caller'] {
    return this.options.caller;
  }

  /**
   * Computes something about the whole module once (indexes that several
   * rules or several resources need); the module is rebuilt after any edit.
   */
  cached<T>(key: string, compute: () => T): T {
    const hit = this.memo.get(key);
    if (hit) return this.replay(hit) as T;
    const done = this.track(compute);
    this.memo.set(key, done);
    return done.value;
  }

  /**
   * Computes something about one block (or one instance of it) once per
   * module version, e.g. its effective tags, which several rules read.
   */
  cachedFor<T>(owner: object, key: string, compute: () => T): T {
    let byKey = this.ownerMemo.get(owner);
    if (!byKey) this.ownerMemo.set(owner, (byKey = new Map()));
    const hit = byKey.get(key);
    if (hit) return this.replay(hit) as T;
    const done = this.track(compute);
    byKey.set(key, done);
    return done.value;
  }

  /**
   * Like `cachedFor`, but kept across versions of the module: the result is
   * reused while `block` is the same object and the environment is unchanged
   * (see `environment`). So `compute` may depend only on the block, the
   * environment and which resources exist; it must not return a value that
   * holds this module or another resource's block (return an address instead).
   */
  kept<T>(block: HclBlock, key: string, compute: () => T): T {
    let byKey = keptResults.get(block);
    const hit = byKey?.get(key);
    if (hit && hit.environment === this.environment) return this.replay(hit) as T;
    const done = this.track(compute);
    if (!byKey) keptResults.set(block, (byKey = new Map()));
    byKey.set(key, { ...done, environment: this.environment });
    return done.value;
  }

  /** Top-level blocks of one type (`resource`, `module`, `output`, `terraform` …). */
  topLevel(type: string): readonly HclBlock[] {
    if (type === 'resource') this.touch(ANY_RESOURCE);
    return this.byBlockType.get(type) ?? [];
  }

  /** Managed resources, optionally of one resource type. */
  resources(type?: string): readonly HclBlock[] {
    this.touch(type ?? ANY_RESOURCE);
    return this.peekResources(type ?? ANY_RESOURCE);
  }

  resource(type: string, name: string): HclBlock | undefined {
    this.touch(type);
    return this.byAddress.get(`${type}.${name}`);
  }

  // ---- evaluation --------------------------------------------------------------

  /**
   * Evaluates an expression written inside `within` (a resource, module call,
   * provider … block of this module): variables (caller arguments, tfvars,
   * defaults), locals, templates, functions, conditionals, `for`, references
   * to resources (`ResourceRef`) and local module outputs. Anything else is
   * `Unknown` with its origin. In a block with `count`/`for_each`, pass an
   * `instance` (from `instances`) to evaluate `each`/`count`; without one,
   * the value is the one all instances agree on, else Unknown.
   */
  evaluate(expr: HclExpr, within?: HclBlock, instance?: Instance): Value {
    if (instance) return evaluateExpr(this, expr, { ...(within ? { within } : {}), instance });
    // Evaluation is pure within one version of the module, and many rules read
    // the same expressions (tags, provider default_tags): evaluate each once.
    const key = within ?? NO_BLOCK;
    let byBlock = this.evaluated.get(expr);
    if (!byBlock) this.evaluated.set(expr, (byBlock = new Map()));
    const hit = byBlock.get(key);
    if (hit) return this.replay(hit);
    const done = this.track(() => evaluateExpr(this, expr, within ? { within } : {}));
    byBlock.set(key, done);
    return done.value;
  }

  /**
   * The instances of a block: one (key 0) without `count`/`for_each`; one per
   * `count.index` or `for_each` element when those are known; else Unknown.
   */
  instances(block: HclBlock): readonly Instance[] | Unknown {
    const hit = this.instanceMemo.get(block);
    if (hit) return this.replay(hit);
    // `count = count.index` (invalid Terraform) must not recurse forever.
    this.instanceMemo.set(block, { value: new Unknown('count/for_each refers to its own instances') });
    const done = this.track(() => this.computeInstances(block));
    this.instanceMemo.set(block, done);
    return done.value;
  }

  private computeInstances(block: HclBlock): readonly Instance[] | Unknown {
    const count = attribute(block, 'count');
    if (count) {
      const n = this.evaluate(count.expr, block);
      if (n instanceof Unknown) return new Unknown(`count = ${shorten(count.expr.source)}: ${n.origin}`, count.expr.range, count.uri);
      if (typeof n !== 'number') return new Unknown(`count = ${shorten(count.expr.source)} is not a number`, count.expr.range, count.uri);
      return Array.from({ length: Math.max(0, Math.floor(n)) }, (_, index) => ({ key: index, index }));
    }
    const forEach = attribute(block, 'for_each');
    if (forEach) {
      const v = this.evaluate(forEach.expr, block);
      if (v instanceof Unknown) return new Unknown(`for_each = ${shorten(forEach.expr.source)}: ${v.origin}`, forEach.expr.range, forEach.uri);
      if (isRecord(v))
        return Object.keys(v)
          .sort()
          .map((k) => ({ key: k, each: { key: k, value: v[k]! } }));
      if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
        return [...new Set(v as string[])].sort().map((k) => ({ key: k, each: { key: k, value: k } }));
      return new Unknown(`for_each = ${shorten(forEach.expr.source)} is known at apply`, forEach.expr.range, forEach.uri);
    }
    return [{ key: 0 }];
  }

  /** `variable "<name>"` block. */
  variable(name: string): HclBlock | undefined {
    return this.topLevel('variable').find((b) => b.labels[0]?.value === name);
  }

  /** `var.<name>`: caller argument (child), tfvars (root), default, else Unknown. */
  variableValue(name: string): Value {
    return this.guarded(`var.${name}`, () => this.variableSetting(name)?.value ?? this.unsetVariable(name));
  }

  private unsetVariable(name: string): Unknown {
    if (!this.variable(name)) return new Unknown(`depends on var.${name} (not declared)`);
    if (this.caller) return new Unknown(`depends on var.${name} (no default, not passed by module.${this.caller.call.labels[0]?.value ?? ''})`);
    return new Unknown(`depends on var.${name} (no default)`);
  }

  /** Where var.<name>'s value comes from, when it has one in the workspace. */
  private variableSetting(name: string): VarSetting | undefined {
    const block = this.variable(name);
    if (!block) return undefined;
    const caller = this.caller;
    if (caller) {
      const arg = attribute(caller.call, name);
      if (arg) return { value: caller.module.evaluate(arg.expr, caller.call), at: valueOf(arg), how: `the argument of module.${caller.call.labels[0]?.value ?? ''}` };
    } else {
      const set = this.varFileSettings().get(name);
      if (set) return set;
    }
    const dflt = attribute(block, 'default');
    if (dflt) return { value: this.evaluate(dflt.expr, block), at: valueOf(dflt), how: 'its default' };
    return undefined;
  }

  private varFileSettings(): Map<string, VarSetting> {
    if (this.tfvars) return this.tfvars;
    const out = new Map<string, VarSetting>();
    this.tfvars = out;
    for (const f of this.options.varFiles ?? []) {
      const file = f.uri.split('/').pop() ?? f.uri;
      if (f.hcl)
        for (const a of f.hcl.body.attributes)
          out.set(a.name, { value: evaluateExpr(this, a.expr, { uri: f.uri }), at: valueOf(a), how: file });
      else if (f.json !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(f.json);
        } catch {
          continue;
        }
        const at: Located = { uri: f.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
        if (isPlainObject(parsed))
          for (const [k, v] of Object.entries(parsed)) out.set(k, { value: fromJson(v, at), at, how: file });
      }
    }
    return out;
  }

  /** `local.<name>`, evaluated once; a cycle among locals is Unknown naming the cycle. */
  localValue(name: string): Value {
    return this.guarded(`local.${name}`, () => {
      const found = this.localDefinition(name);
      if (!found) return new Unknown(`depends on local.${name} (not defined)`);
      return this.evaluate(found.attr.expr, found.block);
    });
  }

  /** The `locals` attribute that defines local.<name>. */
  localDefinition(name: string): { block: HclBlock; attr: HclAttribute } | undefined {
    for (const block of this.topLevel('locals')) {
      const attr = attribute(block, name);
      if (attr) return { block, attr };
    }
    return undefined;
  }

  /** Memoises a named value; re-entering it while it is computed is a cycle, hence Unknown. */
  private guarded(key: string, compute: () => Value): Value {
    const hit = this.values.get(key);
    if (hit) return this.replay(hit);
    const at = this.evaluating.indexOf(key);
    if (at >= 0) return new Unknown(`cycle: ${[...this.evaluating.slice(at), key].join(' → ')}`);
    this.evaluating.push(key);
    try {
      const done = this.track(compute);
      this.values.set(key, done);
      return done.value;
    } finally {
      this.evaluating.pop();
    }
  }

  get pathModule(): string {
    return this.caller ? String(this.caller.module.evaluate(attribute(this.caller.call, 'source')!.expr)) : '.';
  }

  /** The outputs of `module.<name>` as a map: known for local modules without count/for_each. */
  moduleOutputs(name: string, at: Range): Value {
    // The outputs may carry any resource of this module (passed in as arguments).
    this.touch(ANY_RESOURCE);
    return this.guarded(`module.${name}`, () => {
      const call = this.topLevel('module').find((b) => b.labels[0]?.value === name);
      if (!call) return new Unknown(`module.${name} is not declared`, at);
      if (attribute(call, 'count') || attribute(call, 'for_each')) return new Unknown(`module.${name} has count/for_each`, at);
      const child = this.child(call);
      if (child instanceof Unknown) return child;
      const out: Record<string, Value> = {};
      for (const o of child.topLevel('output')) {
        const v = attribute(o, 'value');
        const oname = o.labels[0]?.value;
        if (!v || !oname) continue;
        out[oname] = child.evaluate(v.expr, o);
        setKeyOrigin(out, oname, header(o));
      }
      return out;
    });
  }

  /**
   * The module a `module` block calls, evaluated with the block's arguments:
   * only local sources (`./`, `../`); registry and git modules are Unknown.
   */
  child(call: HclBlock): TerraformModule | Unknown {
    let out = this.children.get(call);
    if (out) return out;
    out = this.loadChild(call);
    this.children.set(call, out);
    return out;
  }

  private loadChild(call: HclBlock): TerraformModule | Unknown {
    const name = call.labels[0]?.value ?? '';
    const src = attribute(call, 'source');
    const source = src ? this.evaluate(src.expr, call) : undefined;
    if (typeof source !== 'string') return new Unknown(`module.${name} has no literal source`, src?.expr.range ?? call.headerRange, call.uri);
    if (!/^\.\.?(\/|$)/.test(source)) return new Unknown(`module.${name} comes from ${source}, not from this workspace`, src!.expr.range, call.uri);
    const dir = new URL(source.replace(/\/?$/, '/'), this.dir.replace(/\/?$/, '/')).toString().replace(/\/$/, '');
    for (let m: TerraformModule | undefined = this; m; m = m.caller?.module)
      if (m.dir === dir) return new Unknown(`module.${name} calls a module that is already being evaluated`, src!.expr.range, call.uri);
    const files = this.options.load?.(dir);
    if (!files?.length) return new Unknown(`module.${name}: no .tf files in ${source}`, src!.expr.range, call.uri);
    const child = new TerraformModule(dir, files, { load: this.options.load, caller: { module: this, call } });
    for (let m: TerraformModule | undefined = this; m; m = m.caller?.module) m.dependencies.add(dir);
    return child;
  }

  /** Local child modules this module calls, by `module` block (Unknown for other sources). */
  childModules(): { call: HclBlock; module: TerraformModule | Unknown }[] {
    return this.topLevel('module').map((call) => ({ call, module: this.child(call) }));
  }

  /**
   * The provider configuration a resource or data source uses: its
   * `provider = aws.<alias>` or the default configuration, resolved through
   * module `providers = {}` maps (catalog §3 rule 6); Unknown when unresolvable.
   */
  providerOf(block: HclBlock): ProviderConfig | Unknown {
    return this.cachedFor(block, 'provider', () => {
      const sel = providerSelector(block);
      if (sel instanceof Unknown) return sel;
      return this.cached(`provider:${sel.name}:${sel.alias ?? ''}`, () => resolveProvider(this, sel.name, sel.alias));
    });
  }

  // ---- provenance ----------------------------------------------------------------

  /**
   * Where the values an expression reads come from, for `relatedInformation`:
   * each `local.x` (its definition, and what it reads in turn), `var.x` (the
   * tfvars entry, caller argument or default that sets it, else its
   * declaration) and `module.x.y` (the output), in reading order.
   */
  trace(expr: HclExpr, within?: HclBlock): RelatedInfo[] {
    const out: RelatedInfo[] = [];
    const seen = new Set<string>();
    const follow = (e: HclExpr, bound: ReadonlySet<string>) =>
      walkExpr(e, (t) => {
        if (t.type !== 'traversal' || bound.has(t.root) || t.steps[0]?.kind !== 'attr') return;
        const name = t.steps[0].name;
        const key = `${t.root}.${name}`;
        if (seen.has(key)) return;
        if (t.root === 'local') {
          seen.add(key);
          const def = this.localDefinition(name);
          if (!def) return;
          out.push({ at: keyOf(def.attr), message: `${key} is defined here` });
          follow(def.attr.expr, new Set());
        } else if (t.root === 'var') {
          seen.add(key);
          const set = this.variableSetting(name);
          const decl = this.variable(name);
          if (set) out.push({ at: set.at, message: `${key} comes from ${set.how}` });
          else if (decl) out.push({ at: header(decl), message: `${key} is declared here without a value` });
        } else if (t.root === 'module') {
          seen.add(key);
          const call = this.topLevel('module').find((b) => b.labels[0]?.value === name);
          const child = call ? this.child(call) : undefined;
          const oname = t.steps[1]?.kind === 'attr' ? t.steps[1].name : undefined;
          const o = child instanceof TerraformModule ? child.topLevel('output').find((b) => b.labels[0]?.value === oname) : undefined;
          if (o) out.push({ at: header(o), message: `${key}.${oname} is this output` });
          else if (call) out.push({ at: header(call), message: `${key} is called here` });
        }
      });
    follow(expr, new Set());
    void within;
    return out;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromJson(v: unknown, at: Located): Value {
  if (Array.isArray(v)) return v.map((x) => fromJson(x, at));
  if (isPlainObject(v)) {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = fromJson(x, at);
      setKeyOrigin(out, k, at);
    }
    return out;
  }
  return v as Value;
}

/** Adds `value` to the list kept under `key`. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function attribute(block: HclBlock, name: string): HclAttribute | undefined {
  return block.body.attributes.find((a) => a.name === name);
}

export function nestedBlocks(block: HclBlock, type: string): HclBlock[] {
  return block.body.blocks.filter((b) => b.type === type);
}

/** Whether the block has a `dynamic "<type>"` block: nested blocks of that type may or may not exist. */
export function hasDynamic(block: HclBlock, type: string): boolean {
  return block.body.blocks.some((b) => b.type === 'dynamic' && b.labels[0]?.value === type);
}

export function resourceType(block: HclBlock): string {
  return block.labels[0]?.value ?? '';
}

export function resourceName(block: HclBlock): string {
  return block.labels[1]?.value ?? '';
}

const addresses = new WeakMap<HclBlock, string>();

/** `aws_s3_bucket.data` (block models are immutable, so it is computed once per block). */
export function address(block: HclBlock): string {
  let a = addresses.get(block);
  if (a === undefined) addresses.set(block, (a = block.labels.map((l) => l.value).join('.')));
  return a;
}

export function header(block: HclBlock): Located {
  return { uri: block.uri, range: block.headerRange };
}

export function valueOf(attr: HclAttribute): Located {
  return { uri: attr.uri, range: attr.expr.range };
}

export function keyOf(attr: HclAttribute): Located {
  return { uri: attr.uri, range: attr.keyRange };
}
