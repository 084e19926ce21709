import type { HclBlock } from '../model/hcl';
import type { TerraformModule } from './module';
import { Unknown } from './value';

/** The provider configuration a resource uses (catalog §3 rule 6). */
export interface ProviderConfig {
  /** The module whose `provider` block this is: evaluate its arguments there. */
  readonly module: TerraformModule;
  /** Local name: `aws`, `google`, `azurerm`. */
  readonly name: string;
  readonly alias?: string;
  /**
   * The `provider` block; undefined for the implicit empty configuration
   * Terraform uses in a root module that declares none (no `default_tags`,
   * region from the environment).
   */
  readonly block?: HclBlock;
}

/** Local provider name and alias a resource, data source or `providers` map entry selects. */
export function providerSelector(block: HclBlock): { name: string; alias?: string } | Unknown {
  const attr = block.body.attributes.find((a) => a.name === 'provider');
  if (attr) {
    const e = attr.expr;
    if (e.type !== 'traversal') return new Unknown(`provider = ${e.source} is not a provider reference`, e.range, attr.uri);
    const alias = e.steps[0]?.kind === 'attr' ? e.steps[0].name : undefined;
    return { name: e.root, ...(alias ? { alias } : {}) };
  }
  const type = block.labels[0]?.value ?? '';
  return { name: type.split('_')[0] ?? type };
}

/**
 * The configuration of provider `name` (alias `alias`) as seen from `module`:
 * its own `provider` block, else what the calling module passes through the
 * `providers = {}` map of the call (or, for the default configuration, what
 * it inherits implicitly). Unknown when an alias is configured nowhere.
 */
export function resolveProvider(module: TerraformModule, name: string, alias?: string): ProviderConfig | Unknown {
  const label = alias ? `${name}.${alias}` : name;
  for (const b of module.topLevel('provider')) {
    if (b.labels[0]?.value !== name) continue;
    const a = b.body.attributes.find((x) => x.name === 'alias');
    const blockAlias = a ? module.evaluate(a.expr, b) : undefined;
    if (blockAlias instanceof Unknown) return new Unknown(`the alias of a provider "${name}" block is computed`, a!.expr.range, b.uri);
    if ((blockAlias ?? undefined) === alias) return { module, name, ...(alias ? { alias } : {}), block: b };
  }
  const caller = module.caller;
  if (!caller) {
    if (alias) return new Unknown(`provider ${label} is not configured in this module`);
    return { module, name };
  }
  const providers = caller.call.body.attributes.find((a) => a.name === 'providers');
  if (providers?.expr.type === 'object') {
    for (const item of providers.expr.items) {
      const key = item.key ?? item.keyExpr.source;
      if (key !== label) continue;
      const v = item.value;
      if (v.type !== 'traversal') return new Unknown(`providers entry ${label} is not a provider reference`, v.range, caller.call.uri);
      const passedAlias = v.steps[0]?.kind === 'attr' ? v.steps[0].name : undefined;
      return resolveProvider(caller.module, v.root, passedAlias);
    }
  } else if (providers) return new Unknown('the providers map of the module call is computed', providers.expr.range, providers.uri);
  // Without an entry only the default configuration is inherited.
  if (alias) return new Unknown(`provider ${label} is not passed to module.${caller.call.labels[0]?.value ?? ''}`);
  return resolveProvider(caller.module, name);
}
