import { attributeAt, topLevelBlockAt } from '../../../fixes/standard';
import { deleteAndRealign } from '../../../fixes/tfrules-delete';
import type { Fix, TerraformFixContext, TextEdit } from '../../../fixes/types';
import type { HclBlock } from '../../../model/hcl';

/**
 * Deletes the credential argument, and the literal default of the variable
 * it came from when that is declared in the same file. Deleting is not
 * enough: the secret stays in the repository history, so the title says to
 * rotate it.
 */
export function fixStaticCredential(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  if (data.fix !== 'delete' || typeof data.attribute !== 'string') return [];
  const top = topLevelBlockAt(file, finding.range);
  const attr = top && attributeAt(top, finding.range);
  if (!attr || attr.name !== data.attribute) return [];
  const edits: TextEdit[] = [...deleteAndRealign(file, top, attr)];
  const variable = typeof data.variable === 'string' ? variableIn(ctx, data.variable) : undefined;
  const def = variable?.body.attributes.find((a) => a.name === 'default');
  if (def && variable) edits.push(...deleteAndRealign(file, variable, def));
  const what = def ? `${attr.name} and the default of var.${String(data.variable)}` : attr.name;
  return [{ title: `Remove ${what}, then rotate the credential (it stays in the repository history)`, edits }];
}

function variableIn(ctx: TerraformFixContext<unknown>, name: string): HclBlock | undefined {
  return ctx.file.body.blocks.find((b) => b.type === 'variable' && b.labels[0]?.value === name);
}

