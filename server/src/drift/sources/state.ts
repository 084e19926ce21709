import * as path from 'node:path';
import type { HclBlock } from '../../model/hcl';
import type { Instance, TerraformModule } from '../../terraform/module';
import { PartialMap, ResourceRef, Unknown, isRecord, type Value } from '../../terraform/value';
import { formatAddress, keySuffix, type ModuleStep } from '../address';
import { declarationOf } from '../mapping';
import { equalJson, isObject } from '../planJson';
import {
  DriftError,
  SENSITIVE_MASK,
  type AttributeChange,
  type DriftContext,
  type DriftSource,
  type DriftStack,
  type JsonValue,
  type ResourceDrift,
  sortResources,
} from '../types';

export const STATE_FILE = 'terraform.tfstate';

/** What the state source reads through its host (the language service in the editor, the disk in the CLI). */
export interface StateSourceHost {
  /** The evaluated module of a directory (open buffers win over disk). */
  moduleAt(dir: string): TerraformModule;
  readFile(file: string): string | undefined;
  /** Last write time of a file, or undefined. */
  modifiedAt(file: string): Date | undefined;
}

/**
 * The offline default: the root module's local `terraform.tfstate` (format
 * version 4) against the code. For each declared resource instance, the
 * attributes the code sets (as evaluated: variables, tfvars, locals, local
 * modules) are compared with the values the state recorded; Unknown values
 * are skipped, never reported. State instances the code no longer declares
 * are `unmanaged` (the next apply destroys them); declared instances absent
 * from the state are `missing` (not applied yet).
 *
 * This is drift between the code and the last recorded state (the last apply
 * or refresh), not a live check; the stack's origin says so.
 */
export class StateSource implements DriftSource {
  readonly kind = 'state' as const;

  constructor(private readonly host: StateSourceHost) {}

  applies(root: string): boolean {
    return this.host.modifiedAt(path.join(root, STATE_FILE)) !== undefined;
  }

  async check(ctx: DriftContext): Promise<DriftStack[]> {
    const file = path.join(ctx.root, STATE_FILE);
    const text = this.host.readFile(file);
    if (text === undefined && this.host.modifiedAt(file) !== undefined)
      // It exists but could not be read: no permission, or (Restricted Mode) a link out of the workspace folders.
      throw new DriftError(
        'not-configured',
        `${STATE_FILE} in ${ctx.root} exists but could not be read (no read permission, or, in Restricted Mode, a link to a file outside the workspace folders).`,
        'Make the file readable; for a link, trust the workspace (Manage Workspace Trust) or put the state file itself in the folder.',
      );
    if (text === undefined)
      throw new DriftError(
        'not-configured',
        `No ${STATE_FILE} in ${ctx.root}.`,
        'The state source reads the local state file that `terraform apply` writes. With a remote backend, use the "terraform" or "hcp" source (plumbline.drift.sources in the editor, --source in the CLI).',
      );
    const state = parseState(text, file);
    const checkedAt = this.host.modifiedAt(file)?.toISOString();
    const resources = compare(this.host.moduleAt(ctx.root), state, ctx.signal);
    return [
      {
        id: `state:${ctx.root}`,
        source: 'state',
        name: path.basename(ctx.root),
        root: ctx.root,
        status: resources.some((r) => r.status === 'drifted' || r.status === 'missing' || r.status === 'unmanaged') ? 'drifted' : 'in-sync',
        ...(checkedAt ? { checkedAt } : {}),
        origin: `last recorded state (${STATE_FILE}${state.terraformVersion ? `, Terraform ${state.terraformVersion}` : ''}, serial ${state.serial ?? '?'}): code vs. what the last apply or refresh recorded`,
        resources: sortResources(resources),
      },
    ];
  }
}

// ---- the state file ---------------------------------------------------------------

interface StateInstance {
  readonly key?: string | number;
  readonly attributes: Record<string, unknown>;
  /** Attribute paths the state marks sensitive, in AttributeChange.path notation. */
  readonly sensitive: readonly string[];
}

interface StateResource {
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly instances: readonly StateInstance[];
}

interface ParsedState {
  readonly terraformVersion?: string;
  readonly serial?: number;
  readonly resources: readonly StateResource[];
}

export function parseState(text: string, file: string): ParsedState {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new DriftError('malformed', `${path.basename(file)} is not valid JSON (${(e as Error).message}).`, 'Restore the file from your backend or run `terraform refresh`.');
  }
  if (!isObject(raw)) throw new DriftError('malformed', `${path.basename(file)} is not a Terraform state (not a JSON object).`);
  if (raw.version !== 4)
    throw new DriftError(
      'malformed',
      `${path.basename(file)} has state format version ${JSON.stringify(raw.version ?? null)}; Plumbline reads version 4 (Terraform 0.12 and later, OpenTofu).`,
      'Upgrade the state with a current Terraform (`terraform apply` or `terraform refresh` rewrites it), or use the "terraform" source.',
    );
  const resources: StateResource[] = [];
  for (const r of Array.isArray(raw.resources) ? raw.resources : []) {
    if (!isObject(r) || r.mode !== 'managed' || typeof r.type !== 'string' || typeof r.name !== 'string') continue;
    const instances: StateInstance[] = [];
    for (const i of Array.isArray(r.instances) ? r.instances : []) {
      if (!isObject(i) || !isObject(i.attributes)) continue;
      const key = typeof i.index_key === 'string' || typeof i.index_key === 'number' ? i.index_key : undefined;
      instances.push({ ...(key !== undefined ? { key } : {}), attributes: i.attributes, sensitive: sensitivePaths(i.sensitive_attributes) });
    }
    resources.push({ module: typeof r.module === 'string' ? r.module : '', type: r.type, name: r.name, instances });
  }
  return {
    ...(typeof raw.terraform_version === 'string' ? { terraformVersion: raw.terraform_version } : {}),
    ...(typeof raw.serial === 'number' ? { serial: raw.serial } : {}),
    resources,
  };
}

/**
 * `sensitive_attributes`: a list of paths, each a list of steps
 * `{"type":"get_attr","value":"password"}` or `{"type":"index","value":{"value":0,"type":"number"}}`.
 */
function sensitivePaths(raw: unknown): string[] {
  const out: string[] = [];
  for (const p of Array.isArray(raw) ? raw : []) {
    if (!Array.isArray(p)) continue;
    let s = '';
    for (const step of p) {
      if (!isObject(step)) break;
      if (step.type === 'get_attr' && typeof step.value === 'string') s += s ? `.${step.value}` : step.value;
      else if (step.type === 'index' && isObject(step.value) && (typeof step.value.value === 'number' || typeof step.value.value === 'string'))
        s += typeof step.value.value === 'number' ? `[${step.value.value}]` : `.${step.value.value}`;
      else break;
    }
    if (s) out.push(s);
  }
  return out;
}

// ---- code vs. state ----------------------------------------------------------------

interface Declared {
  readonly module: TerraformModule;
  readonly block: HclBlock;
  readonly instance?: Instance;
  readonly modules: readonly ModuleStep[];
}

/** Module paths whose code Plumbline cannot see (registry modules, unknown instances), with why. */
type Opaque = Map<string, string>;

function compare(root: TerraformModule, state: ParsedState, signal: AbortSignal): ResourceDrift[] {
  const declared = new Map<string, Declared>();
  /** Blocks whose instances are Unknown: address without key → why. */
  const unknownBlocks = new Map<string, { why: string; decl: Declared }>();
  const opaque: Opaque = new Map();
  collect(root, [], declared, unknownBlocks, opaque);

  const out: ResourceDrift[] = [];
  const seen = new Set<string>();
  for (const r of state.resources) {
    if (signal.aborted) throw new DriftError('cancelled', 'The drift check was cancelled.');
    for (const inst of r.instances) {
      const address = `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${keySuffix(inst.key)}`;
      const base = { address, mode: 'managed' as const, type: r.type, name: r.name, module: r.module, ...(inst.key !== undefined ? { key: inst.key } : {}) };
      seen.add(address);
      const d = declared.get(address);
      if (d) {
        const { changes, unknown } = compareInstance(d, inst);
        out.push({
          ...base,
          status: changes.length ? 'drifted' : 'in-sync',
          changes,
          ...(unknown.length && !changes.length ? { message: `Not compared (unknown in code): ${unknown.join(', ')}.` } : {}),
          declaration: declarationOf(d.block, changes.map((c) => c.path)),
        });
        continue;
      }
      const pending = unknownBlocks.get(`${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`);
      if (pending) {
        out.push({ ...base, status: 'unknown', changes: [], message: pending.why, declaration: declarationOf(pending.decl.block, []) });
        continue;
      }
      const why = opaqueReason(r.module, opaque);
      if (why) out.push({ ...base, status: 'unknown', changes: [], message: why });
      else out.push({ ...base, status: 'unmanaged', changes: [], message: 'Recorded in the state but no longer declared in the code: the next apply destroys it.' });
    }
  }
  for (const [address, d] of declared) {
    if (seen.has(address)) continue;
    const key = d.instance && (d.instance.index !== undefined || d.instance.each) ? d.instance.key : undefined;
    out.push({
      address,
      mode: 'managed',
      type: d.block.labels[0]!.value,
      name: d.block.labels[1]!.value,
      module: d.modules.map((m) => `module.${m.name}${keySuffix(m.key)}`).join('.'),
      ...(key !== undefined ? { key } : {}),
      status: 'missing',
      changes: [],
      message: 'Declared in the code but absent from the recorded state: not applied yet, or removed outside the code.',
      declaration: declarationOf(d.block, []),
    });
  }
  return out;
}

function collect(module: TerraformModule, modules: ModuleStep[], declared: Map<string, Declared>, unknownBlocks: Map<string, { why: string; decl: Declared }>, opaque: Opaque): void {
  const prefix = modules.map((m) => `module.${m.name}${keySuffix(m.key)}`).join('.');
  for (const block of module.resources()) {
    const [type, name] = [block.labels[0]?.value, block.labels[1]?.value];
    if (!type || !name) continue;
    const instances = module.instances(block);
    const address = (key?: string | number) => formatAddress({ modules, mode: 'managed', type, name, ...(key !== undefined ? { key } : {}) });
    if (instances instanceof Unknown) {
      unknownBlocks.set(address(), { why: `Instances unknown: ${instances.origin}.`, decl: { module, block, modules } });
      continue;
    }
    const keyed = !!block.body.attributes.find((a) => a.name === 'count' || a.name === 'for_each');
    for (const instance of instances) declared.set(address(keyed ? instance.key : undefined), { module, block, instance, modules });
  }
  for (const { call, module: child } of module.childModules()) {
    const name = call.labels[0]?.value;
    if (!name) continue;
    const calls = module.instances(call);
    const keyed = !!call.body.attributes.find((a) => a.name === 'count' || a.name === 'for_each');
    if (child instanceof Unknown || calls instanceof Unknown) {
      opaque.set(`${prefix ? `${prefix}.` : ''}module.${name}`, child instanceof Unknown ? child.origin : (calls as Unknown).origin);
      continue;
    }
    for (const c of calls) collect(child, [...modules, { name, ...(keyed ? { key: c.key } : {}) }], declared, unknownBlocks, opaque);
  }
}

/** Why the code of a state module is not visible, if it is not. */
function opaqueReason(stateModule: string, opaque: Opaque): string | undefined {
  for (const [prefix, why] of opaque) {
    // `module.a` matches `module.a`, `module.a["k"]`, `module.a[0].module.b`.
    if (stateModule === prefix || stateModule.startsWith(`${prefix}.`) || stateModule.startsWith(`${prefix}[`))
      return `The code of ${prefix} is not in the workspace (${why}); its resources are not compared.`;
  }
  return undefined;
}

/** Arguments that configure Terraform itself, not the resource. */
const META = new Set(['count', 'for_each', 'provider', 'depends_on']);
const META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection', 'dynamic', 'timeouts']);

function compareInstance(d: Declared, inst: StateInstance): { changes: AttributeChange[]; unknown: string[] } {
  const changes: AttributeChange[] = [];
  const unknown: string[] = [];
  const sensitiveVars = new Set(
    d.module
      .topLevel('variable')
      .filter((v) => v.body.attributes.some((a) => a.name === 'sensitive' && a.expr.type === 'literal' && a.expr.value === true))
      .map((v) => v.labels[0]?.value ?? ''),
  );
  const visit = (block: HclBlock, live: Record<string, unknown>, prefix: string) => {
    for (const attr of block.body.attributes) {
      if (block === d.block && META.has(attr.name)) continue;
      const p = prefix ? `${prefix}.${attr.name}` : attr.name;
      const value = d.module.evaluate(attr.expr, d.block, d.instance);
      const masked = [...sensitiveVars].some((v) => new RegExp(`\\bvar\\.${v}\\b`).test(attr.expr.source)) || isSensitive(p, inst.sensitive);
      const diffs = compareValue(value, live[attr.name], p, unknown);
      changes.push(...(masked ? diffs.map((c) => ({ path: c.path, declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true })) : diffs));
    }
    const byType = new Map<string, HclBlock[]>();
    for (const b of block.body.blocks) if (!META_BLOCKS.has(b.type)) byType.set(b.type, [...(byType.get(b.type) ?? []), b]);
    for (const [type, blocks] of byType) {
      const p = prefix ? `${prefix}.${type}` : type;
      const liveList = Array.isArray(live[type]) ? (live[type] as unknown[]).filter(isObject) : isObject(live[type]) ? [live[type] as Record<string, unknown>] : [];
      blocks.forEach((b, i) => {
        if (liveList.length === 0) {
          changes.push({ path: `${p}[${i}]`, declared: '(block)' });
          return;
        }
        // Nested blocks may be a set: a declared block matching any live element is in sync.
        const trial = (l: Record<string, unknown>) => {
          const before = changes.length;
          visit(b, l, `${p}[${i}]`);
          return changes.splice(before);
        };
        const own = trial(liveList[i] ?? liveList[0]!);
        if (own.length && liveList.some((l) => trial(l).length === 0)) return;
        changes.push(...own);
      });
    }
  };
  visit(d.block, inst.attributes, '');
  return { changes, unknown };
}

function isSensitive(p: string, sensitive: readonly string[]): boolean {
  return sensitive.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
}

/** Differences between what the code declares (as evaluated) and the state's value; Unknown parts are skipped. */
function compareValue(declared: Value, live: unknown, p: string, unknown: string[]): AttributeChange[] {
  if (declared instanceof PartialMap) {
    const liveMap = isObject(live) ? live : {};
    return Object.entries(declared.entries).flatMap(([k, v]) => compareValue(v, liveMap[k], `${p}.${k}`, unknown));
  }
  if (declared instanceof Unknown || declared instanceof ResourceRef) {
    unknown.push(p);
    return [];
  }
  // `null` in the code means "not set": the provider's default applies.
  if (declared === null) return [];
  if (isRecord(declared) && isObject(live)) {
    // A map of strings (tags, labels): a key only live is drift. An object with other
    // values is a structure whose attributes the provider fills in: only declared keys count.
    const isMap = Object.values(live).every((v) => v === null || typeof v === 'string');
    const keys = isMap ? [...new Set([...Object.keys(declared), ...Object.keys(live)])].sort() : Object.keys(declared).sort();
    return keys.flatMap((k) => {
      if (!(k in declared)) return isEmpty(live[k]) ? [] : [{ path: `${p}.${k}`, live: live[k] as JsonValue }];
      return compareValue(declared[k]!, live[k], `${p}.${k}`, unknown);
    });
  }
  const known = toJson(declared);
  if (known === undefined) {
    unknown.push(p);
    return [];
  }
  if (sameLoose(known, live)) return [];
  return [{ path: p, declared: known, ...(live !== undefined && live !== null ? { live: live as JsonValue } : {}) }];
}

/** The JSON form of a fully known value; undefined when any part is Unknown. */
function toJson(v: Value): JsonValue | undefined {
  if (v instanceof Unknown || v instanceof ResourceRef) return undefined;
  if (Array.isArray(v)) {
    const items = (v as readonly Value[]).map(toJson);
    return items.every((x) => x !== undefined) ? (items as JsonValue[]) : undefined;
  }
  if (isRecord(v)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) {
      const j = toJson(x);
      if (j === undefined) return undefined;
      out[k] = j;
    }
    return out;
  }
  return v as JsonValue;
}

/**
 * Equality as Terraform's type conversion sees it: "1" and 1, "true" and
 * true; JSON documents (policies) by content; lists that are sets in any order.
 */
function sameLoose(a: unknown, b: unknown): boolean {
  if (equalJson(a, b)) return true;
  // Providers record an empty map, list or string as null and the other way round.
  if (isEmpty(a) && isEmpty(b)) return true;
  if (b === undefined || b === null) return false;
  if (typeof a !== 'object' && typeof b !== 'object') {
    if (String(a) === String(b)) return true;
    if (typeof a === 'string' && typeof b === 'string') return sameJsonText(a, b);
    return false;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    if (a.every((x, i) => sameLoose(x, b[i]))) return true;
    const rest = [...b];
    return a.every((x) => {
      const i = rest.findIndex((y) => sameLoose(x, y));
      return i >= 0 && rest.splice(i, 1).length === 1;
    });
  }
  if (isObject(a) && isObject(b)) {
    // Objects inside lists (rules, ingress items): the provider adds defaults; the declared keys decide.
    return Object.keys(a).every((k) => sameLoose(a[k], b[k]));
  }
  return false;
}

function sameJsonText(a: string, b: string): boolean {
  if (!/^\s*[[{]/.test(a) || !/^\s*[[{]/.test(b)) return false;
  try {
    return sameLoose(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}
