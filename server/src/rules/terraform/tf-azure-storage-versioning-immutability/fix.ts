import { dataChangeFix, insertNestedBlock, primaryBlock } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext } from '../../../fixes/types';

/**
 * Versioning, change feed and soft delete under blob_properties. A missing
 * blob_properties is created whole, soft delete included: without it the
 * rule would only trade this finding for the soft-delete one. Immutability
 * policies get no fix (a Locked policy is irreversible).
 */
export function fix(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data } = ctx;
  if (typeof data.block !== 'string' || !data.block.startsWith('blob_properties')) return [];
  const account = primaryBlock(ctx);
  if (data.attributes && typeof data.deleteRetentionDays === 'number' && account && !account.body.blocks.some((b) => b.type === 'blob_properties')) {
    const body = ['versioning_enabled  = true', 'change_feed_enabled = true', '', 'delete_retention_policy {', `  days = ${data.deleteRetentionDays}`, '}'];
    return [
      {
        title: `Add blob_properties { versioning_enabled = true, change_feed_enabled = true, delete_retention_policy { days = ${data.deleteRetentionDays} } }`,
        edits: [insertNestedBlock(ctx.file, account, 'blob_properties', body)],
      },
    ];
  }
  return dataChangeFix(ctx);
}

