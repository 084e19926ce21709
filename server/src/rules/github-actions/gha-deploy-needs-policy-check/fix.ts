import {
  appendLinesAfter,
  appendNeed,
  childIndent,
  findingWorkflow,
  fixAtPath,
  insertLinesBefore,
  jobById,
  pinnedRef,
  templateLines,
} from '../../../fixes/cifix-pipelines';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';
import { yamlFlow } from '../../../fixes/yaml';
import { asMap, get, pair } from '../../../model/yaml';

type Ctx = YamlFixContext<unknown>;

const GATE_JOB = 'policy-check';

/**
 * With exactly one gate job the deploy job gets `needs: [<gate>]`; a bypassing
 * `if:` becomes `success()`. Otherwise a gate job is missing (or which of
 * several guards the deploy is intent): the QF-10 template job is added, with
 * REPLACE_ME for the policy command, and the deploy job waits for it.
 */
export function requireGate(ctx: Ctx): Fix[] {
  const { data } = ctx;
  const job = jobById(ctx, data.job);
  if (!job?.map) return [];
  if (data.fix === 'set' && data.key === 'if') return fixAtPath(ctx, ['jobs', job.id, 'if']).map((f) => ({ ...f, title: `Set if: ${String(data.value)} on job "${job.id}"` }));
  const gate = data.fix === 'none' ? GATE_JOB : data.value;
  if (typeof gate !== 'string') return [];
  const needs = needsEdit(ctx, job.map, gate);
  if (!needs) return [];
  if (data.fix !== 'none') return [{ title: `Add ${gate} to the needs of job "${job.id}"`, edits: [needs] }];
  const template = gateTemplate(ctx);
  return template ? [{ title: `Add a ${GATE_JOB} job (QF-10, fill in ${PLACEHOLDER}) and make job "${job.id}" need it`, edits: [needs, template], placeholder: true }] : [];
}

function needsEdit(ctx: Ctx, job: NonNullable<ReturnType<typeof asMap>>, gate: string): TextEdit | undefined {
  const needs = pair(job, 'needs');
  if (needs) return appendNeed(ctx, needs, gate);
  const first = job.pairs[0];
  return first ? insertLinesBefore(ctx, first, [`needs: ${yamlFlow([gate])}`]) : undefined;
}

/** The QF-10 gate job after the last job, at the file's indentation; undefined when the name is taken. */
function gateTemplate(ctx: Ctx): TextEdit | undefined {
  const wf = findingWorkflow(ctx);
  const jobs = asMap(get(wf?.root, 'jobs'));
  const last = jobs?.pairs[jobs.pairs.length - 1];
  if (!wf || !jobs || !last || pair(jobs, GATE_JOB)) return undefined;
  const checkout = pinnedRef(ctx, wf, 'actions/checkout');
  const lines = [
    `${GATE_JOB}:`,
    '  runs-on: ubuntu-latest',
    '  permissions:',
    '    contents: read',
    '  steps:',
    `    - uses: actions/checkout@${checkout.ref}`,
    '      with:',
    '        persist-credentials: false',
    `    - run: ${PLACEHOLDER} # policy command, must exit non-zero on violations`,
  ];
  return appendLinesAfter(ctx, last, templateLines(lines, ' '.repeat(last.keyRange.start.character), childIndent(jobs)));
}
