import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf } from '../../../terraform/module';
import { isRecord, isUnknown } from '../../../terraform/value';

interface Params {
  require_identity_datastore_auth: boolean;
}

const SENSITIVE_CLASSES = ['confidential', 'restricted'];

export default defineRule<Params>({
  id: 'tf-azure-ml-workspace-cmk',
  title: 'Azure ML workspaces use a customer-managed key and identity-based datastore access',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-12', 'SC-28(1)', 'IA-2'], euAiAct: ['Art.10', 'Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      require_identity_datastore_auth: {
        type: 'boolean',
        default: true,
        description: 'Require storage_account_access_type = "Identity" (the workspace reaches its default storage with its identity, not account keys).',
      },
    },
  },
  // Catalog: only the datastore access type; encryption and high_business_impact are ForceNew and need a decision.
  fix: (ctx) => (ctx.data.attribute === 'storage_account_access_type' ? dataChangeFix(ctx) : []),
  check({ module, params, report, unknown }) {
    for (const ws of module.resources('azurerm_machine_learning_workspace')) {
      // Customer-managed key: encryption { key_vault_id, key_id } (ForceNew).
      if (hasDynamic(ws, 'encryption')) unknown(header(ws), 'encryption is a dynamic block whose existence is unknown');
      else if (!nestedBlocks(ws, 'encryption').some((e) => attribute(e, 'key_vault_id') && attribute(e, 'key_id')))
        report({
          at: header(ws),
          message: `${address(ws)} encrypts its metadata, run history and datasets with a Microsoft-managed key. Add encryption { key_vault_id, key_id } with a customer-managed key (forces a new workspace: plan the migration).`,
          data: { fix: 'none', reason: 'encryption is ForceNew and needs a key', replace: true },
        });

      // High business impact for workspaces tagged with sensitive data.
      const tagsAttr = attribute(ws, 'tags');
      const tags = tagsAttr ? module.evaluate(tagsAttr.expr, ws) : {};
      const cls = isRecord(tags) ? tags['data-classification'] : tags;
      if (isUnknown(cls)) unknown(valueOf(tagsAttr!), cls.origin);
      else if (typeof cls === 'string' && SENSITIVE_CLASSES.includes(cls)) {
        const hbi = attribute(ws, 'high_business_impact');
        const v = hbi ? module.evaluate(hbi.expr, ws) : false;
        if (isUnknown(v)) unknown(valueOf(hbi!), v.origin);
        else if (v !== true && v !== 'true')
          report({
            at: hbi ? valueOf(hbi) : header(ws),
            message: `${address(ws)} is tagged data-classification = "${cls}" but ${hbi ? `high_business_impact = ${hbi.expr.source}` : 'high_business_impact is not set (default false)'}: Azure ML keeps diagnostic telemetry and does not apply the extra encryption and isolation of high-business-impact workspaces. Set high_business_impact = true (forces a new workspace).`,
            data: { fix: hbi ? 'set' : 'insert', attribute: 'high_business_impact', value: true, replace: true },
          });
      }

      if (!params.require_identity_datastore_auth) continue;
      const access = attribute(ws, 'storage_account_access_type');
      const mode = access ? module.evaluate(access.expr, ws) : 'AccessKey';
      if (isUnknown(mode)) unknown(valueOf(access!), mode.origin);
      else if (mode !== 'Identity')
        report({
          at: access ? valueOf(access) : header(ws),
          message: `${address(ws)} reaches its default storage with account keys (${access ? `storage_account_access_type = ${access.expr.source}` : 'storage_account_access_type is not set, default "AccessKey"'}): data access is not attributable to an identity and keys can leak. Set storage_account_access_type = "Identity".`,
          data: { fix: access ? 'set' : 'insert', attribute: 'storage_account_access_type', value: 'Identity' },
        });
    }
  },
});
