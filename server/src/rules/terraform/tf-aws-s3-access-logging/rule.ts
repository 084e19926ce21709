import type { RelatedInfo } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { fixLogging } from './fix';
import type { Severity } from '../../../engine/severity';
import type { HclBlock } from '../../../model/hcl';
import { s3DataEventCoverage } from '../../../terraform/aws/cloudtrail';
import { addCompanionData, checkS3Control, type ControlVerdict } from '../../../terraform/aws/s3';
import { isDataAsset } from '../../../terraform/dataAsset';
import { address, attribute, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown, ResourceRef } from '../../../terraform/value';

interface Params {
  log_bucket: string;
  accept_cloudtrail_data_events: boolean;
}

const COMPANION = 'aws_s3_bucket_logging';

/** Which buckets receive access logs: they are exempt (logging a log bucket loops). */
interface LogTargets {
  readonly blocks: ReadonlySet<HclBlock>;
  readonly names: ReadonlySet<string>;
  /** Some target_bucket cannot be evaluated: any bucket may be a log bucket. */
  readonly unknown?: { readonly at: RelatedInfo['at']; readonly origin: string };
}

export default defineRule<Params>({
  id: 'tf-aws-s3-access-logging',
  title: 'S3 buckets record server access logs',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { cis: ['AWS Foundations v1.5.0 3.6'], nist: ['AU-2', 'AU-12'], euAiAct: ['Art.12'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      log_bucket: {
        type: 'string',
        default: '',
        description: 'Expression or name of the bucket that receives access logs, used by the quick fix; empty inserts a REPLACE_ME placeholder.',
      },
      accept_cloudtrail_data_events: {
        type: 'boolean',
        default: true,
        description: 'A bucket whose object-level reads and writes are logged by a CloudTrail trail in the workspace (see tf-aws-cloudtrail-s3-data-events) passes without server access logging.',
      },
    },
  },
  fix: fixLogging,
  check(ctx) {
    const { module, params, unknown } = ctx;
    const targets = logTargets(module);
    for (const bucket of module.resources('aws_s3_bucket')) {
      if (isTarget(module, bucket, targets)) continue;
      const asset = isDataAsset(module, bucket);
      const severity: Severity = asset ? 'high' : 'medium';
      const what = asset ? 'Data-asset bucket' : 'Bucket';
      const trail = params.accept_cloudtrail_data_events ? s3DataEventCoverage(module, bucket) : undefined;
      if (trail?.kind === 'covered') continue;
      checkS3Control(ctx, bucket, {
        companionType: COMPANION,
        control: 'access logging',
        inlineType: 'logging',
        checkCompanion: (companion, b) => checkTarget(module, companion, companion, b, severity),
        checkInline: (inline, b) => checkTarget(module, inline, b, b, severity),
        missing: (b) => {
          if (targets.unknown) {
            unknown(targets.unknown.at, `${targets.unknown.origin}: ${address(b)} may be a log bucket`);
            return undefined;
          }
          // A trail may log the bucket's data events, which this rule accepts instead.
          if (trail?.kind === 'unknown') {
            unknown(trail.at, trail.origin);
            return undefined;
          }
          return {
            at: header(b),
            severity,
            message: `${what} ${address(b)} has no server access logging: reads and writes of its objects (who fetched a dataset or replaced a model) leave no record. Add an aws_s3_bucket_logging with bucket = ${address(b)}.id and target_bucket = a dedicated log bucket${params.accept_cloudtrail_data_events ? ', or log its object-level events with CloudTrail' : ''}.`,
            data: addCompanionData(b, COMPANION, 'QF-3', { targetBucket: params.log_bucket || 'REPLACE_ME', targetPrefix: `s3-access/${b.labels[1]?.value ?? ''}/` }),
          };
        },
      });
    }
  },
});

/** Evaluates `target_bucket` of a companion or of the legacy inline `logging` block. */
function checkTarget(module: TerraformModule, container: HclBlock, owner: HclBlock, bucket: HclBlock, severity: Severity): ControlVerdict {
  const target = attribute(container, 'target_bucket');
  const where: RelatedInfo = { at: header(container), message: `The logging configuration: ${container.type === 'resource' ? address(container) : `inline logging of ${address(bucket)}`}` };
  if (!target)
    return {
      kind: 'fail',
      findings: [
        {
          at: header(bucket),
          severity,
          related: [where],
          message: `The logging configuration of ${address(bucket)} sets no target_bucket, so no access log is delivered. Set target_bucket to a dedicated log bucket.`,
          data: { fix: 'insert', attribute: 'target_bucket', ...logConfig(container, bucket) },
        },
      ],
    };
  const v = module.evaluate(target.expr, owner);
  if (isUnknown(v)) return { kind: 'unknown', at: valueOf(target), origin: v.origin };
  const self = (v instanceof ResourceRef && v.block === bucket) || (typeof v === 'string' && v === bucketName(module, bucket));
  if (!self) return { kind: 'pass' };
  return {
    kind: 'pass',
    findings: [
      {
        at: header(bucket),
        severity: 'low',
        related: [{ ...where, at: valueOf(target) }],
        message: `${address(bucket)} delivers its access logs to itself: every log delivery is itself logged, so the logs grow without end and mix with the data. Send them to a dedicated log bucket.`,
        data: { fix: 'set', attribute: 'target_bucket', ...logConfig(container, bucket) },
      },
    ],
  };
}

function bucketName(module: TerraformModule, bucket: HclBlock): string | undefined {
  const a = attribute(bucket, 'bucket');
  const v = a ? module.evaluate(a.expr, bucket) : undefined;
  return typeof v === 'string' ? v : undefined;
}

function logTargets(module: TerraformModule): LogTargets {
  return module.cached('aws-s3-log-targets', () => {
    const blocks = new Set<HclBlock>();
    const names = new Set<string>();
    let unknown: LogTargets['unknown'];
    // A bucket that logs to itself is not a log bucket: the loop is reported, not exempted.
    const add = (attrOwner: HclBlock, evalIn: HclBlock, source: unknown) => {
      const t = attribute(attrOwner, 'target_bucket');
      if (!t) return;
      const v = module.evaluate(t.expr, evalIn);
      if (v instanceof ResourceRef) {
        if (!(source instanceof ResourceRef && source.block === v.block)) blocks.add(v.block);
      } else if (typeof v === 'string') {
        if (v !== source && !(source instanceof ResourceRef && v === bucketName(module, source.block))) names.add(v);
      }
      else if (isUnknown(v)) unknown ??= { at: valueOf(t), origin: `target_bucket cannot be evaluated (${v.origin})` };
    };
    for (const c of module.resources(COMPANION)) {
      const link = attribute(c, 'bucket');
      add(c, c, link ? module.evaluate(link.expr, c) : undefined);
    }
    for (const b of module.resources('aws_s3_bucket'))
      for (const inline of nestedBlocks(b, 'logging')) add(inline, b, new ResourceRef(b, []));
    return { blocks, names, ...(unknown ? { unknown } : {}) };
  });
}

function isTarget(module: TerraformModule, bucket: HclBlock, targets: LogTargets): boolean {
  if (targets.blocks.has(bucket)) return true;
  const name = bucketName(module, bucket);
  return name !== undefined && targets.names.has(name);
}

/** Where the fix edits: the companion resource, or the bucket's inline `logging` block. */
function logConfig(container: HclBlock, bucket: HclBlock): { resource: string; block?: string } {
  return container.type === 'resource' ? { resource: address(container) } : { resource: address(bucket), block: 'logging' };
}
