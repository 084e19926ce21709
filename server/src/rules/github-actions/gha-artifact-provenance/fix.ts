import { findingWorkflow, insertAfterPair, jobById, lastLineOf, pinnedRef, templateLines } from '../../../fixes/cifix-pipelines';
import { endOfLine, eolOf } from '../../../fixes/text';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';
import { insertPairs, setPairValue } from '../../../fixes/yaml';
import { pair, scalarText, type YamlMap } from '../../../model/yaml';
import { permissionsOf, type Job, type Workflow } from '../../../pipelines/githubActions';

type Ctx = YamlFixContext<unknown>;

/**
 * QF-11: an attest-build-provenance step after the push, bound to the build
 * step's digest when there is one, and the job permissions attestation needs.
 * The subject name is always REPLACE_ME (the registry path is the author's),
 * so this is a placeholder fix.
 */
export function attestProvenance(ctx: Ctx): Fix[] {
  const { data } = ctx;
  const wf = findingWorkflow(ctx);
  const job = jobById(ctx, data.job);
  const step = typeof data.after === 'number' ? job?.steps[data.after] : undefined;
  if (data.fix !== 'add-step' || !wf || !job?.map || !step) return [];
  const attest = pinnedRef(ctx, wf, 'actions/attest-build-provenance');
  const digest = typeof data.subjectDigest === 'string' ? data.subjectDigest : `${PLACEHOLDER} # digest of the pushed artifact`;
  const template = [
    '- name: Attest build provenance',
    `  uses: actions/attest-build-provenance@${attest.ref}`,
    '  with:',
    `    subject-name: ${PLACEHOLDER} # registry/image without tag`,
    `    subject-digest: ${digest}`,
    '    push-to-registry: true',
  ];
  const indent = ' '.repeat(Math.max(0, step.map.range.start.character - 2));
  const eol = eolOf(ctx.file.text);
  const lines = templateLines(template, indent, stepIndentUnit(step.map));
  const addStep: TextEdit = { uri: ctx.file.uri, range: { start: endOfLine(ctx.file.text, lastLineOf(step.map)), end: endOfLine(ctx.file.text, lastLineOf(step.map)) }, newText: lines.map((l) => eol + l).join('') };
  const scopes: Record<string, string> = { ...(data.jobPermissions as Record<string, string>) };
  if (/ghcr\.io/i.test(stepText(step.map))) scopes.packages = 'write';
  const grant = grantScopes(ctx, wf, job, scopes);
  if (grant === null) return [];
  return [{ title: `Add an actions/attest-build-provenance step after step ${step.index + 1} of job "${job.id}" (QF-11, fill in ${PLACEHOLDER})`, edits: [addStep, ...(grant ? [grant] : [])], placeholder: true }];
}

/** Two columns per level in the template become the distance from a step key to the keys under it. */
function stepIndentUnit(step: YamlMap): number {
  const nested = step.pairs.find((p) => p.value?.kind === 'map' && p.value.pairs[0] && p.value.range.start.line > p.keyRange.start.line);
  const child = nested?.value?.kind === 'map' ? nested.value.pairs[0] : undefined;
  return child && nested ? child.keyRange.start.character - nested.keyRange.start.character : 2;
}

function stepText(step: YamlMap): string {
  return step.pairs.map((p) => (p.value?.kind === 'map' ? p.value.pairs.map((q) => scalarText(q.value) ?? '').join(' ') : scalarText(p.value) ?? '')).join(' ');
}

/**
 * Adds the missing scopes to the job. A job without `permissions` inherited
 * the workflow's, so it gets those as well; null when its permissions are
 * not a map of scopes.
 */
function grantScopes(ctx: Ctx, wf: Workflow, job: Job, scopes: Record<string, string>): TextEdit | undefined | null {
  const own = permissionsOf(job.map);
  if (!own) {
    const top = permissionsOf(wf.root);
    if (top && top.kind !== 'scopes') return null;
    const inherited = Object.fromEntries((top?.scopes ?? []).map((s) => [s.scope, s.level]));
    const runsOn = pair(job.map, 'runs-on');
    const all = { ...inherited, ...scopes };
    return runsOn ? insertAfterPair(ctx, runsOn, { permissions: all }) : insertPairs(ctx.file, job.map!, { permissions: all });
  }
  if (own.kind !== 'scopes' || own.pair.value?.kind !== 'map') return null;
  const have = new Map(own.scopes.map((s) => [s.scope, s.level]));
  if ([...Object.keys(scopes)].some((k) => have.has(k) && have.get(k) !== 'write')) return null;
  const missing = Object.fromEntries(Object.entries(scopes).filter(([k]) => !have.has(k)));
  if (Object.keys(missing).length === 0) return undefined;
  return own.pair.value.pairs.length ? insertPairs(ctx.file, own.pair.value, missing) : setPairValue(ctx.file, own.pair, missing);
}
