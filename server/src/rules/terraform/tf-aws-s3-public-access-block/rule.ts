import type { RelatedInfo, ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { addCompanionFix } from '../../../fixes/tfrules-companion';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import type { Severity } from '../../../engine/severity';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { addCompanionData, checkS3Control, type ControlVerdict } from '../../../terraform/aws/s3';
import { isDataAsset } from '../../../terraform/dataAsset';
import { address, attribute, header, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  account_pab_managed_elsewhere: boolean;
}

const COMPANION = 'aws_s3_bucket_public_access_block';
const ACCOUNT = 'aws_s3_account_public_access_block';
export const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

type FlagsVerdict =
  | { readonly kind: 'pass' }
  | { readonly kind: 'unknown'; readonly at: Located; readonly origin: string }
  | { readonly kind: 'fail'; readonly falseFlags: readonly { name: string; at: Located; value: unknown }[]; readonly missing: readonly string[] };

export default defineRule<Params>({
  id: 'tf-aws-s3-public-access-block',
  title: 'S3 buckets block every form of public access',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { cis: ['AWS Foundations v1.5.0 2.1.4'], nist: ['AC-3', 'SC-7'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      account_pab_managed_elsewhere: {
        type: 'boolean',
        default: false,
        description:
          'true when an account-level S3 public access block is managed outside this workspace: a bucket without a companion then gets an info note instead of a finding.',
      },
    },
  },
  fix: fixPublicAccessBlock,
  check(ctx) {
    const { module, params, unknown } = ctx;
    const account = accountVerdict(module);
    if (account.kind === 'pass') return;
    // An account-level block Plumbline cannot evaluate may cover every bucket: one note, no findings.
    if (account.kind === 'unknown') return unknown(account.at, account.origin);
    for (const bucket of module.resources('aws_s3_bucket')) {
      const asset = isDataAsset(module, bucket);
      const severity: Severity = asset ? 'critical' : 'high';
      const what = asset ? 'Data-asset bucket' : 'Bucket';
      checkS3Control(ctx, bucket, {
        companionType: COMPANION,
        control: 'public access block',
        checkCompanion: (companion, b, bucketInfo) => companionVerdict(module, companion, b, severity, bucketInfo),
        missing: (b) => ({
          at: header(b),
          severity: params.account_pab_managed_elsewhere ? 'info' : severity,
          message: `${what} ${address(b)} has no aws_s3_bucket_public_access_block${params.account_pab_managed_elsewhere ? ' (the account-level block is said to be managed elsewhere)' : ''}: a bucket policy or ACL can make datasets or model artifacts public. Add an aws_s3_bucket_public_access_block with bucket = ${address(b)}.id and block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all = true.`,
          data: addCompanionData(b, COMPANION, 'QF-4'),
        }),
      });
    }
  },
});

/** Evaluates the four flags of a public access block (bucket- or account-level). */
function flagsVerdict(module: TerraformModule, block: HclBlock): FlagsVerdict {
  const falseFlags: { name: string; at: Located; value: unknown }[] = [];
  const missing: string[] = [];
  let firstUnknown: { at: Located; origin: string } | undefined;
  for (const name of FLAGS) {
    const attr = attribute(block, name);
    if (!attr) {
      missing.push(name);
      continue;
    }
    const v = module.evaluate(attr.expr, block);
    if (isUnknown(v)) firstUnknown ??= { at: valueOf(attr), origin: v.origin };
    else if (v !== true && v !== 'true') falseFlags.push({ name, at: valueOf(attr), value: v });
  }
  // A known false flag proves the violation even when another flag is unknown.
  if (falseFlags.length > 0 || missing.length > 0) return { kind: 'fail', falseFlags, missing };
  if (firstUnknown) return { kind: 'unknown', ...firstUnknown };
  return { kind: 'pass' };
}

/** An account-level block with all four flags true covers every bucket of the account. */
function accountVerdict(module: TerraformModule): FlagsVerdict | { readonly kind: 'none' } {
  let result: FlagsVerdict | { readonly kind: 'none' } = { kind: 'none' };
  for (const block of module.resources(ACCOUNT)) {
    const v = flagsVerdict(module, block);
    if (v.kind === 'pass') return v;
    if (v.kind === 'unknown') result = v;
  }
  return result;
}

function companionVerdict(
  module: TerraformModule,
  companion: HclBlock,
  bucket: HclBlock,
  severity: Severity,
  bucketInfo: RelatedInfo,
): ControlVerdict {
  const v = flagsVerdict(module, companion);
  if (v.kind !== 'fail') return v;
  const findings: ReportInput[] = v.falseFlags.map((f) => ({
    at: f.at,
    severity,
    related: [bucketInfo],
    message: `${f.name} is ${JSON.stringify(f.value)} on ${address(companion)}, so ${address(bucket)} can be made public through ${f.name.includes('polic') || f.name.includes('buckets') ? 'a bucket policy' : 'an ACL'}. Set ${f.name} = true.`,
    data: { fix: 'set', attribute: f.name, value: true },
  }));
  if (v.missing.length > 0)
    findings.push({
      at: header(companion),
      severity,
      related: [bucketInfo],
      message: `${address(companion)} does not set ${v.missing.join(', ')} (each defaults to false), so ${address(bucket)} is not fully protected from public access. Set ${v.missing.map((m) => `${m} = true`).join(', ')}.`,
      data: { fix: 'insert', attributes: Object.fromEntries(v.missing.map((m) => [m, true])) },
    });
  return { kind: 'fail', findings };
}

/** QF-4 for a bucket without a block; the missing or false flags of an existing one. */
function fixPublicAccessBlock(ctx: TerraformFixContext<Params>): Fix[] {
  if (ctx.data.fix !== 'add-resource') return standardTerraformFix(ctx);
  return addCompanionFix(ctx, COMPANION, (ref) => [`bucket = ${ref('id')}`, ...FLAGS.map((f) => `${f} = true`)]);
}
