import { hclValue, insertAttributes } from '../../../fixes/hcl';
import { attributeAt, standardTerraformFix, topLevelBlockAt } from '../../../fixes/standard';
import { blockWithHeader } from '../../../fixes/tfrules-blocks';
import { deleteAndRealign } from '../../../fixes/tfrules-delete';
import { PLACEHOLDER, type Fix, type TerraformFixContext } from '../../../fixes/types';

/**
 * A missing argument goes into the backend block whose header the finding is
 * on (the standard insert would put it in the enclosing terraform block); a
 * literal secret is deleted, with the advice to rotate it.
 */
export function fixBackend(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  const top = topLevelBlockAt(file, finding.range);
  if (!top || typeof data.attribute !== 'string') return [];
  if (data.fix === 'set') return standardTerraformFix(ctx);
  if (data.fix === 'delete') {
    const attr = attributeAt(top, finding.range);
    if (!attr || attr.name !== data.attribute) return [];
    return [{ title: `Remove ${attr.name}, then rotate the credential (it stays in the repository history)`, edits: deleteAndRealign(file, top, attr) }];
  }
  if (data.fix !== 'insert' || !('value' in data)) return [];
  const backend = blockWithHeader(top, finding.range);
  if (!backend || backend.type !== 'backend') return [];
  const value = hclValue(data.value);
  const placeholder = data.placeholder || value.includes(PLACEHOLDER) ? { placeholder: true } : {};
  return [{ title: `Add ${data.attribute} = ${value}`, edits: insertAttributes(file, backend, [[data.attribute, value]]), ...placeholder }];
}
