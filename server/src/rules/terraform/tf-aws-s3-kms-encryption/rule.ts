import type { RelatedInfo, ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { fixEncryption } from './fix';
import type { Severity } from '../../../engine/severity';
import type { HclBlock } from '../../../model/hcl';
import { addCompanionData, checkS3Control, type ControlVerdict } from '../../../terraform/aws/s3';
import { isDataAsset, ownTags } from '../../../terraform/dataAsset';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  require_cmk: { data_assets: boolean; default: boolean };
  kms_key_ref: string;
}

const COMPANION = 'aws_s3_bucket_server_side_encryption_configuration';
const KMS_ALGORITHMS = ['aws:kms', 'aws:kms:dsse'];
/** The AWS managed key of S3: encryption with it is not under the customer's key policy. */
const AWS_MANAGED_KEY = /(^|:)alias\/aws\/s3$/;

export default defineRule<Params>({
  id: 'tf-aws-s3-kms-encryption',
  title: 'S3 buckets holding data assets are encrypted with a customer-managed KMS key',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-28(1)', 'SC-12'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      require_cmk: {
        type: 'object',
        additionalProperties: false,
        properties: { data_assets: { type: 'boolean' }, default: { type: 'boolean' } },
        default: { data_assets: true, default: false },
        description:
          'Whether a customer-managed KMS key is required: `data_assets` for buckets data_asset_selector selects, `default` for every other bucket. Buckets where it is not required are not checked.',
      },
      kms_key_ref: {
        type: 'string',
        default: '',
        description: 'Expression of the KMS key the quick fix inserts as kms_master_key_id (for example aws_kms_key.data.arn); empty inserts a REPLACE_ME placeholder.',
      },
    },
  },
  fix: fixEncryption,
  check(ctx) {
    const { module, params, unknown } = ctx;
    const keyRef = params.kms_key_ref || 'REPLACE_ME';
    for (const bucket of module.resources('aws_s3_bucket')) {
      const asset = isDataAsset(module, bucket);
      const required = asset ? params.require_cmk.data_assets : params.require_cmk.default;
      if (!required) {
        // The bucket may be a data asset whose tags Plumbline cannot see.
        const tags = attribute(bucket, 'tags');
        if (params.require_cmk.data_assets && tags && !ownTags(module, bucket)) unknown(valueOf(tags), `tags of ${address(bucket)} cannot be evaluated (data asset?)`);
        continue;
      }
      const severity: Severity = asset ? 'high' : 'medium';
      const what = asset ? 'Data-asset bucket' : 'Bucket';
      checkS3Control(ctx, bucket, {
        companionType: COMPANION,
        control: 'server-side encryption',
        inlineType: 'server_side_encryption_configuration',
        checkCompanion: (companion, b, info) => checkRules(module, companion, b, severity, keyRef, info),
        checkInline: (inline, b) => checkRules(module, inline, b, severity, keyRef),
        missing: (b) => ({
          at: header(b),
          severity,
          message: `${what} ${address(b)} has no server-side encryption configuration, so S3 encrypts it with S3-managed keys (SSE-S3), outside any key policy you control. Add an ${COMPANION} with bucket = ${address(b)}.id, sse_algorithm = "aws:kms" and kms_master_key_id = a customer-managed key.`,
          data: addCompanionData(b, COMPANION, 'QF-5', { kmsKeyRef: keyRef }),
        }),
      });
    }
  },
});

/** Checks the `rule` blocks of a companion or of a legacy inline block. */
function checkRules(
  module: TerraformModule,
  container: HclBlock,
  bucket: HclBlock,
  severity: Severity,
  keyRef: string,
  bucketInfo?: RelatedInfo,
): ControlVerdict {
  const related = bucketInfo ? { related: [bucketInfo] } : {};
  const owner = container.type === 'resource' ? container : bucket;
  const name = container.type === 'resource' ? address(container) : `the inline server_side_encryption_configuration of ${address(bucket)}`;
  if (hasDynamic(container, 'rule')) return { kind: 'unknown', at: header(container), origin: 'dynamic "rule" block' };
  const findings: ReportInput[] = [];
  const notes: ReportInput[] = [];
  let verdict: ControlVerdict['kind'] = 'fail';
  let unknownAt: Extract<ControlVerdict, { kind: 'unknown' }> | undefined;
  const rules = nestedBlocks(container, 'rule');
  for (const rule of rules) {
    if (hasDynamic(rule, 'apply_server_side_encryption_by_default')) {
      unknownAt ??= { kind: 'unknown', at: header(rule), origin: 'dynamic "apply_server_side_encryption_by_default" block' };
      continue;
    }
    for (const def of nestedBlocks(rule, 'apply_server_side_encryption_by_default')) {
      const algAttr = attribute(def, 'sse_algorithm');
      if (!algAttr) continue;
      const alg = module.evaluate(algAttr.expr, owner);
      if (isUnknown(alg)) {
        unknownAt ??= { kind: 'unknown', at: valueOf(algAttr), origin: alg.origin };
        continue;
      }
      if (typeof alg !== 'string' || !KMS_ALGORITHMS.includes(alg)) {
        findings.push({
          at: valueOf(algAttr),
          severity,
          ...related,
          message: `${name} uses sse_algorithm = ${JSON.stringify(alg)} (S3-managed keys): access to the data is not governed by a KMS key policy and cannot be revoked or audited per key. Set sse_algorithm = "aws:kms" with kms_master_key_id = a customer-managed key.`,
          data: { fix: 'set', attribute: 'sse_algorithm', value: 'aws:kms', kmsKeyRef: keyRef },
        });
        continue;
      }
      const keyAttr = attribute(def, 'kms_master_key_id');
      if (!keyAttr) {
        findings.push({
          at: valueOf(algAttr),
          severity,
          ...related,
          message: `${name} uses ${alg} without kms_master_key_id, so S3 uses the AWS managed key aws/s3, whose key policy you cannot restrict. Set kms_master_key_id to a customer-managed key.`,
          data: { fix: 'insert', attribute: 'kms_master_key_id', value: keyRef },
        });
        continue;
      }
      const key = module.evaluate(keyAttr.expr, owner);
      if (isUnknown(key)) {
        unknownAt ??= { kind: 'unknown', at: valueOf(keyAttr), origin: key.origin };
        continue;
      }
      if (typeof key === 'string' && AWS_MANAGED_KEY.test(key)) {
        findings.push({
          at: valueOf(keyAttr),
          severity,
          ...related,
          message: `kms_master_key_id is the AWS managed key ${JSON.stringify(key)}: its key policy cannot be restricted. Use a customer-managed key (an aws_kms_key).`,
          data: { fix: 'set', attribute: 'kms_master_key_id', value: keyRef },
        });
        continue;
      }
      verdict = 'pass';
      const bucketKey = attribute(rule, 'bucket_key_enabled');
      const bucketKeyValue = bucketKey ? module.evaluate(bucketKey.expr, owner) : false;
      if (alg === 'aws:kms' && (bucketKeyValue === false || bucketKeyValue === 'false'))
        notes.push({
          at: bucketKey ? valueOf(bucketKey) : header(rule),
          severity: 'info',
          message: `Recommended: bucket_key_enabled = true in this rule of ${name}; S3 Bucket Keys cut KMS requests (and cost) for SSE-KMS by up to 99%.`,
          data: { fix: bucketKey ? 'set' : 'insert', attribute: 'bucket_key_enabled', value: true },
        });
    }
  }
  if (verdict === 'pass') return { kind: 'pass', findings: notes };
  if (findings.length > 0) return { kind: 'fail', findings };
  if (unknownAt) return unknownAt;
  return {
    kind: 'fail',
    findings: [
      {
        at: header(container),
        severity,
        ...related,
        message: `${name} has no rule { apply_server_side_encryption_by_default { sse_algorithm } }, so the bucket stays on S3-managed keys. Add one with sse_algorithm = "aws:kms" and kms_master_key_id = a customer-managed key.`,
        data: { fix: 'insert', block: 'rule', attribute: 'sse_algorithm', value: 'aws:kms', kmsKeyRef: keyRef },
      },
    ],
  };
}
