import { changeFix, plain, primaryBlock, type Change } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';

/** Network arguments SageMaker needs once direct internet access is off; their values are the author's. */
const VPC_PLACEHOLDERS: Readonly<Record<string, string>> = {
  subnet_id: `"${PLACEHOLDER}"`,
  security_groups: `["${PLACEHOLDER}"]`,
};

/**
 * Sets direct_internet_access = "Disabled"; when the notebook is not in a VPC
 * yet, also inserts placeholder subnet_id / security_groups, since SageMaker
 * rejects a notebook without internet access outside a VPC.
 */
export function fix(ctx: TerraformFixContext<unknown>): Fix[] {
  const block = primaryBlock(ctx);
  if (!block) return [];
  const wanted = [...names(ctx.data.alsoInsert), ...names(ctx.data.attributes)];
  const missing = wanted.filter((n) => n in VPC_PLACEHOLDERS && !block.body.attributes.some((a) => a.name === n));
  const changes: Change[] = [
    ...(ctx.data.attribute === 'direct_internet_access' ? [plain('direct_internet_access', 'Disabled')] : []),
    ...missing.map((name) => ({ name, source: VPC_PLACEHOLDERS[name]! })),
  ];
  return changeFix(ctx, [], changes);
}

function names(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
