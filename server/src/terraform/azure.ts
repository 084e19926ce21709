import { stringListParam } from '../engine/rule';
import type { HclBlock } from '../model/hcl';
import type { Located } from '../model/location';
import { linkCompanions, type CompanionLinks } from './companions';
import { attribute, nestedBlocks, resourceName, valueOf, type TerraformModule } from './module';
import { isUnknown, ResourceRef, type Value } from './value';

export const COGNITIVE_ACCOUNT = 'azurerm_cognitive_account';
export const AI_SERVICES = 'azurerm_ai_services';

/** The catalog's default `kinds` for the Azure AI rules; `all` selects every cognitive account kind. */
export const DEFAULT_AI_KINDS: readonly string[] = ['OpenAI', 'AIServices'];

/** The `kinds` param shared by the Azure AI rules. */
export const aiKindsParam = stringListParam(
  DEFAULT_AI_KINDS,
  'azurerm_cognitive_account kinds checked ("all" for every kind); azurerm_ai_services is always checked.',
);

/** An Azure AI account in scope of a rule: a cognitive account of a selected kind, or an `azurerm_ai_services`. */
export interface AiAccount {
  readonly block: HclBlock;
  readonly type: typeof COGNITIVE_ACCOUNT | typeof AI_SERVICES;
  /** The cognitive account's `kind`; `AIServices` for `azurerm_ai_services`. */
  readonly kind: string;
}

/**
 * The AI accounts a rule checks. A cognitive account whose `kind` cannot be
 * evaluated is reported through `unknown` (at its `kind` value) and skipped.
 */
export function aiAccounts(
  module: TerraformModule,
  kinds: readonly string[],
  unknown: (at: Located, origin: string) => void,
): AiAccount[] {
  const all = kinds.includes('all');
  const out: AiAccount[] = [];
  for (const block of module.resources(COGNITIVE_ACCOUNT)) {
    const kindAttr = attribute(block, 'kind');
    if (!kindAttr) continue; // `kind` is required; an incomplete block is the editor's business
    const kind = module.evaluate(kindAttr.expr, block);
    if (isUnknown(kind)) {
      if (!all) unknown(valueOf(kindAttr), kind.origin);
      else out.push({ block, type: COGNITIVE_ACCOUNT, kind: '?' });
      continue;
    }
    if (typeof kind !== 'string') continue;
    if (all || kinds.some((k) => k.toLowerCase() === kind.toLowerCase())) out.push({ block, type: COGNITIVE_ACCOUNT, kind });
  }
  for (const block of module.resources(AI_SERVICES)) out.push({ block, type: AI_SERVICES, kind: 'AIServices' });
  return out;
}

/** Whether a value points at the account: a reference to it, or an ARM ID ending in `/accounts/<its name>`. */
export function refersToAccount(module: TerraformModule, account: HclBlock, v: Value): boolean {
  if (v instanceof ResourceRef) return v.block === account;
  if (typeof v !== 'string') return false;
  const name = attribute(account, 'name');
  const n = name ? module.evaluate(name.expr, account) : undefined;
  return typeof n === 'string' && v.toLowerCase().endsWith(`/providers/microsoft.cognitiveservices/accounts/${n.toLowerCase()}`);
}

/**
 * Companions linked to an account through `linkAttr` (catalog §3 rule 4): a
 * reference to the account, or a literal ARM resource ID of it.
 */
export function linkAccountCompanions(module: TerraformModule, account: HclBlock, companionType: string, linkAttr: string): CompanionLinks {
  // No name attribute: Azure links by resource ID, never by the bare name.
  const byRef = linkCompanions(module, account, companionType, linkAttr, '\u0000');
  const byId = module.resources(companionType).filter((c) => {
    if (byRef.linked.includes(c)) return false;
    const link = attribute(c, linkAttr);
    return link !== undefined && typeof module.evaluate(link.expr, c) === 'string' && refersToAccount(module, account, module.evaluate(link.expr, c));
  });
  return { ...byRef, linked: [...byRef.linked, ...byId] };
}

/** `azurerm_monitor_diagnostic_setting`s whose `target_resource_id` is the account. */
export function diagnosticSettingsFor(module: TerraformModule, account: HclBlock): CompanionLinks {
  return linkAccountCompanions(module, account, 'azurerm_monitor_diagnostic_setting', 'target_resource_id');
}

/**
 * `azurerm_private_endpoint`s connected to the account
 * (`private_service_connection.private_connection_resource_id`).
 */
export function privateEndpointsFor(module: TerraformModule, account: HclBlock): HclBlock[] {
  return module.resources('azurerm_private_endpoint').filter((pe) =>
    nestedBlocks(pe, 'private_service_connection').some((psc) => {
      const id = attribute(psc, 'private_connection_resource_id');
      return id !== undefined && refersToAccount(module, account, module.evaluate(id.expr, pe));
    }),
  );
}

/** The Terraform reference the quick-fix templates use for the account: `azurerm_cognitive_account.<name>`. */
export function accountRef(account: AiAccount): string {
  return `${account.type}.${resourceName(account.block)}`;
}
