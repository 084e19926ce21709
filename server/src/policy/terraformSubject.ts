import type { HclBlock, HclBody, HclExpr } from '../model/hcl';
import type { Range } from '../model/location';
import type { Instance, TerraformModule } from '../terraform/module';
import { PartialMap, ResourceRef, Unknown, isRecord, type Value } from '../terraform/value';
import { pointer, type Subject } from './types';

/** What an unknown value is replaced with: present for `required`, and never judged (see evaluate.ts). */
const UNKNOWN_PLACEHOLDER = null;

interface Located {
  key?: Range;
  value?: Range;
}

/**
 * A resource or data block as its policy sees it: the shape of
 * `@cdktf/hcl2json` (attributes by name, nested blocks as arrays of objects)
 * with every attribute evaluated in the module. Values the module cannot
 * know are placeholders listed in `unknown`; a `dynamic` block makes its
 * block type unknown. Each pointer maps back to the text: an attribute to
 * its key and value, a nested block to its header, an object literal's
 * entry to its key and value.
 */
export function terraformSubject(module: TerraformModule, block: HclBlock, instance?: Instance): Subject {
  const unknown = new Set<string>();
  const open = new Set<string>();
  const where = new Map<string, Located>();

  const convert = (v: Value, at: string[], expr: HclExpr | undefined): unknown => {
    const key = pointer(at);
    if (v instanceof PartialMap) {
      open.add(key);
      return record(v.entries, at, expr);
    }
    if (v instanceof Unknown || v instanceof ResourceRef) {
      unknown.add(key);
      return UNKNOWN_PLACEHOLDER;
    }
    if (Array.isArray(v)) {
      const items = expr?.type === 'tuple' && expr.items.length === v.length ? expr.items : undefined;
      return (v as readonly Value[]).map((x, i) => {
        const itemExpr = items?.[i];
        if (itemExpr) where.set(pointer([...at, String(i)]), { value: itemExpr.range });
        return convert(x, [...at, String(i)], itemExpr);
      });
    }
    if (isRecord(v)) return record(v, at, expr);
    return v;
  };

  const record = (v: { readonly [k: string]: Value }, at: string[], expr: HclExpr | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const item = expr?.type === 'object' ? expr.items.find((i) => i.key === k) : undefined;
      if (item) where.set(pointer([...at, k]), { key: item.keyRange, value: item.value.range });
      define(out, k, convert(x, [...at, k], item?.value));
    }
    return out;
  };

  const body = (b: HclBody, at: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    // hcl2json writes blocks first, then attributes (an attribute wins a name clash).
    for (const nested of b.blocks) {
      if (nested.type === 'dynamic') {
        const type = nested.labels[0]?.value;
        if (!type) continue;
        const p = pointer([...at, type]);
        unknown.add(p);
        where.set(p, { key: nested.headerRange, value: nested.headerRange });
        define(out, type, UNKNOWN_PLACEHOLDER);
        continue;
      }
      const list = (Array.isArray(out[nested.type]) ? out[nested.type] : []) as unknown[];
      if (list.length === 0) where.set(pointer([...at, nested.type]), { key: nested.headerRange, value: nested.headerRange });
      const itemAt = [...at, nested.type, String(list.length)];
      where.set(pointer(itemAt), { key: nested.headerRange, value: nested.headerRange });
      list.push(body(nested.body, itemAt));
      define(out, nested.type, list);
    }
    for (const a of b.attributes) {
      const p = [...at, a.name];
      where.set(pointer(p), { key: a.keyRange, value: a.expr.range });
      define(out, a.name, convert(module.evaluate(a.expr, block, instance), p, a.expr));
    }
    // A dynamic block's type stays unknown even beside literal blocks of that type.
    for (const nested of b.blocks) if (nested.type === 'dynamic' && nested.labels[0]) unknown.add(pointer([...at, nested.labels[0].value]));
    return out;
  };

  const value = body(block.body, []);
  return {
    uri: block.uri,
    noun: block.type === 'data' ? 'the data source' : 'the resource',
    value,
    unknown,
    open,
    anchor: block.headerRange,
    locate: (segments) => (segments.length === 0 ? { key: block.headerRange, value: block.headerRange } : where.get(pointer(segments))),
  };
}

/** The instances a policy checks: each known one, or the block as all instances agree on it. */
export function instancesOf(module: TerraformModule, block: HclBlock): readonly (Instance | undefined)[] {
  const known = module.instances(block);
  return known instanceof Unknown ? [undefined] : known;
}

/** Sets an own property even for a key like `__proto__`, as JSON.parse would. */
function define(o: Record<string, unknown>, key: string, v: unknown): void {
  Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
}
