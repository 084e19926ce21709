import { appendLinesAfter, appendNeed, fixAtPath, insertLinesBefore, topPairAt } from '../../../fixes/cifix-pipelines';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';
import { yamlFlow } from '../../../fixes/yaml';
import { asMap, pair } from '../../../model/yaml';
import { GitlabPipeline, stageOf, stageOrder } from '../../../pipelines/gitlabCi';

type Ctx = YamlFixContext<unknown>;

const GATE_JOB = 'policy-check';

/**
 * The deploy job waits for the one gate job (`needs`), drops a bypassing
 * `when: always`, or, with no single gate to wait for, the QF-12 gate job is
 * added with REPLACE_ME stage, image and command.
 */
export function requireGate(ctx: Ctx): Fix[] {
  const { data } = ctx;
  const job = topPairAt(ctx);
  const map = asMap(job?.value);
  if (!job || !map) return [];
  if (data.fix === 'delete' && data.key === 'when') return fixAtPath(ctx, [job.key, 'when']).map((f) => ({ ...f, title: `Remove when: always from job "${job.key}"` }));
  if ((data.fix === 'insert' || data.fix === 'append') && typeof data.value === 'string') {
    if (!gateRunsFirst(ctx, job.key, data.value)) return [];
    const needs = pair(map, 'needs');
    const first = map.pairs[0];
    const edit = needs ? appendNeed(ctx, needs, data.value) : first ? insertLinesBefore(ctx, first, [`needs: ${yamlFlow([data.value])}`]) : undefined;
    return edit ? [{ title: `Add ${data.value} to the needs of job "${job.key}"`, edits: [edit] }] : [];
  }
  if (data.fix === 'add-job') {
    const edit = gateTemplate(ctx);
    return edit ? [{ title: `Add a ${GATE_JOB} job (QF-12, fill in ${PLACEHOLDER})`, edits: [edit], placeholder: true }] : [];
  }
  return [];
}

/** GitLab rejects `needs` on a job of a later stage, so the gate must not come after the deploy. */
function gateRunsFirst(ctx: Ctx, jobName: string, gateName: string): boolean {
  const pipeline = GitlabPipeline.all(ctx.file, ctx.documents).find((p) => p.job(jobName));
  const job = pipeline?.job(jobName);
  const gate = pipeline?.job(gateName);
  const order = pipeline ? stageOrder(pipeline) : undefined;
  if (!job || !gate || !Array.isArray(order)) return false;
  const [a, b] = [stageOf(job), stageOf(gate)];
  return typeof a === 'string' && typeof b === 'string' && order.indexOf(b) >= 0 && order.indexOf(b) <= order.indexOf(a);
}

/** QF-12 after the last top-level entry; undefined when a `policy-check` entry exists already. */
function gateTemplate(ctx: Ctx): TextEdit | undefined {
  const doc = ctx.documents.find((d) => d.root && topPairAt(ctx) && asMap(d.root)?.pairs.includes(topPairAt(ctx)!));
  const root = asMap(doc?.root);
  const last = root?.pairs[root.pairs.length - 1];
  if (!root || !last || pair(root, GATE_JOB)) return undefined;
  return appendLinesAfter(ctx, last, [
    '',
    `${GATE_JOB}:`,
    `  stage: ${PLACEHOLDER} # earliest stage`,
    // As a comment: gitlab-image-digest would reject an unpinned REPLACE_ME image, and the fix with it.
    `  # image: ${PLACEHOLDER} (policy image pinned by @sha256)`,
    '  script:',
    `    - ${PLACEHOLDER} # policy command, must exit non-zero on violations`,
    '  allow_failure: false',
  ]);
}
