import { fixAtPath, insertAfterPair, jobById } from '../../../fixes/cifix-pipelines';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { pair } from '../../../model/yaml';

/**
 * Points the job at the first protected environment: the map form keeps its
 * `url` and gets `name`; a missing `environment:` goes in after `runs-on`.
 */
export function useProtectedEnvironment(ctx: YamlFixContext<unknown>): Fix[] {
  const { data } = ctx;
  const job = jobById(ctx, data.job);
  if (typeof data.value !== 'string' || !job?.map) return [];
  const title = `Set environment: ${data.value}`;
  const env = pair(job.map, 'environment');
  if (env?.value?.kind === 'map') return fixAtPath(ctx, ['jobs', job.id, 'environment', 'name'], { fix: 'insert' }).map((f) => ({ ...f, title: `Set environment name: ${data.value}` }));
  if (env) return fixAtPath(ctx, ['jobs', job.id, 'environment'], { fix: 'set' }).map((f) => ({ ...f, title }));
  const runsOn = pair(job.map, 'runs-on');
  if (runsOn && job.map.range.start.line !== job.map.range.end.line) return [{ title: `Add environment: ${data.value}`, edits: [insertAfterPair(ctx, runsOn, { environment: data.value })] }];
  return fixAtPath(ctx, ['jobs', job.id, 'environment'], { fix: 'insert' }).map((f) => ({ ...f, title: `Add environment: ${data.value}` }));
}
