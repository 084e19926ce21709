import { insertBlock } from '../../../fixes/hcl';
import { standardTerraformFix } from '../../../fixes/standard';
import { primaryOf } from '../../../fixes/tfrules-companion';
import { appendToTuple } from '../../../fixes/tfrules-tuple';
import type { Fix, TerraformFixContext, TextEdit } from '../../../fixes/types';
import type { HclBlock, HclFile } from '../../../model/hcl';

/**
 * Adds the bucket's ARN prefix to the only trail in scope: into the values of
 * an S3-object data_resource that already logs reads and writes, else as a
 * new event_selector. A trail using advanced_event_selector gets none
 * (the two kinds of selector cannot be combined).
 */
export function fixDataEvents(ctx: TerraformFixContext<unknown>): Fix[] {
  if (ctx.data.fix !== 'insert') return standardTerraformFix(ctx);
  const trail = primaryOf(ctx);
  if (!trail || typeof ctx.data.value !== 'string') return [];
  // The value is an interpolation of the bucket's ARN: written as is, not escaped.
  const item = `"${ctx.data.value}"`;
  const title = `Log S3 data events of ${item} in ${trail.labels[0]?.value}.${trail.labels[1]?.value}`;
  const edits = intoSelector(ctx.file, trail, item) ?? newSelector(ctx.file, trail, item);
  return edits ? [{ title, edits }] : [];
}

function intoSelector(file: HclFile, trail: HclBlock, item: string): TextEdit[] | undefined {
  for (const sel of trail.body.blocks.filter((b) => b.type === 'event_selector')) {
    const rw = sel.body.attributes.find((a) => a.name === 'read_write_type');
    if (rw && rw.expr.source !== '"All"') continue;
    for (const dr of sel.body.blocks.filter((b) => b.type === 'data_resource')) {
      const type = dr.body.attributes.find((a) => a.name === 'type');
      const values = dr.body.attributes.find((a) => a.name === 'values');
      if (type?.expr.source === '"AWS::S3::Object"' && values?.expr.type === 'tuple') return appendToTuple(file.uri, file.text, values.expr, [item]);
    }
  }
  return undefined;
}

function newSelector(file: HclFile, trail: HclBlock, item: string): TextEdit[] | undefined {
  if (trail.body.blocks.some((b) => b.type === 'advanced_event_selector')) return undefined;
  const body = ['read_write_type           = "All"', 'include_management_events = true', 'data_resource {', '  type   = "AWS::S3::Object"', `  values = [${item}]`, '}'];
  return [insertBlock(file, trail, 'event_selector', body)];
}
