import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import type { HclBlock } from '../../../model/hcl';
import { address, attribute, header, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';
import { walkBodyExprs } from '../../../terraform/walk';

interface Params {
  min_days: number;
  max_days: number | null;
  allow_never_expire: boolean;
  scope: 'all' | 'ai';
}

/** The values CloudWatch Logs accepts for retention_in_days. */
export const ALLOWED_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Log groups AWS services write to for AI workloads and audit (scope "ai"). */
const AI_LOG_GROUP_NAME = /^\/aws\/(eks|sagemaker|bedrock|cloudtrail)\//;
/** Resource types whose references to a log group make it an AI/audit log group. */
const AI_CONSUMER = /^aws_(cloudtrail|bedrock|bedrockagent|sagemaker|eks)(_|$)/;

export default defineRule<Params>({
  id: 'tf-aws-cloudwatch-log-retention',
  title: 'CloudWatch log groups set a governed retention',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AU-11'], euAiAct: ['Art.19', 'Art.26(6)'], gdpr: ['Art.5(1)(e)'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      min_days: { type: 'integer', minimum: 1, default: 365, description: 'Shortest accepted retention_in_days.' },
      max_days: {
        type: ['integer', 'null'],
        minimum: 1,
        default: null,
        description: 'Longest accepted retention_in_days (storage limitation, GDPR Art. 5(1)(e)); null = no maximum. A maximum also rules out 0 (never expire).',
      },
      allow_never_expire: { type: 'boolean', default: true, description: 'Whether retention_in_days = 0 (never expire) is accepted.' },
      scope: {
        type: 'string',
        enum: ['all', 'ai'],
        default: 'all',
        description:
          '"all" log groups, or "ai": log groups named /aws/eks/*, /aws/sagemaker/*, /aws/bedrock/*, /aws/cloudtrail/*, or referenced by Bedrock, SageMaker, EKS or CloudTrail resources.',
      },
    },
  },
  fix: standardTerraformFix,
  check({ module, params, report, unknown }) {
    const fixDays = ALLOWED_RETENTION_DAYS.find((d) => d >= params.min_days) ?? 3653;
    const referenced = params.scope === 'ai' ? aiReferencedLogGroups(module) : new Set<HclBlock>();
    for (const group of module.resources('aws_cloudwatch_log_group')) {
      if (params.scope === 'ai' && !referenced.has(group)) {
        const name = attribute(group, 'name');
        const v = name ? module.evaluate(name.expr, group) : undefined;
        if (isUnknown(v)) {
          unknown(valueOf(name!), v.origin);
          continue;
        }
        if (typeof v !== 'string' || !AI_LOG_GROUP_NAME.test(v)) continue;
      }
      const attr = attribute(group, 'retention_in_days');
      if (!attr) {
        report({
          at: header(group),
          message: `${address(group)} sets no retention_in_days, so its logs never expire by accident rather than by decision. Set retention_in_days = ${fixDays} (at least ${params.min_days} days${params.max_days !== null ? `, at most ${params.max_days}` : ''}).`,
          data: { fix: 'insert', attribute: 'retention_in_days', value: fixDays },
        });
        continue;
      }
      const v = module.evaluate(attr.expr, group);
      if (isUnknown(v)) {
        unknown(valueOf(attr), v.origin);
        continue;
      }
      const days = Number(v);
      const fail = (message: string) => report({ at: valueOf(attr), message, data: { fix: 'set', attribute: 'retention_in_days', value: fixDays } });
      if (days === 0) {
        if (!params.allow_never_expire)
          fail(`retention_in_days = 0 keeps the logs of ${address(group)} forever, and never-expiring retention is not allowed here. Set retention_in_days = ${fixDays}.`);
        else if (params.max_days !== null)
          fail(`retention_in_days = 0 keeps the logs of ${address(group)} forever, beyond the maximum of ${params.max_days} days. Set a retention between ${params.min_days} and ${params.max_days} days.`);
      } else if (days < params.min_days) {
        fail(`retention_in_days = ${String(v)} on ${address(group)} is shorter than the required ${params.min_days} days: AI system and audit logs are gone before an incident is investigated. Set retention_in_days = ${fixDays}.`);
      } else if (params.max_days !== null && days > params.max_days) {
        report({
          at: valueOf(attr),
          message: `retention_in_days = ${String(v)} on ${address(group)} exceeds the maximum of ${params.max_days} days (storage limitation). Set a retention between ${params.min_days} and ${params.max_days} days.`,
          data: { fix: 'set', attribute: 'retention_in_days', value: ALLOWED_RETENTION_DAYS.filter((d) => d <= params.max_days!).pop() ?? params.max_days },
        });
      }
    }
  },
});

/** Log groups referenced (`aws_cloudwatch_log_group.x.…`) by Bedrock, SageMaker, EKS or CloudTrail resources. */
function aiReferencedLogGroups(module: TerraformModule): Set<HclBlock> {
  const out = new Set<HclBlock>();
  for (const r of module.resources()) {
    if (!AI_CONSUMER.test(r.labels[0]?.value ?? '')) continue;
    walkBodyExprs(r.body, (e) => {
      if (e.type !== 'traversal' || e.root !== 'aws_cloudwatch_log_group' || e.steps[0]?.kind !== 'attr') return;
      const g = module.resource('aws_cloudwatch_log_group', e.steps[0].name);
      if (g) out.add(g);
    });
  }
  return out;
}
