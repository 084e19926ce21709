import type { RelatedInfo, ReportInput } from '../../engine/finding';
import type { TerraformContext } from '../../engine/rule';
import type { HclBlock } from '../../model/hcl';
import type { Located } from '../../model/location';
import { linkCompanions } from '../companions';
import { address, hasDynamic, header, nestedBlocks } from '../module';

/**
 * What one companion (or one legacy inline block) proves about an S3 bucket
 * control. A passing verdict's findings are notes, always reported. A failing
 * companion's findings are always reported (it is non-compliant whatever else
 * exists); a failing inline block's only when nothing else passes.
 */
export type ControlVerdict =
  | { readonly kind: 'pass'; readonly findings?: readonly ReportInput[] }
  | { readonly kind: 'fail'; readonly findings: readonly ReportInput[] }
  | { readonly kind: 'unknown'; readonly at: Located; readonly origin: string };

export interface S3ControlSpec {
  /** The split resource that carries the control (`aws_s3_bucket_public_access_block`). */
  readonly companionType: string;
  /** Short name of the control for notes ("public access block"). */
  readonly control: string;
  /** Deprecated inline block on `aws_s3_bucket` that carries the same control (`logging`). */
  readonly inlineType?: string;
  /** Evaluates one linked companion; `bucketInfo` is related information pointing at the bucket. */
  checkCompanion(companion: HclBlock, bucket: HclBlock, bucketInfo: RelatedInfo): ControlVerdict;
  checkInline?(inline: HclBlock, bucket: HclBlock): ControlVerdict;
  /**
   * The finding on the bucket header when no companion is linked and none can
   * exist elsewhere; undefined when the rule itself decided the bucket is
   * unknown (and said so through `ctx.unknown`).
   */
  missing(bucket: HclBlock): ReportInput | undefined;
}

export type BucketOutcome = 'pass' | 'fail' | 'unknown';

/**
 * The companion pattern of the catalog (§3 rule 4) for one bucket: checks every
 * linked companion, notes conflicting companions and deprecated inline blocks,
 * and reports a missing control on the bucket header only when no companion can
 * exist outside what Plumbline sees. Returns the bucket's outcome.
 */
export function checkS3Control(ctx: TerraformContext<unknown>, bucket: HclBlock, spec: S3ControlSpec): BucketOutcome {
  const { module, report, unknown } = ctx;
  const bucketInfo: RelatedInfo = { at: header(bucket), message: `The bucket: ${address(bucket)}` };
  const links = linkCompanions(module, bucket, spec.companionType);
  const verdicts: ControlVerdict[] = [];
  const pending: ReportInput[] = [];

  for (const companion of links.linked) {
    const v = spec.checkCompanion(companion, bucket, bucketInfo);
    verdicts.push(v);
    if (v.kind !== 'unknown') v.findings?.forEach(report);
  }
  links.linked.slice(1).forEach((companion) =>
    report({
      at: header(companion),
      severity: 'low',
      message: `Conflicting companion: ${address(bucket)} has ${links.linked.length} ${spec.companionType} resources (${links.linked.map(address).join(', ')}); the last one applied wins. Keep exactly one.`,
      related: [bucketInfo, ...links.linked.filter((c) => c !== companion).map((c) => ({ at: header(c), message: `Also manages the ${spec.control}: ${address(c)}` }))],
      data: { fix: 'delete-resource', resource: address(companion) },
    }),
  );

  if (spec.inlineType && spec.checkInline) {
    for (const inline of nestedBlocks(bucket, spec.inlineType)) {
      report({
        at: header(inline),
        severity: 'info',
        message: `The inline ${spec.inlineType} block on ${address(bucket)} is deprecated (AWS provider v4+). Manage the ${spec.control} with a separate ${spec.companionType} resource whose bucket = ${address(bucket)}.id.`,
        data: { fix: 'migrate-inline', block: spec.inlineType, resourceType: spec.companionType, bucket: address(bucket) },
      });
      const v = spec.checkInline(inline, bucket);
      verdicts.push(v);
      if (v.kind === 'fail') pending.push(...v.findings);
      else if (v.kind === 'pass') v.findings?.forEach(report);
    }
    if (hasDynamic(bucket, spec.inlineType)) verdicts.push({ kind: 'unknown', at: header(bucket), origin: `dynamic "${spec.inlineType}" block: its existence is unknown` });
  }

  if (verdicts.some((v) => v.kind === 'pass')) return 'pass';
  const firstUnknown = verdicts.find((v): v is Extract<ControlVerdict, { kind: 'unknown' }> => v.kind === 'unknown');
  if (firstUnknown) {
    unknown(firstUnknown.at, firstUnknown.origin);
    return 'unknown';
  }
  // Companion findings were reported on the companions; what is left is the bucket itself.
  if (links.linked.length > 0) return 'fail';
  if (links.unknownLink || links.escapes) {
    unknown(
      header(bucket),
      links.unknownLink
        ? `a ${spec.companionType} whose bucket cannot be evaluated may belong to ${address(bucket)}`
        : `${address(bucket)} is referenced by an output or a module call: its ${spec.control} may be managed elsewhere`,
    );
    return 'unknown';
  }
  if (pending.length > 0) {
    pending.forEach(report);
    return 'fail';
  }
  const missing = spec.missing(bucket);
  if (!missing) return 'unknown';
  report(missing);
  return 'fail';
}

/** The QF template fields shared by every add-resource fix on a bucket. */
export function addCompanionData(bucket: HclBlock, companionType: string, template: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { fix: 'add-resource', template, resourceType: companionType, name: bucket.labels[1]?.value ?? '', bucket: address(bucket), ...extra };
}
