import { hclValue, insertAttributes } from '../../../fixes/hcl';
import { insertUnder, standardTerraformFix, topLevelBlockAt } from '../../../fixes/standard';
import { blockWithHeader } from '../../../fixes/tfrules-blocks';
import { addCompanionFix } from '../../../fixes/tfrules-companion';
import type { Fix, TerraformFixContext } from '../../../fixes/types';

const COMPANION = 'aws_s3_bucket_object_lock_configuration';

/**
 * QF-2 for a bucket without a default retention; `object_lock_enabled = true`
 * (⚠replace, the argument is ForceNew); the retention's mode and days.
 */
export function fixObjectLock(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data } = ctx;
  const retention: [string, string][] = [
    ['mode', hclValue(data.mode)],
    ['days', hclValue(data.days)],
  ];
  if (data.fix === 'add-resource')
    return addCompanionFix(ctx, COMPANION, (ref) => [`bucket = ${ref('id')}`, '', 'rule {', '  default_retention {', ...retention.map(([k, v]) => `    ${k} = ${v}`), '  }', '}']);
  if (data.fix === 'insert' && data.block === 'rule') return addDefaultRetention(ctx, retention);
  if (data.fix === 'insert' && data.attribute === 'days') {
    // The finding is on the default_retention block that lacks a period.
    const top = topLevelBlockAt(ctx.file, ctx.finding.range);
    const target = top && blockWithHeader(top, ctx.finding.range);
    if (!target) return [];
    return [{ title: `Add days = ${hclValue(data.value)}`, edits: insertAttributes(ctx.file, target, [['days', hclValue(data.value)]]) }];
  }
  return standardTerraformFix(ctx);
}

/** Adds `rule { default_retention { mode, days } }` to a companion or to the inline block the finding is on. */
function addDefaultRetention(ctx: TerraformFixContext<unknown>, retention: [string, string][]): Fix[] {
  const top = topLevelBlockAt(ctx.file, ctx.finding.range);
  const container = top && blockWithHeader(top, ctx.finding.range);
  if (!top || !container) return [];
  const title = `Add rule { default_retention { ${retention.map(([k, v]) => `${k} = ${v}`).join(', ')} } }`;
  return [{ title, edits: insertUnder(ctx.file, container, ['rule', 'default_retention'], retention) }];
}
