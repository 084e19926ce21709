import { insertNestedBlock, primaryBlock } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext, TextEdit } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';

/**
 * The catalog's "snippet (ph)": an inline customer_managed_key, and the
 * user-assigned identity it needs when the account has none, with the key
 * and identity left as REPLACE_ME. Choosing the key, the identity and the
 * key-vault role assignment stays with the author, so this is only ever a
 * placeholder fix.
 */
export function fix(ctx: TerraformFixContext<unknown>): Fix[] {
  if (ctx.data.snippet !== 'customer_managed_key') return [];
  const account = primaryBlock(ctx);
  if (!account) return [];
  const identity = account.body.blocks.find((b) => b.type === 'identity');
  const hasIdentity = !!identity;
  // identity_client_id names a user-assigned identity; a system-assigned one needs none.
  const userAssigned = !identity || !!identity.body.attributes.find((a) => a.name === 'type')?.expr.source.includes('UserAssigned');
  const edits: TextEdit[] = [];
  if (!hasIdentity)
    edits.push(insertNestedBlock(ctx.file, account, 'identity', ['type         = "UserAssigned"', `identity_ids = ["${PLACEHOLDER}"]`]));
  const keyLines = userAssigned ? [`key_vault_key_id   = "${PLACEHOLDER}"`, `identity_client_id = "${PLACEHOLDER}"`] : [`key_vault_key_id = "${PLACEHOLDER}"`];
  const key = insertNestedBlock(ctx.file, account, 'customer_managed_key', keyLines);
  // Both blocks go to the end of the body: one edit keeps their order defined.
  const combined = edits.length ? [{ ...key, newText: edits[0]!.newText + key.newText }] : [key];
  return [{ title: `Add customer_managed_key${hasIdentity ? '' : ' and a user-assigned identity'} (key and identity to fill in)`, edits: combined, placeholder: true }];
}
