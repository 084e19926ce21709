import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import { aiAccounts, aiKindsParam } from '../../../terraform/azure';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  kinds: string[];
}

const ARG = 'outbound_network_access_restricted';

export default defineRule<Params>({
  id: 'tf-azure-openai-outbound-restricted',
  title: 'Azure OpenAI / AI Services accounts restrict outbound network access',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-7(5)', 'AC-4'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kinds: aiKindsParam,
    },
  },
  fix: (ctx) => dataChangeFix(ctx),
  check({ module, params, report, unknown }) {
    for (const account of aiAccounts(module, params.kinds, unknown)) {
      const b = account.block;
      const attr = attribute(b, ARG);
      const value = attr ? module.evaluate(attr.expr, b) : false;
      if (isUnknown(value)) {
        unknown(valueOf(attr!), value.origin);
        continue;
      }
      if (value === true || value === 'true') continue; // fqdns (possibly empty) lists the only egress targets
      report({
        at: attr ? valueOf(attr) : header(b),
        message: `${address(b)} (${account.kind}) may call any internet endpoint (${attr ? `${ARG} = ${attr.expr.source}` : `${ARG} is not set, default false`}): data sources, tools and plugins can exfiltrate prompts and data. Set ${ARG} = true and list the permitted targets in fqdns (an empty list allows none).`,
        data: { fix: attr ? 'set' : 'insert', attribute: ARG, value: true },
      });
    }
  },
});
