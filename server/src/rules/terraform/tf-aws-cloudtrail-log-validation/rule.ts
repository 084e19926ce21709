import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-cloudtrail-log-validation',
  title: 'CloudTrail trails validate their log files',
  severity: 'high',
  domain: 'terraform',
  mappings: { cis: ['AWS Foundations v1.5.0 3.2'], nist: ['AU-9(3)', 'SI-7'], euAiAct: ['Art.12'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  fix: standardTerraformFix,
  check({ module, report, unknown }) {
    for (const trail of module.resources('aws_cloudtrail')) {
      const attr = attribute(trail, 'enable_log_file_validation');
      if (!attr) {
        report({
          at: header(trail),
          message: `${address(trail)} does not validate its log files (enable_log_file_validation defaults to false): a deleted or edited audit log entry cannot be detected. Set enable_log_file_validation = true.`,
          data: { fix: 'insert', attribute: 'enable_log_file_validation', value: true },
        });
        continue;
      }
      const v = module.evaluate(attr.expr, trail);
      if (isUnknown(v)) unknown(valueOf(attr), v.origin);
      else if (v !== true && v !== 'true')
        report({
          at: valueOf(attr),
          message: `enable_log_file_validation is ${JSON.stringify(v)} on ${address(trail)}: tampering with delivered log files goes unnoticed. Set enable_log_file_validation = true (CloudTrail then delivers signed digest files).`,
          data: { fix: 'set', attribute: 'enable_log_file_validation', value: true },
        });
    }
  },
});
