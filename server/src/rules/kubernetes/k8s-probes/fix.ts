import { mergeEdit } from '../../../fixes/k8sfix-yaml';
import { documentAt, nodeAt, type NodePath } from '../../../fixes/standard';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';
import { asMap, get, items } from '../../../model/yaml';

/**
 * (ph) The health endpoint cannot be known, so the probes get an httpGet
 * with a REPLACE_ME path; the port is the container's first containerPort
 * when it declares one. A startup probe gets the generous thresholds its
 * message suggests (10 minutes for model weights to load).
 */
export function probesFix(ctx: YamlFixContext<unknown>): Fix[] {
  const keys = Array.isArray(ctx.data.keys) ? (ctx.data.keys as string[]) : [];
  const path = ctx.data.path as NodePath;
  const container = asMap(nodeAt(documentAt(ctx.file.documents, ctx.finding.range)?.root, path).node);
  if (keys.length === 0 || !container) return [];
  const firstPort = get(items(get(container, 'ports'))[0], 'containerPort');
  const port = firstPort?.kind === 'scalar' && typeof firstPort.value === 'number' ? firstPort.value : PLACEHOLDER;
  const probe = (key: string) => ({ httpGet: { path: PLACEHOLDER, port }, ...(key === 'startupProbe' ? { failureThreshold: 60, periodSeconds: 10 } : {}) });
  const edit = mergeEdit(ctx, path, Object.fromEntries(keys.map((k) => [k, probe(k)])));
  if (!edit) return [];
  return [{ title: `Add ${keys.join(' and ')} (httpGet on port ${port}, path ${PLACEHOLDER} to fill in)`, edits: [edit], placeholder: true }];
}
