import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  max_rotation_days: number;
}

export default defineRule<Params>({
  id: 'tf-aws-kms-key-rotation',
  title: 'Symmetric KMS keys rotate automatically',
  severity: 'medium',
  domain: 'terraform',
  mappings: { cis: ['AWS Foundations v1.5.0 3.8'], nist: ['SC-12'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_rotation_days: {
        type: 'integer',
        minimum: 90,
        maximum: 2560,
        default: 365,
        description: 'Longest rotation_period_in_days accepted when the key sets one (AWS allows 90–2560; the default period is 365).',
      },
    },
  },
  fix: standardTerraformFix,
  check({ module, params, report, unknown }) {
    for (const key of module.resources('aws_kms_key')) {
      const spec = attribute(key, 'customer_master_key_spec');
      if (spec) {
        const v = module.evaluate(spec.expr, key);
        if (isUnknown(v)) {
          unknown(valueOf(spec), v.origin);
          continue;
        }
        // Automatic rotation exists only for symmetric encryption keys.
        if (v !== 'SYMMETRIC_DEFAULT') continue;
      }
      const enabled = attribute(key, 'enable_key_rotation');
      if (!enabled) {
        report({
          at: header(key),
          message: `${address(key)} does not rotate its key material (enable_key_rotation defaults to false): a compromised key keeps decrypting datasets and models indefinitely. Set enable_key_rotation = true.`,
          data: { fix: 'insert', attribute: 'enable_key_rotation', value: true },
        });
        continue;
      }
      const v = module.evaluate(enabled.expr, key);
      if (isUnknown(v)) {
        unknown(valueOf(enabled), v.origin);
        continue;
      }
      if (v !== true && v !== 'true') {
        report({
          at: valueOf(enabled),
          message: `enable_key_rotation is ${JSON.stringify(v)} on ${address(key)}: the key material never rotates. Set enable_key_rotation = true.`,
          data: { fix: 'set', attribute: 'enable_key_rotation', value: true },
        });
        continue;
      }
      const period = attribute(key, 'rotation_period_in_days');
      if (!period) continue;
      const days = module.evaluate(period.expr, key);
      if (isUnknown(days)) unknown(valueOf(period), days.origin);
      else if (Number(days) > params.max_rotation_days)
        report({
          at: valueOf(period),
          message: `rotation_period_in_days is ${String(days)} on ${address(key)}, longer than the allowed ${params.max_rotation_days}. Set rotation_period_in_days to at most ${params.max_rotation_days}.`,
          data: { fix: 'set', attribute: 'rotation_period_in_days', value: params.max_rotation_days },
        });
    }
  },
});
