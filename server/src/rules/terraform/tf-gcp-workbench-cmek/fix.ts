import { blockChain, changeFix, plain, primaryBlock, type Change } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext } from '../../../fixes/types';

/**
 * Sets disk_encryption = "CMEK" with a kms_key (the configured kms_key_ref,
 * else a placeholder) on the disk the finding is about, creating gce_setup /
 * boot_disk when missing. Both fields are input-only: always ⚠replace.
 */
export function fix(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data } = ctx;
  const block = primaryBlock(ctx);
  if (!block || typeof data.block !== 'string' || (data.fix !== 'set' && data.fix !== 'insert')) return [];
  const path = data.block.split('.');
  const changes = changesFor(data, () => {
    const chain = blockChain(block, path, ctx.finding.range);
    return chain.length === path.length && !!chain[chain.length - 1]!.body.attributes.some((a) => a.name === 'kms_key');
  });
  return changeFix(ctx, path, changes, { forcesReplacement: true });
}

function changesFor(data: Readonly<Record<string, unknown>>, hasKmsKey: () => boolean): Change[] {
  const values = data.values as Record<string, unknown> | undefined;
  if (values && typeof values.kms_key === 'string') return [plain('disk_encryption', 'CMEK'), { name: 'kms_key', source: values.kms_key }];
  if (data.attribute === 'kms_key' && typeof data.value === 'string') return [{ name: 'kms_key', source: data.value }];
  if (data.attribute !== 'disk_encryption') return [];
  const also = data.also as Record<string, unknown> | undefined;
  // An existing kms_key is the author's choice: only the missing one is added.
  const key = typeof also?.kms_key === 'string' && !hasKmsKey() ? [{ name: 'kms_key', source: also.kms_key }] : [];
  return [plain('disk_encryption', 'CMEK'), ...key];
}
