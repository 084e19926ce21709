import { hclValue, insertAttributes, insertBlock, setValue } from '../../../fixes/hcl';
import { attributeAt, standardTerraformFix, topLevelBlockAt } from '../../../fixes/standard';
import { blockWithHeader, innermostBlock } from '../../../fixes/tfrules-blocks';
import { addCompanionFix, expressionOrString } from '../../../fixes/tfrules-companion';
import { PLACEHOLDER, type Fix, type TerraformFixContext, type TextEdit } from '../../../fixes/types';
import type { HclBlock, HclFile } from '../../../model/hcl';

const COMPANION = 'aws_s3_bucket_server_side_encryption_configuration';
const DEFAULTS = 'apply_server_side_encryption_by_default';

interface Params {
  kms_key_ref: string;
}

/**
 * QF-5 for a bucket without encryption configuration; otherwise the
 * algorithm and key of the rule the finding is in. Every fix leaves the rule
 * with a key and `bucket_key_enabled = true`, so it brings no new finding;
 * without `kms_key_ref` the key is a REPLACE_ME placeholder.
 */
export function fixEncryption(ctx: TerraformFixContext<Params>): Fix[] {
  const key = ctx.params.kms_key_ref ? expressionOrString(ctx.params.kms_key_ref) : hclValue(PLACEHOLDER);
  const flags = ctx.params.kms_key_ref ? {} : { placeholder: true };
  const { data, file, finding } = ctx;
  if (data.fix === 'add-resource') {
    const body = (ref: (a: string) => string) => [`bucket = ${ref('id')}`, '', 'rule {', ...ruleBody(key).map((l) => `  ${l}`), '}'];
    return addCompanionFix(ctx, COMPANION, body, flags);
  }
  const top = topLevelBlockAt(file, finding.range);
  if (!top) return [];
  if (data.attribute === 'bucket_key_enabled') return fixBucketKey(ctx, top);
  if (data.fix === 'insert' && data.block === 'rule') {
    const container = blockWithHeader(top, finding.range);
    return container ? [{ title: `Add rule with sse_algorithm = "aws:kms", kms_master_key_id = ${key}`, edits: addRule(file, container, key), ...flags }] : [];
  }
  const defaults = innermostBlock(top, DEFAULTS, finding.range);
  const rule = innermostBlock(top, 'rule', finding.range);
  if (!defaults || !rule) return [];
  const alg = defaults.body.attributes.find((a) => a.name === 'sse_algorithm');
  const keyAttr = defaults.body.attributes.find((a) => a.name === 'kms_master_key_id');
  const edits: TextEdit[] = [];
  let title: string;
  if (data.attribute === 'sse_algorithm' && alg) {
    edits.push(setValue(alg, '"aws:kms"'));
    if (!keyAttr) edits.push(...insertAttributes(file, defaults, [['kms_master_key_id', key]]));
    title = `Set sse_algorithm = "aws:kms"${keyAttr ? '' : ` with kms_master_key_id = ${key}`}`;
  } else if (data.attribute === 'kms_master_key_id') {
    if (keyAttr?.expr.source === key) return [];
    edits.push(...(keyAttr ? [setValue(keyAttr, key)] : insertAttributes(file, defaults, [['kms_master_key_id', key]])));
    title = `${keyAttr ? 'Set' : 'Add'} kms_master_key_id = ${key}`;
  } else return [];
  if (!rule.body.attributes.some((a) => a.name === 'bucket_key_enabled')) edits.push(...insertAttributes(file, rule, [['bucket_key_enabled', 'true']]));
  return [{ title, edits, ...flags }];
}

/** The recommendation note: set the flag, or add it to the rule the note is on. */
function fixBucketKey(ctx: TerraformFixContext<Params>, top: HclBlock): Fix[] {
  if (ctx.data.fix === 'set') return attributeAt(top, ctx.finding.range) ? standardTerraformFix(ctx) : [];
  const rule = blockWithHeader(top, ctx.finding.range);
  return rule ? [{ title: 'Add bucket_key_enabled = true', edits: insertAttributes(ctx.file, rule, [['bucket_key_enabled', 'true']]) }] : [];
}

/** Adds the default-encryption rule, or the part of it the container lacks. */
function addRule(file: HclFile, container: HclBlock, key: string): TextEdit[] {
  const rule = container.body.blocks.find((b) => b.type === 'rule');
  if (!rule) return [insertBlock(file, container, 'rule', ruleBody(key))];
  const defaults = rule.body.blocks.find((b) => b.type === DEFAULTS);
  const bucketKey = rule.body.attributes.some((a) => a.name === 'bucket_key_enabled') ? [] : insertAttributes(file, rule, [['bucket_key_enabled', 'true']]);
  if (!defaults) return [insertBlock(file, rule, DEFAULTS, defaultsBody(key)), ...bucketKey];
  const has = (n: string) => defaults.body.attributes.some((a) => a.name === n);
  const attrs: [string, string][] = [['sse_algorithm', '"aws:kms"'], ['kms_master_key_id', key]];
  return [...insertAttributes(file, defaults, attrs.filter(([n]) => !has(n))), ...bucketKey];
}

function defaultsBody(key: string): string[] {
  return ['sse_algorithm     = "aws:kms"', `kms_master_key_id = ${key}`];
}

function ruleBody(key: string): string[] {
  return [`${DEFAULTS} {`, ...defaultsBody(key).map((l) => `  ${l}`), '}', 'bucket_key_enabled = true'];
}
