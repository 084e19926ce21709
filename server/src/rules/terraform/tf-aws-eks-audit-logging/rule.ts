import { defineRule } from '../../../engine/rule';
import { attributeAt, standardTerraformFix, topLevelBlockAt } from '../../../fixes/standard';
import { hclValue } from '../../../fixes/hcl';
import { appendToTuple } from '../../../fixes/tfrules-tuple';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown, knownItems } from '../../../terraform/value';

interface Params {
  required_types: string[];
}

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export default defineRule<Params>({
  id: 'tf-aws-eks-audit-logging',
  title: 'EKS clusters send audit and authenticator logs to CloudWatch',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { cis: ['EKS Benchmark 2.1.1'], nist: ['AU-2', 'AU-12'], euAiAct: ['Art.12'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      required_types: {
        type: 'array',
        items: { type: 'string', enum: LOG_TYPES },
        default: ['audit', 'authenticator'],
        description: 'Control-plane log types every cluster must enable (api, audit, authenticator, controllerManager, scheduler).',
      },
    },
  },
  fix: fixLogTypes,
  check({ module, params, report, unknown }) {
    for (const cluster of module.resources('aws_eks_cluster')) {
      const attr = attribute(cluster, 'enabled_cluster_log_types');
      if (!attr) {
        report({
          at: header(cluster),
          message: `${address(cluster)} sends no control-plane logs to CloudWatch (enabled_cluster_log_types is empty by default): who deployed or changed a training or inference workload leaves no audit trail. Set enabled_cluster_log_types = ${JSON.stringify(params.required_types)}.`,
          data: { fix: 'insert', attribute: 'enabled_cluster_log_types', value: params.required_types },
        });
        continue;
      }
      const v = module.evaluate(attr.expr, cluster);
      const known = knownItems(v) ?? [];
      const missing = params.required_types.filter((t) => !known.includes(t));
      if (missing.length === 0) continue;
      // Elements Plumbline cannot see may include the missing types.
      if (isUnknown(v)) {
        unknown(valueOf(attr), v.origin);
        continue;
      }
      report({
        at: valueOf(attr),
        message: `enabled_cluster_log_types of ${address(cluster)} lacks ${missing.map((m) => `"${m}"`).join(', ')}: Kubernetes API audit events (who changed which workload, which identity authenticated) are not recorded. Add ${missing.map((m) => `"${m}"`).join(', ')}.`,
        data: { fix: 'append', attribute: 'enabled_cluster_log_types', values: missing },
      });
    }
  },
});

/** Appends the missing types to a literal list; a computed list (concat, variable) is left to the author. */
function fixLogTypes(ctx: TerraformFixContext<Params>): Fix[] {
  if (ctx.data.fix !== 'append') return standardTerraformFix(ctx);
  const values = Array.isArray(ctx.data.values) ? ctx.data.values.map(String) : [];
  const block = topLevelBlockAt(ctx.file, ctx.finding.range);
  const attr = block && attributeAt(block, ctx.finding.range);
  if (!attr || attr.expr.type !== 'tuple') return [];
  const items = values.map((v) => hclValue(v));
  return [{ title: `Add ${items.join(', ')} to enabled_cluster_log_types`, edits: appendToTuple(ctx.file.uri, ctx.file.text, attr.expr, items) }];
}
