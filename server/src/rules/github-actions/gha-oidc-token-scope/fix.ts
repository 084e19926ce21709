import { findingWorkflow, insertAfterPair, jobById } from '../../../fixes/cifix-pipelines';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { deletePair, insertPairs, replaceNode, setPairValue } from '../../../fixes/yaml';
import { pair, type YamlMap, type YamlPair } from '../../../model/yaml';
import { permissionsOf, type Job } from '../../../pipelines/githubActions';

type Ctx = YamlFixContext<unknown>;

/**
 * `move`: the workflow-level grant is removed and every consuming job gets
 * `id-token: write`. A job without its own `permissions` inherited the
 * workflow's scopes, so it gets those too, and what it may do is otherwise
 * unchanged. `delete`: a job's unused grant is removed.
 */
export function scopeIdToken(ctx: Ctx): Fix[] {
  const { data } = ctx;
  const wf = findingWorkflow(ctx);
  if (!wf) return [];
  if (data.fix === 'delete') {
    const perms = permissionsOf(jobById(ctx, data.job)?.map);
    if (perms?.kind !== 'scopes') return [];
    return [{ title: `Remove id-token: write from job "${String(data.job)}"`, edits: [removeIdToken(ctx, perms.pair)] }];
  }
  if (data.fix !== 'move' || !Array.isArray(data.toJobs)) return [];
  const top = permissionsOf(wf.root);
  if (top?.kind !== 'scopes') return [];
  const inherited = Object.fromEntries(top.scopes.filter((s) => s.scope !== 'id-token').map((s) => [s.scope, s.level]));
  const jobs = data.toJobs.map((id) => wf.jobs.find((j) => j.id === id));
  if (jobs.some((j) => !j?.map)) return [];
  const grants = jobs.map((j) => grantIn(ctx, j!, inherited));
  if (grants.some((g) => g === null)) return [];
  const edits = [removeIdToken(ctx, top.pair), ...(grants.filter(Boolean) as TextEdit[])];
  const where = data.toJobs.length ? `to job${data.toJobs.length > 1 ? 's' : ''} ${data.toJobs.map((id) => `"${String(id)}"`).join(', ')}` : 'out of the workflow (no job consumes it)';
  return [{ title: `Move id-token: write ${where}`, edits }];
}

function removeIdToken(ctx: Ctx, permissions: YamlPair): TextEdit {
  const map = permissions.value as YamlMap;
  const grant = pair(map, 'id-token')!;
  if (map.pairs.length === 1) return setPairValue(ctx.file, permissions, {});
  return deletePair(ctx.file, map, grant);
}

/** The edit granting `id-token: write` in a job; undefined when it already has it, null when its permissions cannot take it. */
function grantIn(ctx: Ctx, job: Job, inherited: Record<string, string>): TextEdit | undefined | null {
  const perms = permissionsOf(job.map);
  const scopes = { ...inherited, 'id-token': 'write' };
  if (!perms) {
    const runsOn = pair(job.map, 'runs-on') ?? pair(job.map, 'uses');
    return runsOn ? insertAfterPair(ctx, runsOn, { permissions: scopes }) : insertPairs(ctx.file, job.map!, { permissions: scopes });
  }
  if (perms.kind === 'all') return perms.level === 'write-all' ? undefined : null;
  if (perms.kind !== 'scopes') return null;
  const current = perms.scopes.find((s) => s.scope === 'id-token');
  if (current?.level === 'write') return undefined;
  if (current) return replaceNode(current.pair.value!, 'write');
  const map = perms.pair.value as YamlMap;
  return map.pairs.length ? insertPairs(ctx.file, map, { 'id-token': 'write' }) : setPairValue(ctx.file, perms.pair, { 'id-token': 'write' });
}
