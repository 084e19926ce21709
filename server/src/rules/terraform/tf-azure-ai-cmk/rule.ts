import { fix } from './fix';
import { isPlaceholder } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import type { Severity } from '../../../engine/severity';
import type { HclBlock } from '../../../model/hcl';
import { aiAccounts, AI_SERVICES, linkAccountCompanions, aiKindsParam } from '../../../terraform/azure';
import { ownTags } from '../../../terraform/dataAsset';
import { address, attribute, hasDynamic, header, nestedBlocks, resourceName } from '../../../terraform/module';

interface Params {
  kinds: string[];
}

const COMPANION = 'azurerm_cognitive_account_customer_managed_key';

export default defineRule<Params>({
  id: 'tf-azure-ai-cmk',
  title: 'Azure AI accounts encrypt data with a customer-managed key',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-12', 'SC-28(1)'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kinds: aiKindsParam,
    },
  },
  fix,
  check({ module, params, report, unknown }) {
    for (const account of aiAccounts(module, params.kinds, unknown)) {
      const b = account.block;
      const tags = ownTags(module, b);
      const restricted = tags?.['data-classification'] === 'restricted';
      const severity: Severity = restricted ? 'high' : 'medium';
      const keyArgs = account.type === AI_SERVICES ? ['key_vault_key_id', 'managed_hsm_key_id'] : ['key_vault_key_id'];

      // A REPLACE_ME key left by the quick fix is no key yet.
      const keyed = (c: HclBlock, k: string) => {
        const a = attribute(c, k);
        return !!a && !isPlaceholder(module.evaluate(a.expr, b));
      };
      const inline = nestedBlocks(b, 'customer_managed_key').some((c) => keyArgs.some((k) => keyed(c, k)));
      const links = linkAccountCompanions(module, b, COMPANION, 'cognitive_account_id');
      const companion = links.linked.find((c) => attribute(c, 'key_vault_key_id') || attribute(c, 'managed_hsm_key_id'));

      if (!inline && !companion) {
        if (hasDynamic(b, 'customer_managed_key')) {
          unknown(header(b), 'customer_managed_key is a dynamic block whose existence is unknown');
          continue;
        }
        if (links.unknownLink || links.escapes) {
          unknown(header(b), `an ${COMPANION} outside this module may target ${address(b)}`);
          continue;
        }
        report({
          at: header(b),
          severity,
          message: `${address(b)} (${account.kind}${restricted ? ', restricted data' : ''}) encrypts prompts, fine-tuning data and stored content with a Microsoft-managed key. Add customer_managed_key { key_vault_key_id, identity_client_id } (with an identity block) or an ${COMPANION} whose cognitive_account_id = ${address(b)}.id.`,
          data: { fix: 'none', reason: 'needs a key, an identity and a key-vault role assignment', snippet: 'customer_managed_key', placeholder: true, name: resourceName(b) },
        });
        continue;
      }
      if (nestedBlocks(b, 'identity').length === 0 && !hasDynamic(b, 'identity')) {
        report({
          at: header(b),
          severity,
          message: `${address(b)} configures a customer-managed key but has no identity block, so the account cannot reach the key vault. Add identity { type = "UserAssigned", identity_ids = [...] } (or "SystemAssigned") and grant it access to the key.`,
          ...(companion ? { related: [{ at: header(companion), message: `Customer-managed key: ${address(companion)}` }] } : {}),
          data: { fix: 'none', reason: 'the identity to use is intent', block: 'identity' },
        });
      }
    }
  },
});
