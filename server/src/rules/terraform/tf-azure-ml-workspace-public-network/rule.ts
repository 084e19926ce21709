import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  allowed_isolation_modes: string[];
}

const ARG = 'public_network_access_enabled';

export default defineRule<Params>({
  id: 'tf-azure-ml-workspace-public-network',
  title: 'Azure ML workspaces are private and isolate outbound traffic',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-7', 'SC-7(5)'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_isolation_modes: {
        type: 'array',
        items: { type: 'string', enum: ['Disabled', 'AllowInternetOutbound', 'AllowOnlyApprovedOutbound'] },
        default: ['AllowOnlyApprovedOutbound'],
        description: 'managed_network isolation_mode values that pass (Disabled, AllowInternetOutbound, AllowOnlyApprovedOutbound).',
      },
    },
  },
  fix: (ctx) => dataChangeFix(ctx),
  check({ module, params, report, unknown }) {
    for (const ws of module.resources('azurerm_machine_learning_workspace')) {
      const attr = attribute(ws, ARG);
      const value = attr ? module.evaluate(attr.expr, ws) : true;
      if (isUnknown(value)) unknown(valueOf(attr!), value.origin);
      else if (value !== false && value !== 'false')
        report({
          at: attr ? valueOf(attr) : header(ws),
          message: `${address(ws)} is reachable from the public internet (${attr ? `${ARG} = ${attr.expr.source}` : `${ARG} is not set, default true`}): notebooks, models and datasets are exposed beyond the private network. Set ${ARG} = false and use a private endpoint.`,
          data: { fix: attr ? 'set' : 'insert', attribute: ARG, value: false },
        });

      if (hasDynamic(ws, 'managed_network')) {
        unknown(header(ws), 'managed_network is a dynamic block whose content is unknown');
        continue;
      }
      const mn = nestedBlocks(ws, 'managed_network')[0];
      const modeAttr = mn && attribute(mn, 'isolation_mode');
      const mode = modeAttr ? module.evaluate(modeAttr.expr, ws) : 'Disabled';
      if (isUnknown(mode)) {
        unknown(valueOf(modeAttr!), mode.origin);
        continue;
      }
      if (typeof mode === 'string' && params.allowed_isolation_modes.includes(mode)) continue;
      const want = params.allowed_isolation_modes[0] ?? 'AllowOnlyApprovedOutbound';
      report({
        at: modeAttr ? valueOf(modeAttr) : header(mn ?? ws),
        severity: 'medium',
        message: `${address(ws)} managed network isolation is ${modeAttr ? JSON.stringify(mode) : 'not set (default "Disabled")'}: compute can reach ${mode === 'AllowInternetOutbound' ? 'any internet host' : 'networks without workspace-managed egress control'}, so training data and models can be exfiltrated. Set managed_network { isolation_mode = "${want}" }.`,
        data: modeAttr
          ? { fix: 'set', block: 'managed_network', attribute: 'isolation_mode', value: want }
          : { fix: 'insert', block: 'managed_network', attribute: 'isolation_mode', value: want },
      });
    }
  },
});
