import type { HclBlock, HclExpr } from '../../model/hcl';
import type { Located } from '../../model/location';
import { attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../module';
import { isUnknown, knownItems, type Value } from '../value';

/**
 * Whether the module's CloudTrail trails log S3 object-level (data) events for
 * a bucket (catalog: `tf-aws-cloudtrail-s3-data-events`; also accepted by
 * `tf-aws-s3-access-logging`).
 */
export type S3DataEventCoverage =
  /** No `aws_cloudtrail` in the module: the control may live elsewhere (catalog §3 rule 5). */
  | { readonly kind: 'no-trail' }
  | { readonly kind: 'covered'; readonly trail: HclBlock }
  /** Covered, but only reads or only writes. */
  | { readonly kind: 'partial'; readonly trail: HclBlock; readonly at: Located; readonly value: string }
  | { readonly kind: 'unknown'; readonly at: Located; readonly origin: string }
  | { readonly kind: 'not-covered'; readonly trails: readonly HclBlock[] };

type Match = 'yes' | 'no' | { readonly at: Located; readonly origin: string };

/** Coverage of `bucket` by the trails of `module`. */
export function s3DataEventCoverage(module: TerraformModule, bucket: HclBlock): S3DataEventCoverage {
  const trails = module.resources('aws_cloudtrail');
  if (trails.length === 0) return { kind: 'no-trail' };
  let partial: S3DataEventCoverage | undefined;
  let unknown: S3DataEventCoverage | undefined;
  for (const trail of trails) {
    const c = trailCoverage(module, trail, bucket);
    if (c.kind === 'covered') return c;
    if (c.kind === 'partial') partial ??= c;
    if (c.kind === 'unknown') unknown ??= c;
  }
  return unknown ?? partial ?? { kind: 'not-covered', trails };
}

function trailCoverage(module: TerraformModule, trail: HclBlock, bucket: HclBlock): S3DataEventCoverage {
  let partial: S3DataEventCoverage | undefined;
  let unknown: S3DataEventCoverage | undefined;
  for (const type of ['event_selector', 'advanced_event_selector'])
    if (hasDynamic(trail, type)) unknown ??= { kind: 'unknown', at: header(trail), origin: `dynamic "${type}" block of the trail` };

  for (const sel of nestedBlocks(trail, 'event_selector')) {
    let match: Match = 'no';
    if (hasDynamic(sel, 'data_resource')) match = { at: header(sel), origin: 'dynamic "data_resource" block' };
    for (const dr of nestedBlocks(sel, 'data_resource')) {
      const type = attribute(dr, 'type');
      const typeValue = type ? module.evaluate(type.expr, trail) : undefined;
      if (isUnknown(typeValue)) {
        if (match === 'no') match = { at: valueOf(type!), origin: typeValue.origin };
        continue;
      }
      if (typeValue !== 'AWS::S3::Object') continue;
      const values = attribute(dr, 'values');
      if (!values) continue;
      const m = arnListCovers(module, trail, values.expr, bucket, (arn, name) => arn === 'arn:aws:s3' || arn === 'arn:aws:s3:::' || arn === `arn:aws:s3:::${name}/`);
      if (m === 'yes') match = 'yes';
      else if (m !== 'no' && match === 'no') match = m;
    }
    if (match === 'no') continue;
    if (match !== 'yes') {
      unknown ??= { kind: 'unknown', ...match };
      continue;
    }
    const rw = attribute(sel, 'read_write_type');
    const rwValue = rw ? module.evaluate(rw.expr, trail) : 'All';
    if (isUnknown(rwValue)) unknown ??= { kind: 'unknown', at: valueOf(rw!), origin: rwValue.origin };
    else if (rwValue === 'All') return { kind: 'covered', trail };
    else partial ??= { kind: 'partial', trail, at: valueOf(rw!), value: String(rwValue) };
  }

  for (const sel of nestedBlocks(trail, 'advanced_event_selector')) {
    const fields = new Map<string, HclBlock>();
    let selUnknown: Match | undefined;
    for (const fs of nestedBlocks(sel, 'field_selector')) {
      const field = attribute(fs, 'field');
      const f = field ? module.evaluate(field.expr, trail) : undefined;
      if (typeof f === 'string') fields.set(f, fs);
      else if (isUnknown(f)) selUnknown ??= { at: valueOf(field!), origin: f.origin };
    }
    if (hasDynamic(sel, 'field_selector')) selUnknown ??= { at: header(sel), origin: 'dynamic "field_selector" block' };
    const eq = (name: string, wanted: string): Match => {
      const fs = fields.get(name);
      const a = fs && attribute(fs, 'equals');
      if (!a) return 'no';
      const v = module.evaluate(a.expr, trail);
      if (isUnknown(v)) return { at: valueOf(a), origin: v.origin };
      return Array.isArray(v) && v.includes(wanted) ? 'yes' : 'no';
    };
    const category = eq('eventCategory', 'Data');
    const resType = eq('resources.type', 'AWS::S3::Object');
    const conds: Match[] = [category, resType];
    const arnSel = fields.get('resources.ARN');
    if (arnSel) {
      const sw = attribute(arnSel, 'starts_with');
      if (sw) conds.push(arnListCovers(module, trail, sw.expr, bucket, (arn, name) => arn === 'arn:aws:s3' || `arn:aws:s3:::${name}/`.startsWith(arn)));
      else conds.push({ at: header(arnSel), origin: 'a resources.ARN selector other than starts_with is not evaluated' });
    }
    if (conds.includes('no')) continue;
    const firstUnknown = conds.find((c): c is Exclude<Match, 'yes' | 'no'> => c !== 'yes') ?? (selUnknown !== 'yes' && selUnknown !== 'no' ? selUnknown : undefined);
    if (firstUnknown) {
      unknown ??= { kind: 'unknown', ...firstUnknown };
      continue;
    }
    const ro = fields.get('readOnly');
    const roEquals = ro && attribute(ro, 'equals');
    if (!roEquals) return { kind: 'covered', trail };
    const v = module.evaluate(roEquals.expr, trail);
    if (isUnknown(v)) unknown ??= { kind: 'unknown', at: valueOf(roEquals), origin: v.origin };
    else partial ??= { kind: 'partial', trail, at: valueOf(roEquals), value: Array.isArray(v) && v.includes('true') ? 'ReadOnly' : 'WriteOnly' };
  }
  return unknown ?? partial ?? { kind: 'not-covered', trails: [trail] };
}

/**
 * Whether a list of ARNs covers the bucket: a literal the predicate accepts
 * (given the bucket's name), or `"${aws_s3_bucket.<x>.arn}/"` for this bucket.
 */
function arnListCovers(
  module: TerraformModule,
  trail: HclBlock,
  expr: HclExpr,
  bucket: HclBlock,
  covers: (arn: string, bucketName: string) => boolean,
): Match {
  const nameAttr = attribute(bucket, 'bucket');
  const nameValue = nameAttr ? module.evaluate(nameAttr.expr, bucket) : undefined;
  const name = typeof nameValue === 'string' ? nameValue : undefined;
  const items: { expr?: HclExpr; value: Value }[] =
    expr.type === 'tuple' ? expr.items.map((e) => ({ expr: e, value: module.evaluate(e, trail) })) : listItems(module.evaluate(expr, trail));
  let result: Match = 'no';
  for (const item of items) {
    if (item.expr && refersToBucketArn(item.expr, bucket)) return 'yes';
    const v = item.value;
    if (typeof v === 'string') {
      if (covers(v, '\u0000')) return 'yes'; // an ARN that covers every bucket
      if (name !== undefined && covers(v, name)) return 'yes';
      if (name === undefined && v.startsWith('arn:aws:s3:::') && result === 'no')
        result = { at: nameAttr ? valueOf(nameAttr) : header(bucket), origin: 'the bucket name is not known, so the trail\'s ARNs cannot be matched' };
    } else if (isUnknown(v) && result === 'no') result = { at: { uri: trail.uri, range: v.range ?? item.expr?.range ?? expr.range }, origin: v.origin };
  }
  if (expr.type !== 'tuple') {
    const whole = module.evaluate(expr, trail);
    if (isUnknown(whole) && !knownItems(whole)?.length && result === 'no') result = { at: { uri: trail.uri, range: whole.range ?? expr.range }, origin: whole.origin };
  }
  return result;
}

function listItems(v: Value): { value: Value }[] {
  return (knownItems(v) ?? []).map((value) => ({ value }));
}

/** `"${aws_s3_bucket.x.arn}/"` (every object of the bucket) for this bucket. */
function refersToBucketArn(expr: HclExpr, bucket: HclBlock): boolean {
  const isArnRef = (e: HclExpr) =>
    e.type === 'traversal' &&
    e.root === 'aws_s3_bucket' &&
    e.steps[0]?.kind === 'attr' &&
    e.steps[0].name === bucket.labels[1]?.value &&
    e.steps.some((s) => s.kind === 'attr' && s.name === 'arn');
  if (expr.type !== 'template') return false;
  const [first, second, ...rest] = expr.parts;
  return (
    rest.length === 0 &&
    first?.kind === 'interpolation' &&
    isArnRef(first.expr) &&
    second?.kind === 'literal' &&
    second.value === '/'
  );
}

/** The trails of the module, for fixes that need exactly one. */
export function trailsOf(module: TerraformModule): readonly HclBlock[] {
  return module.resources('aws_cloudtrail');
}
