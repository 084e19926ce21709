import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import { aiAccounts, AI_SERVICES, aiKindsParam } from '../../../terraform/azure';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  kinds: string[];
}

export default defineRule<Params>({
  id: 'tf-azure-ai-local-auth',
  title: 'Azure AI accounts disable key (local) authentication',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['IA-2', 'AC-2', 'AU-10'], euAiAct: ['Art.12', 'Art.15'] },
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
      const argName = account.type === AI_SERVICES ? 'local_authentication_enabled' : 'local_auth_enabled';
      const attr = attribute(b, argName);
      const value = attr ? module.evaluate(attr.expr, b) : true;
      if (isUnknown(value)) {
        unknown(valueOf(attr!), value.origin);
        continue;
      }
      if (value === false || value === 'false') continue;
      report({
        at: attr ? valueOf(attr) : header(b),
        message: `${address(b)} (${account.kind}) accepts API keys (${attr ? `${argName} = ${attr.expr.source}` : `${argName} is not set, default true`}): key calls bypass Entra ID RBAC and cannot be attributed to an identity. Set ${argName} = false and grant callers the "Cognitive Services OpenAI User" (or similar) role.`,
        data: { fix: attr ? 'set' : 'insert', attribute: argName, value: false },
      });
    }
  },
});
