import type { HclAttribute, HclBlock, HclExpr, HclFile } from '../model/hcl';
import type { Located } from '../model/location';
import { ResourceRef, Unknown, type Value } from './value';

/** Roots of references that are never resources. */
const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'data', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/**
 * One Terraform module: the `.tf` files of a directory, read as a whole so
 * that a resource in one file can link to its companion in another.
 */
export class TerraformModule {
  private readonly byAddress = new Map<string, HclBlock>();
  /** Top-level blocks by block type, and resources by resource type, indexed once. */
  private readonly byBlockType = new Map<string, HclBlock[]>();
  private readonly byResourceType = new Map<string, HclBlock[]>();
  private readonly memo = new Map<string, unknown>();

  constructor(
    /** URI of the module's directory. */
    readonly dir: string,
    readonly files: readonly HclFile[],
  ) {
    for (const f of files)
      for (const b of f.body.blocks) {
        push(this.byBlockType, b.type, b);
        const [type, name] = b.labels;
        if (b.type !== 'resource' || !type) continue;
        push(this.byResourceType, type.value, b);
        if (name && !this.byAddress.has(`${type.value}.${name.value}`)) this.byAddress.set(`${type.value}.${name.value}`, b);
      }
  }

  /**
   * Computes something about the whole module once (indexes that several
   * rules or several resources need); the module is rebuilt after any edit.
   */
  cached<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Top-level blocks of one type (`resource`, `module`, `output`, `terraform` …). */
  topLevel(type: string): readonly HclBlock[] {
    return this.byBlockType.get(type) ?? [];
  }

  /** Managed resources, optionally of one resource type. */
  resources(type?: string): readonly HclBlock[] {
    return type ? (this.byResourceType.get(type) ?? []) : this.topLevel('resource');
  }

  resource(type: string, name: string): HclBlock | undefined {
    return this.byAddress.get(`${type}.${name}`);
  }

  /**
   * Evaluates an expression as far as this version of the engine can see:
   * literals, lists and maps of them, and references to resources of this
   * module. Anything else (variables, locals, calls, templates) is Unknown.
   */
  evaluate(expr: HclExpr, within?: HclBlock): Value {
    switch (expr.type) {
      case 'literal':
        return expr.value;
      case 'tuple':
        return expr.items.map((e) => this.evaluate(e, within));
      case 'object': {
        const out: Record<string, Value> = {};
        for (const item of expr.items) {
          if (item.key === undefined) return new Unknown(`map key ${item.keyExpr.source} is computed`, item.keyRange);
          out[item.key] = this.evaluate(item.value, within);
        }
        return out;
      }
      case 'traversal':
        return this.reference(expr, within) ?? new Unknown(`depends on ${shorten(expr.source)}`, expr.range);
      default:
        return new Unknown(`depends on ${shorten(expr.source)}`, expr.range);
    }
  }

  /** `aws_s3_bucket.x.id`, `aws_s3_bucket.x[0].id`, or `each.value.id` over `for_each = aws_s3_bucket.x`. */
  private reference(expr: Extract<HclExpr, { type: 'traversal' }>, within?: HclBlock): ResourceRef | undefined {
    const attrs = (from: number) =>
      expr.steps.slice(from).flatMap((s) => (s.kind === 'attr' ? [s.name] : []));
    if (expr.root === 'each' && within && expr.steps[0]?.kind === 'attr' && expr.steps[0].name === 'value') {
      const forEach = attribute(within, 'for_each');
      if (forEach) {
        const target = this.evaluate(forEach.expr);
        if (target instanceof ResourceRef && target.path.length === 0) return new ResourceRef(target.block, attrs(1));
      }
      return undefined;
    }
    if (NON_RESOURCE_ROOTS.has(expr.root)) return undefined;
    const first = expr.steps[0];
    if (first?.kind !== 'attr') return undefined;
    const block = this.resource(expr.root, first.name);
    return block ? new ResourceRef(block, attrs(1)) : undefined;
  }
}

/** Adds `value` to the list kept under `key`. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function shorten(source: string): string {
  const oneLine = source.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
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

/** `aws_s3_bucket.data` */
export function address(block: HclBlock): string {
  return block.labels.map((l) => l.value).join('.');
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
