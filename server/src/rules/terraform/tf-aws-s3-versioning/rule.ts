import type { RelatedInfo, ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { addCompanionFix } from '../../../fixes/tfrules-companion';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import type { Severity } from '../../../engine/severity';
import type { HclBlock } from '../../../model/hcl';
import { linkCompanions, type CompanionLinks } from '../../../terraform/companions';
import { address, attribute, hasDynamic, header, nestedBlocks, resourceName, valueOf, type TerraformModule } from '../../../terraform/module';
import { isDataAsset } from '../../../terraform/dataAsset';
import { isUnknown } from '../../../terraform/value';

interface Params {
  scope: 'all' | 'data_assets';
}

const COMPANION = 'aws_s3_bucket_versioning';

type Verdict = 'pass' | 'fail' | 'unknown';

export default defineRule<Params>({
  id: 'tf-aws-s3-versioning',
  title: 'S3 buckets keep object versions',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['CP-9', 'SI-7'], euAiAct: ['Art.10', 'Art.12'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      scope: {
        type: 'string',
        enum: ['all', 'data_assets'],
        default: 'all',
        description:
          'Which buckets are checked: "all", or "data_assets" for only the buckets data_asset_selector selects (tags ai-asset-type or data-classification).',
      },
    },
  },
  fix: fixVersioning,
  check({ module, params, report, memo }) {
    for (const bucket of module.resources('aws_s3_bucket')) {
      const links = linkCompanions(module, bucket, COMPANION);
      // A bucket's verdict depends on it, its companions and whether others may exist: kept while those stay.
      memo(bucket, () => checkBucket(bucket, links), [...links.linked, links.unknownLink, links.escapes]);
    }

    function checkBucket(bucket: HclBlock, links: CompanionLinks): void {
      const asset = isDataAsset(module, bucket);
      if (params.scope === 'data_assets' && !asset) return;
      const severity: Severity = asset ? 'high' : 'medium';
      const what = asset ? 'Data-asset bucket' : 'Bucket';
      const bucketInfo: RelatedInfo = { at: header(bucket), message: `The bucket: ${address(bucket)}` };
      // Only a known link or an identity that stays in the module proves that no companion exists.
      const mayHaveCompanionElsewhere = links.unknownLink || links.escapes;

      const verdicts: Verdict[] = [];
      const pending: ReportInput[] = [];

      for (const companion of links.linked) verdicts.push(checkCompanion(module, companion, severity, bucketInfo, report));
      links.linked.slice(1).forEach((companion) =>
        report({
          at: header(companion),
          severity: 'low',
          message: `Conflicting companion: ${address(bucket)} has ${links.linked.length} aws_s3_bucket_versioning resources (${links.linked.map(address).join(', ')}); the last one applied wins. Keep exactly one.`,
          related: [bucketInfo, ...links.linked.filter((c) => c !== companion).map((c) => ({ at: header(c), message: `Also manages versioning: ${address(c)}` }))],
          data: { fix: 'delete-resource', resource: address(companion) },
        }),
      );

      for (const inline of nestedBlocks(bucket, 'versioning')) {
        report({
          at: header(inline),
          severity: 'info',
          message: `The inline versioning block on ${address(bucket)} is deprecated (AWS provider v4+). Manage versioning with a separate aws_s3_bucket_versioning resource whose bucket = ${address(bucket)}.id.`,
          data: { fix: 'migrate-inline', block: 'versioning', resourceType: COMPANION, template: 'QF-1', bucket: address(bucket) },
        });
        verdicts.push(checkInline(module, bucket, inline, severity, what, pending));
      }
      // A `dynamic "versioning"` block may or may not exist.
      if (hasDynamic(bucket, 'versioning')) verdicts.push('unknown');

      if (verdicts.includes('pass') || verdicts.includes('unknown') || mayHaveCompanionElsewhere) return;
      // Companion findings were reported on their status; what is left is the bucket itself.
      if (links.linked.length > 0) return;
      if (pending.length > 0) {
        pending.forEach(report);
        return;
      }
      report({
        at: header(bucket),
        severity,
        message: `${what} ${address(bucket)} has no versioning: an overwritten or deleted object (training data, model weights, audit logs) cannot be recovered or traced to an earlier version. Add an aws_s3_bucket_versioning resource with bucket = ${address(bucket)}.id and versioning_configuration { status = "Enabled" }.`,
        data: { fix: 'add-resource', template: 'QF-1', resourceType: COMPANION, name: resourceName(bucket), bucket: address(bucket) },
      });
    }
  },
});

/** Reports a linked companion whose status is not "Enabled"; returns its verdict. */
function checkCompanion(
  module: TerraformModule,
  companion: HclBlock,
  severity: Severity,
  bucketInfo: RelatedInfo,
  report: (f: ReportInput) => void,
): Verdict {
  if (hasDynamic(companion, 'versioning_configuration')) return 'unknown';
  const configs = nestedBlocks(companion, 'versioning_configuration');
  if (configs.length === 0) {
    report({
      at: header(companion),
      severity,
      related: [bucketInfo],
      message: `${address(companion)} has no versioning_configuration block, so versioning is not enabled. Add versioning_configuration { status = "Enabled" }.`,
      data: { fix: 'insert', block: 'versioning_configuration', attribute: 'status', value: 'Enabled' },
    });
    return 'fail';
  }
  let verdict: Verdict = 'fail';
  for (const config of configs) {
    const status = attribute(config, 'status');
    if (!status) {
      report({
        at: header(config),
        severity,
        related: [bucketInfo],
        message: `versioning_configuration of ${address(companion)} sets no status, so versioning is not enabled. Set status = "Enabled".`,
        data: { fix: 'insert', block: 'versioning_configuration', attribute: 'status', value: 'Enabled' },
      });
      continue;
    }
    const value = module.evaluate(status.expr, companion);
    if (isUnknown(value)) {
      if (verdict === 'fail') verdict = 'unknown';
      continue;
    }
    if (value === 'Enabled') {
      verdict = 'pass';
      continue;
    }
    report({
      at: valueOf(status),
      severity,
      related: [bucketInfo],
      message: `Versioning status is ${JSON.stringify(value)}: new writes to the bucket overwrite objects without keeping the previous version. Set status = "Enabled".`,
      data: { fix: 'set', block: 'versioning_configuration', attribute: 'status', value: 'Enabled' },
    });
  }
  return verdict;
}

/**
 * Evaluates a legacy inline `versioning` block. A failure is queued rather than
 * reported: it only stands if nothing else (a companion) enables versioning.
 */
function checkInline(
  module: TerraformModule,
  bucket: HclBlock,
  inline: HclBlock,
  severity: Severity,
  what: string,
  pending: ReportInput[],
): Verdict {
  const enabled = attribute(inline, 'enabled');
  if (!enabled) {
    pending.push({
      at: header(inline),
      severity,
      message: `${what} ${address(bucket)} has an inline versioning block without enabled (default false), so versioning is off. Set enabled = true, or better, use an aws_s3_bucket_versioning resource with status = "Enabled".`,
      data: { fix: 'insert', block: 'versioning', attribute: 'enabled', value: true },
    });
    return 'fail';
  }
  const value = module.evaluate(enabled.expr, bucket);
  if (isUnknown(value)) return 'unknown';
  if (value === true || value === 'true') return 'pass';
  pending.push({
    at: valueOf(enabled),
    severity,
    message: `${what} ${address(bucket)} has versioning enabled = ${JSON.stringify(value)}: overwritten or deleted objects cannot be recovered. Set enabled = true, or better, use an aws_s3_bucket_versioning resource with status = "Enabled".`,
    data: { fix: 'set', block: 'versioning', attribute: 'enabled', value: true },
  });
  return 'fail';
}

/** QF-1 for a bucket without versioning; the status or inline flag otherwise. */
function fixVersioning(ctx: TerraformFixContext<Params>): Fix[] {
  if (ctx.data.fix !== 'add-resource') return standardTerraformFix(ctx);
  return addCompanionFix(ctx, COMPANION, (ref) => [`bucket = ${ref('id')}`, '', 'versioning_configuration {', '  status = "Enabled"', '}']);
}
