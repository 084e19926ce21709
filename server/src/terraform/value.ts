import type { HclBlock } from '../model/hcl';
import type { Range } from '../model/location';

/** A value the engine cannot know from the workspace; rules never fail on it. */
export class Unknown {
  constructor(
    /** Why: "depends on var.region", "computed at apply". */
    readonly origin: string,
    readonly range?: Range,
  ) {}
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

export function isUnknown(v: Value | undefined): v is Unknown {
  return v instanceof Unknown;
}

export function isRecord(v: Value | undefined): v is { readonly [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof ResourceRef);
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
