import type { RelatedInfo, ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { fixObjectLock } from './fix';
import type { HclBlock } from '../../../model/hcl';
import { addCompanionData, checkS3Control, type ControlVerdict } from '../../../terraform/aws/s3';
import { isDataAsset, ownTags } from '../../../terraform/dataAsset';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  immutable_selector: Record<string, string[]>;
  allowed_modes: Record<string, string[]>;
  min_retention_days: number;
}

const COMPANION = 'aws_s3_bucket_object_lock_configuration';

export default defineRule<Params>({
  id: 'tf-aws-s3-object-lock',
  title: 'Dataset, model and audit-log buckets use S3 Object Lock with a default retention',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AU-9', 'AU-11', 'SI-7'], euAiAct: ['Art.12', 'Art.19', 'Art.10'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      immutable_selector: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        default: { 'ai-asset-type': ['dataset', 'model', 'audit-log'] },
        description: 'Buckets that must be immutable: a bucket is selected when its own tags have one of these keys with one of the listed values.',
      },
      allowed_modes: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string', enum: ['COMPLIANCE', 'GOVERNANCE'] } },
        default: { 'audit-log': ['COMPLIANCE'], default: ['COMPLIANCE', 'GOVERNANCE'] },
        description: 'Allowed default_retention modes by the bucket\'s ai-asset-type tag value; "default" applies to every other selected bucket.',
      },
      min_retention_days: {
        type: 'integer',
        minimum: 1,
        default: 183,
        description: 'Minimum default retention in days (years count as 365 days). 183 days ≈ the EU AI Act Art.19 six-month log retention.',
      },
    },
  },
  fix: fixObjectLock,
  check(ctx) {
    const { module, params, unknown, report } = ctx;
    for (const bucket of module.resources('aws_s3_bucket')) {
      if (!isDataAsset(module, bucket, params.immutable_selector)) {
        const tags = attribute(bucket, 'tags');
        if (tags && !ownTags(module, bucket)) unknown(valueOf(tags), `tags of ${address(bucket)} cannot be evaluated (immutable_selector)`);
        continue;
      }
      const assetType = ownTags(module, bucket)?.['ai-asset-type'];
      const modes = (typeof assetType === 'string' ? params.allowed_modes[assetType] : undefined) ?? params.allowed_modes.default ?? ['COMPLIANCE', 'GOVERNANCE'];
      const retention = { modes, minDays: params.min_retention_days };

      checkEnabled(module, bucket, report, unknown);
      checkS3Control(ctx, bucket, {
        companionType: COMPANION,
        control: 'object lock configuration',
        inlineType: 'object_lock_configuration',
        checkCompanion: (companion, b, info) => checkRetention(module, companion, b, retention, info),
        checkInline: (inline, b) => checkRetention(module, inline, b, retention),
        missing: (b) => ({
          at: header(b),
          message: `Immutable bucket ${address(b)} has no default Object Lock retention: objects (datasets, model artifacts, audit logs) can be deleted or overwritten. Add an ${COMPANION} with bucket = ${address(b)}.id and rule { default_retention { mode = "${modes[0]}", days = ${params.min_retention_days} } }.`,
          data: addCompanionData(b, COMPANION, 'QF-2', { mode: modes[0], days: params.min_retention_days }),
        }),
      });
    }
  },
});

/** `object_lock_enabled = true` on the bucket (or the legacy inline `object_lock_enabled = "Enabled"`). */
function checkEnabled(
  module: TerraformModule,
  bucket: HclBlock,
  report: (f: ReportInput) => void,
  unknown: (at: ReportInput['at'], origin: string) => void,
): void {
  const fix = { fix: 'insert', attribute: 'object_lock_enabled', value: true, forcesReplacement: true };
  const attr = attribute(bucket, 'object_lock_enabled');
  if (attr) {
    const v = module.evaluate(attr.expr, bucket);
    if (isUnknown(v)) return unknown(valueOf(attr), v.origin);
    if (v === true || v === 'true') return;
    report({
      at: valueOf(attr),
      message: `object_lock_enabled is ${JSON.stringify(v)} on immutable bucket ${address(bucket)}: objects can be deleted or overwritten. Set object_lock_enabled = true (this replaces the bucket: migrate its data).`,
      data: { ...fix, fix: 'set' },
    });
    return;
  }
  if (hasDynamic(bucket, 'object_lock_configuration')) return unknown(header(bucket), 'dynamic "object_lock_configuration" block');
  for (const inline of nestedBlocks(bucket, 'object_lock_configuration')) {
    const enabled = attribute(inline, 'object_lock_enabled');
    if (!enabled) continue;
    const v = module.evaluate(enabled.expr, bucket);
    if (isUnknown(v)) return unknown(valueOf(enabled), v.origin);
    if (v === 'Enabled') return;
    report({
      at: valueOf(enabled),
      message: `The inline object_lock_enabled is ${JSON.stringify(v)} on immutable bucket ${address(bucket)}. Set object_lock_enabled = true on the bucket (this replaces the bucket: migrate its data).`,
      data: fix,
    });
    return;
  }
  report({
    at: header(bucket),
    message: `Immutable bucket ${address(bucket)} does not enable S3 Object Lock (object_lock_enabled defaults to false). Set object_lock_enabled = true; it can only be set when the bucket is created, so this replaces an existing bucket.`,
    data: fix,
  });
}

/** The `rule { default_retention { mode, days | years } }` of a companion or of the legacy inline block. */
function checkRetention(
  module: TerraformModule,
  container: HclBlock,
  bucket: HclBlock,
  retention: { modes: readonly string[]; minDays: number },
  bucketInfo?: RelatedInfo,
): ControlVerdict {
  const related = bucketInfo ? { related: [bucketInfo] } : {};
  const owner = container.type === 'resource' ? container : bucket;
  const name = container.type === 'resource' ? address(container) : `the inline object_lock_configuration of ${address(bucket)}`;
  if (hasDynamic(container, 'rule')) return { kind: 'unknown', at: header(container), origin: 'dynamic "rule" block' };
  const defaults = nestedBlocks(container, 'rule').flatMap((r) => nestedBlocks(r, 'default_retention'));
  if (defaults.length === 0)
    return {
      kind: 'fail',
      findings: [
        {
          at: header(container),
          ...related,
          message: `${name} sets no rule { default_retention }, so new objects are not locked unless every writer sets a retention. Add rule { default_retention { mode = "${retention.modes[0]}", days = ${retention.minDays} } }.`,
          data: { fix: 'insert', block: 'rule', mode: retention.modes[0], days: retention.minDays },
        },
      ],
    };
  const findings: ReportInput[] = [];
  let unknownAt: Extract<ControlVerdict, { kind: 'unknown' }> | undefined;
  for (const d of defaults) {
    const mode = attribute(d, 'mode');
    if (mode) {
      const v = module.evaluate(mode.expr, owner);
      if (isUnknown(v)) unknownAt ??= { kind: 'unknown', at: valueOf(mode), origin: v.origin };
      else if (typeof v !== 'string' || !retention.modes.includes(v))
        findings.push({
          at: valueOf(mode),
          ...related,
          message: `Object Lock mode ${JSON.stringify(v)} is not allowed for ${address(bucket)} (allowed: ${retention.modes.join(', ')}); GOVERNANCE locks can be lifted by any principal with s3:BypassGovernanceRetention. Set mode = "${retention.modes[0]}".`,
          data: { fix: 'set', attribute: 'mode', value: retention.modes[0] },
        });
    }
    const days = attribute(d, 'days');
    const years = attribute(d, 'years');
    const period = days ?? years;
    if (!period) {
      findings.push({
        at: header(d),
        ...related,
        message: `default_retention of ${name} sets neither days nor years. Set days = ${retention.minDays} (or more).`,
        data: { fix: 'insert', attribute: 'days', value: retention.minDays },
      });
      continue;
    }
    const v = module.evaluate(period.expr, owner);
    if (isUnknown(v)) {
      unknownAt ??= { kind: 'unknown', at: valueOf(period), origin: v.origin };
      continue;
    }
    const n = typeof v === 'number' ? v : Number(v);
    const asDays = period === days ? n : n * 365;
    if (!(asDays >= retention.minDays))
      findings.push({
        at: valueOf(period),
        ...related,
        message: `Default retention of ${period === days ? `${n} days` : `${n} years`} on ${address(bucket)} is shorter than the required ${retention.minDays} days: locked evidence expires too early. Set days = ${retention.minDays} (or more).`,
        data: { fix: 'set', attribute: 'days', value: retention.minDays },
      });
  }
  if (findings.length > 0) return { kind: 'fail', findings };
  if (unknownAt) return unknownAt;
  return { kind: 'pass' };
}
