import { formatAddress, modulePath, parseAddress } from './address';
import { DriftError, SENSITIVE_MASK, type AttributeChange, type JsonValue, type ResourceDrift } from './types';

/**
 * Reads the `resource_drift` of a JSON plan: `terraform show -json` of a
 * refresh-only plan, or HCP Terraform's assessment `json-output` (the same
 * format). Each entry has the shape of `resource_changes`: `address`,
 * `mode`, `type`, `name`, `index`, and `change.before` / `change.after` with
 * `before_sensitive` / `after_sensitive` flags of the same shape.
 *
 * `before` is what Terraform last recorded (what it applied from the code);
 * `after` is the live object after refresh. Values flagged sensitive on
 * either side are replaced by SENSITIVE_MASK on both.
 */
export function driftFromPlan(plan: unknown): ResourceDrift[] {
  if (!isObject(plan)) throw new DriftError('malformed', 'The JSON plan is not an object.');
  const entries = plan.resource_drift ?? [];
  if (!Array.isArray(entries)) throw new DriftError('malformed', 'The JSON plan\'s "resource_drift" is not a list.');
  const out: ResourceDrift[] = [];
  for (const entry of entries) {
    const r = resourceFromEntry(entry);
    if (r) out.push(r);
  }
  return out;
}

function resourceFromEntry(entry: unknown): ResourceDrift | undefined {
  if (!isObject(entry) || typeof entry.address !== 'string' || !isObject(entry.change)) return undefined;
  const parsed = parseAddress(entry.address);
  if (!parsed) return undefined;
  const change = entry.change;
  const actions = Array.isArray(change.actions) ? change.actions.filter((a): a is string => typeof a === 'string') : [];
  const base = {
    address: formatAddress(parsed),
    mode: parsed.mode,
    type: parsed.type,
    name: parsed.name,
    module: modulePath(parsed),
    ...(parsed.key !== undefined ? { key: parsed.key } : {}),
  };
  if (actions.includes('delete') && change.after == null) {
    return { ...base, status: 'missing', changes: [], message: 'Deleted outside Terraform: the refresh found no live object.' };
  }
  if (actions.length === 1 && actions[0] === 'no-op') return { ...base, status: 'in-sync', changes: [] };
  const changes = diffValues(asJson(change.before), asJson(change.after), sensitivity(change.before_sensitive), sensitivity(change.after_sensitive));
  return { ...base, status: changes.length > 0 || actions.includes('update') ? 'drifted' : 'in-sync', changes };
}

/** A `*_sensitive` flag tree: `true` marks the whole value, objects and lists mark parts. */
type Sensitivity = boolean | { readonly [k: string]: Sensitivity } | readonly Sensitivity[];

function sensitivity(v: unknown): Sensitivity {
  if (v === true) return true;
  if (Array.isArray(v)) return v.map(sensitivity);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sensitivity(x)]));
  return false;
}

function child(s: Sensitivity, key: string | number): Sensitivity {
  if (s === true || s === false) return s;
  if (Array.isArray(s)) return typeof key === 'number' ? ((s as Sensitivity[])[key] ?? false) : false;
  return (s as { [k: string]: Sensitivity })[String(key)] ?? false;
}

/**
 * The attribute paths whose values differ, in Terraform's notation
 * (`versioning_configuration[0].status`, `tags.owner`). Lists of equal
 * length are compared element by element; otherwise the whole list is one change.
 */
export function diffValues(before: JsonValue | undefined, after: JsonValue | undefined, sb: Sensitivity = false, sa: Sensitivity = false, path = ''): AttributeChange[] {
  if (sb === true || sa === true) {
    return equalJson(before, after) ? [] : [{ path: path || '(value)', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true }];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) =>
      diffValues(before[k] as JsonValue | undefined, after[k] as JsonValue | undefined, child(sb, k), child(sa, k), path ? `${path}.${k}` : k),
    );
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffValues(b, after[i], child(sb, i), child(sa, i), `${path}[${i}]`));
  }
  if (equalJson(before ?? null, after ?? null)) return [];
  if (containsSensitive(sb) || containsSensitive(sa)) {
    // A container with sensitive parts that changed shape: show the path, never the values.
    return [{ path: path || '(value)', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true }];
  }
  return [{ path: path || '(value)', ...(before !== undefined && before !== null ? { declared: before } : {}), ...(after !== undefined && after !== null ? { live: after } : {}) }];
}

function containsSensitive(s: Sensitivity): boolean {
  if (s === true) return true;
  if (s === false) return false;
  return (Array.isArray(s) ? (s as Sensitivity[]) : Object.values(s)).some(containsSensitive);
}

export function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equalJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equalJson(a[k], b[k]));
  }
  return false;
}

function asJson(v: unknown): JsonValue | undefined {
  return v === undefined ? undefined : (v as JsonValue);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
