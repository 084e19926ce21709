import { dataChangeFix } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { nestedBlocks } from '../../../terraform/module';
import { topLevelBlockAt } from '../../../fixes/standard';

/**
 * The data's set/insert, except is_locked, with one twist: a new retention_policy is added
 * unlocked, because Bucket Lock cannot be undone. With require_locked the
 * rule then keeps asking for is_locked = true, so that fix is a partial one
 * (marked placeholder: it is never applied by "fix all" and may leave the
 * rule's own finding).
 */
export function fix(ctx: TerraformFixContext<{ require_locked?: boolean }>): Fix[] {
  // Bucket Lock cannot be undone: locking is left to a person, never offered as an edit.
  if (ctx.data.attribute === 'is_locked') return [];
  const fixes = dataChangeFix(ctx);
  const bucket = topLevelBlockAt(ctx.file, ctx.finding.range);
  const newPolicy = ctx.data.block === 'retention_policy' && !!bucket && nestedBlocks(bucket, 'retention_policy').length === 0;
  if (!newPolicy) return fixes;
  return fixes.map((f) => ({
    ...f,
    title: `${f.title} (unlocked${ctx.params.require_locked ? '; set is_locked = true after review' : ''})`,
    ...(ctx.params.require_locked ? { placeholder: true } : {}),
  }));
}
