import { dataChangeFix, isPlaceholder } from '../../../fixes/aiml-terraform';
import type { Value } from '../../../terraform/value';
import { defineRule } from '../../../engine/rule';
import { address, header, valueOf } from '../../../terraform/module';
import { isSet as isWritten, kmsKeyRefParam, kmsKeyValue, readArg } from '../../../terraform/aws/sagemaker';

/** A REPLACE_ME left by a placeholder quick fix is not a value: the finding stays until it is replaced. */
const isSet = (v: Value): boolean => isWritten(v) && !isPlaceholder(v);

interface Params {
  kms_key_ref: string;
}

/** Resources whose storage volumes take a customer-managed key in `kms_key_id`. */
const TYPES: Readonly<Record<string, string>> = {
  aws_sagemaker_notebook_instance: 'the notebook\'s ML storage volume',
  aws_sagemaker_domain: 'the domain\'s EFS volume (every user\'s home directory)',
};

export default defineRule<Params>({
  id: 'tf-aws-sagemaker-notebook-kms',
  title: 'SageMaker notebooks and domains encrypt storage with a customer-managed key',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-28(1)', 'SC-12'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { kms_key_ref: kmsKeyRefParam('aws_kms_key.ml.arn') },
  },
  // The key is HCL source: a configured kms_key_ref expression or the quoted placeholder.
  fix: (ctx) => dataChangeFix(ctx, { source: true }),
  check({ module, params, report, unknown }) {
    for (const [type, what] of Object.entries(TYPES))
      for (const r of module.resources(type)) {
        const arg = readArg(module, r, r, 'kms_key_id');
        if (arg.kind === 'unknown') {
          unknown(valueOf(arg.attr), arg.value.origin);
          continue;
        }
        if (arg.kind === 'known' && isSet(arg.value)) continue;
        const key = kmsKeyValue(params.kms_key_ref);
        report({
          at: header(r),
          message: `${address(r)} does not set kms_key_id, so ${what} is encrypted with an AWS-managed key: you cannot restrict, audit or revoke access to the data through a key policy. Set kms_key_id to a customer-managed KMS key.`,
          data: { fix: arg.kind === 'absent' ? 'insert' : 'set', attribute: 'kms_key_id', ...key },
        });
      }
  },
});
