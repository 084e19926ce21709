import { fieldPath } from '../manifests';
import { SENSITIVE_MASK, type AttributeChange, type JsonValue } from '../types';
import { FIELD_MANAGER } from './api';

/**
 * Comparing a Kubernetes object as it should be with the object as it is.
 *
 * - `compareDryRun`: the result of a server-side dry-run apply against the
 *   live object, both without the fields the server keeps for itself. The
 *   server did the defaulting, so every remaining difference is real drift.
 * - `compareDeclared`: the fallback when the dry run is not permitted: only
 *   the fields the manifest writes, against live, with numbers and
 *   quantities compared by value (`1000m` = `1`, `1Gi` = `1024Mi`).
 *
 * Both name the manager that last wrote a drifted field (from the live
 * object's `managedFields`) and mask the values of a Secret's data.
 */

export type JsonObject = { [key: string]: JsonValue };
type Step = string | number;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SERVER_METADATA = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionGracePeriodSeconds'];

export interface CompareOptions {
  /** Field managers that are "us" (never named as the one who changed a field). Default: plumbline. */
  readonly ownManagers?: readonly string[];
}

/** The object without `status`, the server's bookkeeping in `metadata`, and the last-applied annotation. */
export function withoutServerFields(obj: JsonObject): JsonObject {
  const out = structuredClone(obj);
  delete out.status;
  const meta = out.metadata;
  if (isObject(meta)) {
    for (const k of SERVER_METADATA) delete meta[k];
    const annotations = meta.annotations;
    if (isObject(annotations)) {
      delete annotations[LAST_APPLIED];
      if (Object.keys(annotations).length === 0) delete meta.annotations;
    }
  }
  return out;
}

/** Dry-run result (the object after applying the manifest) against live: every difference. */
export function compareDryRun(merged: JsonObject, live: JsonObject, options: CompareOptions = {}): AttributeChange[] {
  const found: Found[] = [];
  diffAll(withoutServerFields(merged), withoutServerFields(live), [], found);
  return finish(found, live, options);
}

/** Only the fields the manifest declares, against live, by value. */
export function compareDeclared(manifest: JsonObject, live: JsonObject, options: CompareOptions = {}): AttributeChange[] {
  const found: Found[] = [];
  const declared = isSecret(manifest) ? secretAsServerStoresIt(manifest) : manifest;
  diffDeclared(withoutServerFields(declared), withoutServerFields(live), [], [], found);
  return finish(found, live, options);
}

interface Found {
  /** Path in the desired object (the manifest's indexes, so the declaration maps). */
  readonly steps: readonly Step[];
  /** Path in the live object (list items matched by name may sit elsewhere). */
  readonly liveSteps: readonly Step[];
  readonly declared: JsonValue | undefined;
  readonly live: JsonValue | undefined;
}

function diffAll(a: JsonValue | undefined, b: JsonValue | undefined, steps: Step[], out: Found[]): void {
  if (sameValue(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffAll(a[k], b[k], [...steps, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffAll(a[i], b[i], [...steps, i], out);
    return;
  }
  out.push({ steps, liveSteps: steps, declared: a, live: b });
}

function diffDeclared(d: JsonValue | undefined, l: JsonValue | undefined, steps: Step[], liveSteps: Step[], out: Found[]): void {
  // `key: null` in a manifest leaves the field to the server.
  if (d === null || d === undefined) return;
  if (isObject(d) && isObject(l)) {
    for (const k of Object.keys(d)) diffDeclared(d[k], l[k], [...steps, k], [...liveSteps, k], out);
    return;
  }
  if (Array.isArray(d) && Array.isArray(l) && d.some((x) => isObject(x))) {
    // Lists of objects: match items by `name` when they have one (containers, ports, env), else by position;
    // items only live has (an injected sidecar) are the server's business.
    const byName = d.every((x) => isObject(x) && typeof x.name === 'string');
    d.forEach((item, i) => {
      const j = byName ? l.findIndex((x) => isObject(x) && x.name === (item as JsonObject).name) : i;
      diffDeclared(item, j >= 0 ? l[j] : undefined, [...steps, i], [...liveSteps, j >= 0 ? j : i], out);
    });
    return;
  }
  if (!sameValue(d, l)) out.push({ steps, liveSteps, declared: d, live: l });
}

function finish(found: readonly Found[], live: JsonObject, options: CompareOptions): AttributeChange[] {
  const secret = isSecret(live);
  const own = new Set([FIELD_MANAGER, ...(options.ownManagers ?? [])]);
  const managed = Array.isArray((live.metadata as JsonObject | undefined)?.managedFields) ? ((live.metadata as JsonObject).managedFields as JsonValue[]) : [];
  return found.map((f) => {
    const path = fieldPath(f.steps);
    const by = f.live !== undefined ? changedBy(managed, f.liveSteps, live, own) : undefined;
    const sensitive = secret && (f.steps[0] === 'data' || f.steps[0] === 'stringData');
    if (sensitive) {
      return {
        path,
        ...(f.declared !== undefined ? { declared: SENSITIVE_MASK } : {}),
        ...(f.live !== undefined ? { live: SENSITIVE_MASK } : {}),
        sensitive: true,
        ...(by ? { changedBy: by } : {}),
      };
    }
    return { path, ...(f.declared !== undefined ? { declared: f.declared } : {}), ...(f.live !== undefined ? { live: f.live } : {}), ...(by ? { changedBy: by } : {}) };
  });
}

// ---- values ------------------------------------------------------------------------

/** Structural equality, with numbers and quantities compared by value. */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return sameScalar(a, b);
}

function sameScalar(a: string | number | boolean, b: string | number | boolean): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return false;
  // A number on one side, or a unit suffix on either: compare as quantities. Two plain
  // decimal strings ("1.2" vs "1.20", an image tag) stay text.
  const numeric = typeof a === 'number' || typeof b === 'number' || hasSuffix(a) || hasSuffix(b);
  if (!numeric) return false;
  const x = typeof a === 'number' ? a : parseQuantity(a);
  const y = typeof b === 'number' ? b : parseQuantity(b);
  if (x === undefined || y === undefined) return false;
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** A Kubernetes quantity (`500m`, `1.5Gi`, `2e3`, `8`) as a number; undefined when it is not one. */
export function parseQuantity(s: string): number | undefined {
  const m = QUANTITY.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

function hasSuffix(v: string | number): boolean {
  if (typeof v !== 'string') return false;
  const m = QUANTITY.exec(v.trim());
  return !!m && (m[2] !== undefined || m[3] !== undefined);
}

// ---- who changed it ----------------------------------------------------------------

/**
 * The field manager whose `fieldsV1` covers the path in the live object, as
 * `kubectl-edit (Update, 2026-11-20T09:12:00Z)`: managers that updated the
 * field imperatively (`Update`) before appliers, the latest first, never
 * Plumbline itself.
 */
export function changedBy(managedFields: readonly JsonValue[], steps: readonly Step[], live: JsonObject, own: ReadonlySet<string> = new Set([FIELD_MANAGER])): string | undefined {
  const owners = managedFields.filter((m): m is JsonObject => isObject(m) && typeof m.manager === 'string' && !own.has(m.manager) && isObject(m.fieldsV1) && covers(m.fieldsV1, steps, live));
  if (owners.length === 0) return undefined;
  const rank = (m: JsonObject) => (m.operation === 'Update' ? 0 : 1);
  const time = (m: JsonObject) => (typeof m.time === 'string' ? Date.parse(m.time) || 0 : 0);
  owners.sort((a, b) => rank(a) - rank(b) || time(b) - time(a));
  const best = owners[0]!;
  const details = [typeof best.operation === 'string' ? best.operation : undefined, typeof best.time === 'string' ? best.time : undefined].filter(Boolean);
  return `${best.manager as string}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** Whether a FieldsV1 set owns the field at `steps` (or an ancestor it owns as a whole). */
function covers(fields: JsonObject, steps: readonly Step[], live: JsonValue): boolean {
  let node: JsonObject = fields;
  let value: JsonValue | undefined = live;
  for (const step of steps) {
    const children = Object.keys(node).filter((k) => k !== '.');
    // An empty set below a key: the manager owns that value whole (a leaf, or an atomic map or list).
    if (children.length === 0 && node !== fields) return true;
    let key: string | undefined;
    if (typeof step === 'string') key = `f:${step}`;
    else {
      const item: JsonValue | undefined = Array.isArray(value) ? value[step] : undefined;
      key = children.find((k) => listKeyMatches(k, item, step));
    }
    const next = key !== undefined ? node[key] : undefined;
    if (!isObject(next)) return false;
    node = next;
    value = value === undefined || value === null ? undefined : typeof step === 'number' ? (Array.isArray(value) ? value[step] : undefined) : isObject(value) ? value[step] : undefined;
  }
  return true;
}

function listKeyMatches(key: string, item: JsonValue | undefined, index: number): boolean {
  if (key.startsWith('i:')) return Number(key.slice(2)) === index;
  if (item === undefined) return false;
  const parsed = parseJson(key.slice(2));
  if (parsed === undefined) return false;
  if (key.startsWith('k:')) return isObject(parsed) && isObject(item) && Object.entries(parsed).every(([k, v]) => sameValue(item[k], v));
  if (key.startsWith('v:')) return sameValue(parsed, item);
  return false;
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

// ---- secrets -----------------------------------------------------------------------

export function isSecret(o: JsonObject): boolean {
  return o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);
}

/** A Secret manifest as the server stores it: `stringData` folded into base64 `data` (stringData wins). */
function secretAsServerStoresIt(manifest: JsonObject): JsonObject {
  const { stringData, ...rest } = manifest;
  if (!isObject(stringData)) return rest;
  const data: JsonObject = isObject(rest.data) ? { ...rest.data } : {};
  for (const [k, v] of Object.entries(stringData)) if (v !== null) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return { ...rest, data };
}

/** Every value of a Secret's data (base64 and decoded) and stringData, to keep out of messages. */
export function secretValues(o: JsonObject): string[] {
  if (!isSecret(o)) return [];
  const out: string[] = [];
  for (const field of ['data', 'stringData'] as const) {
    const m = o[field];
    if (!isObject(m)) continue;
    for (const v of Object.values(m)) {
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      const s = String(v);
      if (s.length >= 3) out.push(s);
      if (field === 'data') {
        const decoded = Buffer.from(s, 'base64').toString('utf8');
        if (decoded.length >= 3) out.push(decoded);
      } else out.push(Buffer.from(s, 'utf8').toString('base64'));
    }
  }
  return out;
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
