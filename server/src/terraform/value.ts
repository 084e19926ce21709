import type { HclBlock } from '../model/hcl';
import type { Located, Range } from '../model/location';

/**
 * Values of the Terraform evaluator (catalog §3).
 *
 * - Known values are plain JS: string, number, boolean, null, arrays (lists,
 *   tuples, sets) and records (maps, objects).
 * - `ResourceRef` is a reference to a resource block of the module
 *   (`aws_s3_bucket.x.id`): its attributes are computed at apply, but the
 *   block it names is known, which is what companion linking needs.
 * - `Unknown(origin)` is a value Plumbline cannot know; `origin` says why
 *   ("var.region has no default") and `range` where the unknown part is.
 * - Partial knowledge is monotonic (catalog §3 rule 2): `PartialMap` and
 *   `PartialList` are Unknowns that carry what is known anyway.
 *   `merge(var.common, { owner = "x" })` is a `PartialMap` whose `entries`
 *   hold `owner = "x"`: owner is proved present (an entry's value may itself
 *   be Unknown, e.g. when a later unknown argument could override it), other
 *   keys may or may not exist. `concat(["*"], var.extra)` is a `PartialList`
 *   whose `items` are proved to be among the elements. Because both extend
 *   `Unknown`, a rule that only checks `isUnknown` stays correct (it reports
 *   nothing); a rule that can decide on the known part alone reads it through
 *   `knownEntries` / `knownItems`.
 *
 * Provenance: every record or partial map built from source text remembers
 * where each key was written (`keyOrigin(map, key)`), through locals,
 * variables, tfvars, `merge` and provider `default_tags`; a rule uses it for
 * `relatedInformation` ("owner comes from local.common_tags at locals.tf:3").
 * For the references an expression reads, see `TerraformModule.trace`.
 */
export class Unknown {
  constructor(
    /** Why: "depends on var.region", "computed at apply". */
    readonly origin: string,
    readonly range?: Range,
    /** The document of `range`, when known. */
    readonly uri?: string,
  ) {}
}

/** A map of which some entries are known; others may exist (catalog §3 rule 2). */
export class PartialMap extends Unknown {
  constructor(
    /** Keys proved present; their values may be Unknown. */
    readonly entries: { readonly [key: string]: Value },
    origin: string,
    range?: Range,
    uri?: string,
  ) {
    super(origin, range, uri);
  }
}

/** A list of which some elements are known; others may exist. */
export class PartialList extends Unknown {
  constructor(
    /** Elements proved present, in no guaranteed position. */
    readonly items: readonly Value[],
    origin: string,
    range?: Range,
    uri?: string,
  ) {
    super(origin, range, uri);
  }
}

/** A reference to another resource of the module (`aws_s3_bucket.data.id`). */
export class ResourceRef {
  constructor(
    readonly block: HclBlock,
    /** Attribute path after the resource address: `["id"]`. */
    readonly path: readonly string[],
  ) {}

  get type(): string {
    return this.block.labels[0]?.value ?? '';
  }

  get name(): string {
    return this.block.labels[1]?.value ?? '';
  }
}

export type Value =
  | string
  | number
  | boolean
  | null
  | Unknown
  | ResourceRef
  | readonly Value[]
  | { readonly [key: string]: Value };

export type ValueRecord = { readonly [key: string]: Value };

export function isUnknown(v: Value | undefined): v is Unknown {
  return v instanceof Unknown;
}

export function isRecord(v: Value | undefined): v is ValueRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof ResourceRef);
}

/** The entries proved present: all of a known map, the known part of a `PartialMap`, else undefined. */
export function knownEntries(v: Value | undefined): ValueRecord | undefined {
  if (v instanceof PartialMap) return v.entries;
  return isRecord(v) ? v : undefined;
}

/** The elements proved present: all of a known list, the known part of a `PartialList`, else undefined. */
export function knownItems(v: Value | undefined): readonly Value[] | undefined {
  if (v instanceof PartialList) return v.items;
  return Array.isArray(v) ? (v as readonly Value[]) : undefined;
}

/** The first Unknown inside `v` (itself included), if any. */
export function findUnknown(v: Value | undefined): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUnknown(x);
      if (u) return u;
    }
  } else if (isRecord(v)) {
    for (const x of Object.values(v)) {
      const u = findUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

// ---- provenance ---------------------------------------------------------------

const keyOrigins = new WeakMap<object, Map<string, Located>>();

/** Where `key` of a map value was written (object literal key, tfvars entry, default_tags …), when known. */
export function keyOrigin(map: Value | undefined, key: string): Located | undefined {
  return typeof map === 'object' && map !== null ? keyOrigins.get(map)?.get(key) : undefined;
}

/** Records where `key` of `map` was written (evaluator internal). */
export function setKeyOrigin(map: object, key: string, at: Located | undefined): void {
  if (!at) return;
  let m = keyOrigins.get(map);
  if (!m) keyOrigins.set(map, (m = new Map()));
  m.set(key, at);
}

/** Copies the key origins of `from` onto `to` (merge, tomap …). */
export function copyKeyOrigins(from: Value, to: object, keys?: Iterable<string>): void {
  if (typeof from !== 'object' || from === null) return;
  const m = keyOrigins.get(from);
  if (!m) return;
  for (const k of keys ?? m.keys()) setKeyOrigin(to, k, m.get(k));
}

/** Deep structural equality of known values (Unknowns are never equal). */
export function sameValue(a: Value, b: Value): boolean {
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (a instanceof ResourceRef || b instanceof ResourceRef)
    return a instanceof ResourceRef && b instanceof ResourceRef && a.block === b.block && a.path.join('.') === b.path.join('.');
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, (b as readonly Value[])[i]!));
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k]!, b[k]!));
  }
  return a === b;
}
