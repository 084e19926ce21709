import { appendLinesAfter, fixAtPath, insertLinesBefore, manualBlocking, topPairAt } from '../../../fixes/cifix-pipelines';
import { insertAt } from '../../../fixes/text';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { isFlow, yamlFlow } from '../../../fixes/yaml';
import { asMap, items, pair, str } from '../../../model/yaml';

type Ctx = YamlFixContext<unknown>;

/**
 * `needs: [{job: <plan>, artifacts: true}]` when the file has exactly one
 * plan job and the apply's plan file has no producer (a job applying
 * without a plan file, or planning itself, is not fixed by a `needs`);
 * `allow_failure: false` on a plan job that may fail; `when: manual` +
 * `allow_failure: false` on a production apply.
 */
export function gateApply(ctx: Ctx): Fix[] {
  const { data } = ctx;
  if (data.fix === 'set' && typeof data.job === 'string' && data.key === 'allow_failure')
    return fixAtPath(ctx, [data.job, 'allow_failure']).map((f) => ({ ...f, title: `Set allow_failure: false on plan job "${String(data.job)}"` }));
  const job = topPairAt(ctx);
  const map = asMap(job?.value);
  if (!job || !map) return [];
  if (data.fix === 'insert' && data.values) {
    const edits = manualBlocking(ctx, map);
    return edits?.length ? [{ title: `Add when: manual and allow_failure: false to job "${job.key}"`, edits }] : [];
  }
  const need = Array.isArray(data.value) ? (data.value[0] as { job?: unknown } | undefined) : undefined;
  if (data.fix !== 'insert' || data.problem !== 'no-producer' || typeof need?.job !== 'string') return [];
  const edit = addNeed(ctx, map, need as Record<string, unknown>);
  return edit ? [{ title: `Add needs: ${yamlFlow([need])} to job "${job.key}"`, edits: [edit] }] : [];
}

function addNeed(ctx: Ctx, job: NonNullable<ReturnType<typeof asMap>>, need: Record<string, unknown>): TextEdit | undefined {
  const needs = pair(job, 'needs');
  if (!needs) {
    const first = job.pairs[0];
    return first ? insertLinesBefore(ctx, first, [`needs: ${yamlFlow([need])}`]) : undefined;
  }
  const list = needs.value;
  if (list?.kind !== 'seq') return undefined;
  // Already listed without artifacts is a different problem (artifacts: false): leave it to the author.
  if (items(list).some((i) => str(i) === need.job || str(asMap(i)?.pairs.find((p) => p.key === 'job')?.value) === need.job)) return undefined;
  if (isFlow(ctx.file, list)) {
    const end = list.range.end;
    return insertAt(ctx.file.uri, { line: end.line, character: end.character - 1 }, `${list.items.length ? ', ' : ''}${yamlFlow(need)}`);
  }
  const last = list.items[list.items.length - 1];
  return last ? appendLinesAfter(ctx, last, [`${' '.repeat(Math.max(0, last.range.start.character - 2))}- ${yamlFlow(need)}`]) : undefined;
}
