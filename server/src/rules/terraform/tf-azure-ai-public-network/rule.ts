import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import type { Severity } from '../../../engine/severity';
import type { HclBlock } from '../../../model/hcl';
import { aiAccounts, AI_SERVICES, privateEndpointsFor, aiKindsParam } from '../../../terraform/azure';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  kinds: string[];
  max_ip_rule_prefix: number;
}

export default defineRule<Params>({
  id: 'tf-azure-ai-public-network',
  title: 'Azure AI accounts are not reachable from the public internet',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-7', 'AC-4'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kinds: aiKindsParam,
      max_ip_rule_prefix: {
        type: 'integer',
        minimum: 0,
        maximum: 32,
        default: 24,
        description:
          'With public access on but network_acls default_action = "Deny", the finding drops to medium when no ip_rules entry is wider than this IPv4 prefix length.',
      },
    },
  },
  fix: (ctx) => dataChangeFix(ctx),
  check({ module, params, report, unknown }) {
    for (const account of aiAccounts(module, params.kinds, unknown)) {
      const b = account.block;
      const isAiServices = account.type === AI_SERVICES;
      const argName = isAiServices ? 'public_network_access' : 'public_network_access_enabled';
      const closed = isAiServices ? '"Disabled"' : 'false';
      const attr = attribute(b, argName);
      const value = attr ? module.evaluate(attr.expr, b) : isAiServices ? 'Enabled' : true;
      if (isUnknown(value)) {
        unknown(valueOf(attr!), value.origin);
        continue;
      }
      const open = isAiServices ? value !== 'Disabled' : value !== false && value !== 'false';
      if (!open) continue;

      const severity = aclSeverity(module, b, params.max_ip_rule_prefix);
      const endpoints = privateEndpointsFor(module, b);
      const where = attr ? `${argName} = ${attr.expr.source}` : `${argName} is not set (default ${isAiServices ? '"Enabled"' : 'true'})`;
      const acl = severity === 'medium' ? ' Its network ACL denies by default, which limits but does not remove the exposure.' : '';
      report({
        at: attr ? valueOf(attr) : header(b),
        severity,
        message: `${address(b)} (${account.kind}) accepts traffic from the public internet: ${where}.${acl} Set ${argName} = ${closed} and reach it through a private endpoint (azurerm_private_endpoint with subresource_names = ["account"]).`,
        data: {
          fix: attr ? 'set' : 'insert',
          attribute: argName,
          value: isAiServices ? 'Disabled' : false,
          privateEndpoint: endpoints.length > 0,
        },
      });
    }
  },
});

/**
 * high, unless the account's network ACL provably denies by default and
 * allows no IPv4 range wider than `maxPrefix`: then medium. Anything the
 * engine cannot see keeps the proven level, medium, never the higher one.
 */
function aclSeverity(module: TerraformModule, account: HclBlock, maxPrefix: number): Severity {
  if (hasDynamic(account, 'network_acls')) return 'medium';
  const acls = nestedBlocks(account, 'network_acls')[0];
  if (!acls) return 'high';
  const action = attribute(acls, 'default_action');
  const a = action ? module.evaluate(action.expr, account) : undefined;
  if (a === undefined || (!isUnknown(a) && a !== 'Deny')) return 'high';
  const rules = attribute(acls, 'ip_rules');
  const r = rules ? module.evaluate(rules.expr, account) : [];
  if (Array.isArray(r))
    for (const entry of r) {
      if (typeof entry !== 'string') continue;
      const prefix = entry.includes('/') ? Number(entry.split('/')[1]) : 32;
      if (prefix < maxPrefix) return 'high';
    }
  return 'medium';
}
