import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-cloudtrail-multi-region',
  title: 'CloudTrail trails cover every region and global services',
  severity: 'medium',
  domain: 'terraform',
  mappings: { cis: ['AWS Foundations v1.5.0 3.1'], nist: ['AU-2', 'AU-12'], euAiAct: ['Art.12'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  fix: standardTerraformFix,
  check({ module, report, unknown }) {
    for (const trail of module.resources('aws_cloudtrail')) {
      const multi = attribute(trail, 'is_multi_region_trail');
      if (!multi) {
        report({
          at: header(trail),
          message: `${address(trail)} records only its home region (is_multi_region_trail defaults to false): AI resources created in any other region leave no audit trail. Set is_multi_region_trail = true.`,
          data: { fix: 'insert', attribute: 'is_multi_region_trail', value: true },
        });
      } else {
        const v = module.evaluate(multi.expr, trail);
        if (isUnknown(v)) unknown(valueOf(multi), v.origin);
        else if (v !== true && v !== 'true')
          report({
            at: valueOf(multi),
            message: `is_multi_region_trail is ${JSON.stringify(v)} on ${address(trail)}: activity in other regions is not recorded. Set is_multi_region_trail = true.`,
            data: { fix: 'set', attribute: 'is_multi_region_trail', value: true },
          });
      }
      // Absent = true (provider default): IAM, STS and other global service events are recorded.
      const global = attribute(trail, 'include_global_service_events');
      if (!global) continue;
      const g = module.evaluate(global.expr, trail);
      if (isUnknown(g)) unknown(valueOf(global), g.origin);
      else if (g === false || g === 'false')
        report({
          at: valueOf(global),
          message: `include_global_service_events is false on ${address(trail)}: IAM and STS events (role assumptions, policy changes) are not recorded. Remove it or set include_global_service_events = true.`,
          data: { fix: 'set', attribute: 'include_global_service_events', value: true },
        });
    }
  },
});
