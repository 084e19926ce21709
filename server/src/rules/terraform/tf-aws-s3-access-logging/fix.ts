import { hclValue, insertAttributes, setValue } from '../../../fixes/hcl';
import { nestedBlockAt } from '../../../fixes/standard';
import { addCompanionFix, expressionOrString } from '../../../fixes/tfrules-companion';
import { PLACEHOLDER, type Fix, type TerraformFixContext } from '../../../fixes/types';

const COMPANION = 'aws_s3_bucket_logging';

interface Params {
  log_bucket: string;
}

/**
 * QF-3 for a bucket without access logging, or `target_bucket` on an existing
 * configuration; both hold `log_bucket`, or a REPLACE_ME placeholder (which
 * keeps the finding) when it is not configured.
 */
export function fixLogging(ctx: TerraformFixContext<Params>): Fix[] {
  const configured = ctx.params.log_bucket;
  const target = configured ? expressionOrString(configured) : hclValue(PLACEHOLDER);
  const flags = configured ? {} : { placeholder: true };
  if (ctx.data.fix === 'add-resource') {
    const prefix = hclValue(typeof ctx.data.targetPrefix === 'string' ? ctx.data.targetPrefix : `s3-access/${String(ctx.data.name)}/`);
    return addCompanionFix(ctx, COMPANION, (ref) => [`bucket = ${ref('id')}`, `target_bucket = ${target}`, `target_prefix = ${prefix}`], flags);
  }
  const config = configBlock(ctx);
  if (!config) return [];
  const existing = config.body.attributes.find((a) => a.name === 'target_bucket');
  if (ctx.data.fix === 'set' && existing) return [{ title: `Set target_bucket = ${target}`, edits: [setValue(existing, target)], ...flags }];
  if (ctx.data.fix === 'insert' && !existing) return [{ title: `Add target_bucket = ${target}`, edits: insertAttributes(ctx.file, config, [['target_bucket', target]]), ...flags }];
  return [];
}

/** The companion or inline `logging` block the finding's data names, in the finding's file. */
function configBlock(ctx: TerraformFixContext<Params>) {
  const [type, name] = typeof ctx.data.resource === 'string' ? ctx.data.resource.split('.') : [];
  const resource = type && name ? ctx.module.resource(type, name) : undefined;
  if (!resource || resource.uri !== ctx.file.uri) return undefined;
  return typeof ctx.data.block === 'string' ? nestedBlockAt(resource, [ctx.data.block]) : resource;
}
