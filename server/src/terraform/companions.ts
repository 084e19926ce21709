import type { HclBlock, HclExpr } from '../model/hcl';
import { address, attribute, push, type TerraformModule } from './module';
import { isUnknown, ResourceRef } from './value';
import { walkBodyExprs, walkExpr } from './walk';

export interface CompanionLinks {
  /** Companions whose link argument points at the primary. */
  readonly linked: readonly HclBlock[];
  /** True when a companion might belong to the primary but its link cannot be evaluated. */
  readonly unknownLink: boolean;
  /** True when the primary's identity leaves the module (output, module call): a companion may live elsewhere. */
  readonly escapes: boolean;
}

interface CompanionIndex {
  readonly byPrimary: Map<HclBlock, HclBlock[]>;
  readonly byName: Map<string, HclBlock[]>;
  /** Some companion's link argument cannot be evaluated. */
  readonly unknown: boolean;
}

/**
 * Links companion resources (catalog §3 rule 4) to a primary resource: a
 * companion is linked when its `linkAttr` refers to the primary, or is a
 * literal equal to the primary's known name (`nameAttr`).
 */
export function linkCompanions(
  module: TerraformModule,
  primary: HclBlock,
  companionType: string,
  linkAttr = 'bucket',
  nameAttr = 'bucket',
): CompanionLinks {
  const index = companionIndex(module, companionType, linkAttr);
  const primaryName = module.kept(primary, `name:${nameAttr}`, () => {
    const nameExpr = attribute(primary, nameAttr);
    const v = nameExpr ? module.evaluate(nameExpr.expr, primary) : undefined;
    // What decides a link: a known name, or that the name is unknown (a reference is neither).
    return typeof v === 'string' || isUnknown(v) ? v : undefined;
  });
  const linked = [...(index.byPrimary.get(primary) ?? []), ...(typeof primaryName === 'string' ? (index.byName.get(primaryName) ?? []) : [])];
  // A literal link may name this primary when the primary's own name is computed.
  const unknownLink = index.unknown || (isUnknown(primaryName) && index.byName.size > 0);
  return { linked, unknownLink, escapes: escapingResources(module).has(address(primary)) };
}

/** Every companion of a type, indexed by what its link argument points at; built once per module. */
function companionIndex(module: TerraformModule, companionType: string, linkAttr: string): CompanionIndex {
  return module.cached(`companions:${companionType}:${linkAttr}`, () => {
    const index: CompanionIndex = { byPrimary: new Map(), byName: new Map(), unknown: false };
    let unknown = false;
    for (const c of module.resources(companionType)) {
      // What the link argument points at, kept across edits of other resources (as an address: the block may be rebuilt).
      const v = module.kept(c, `link:${linkAttr}`, (): { address: readonly [string, string] } | { name: string } | 'unknown' | undefined => {
        const link = attribute(c, linkAttr);
        const value = link ? module.evaluate(link.expr, c) : undefined;
        if (value instanceof ResourceRef) return { address: [value.type, value.name] };
        if (typeof value === 'string') return { name: value };
        return isUnknown(value) ? 'unknown' : undefined;
      });
      if (v === 'unknown') unknown = true;
      else if (v && 'name' in v) push(index.byName, v.name, c);
      else if (v) {
        const primary = module.resource(...v.address);
        if (primary) push(index.byPrimary, primary, c);
      }
    }
    return { ...index, unknown };
  });
}

/**
 * Addresses of the resources whose identity leaves the module: an `output` or
 * a `module` call refers to them, directly or through locals that do.
 */
export function escapingResources(module: TerraformModule): ReadonlySet<string> {
  return module.cached('escaping-resources', () => {
    const locals = new Map(module.topLevel('locals').flatMap((b) => b.body.attributes.map((a) => [a.name, a.expr] as const)));
    const closure = new Map<string, Set<string>>(); // local name → resource addresses it carries
    const carried = (name: string, seen: Set<string>): Set<string> => {
      const known = closure.get(name);
      if (known) return known;
      const out = new Set<string>();
      const expr = locals.get(name);
      if (expr && !seen.has(name)) {
        seen.add(name);
        collect((v) => walkExpr(expr, v), out, seen);
        closure.set(name, out);
      }
      return out;
    };
    const collect = (visit: (v: (e: HclExpr) => void) => void, out: Set<string>, seen: Set<string>) =>
      visit((e) => {
        if (e.type !== 'traversal' || e.steps[0]?.kind !== 'attr') return;
        if (e.root === 'local') carried(e.steps[0].name, seen).forEach((a) => out.add(a));
        else out.add(`${e.root}.${e.steps[0].name}`);
      });
    const out = new Set<string>();
    for (const b of [...module.topLevel('output'), ...module.topLevel('module')]) collect((v) => walkBodyExprs(b.body, v), out, new Set());
    return out;
  });
}
