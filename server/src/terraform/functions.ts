import {
  copyKeyOrigins,
  findUnknown,
  isRecord,
  isUnknown,
  PartialList,
  PartialMap,
  ResourceRef,
  sameValue,
  Unknown,
  type Value,
  type ValueRecord,
} from './value';

/** A Terraform evaluation error (missing key, bad argument): `try` and `can` catch it; elsewhere it becomes Unknown. */
export class EvalError extends Error {}

/** Functions the evaluator knows; any other call is Unknown. */
export const FUNCTIONS: Readonly<Record<string, (args: Value[]) => Value>> = {
  merge,
  concat,
  lookup,
  coalesce,
  coalescelist: (args) => coalesce(args.filter((a) => !Array.isArray(a) || a.length > 0)),
  tomap: (args) => {
    const [m] = args;
    if (isRecord(m) || m instanceof PartialMap || isUnknown(m)) return m!;
    throw new EvalError('tomap: not a map');
  },
  tolist: (args) => asList(args[0], 'tolist'),
  toset: (args) => {
    const l = asList(args[0], 'toset');
    if (!Array.isArray(l)) return l;
    const out: Value[] = [];
    for (const x of l as Value[]) {
      if (isUnknown(x)) return new Unknown(x.origin, x.range, x.uri);
      if (!out.some((y) => sameValue(x, y))) out.push(x);
    }
    return out;
  },
  tostring: (args) => strict(args, () => str(args[0]!)),
  tonumber: (args) =>
    strict(args, () => {
      const n = typeof args[0] === 'number' ? args[0] : Number(str(args[0]!));
      if (Number.isNaN(n)) throw new EvalError('tonumber: not a number');
      return n;
    }),
  format: (args) => strict(args, () => format(str(args[0]!), args.slice(1))),
  join: (args) => strict(args, () => list(args[1]).map((x) => str(x)).join(str(args[0]!))),
  split: (args) => strict(args, () => str(args[1]!).split(str(args[0]!))),
  lower: (args) => strict(args, () => str(args[0]!).toLowerCase()),
  upper: (args) => strict(args, () => str(args[0]!).toUpperCase()),
  title: (args) => strict(args, () => str(args[0]!).replace(/\b\w/g, (c) => c.toUpperCase())),
  trimspace: (args) => strict(args, () => str(args[0]!).trim()),
  startswith: (args) => strict(args, () => str(args[0]!).startsWith(str(args[1]!))),
  endswith: (args) => strict(args, () => str(args[0]!).endsWith(str(args[1]!))),
  replace: (args) =>
    strict(args, () => {
      const [s, sub, rep] = args.map((a) => str(a));
      const m = /^\/(.*)\/$/s.exec(sub!);
      // Terraform's regex syntax (RE2) and JS's agree on the common subset; `$1` becomes `$1` in both.
      return m ? s!.replace(new RegExp(m[1]!, 'g'), rep!) : s!.split(sub!).join(rep!);
    }),
  jsonencode: (args) => strict(args, () => JSON.stringify(toJson(args[0]!))),
  jsondecode: (args) =>
    strict(args, () => {
      try {
        return JSON.parse(str(args[0]!)) as Value;
      } catch {
        throw new EvalError('jsondecode: invalid JSON');
      }
    }),
  length: (args) => {
    const [x] = args;
    if (isUnknown(x)) return x;
    if (x instanceof ResourceRef) return new Unknown(`the instances of ${x.type}.${x.name} are counted at plan time`);
    if (typeof x === 'string') return [...x].length;
    if (Array.isArray(x)) return x.length;
    if (isRecord(x)) return Object.keys(x).length;
    throw new EvalError('length: not a collection');
  },
  contains: (args) => {
    const [l, v] = args;
    if (isUnknown(v)) return v;
    if (l instanceof PartialList) return l.items.some((x) => sameValue(x, v!)) ? true : new Unknown(l.origin, l.range, l.uri);
    if (isUnknown(l)) return l;
    const items = list(l);
    if (items.some((x) => sameValue(x, v!))) return true;
    const u = items.find((x) => isUnknown(x));
    return u ?? false;
  },
  keys: (args) => {
    const [m] = args;
    if (m instanceof PartialMap) return new PartialList(Object.keys(m.entries), m.origin, m.range, m.uri);
    if (isUnknown(m)) return m;
    if (!isRecord(m)) throw new EvalError('keys: not a map');
    return Object.keys(m).sort();
  },
  values: (args) => {
    const [m] = args;
    if (m instanceof PartialMap) return new PartialList(Object.values(m.entries), m.origin, m.range, m.uri);
    if (isUnknown(m)) return m;
    if (!isRecord(m)) throw new EvalError('values: not a map');
    return Object.keys(m)
      .sort()
      .map((k) => m[k]!);
  },
  distinct: (args) => FUNCTIONS.toset!(args),
  flatten: (args) => strict(args, () => flat(list(args[0]))),
  element: (args) =>
    strict(args, () => {
      const l = list(args[0]);
      if (l.length === 0) throw new EvalError('element: empty list');
      return l[Number(args[1]) % l.length]!;
    }),
  zipmap: (args) =>
    strict(args, () => {
      const ks = list(args[0]);
      const vs = list(args[1]);
      return Object.fromEntries(ks.map((k, i) => [str(k), vs[i] ?? null]));
    }),
};

function merge(args: Value[]): Value {
  const out: Record<string, Value> = {};
  let unknown: Unknown | undefined;
  for (const a of args) {
    if (a === null) continue;
    if (a instanceof PartialMap) {
      unknown ??= a;
      // Later unknown parts may override earlier keys: those stay present with an unknown value.
      for (const k of Object.keys(out)) out[k] = new Unknown(`${k} may be overridden: ${a.origin}`, a.range, a.uri);
      for (const [k, v] of Object.entries(a.entries)) out[k] = v;
      copyKeyOrigins(a, out, Object.keys(a.entries));
    } else if (a instanceof Unknown) {
      unknown ??= a;
      for (const k of Object.keys(out)) out[k] = new Unknown(`${k} may be overridden: ${a.origin}`, a.range, a.uri);
    } else if (isRecord(a)) {
      Object.assign(out, a);
      copyKeyOrigins(a, out, Object.keys(a));
    } else throw new EvalError('merge: arguments must be maps');
  }
  if (!unknown) return out;
  const partial = new PartialMap(out, unknown.origin, unknown.range, unknown.uri);
  copyKeyOrigins(out, partial);
  return partial;
}

function concat(args: Value[]): Value {
  const out: Value[] = [];
  let unknown: Unknown | undefined;
  for (const a of args) {
    if (a instanceof PartialList) {
      unknown ??= a;
      out.push(...a.items);
    } else if (a instanceof Unknown) unknown ??= a;
    else if (Array.isArray(a)) out.push(...(a as Value[]));
    else throw new EvalError('concat: arguments must be lists');
  }
  return unknown ? new PartialList(out, unknown.origin, unknown.range, unknown.uri) : out;
}

function lookup(args: Value[]): Value {
  const [m, k, dflt] = args;
  if (isUnknown(k)) return k;
  const key = str(k!);
  if (m instanceof PartialMap) return key in m.entries ? m.entries[key]! : new Unknown(m.origin, m.range, m.uri);
  if (isUnknown(m)) return m;
  if (!isRecord(m)) throw new EvalError('lookup: not a map');
  if (key in m) return m[key]!;
  if (args.length < 3) throw new EvalError(`lookup: no key "${key}"`);
  return dflt!;
}

function coalesce(args: Value[]): Value {
  for (const a of args) {
    if (isUnknown(a)) return a;
    if (a !== null && a !== '') return a;
  }
  throw new EvalError('coalesce: no non-null argument');
}

function asList(v: Value | undefined, fn: string): Value {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) return v;
  throw new EvalError(`${fn}: not a list`);
}

function list(v: Value | undefined): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  throw new EvalError('not a list');
}

function flat(l: readonly Value[]): Value[] {
  return l.flatMap((x) => (Array.isArray(x) ? flat(x as Value[]) : [x]));
}

/** Runs `f` when no argument holds an Unknown; else the first Unknown. */
function strict(args: Value[], f: () => Value): Value {
  const u = findUnknown(args);
  if (u) return new Unknown(u.origin, u.range, u.uri);
  return f();
}

/** Terraform's automatic conversion to string. */
export function str(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) throw new EvalError('null value where a string is required');
  throw new EvalError('a collection where a string is required');
}

function toJson(v: Value): unknown {
  if (v instanceof ResourceRef) throw new EvalError('resource attribute is computed');
  if (Array.isArray(v)) return v.map(toJson);
  if (isRecord(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = toJson((v as ValueRecord)[k]!);
    return o;
  }
  return v;
}

function format(spec: string, args: Value[]): string {
  let i = 0;
  return spec.replace(/%([-+# 0]*\d*(?:\.\d+)?)([sdvqftbxXeEgGo%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (a === undefined) throw new EvalError('format: too few arguments');
    switch (verb) {
      case 'd':
        return String(Math.trunc(Number(a)));
      case 'q':
        return JSON.stringify(str(a));
      case 'v':
        return typeof a === 'object' && a !== null ? JSON.stringify(toJson(a)) : str(a);
      case 'f':
        return Number(a).toFixed(6);
      default:
        return str(a);
    }
  });
}
