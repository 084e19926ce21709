import type { HclBlock, HclExpr } from '../model/hcl';
import { attribute, resourceName, resourceType, type TerraformModule } from './module';
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
  const type = resourceType(primary);
  const name = resourceName(primary);
  const nameExpr = attribute(primary, nameAttr);
  const primaryName = nameExpr ? module.evaluate(nameExpr.expr, primary) : undefined;
  const linked: HclBlock[] = [];
  let unknownLink = false;
  for (const c of module.resources(companionType)) {
    const link = attribute(c, linkAttr);
    if (!link) continue;
    const v = module.evaluate(link.expr, c);
    if (v instanceof ResourceRef) {
      if (v.block === primary) linked.push(c);
    } else if (isUnknown(v)) {
      unknownLink = true;
    } else if (typeof v === 'string' && typeof primaryName === 'string') {
      if (v === primaryName) linked.push(c);
    } else if (typeof v === 'string' && isUnknown(primaryName)) {
      unknownLink = true; // the primary's name is computed: this literal may be it
    }
  }
  return { linked, unknownLink, escapes: identityEscapes(module, type, name) };
}

/**
 * True when the resource's identity leaves the module: an `output` or a
 * `module` call refers to it, directly or through locals that do.
 */
export function identityEscapes(module: TerraformModule, type: string, name: string): boolean {
  const carriers = new Set<string>(); // locals that carry the identity
  const isCarrier = (e: HclExpr) =>
    e.type === 'traversal' &&
    e.steps[0]?.kind === 'attr' &&
    ((e.root === type && e.steps[0].name === name) || (e.root === 'local' && carriers.has(e.steps[0].name)));
  const mentions = (visit: (v: (e: HclExpr) => void) => void) => {
    let found = false;
    visit((e) => (found ||= isCarrier(e)));
    return found;
  };
  const locals = module.topLevel('locals').flatMap((b) => b.body.attributes);
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of locals)
      if (!carriers.has(l.name) && mentions((v) => walkExpr(l.expr, v))) {
        carriers.add(l.name);
        grew = true;
      }
  }
  return [...module.topLevel('output'), ...module.topLevel('module')].some((b) => mentions((v) => walkBodyExprs(b.body, v)));
}
