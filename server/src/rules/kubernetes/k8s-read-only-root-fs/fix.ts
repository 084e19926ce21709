import { appendItems, mergeEdit } from '../../../fixes/k8sfix-yaml';
import { documentAt, nodeAt, standardYamlFix, type NodePath } from '../../../fixes/standard';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { asMap, asSeq, get, items, str, type YamlMap } from '../../../model/yaml';

/**
 * Besides the plain fix, a companion that also mounts an emptyDir volume at
 * each writable path the container lacks: model servers that write caches to
 * /tmp would otherwise crash once the root filesystem is read-only.
 */
export function readOnlyRootFsFix(ctx: YamlFixContext<unknown>): Fix[] {
  const plain = standardYamlFix(ctx);
  const paths = Array.isArray(ctx.data.writablePaths) ? (ctx.data.writablePaths as string[]) : [];
  if (plain.length === 0 || paths.length === 0) return plain;
  const containerPath = (ctx.data.path as NodePath).slice(0, -2);
  const podSpecPath = containerPath.slice(0, -2);
  const root = documentAt(ctx.file.documents, ctx.finding.range)?.root;
  const container = asMap(nodeAt(root, containerPath).node);
  const podSpec = asMap(nodeAt(root, podSpecPath).node);
  if (!container || !podSpec) return plain;
  const volumes = volumesFor(podSpec, paths);
  const mounts = volumes.map((v) => ({ name: v.name, mountPath: v.path }));
  const mountList = asSeq(get(container, 'volumeMounts'));
  const mountEdit = mountList ? appendItems(ctx.file, mountList, mounts) : mergeEdit(ctx, containerPath, { volumeMounts: mounts });
  const fresh = volumes.filter((v) => !v.exists).map((v) => ({ name: v.name, emptyDir: {} }));
  const volumeList = asSeq(get(podSpec, 'volumes'));
  const volumeEdit = fresh.length === 0 ? undefined : volumeList ? appendItems(ctx.file, volumeList, fresh) : mergeEdit(ctx, podSpecPath, { volumes: fresh });
  if (!mountEdit || (fresh.length > 0 && !volumeEdit)) return plain;
  // Insertions at one position apply in order: the list item before the container's new keys, the pod's volumes last.
  const edits: TextEdit[] = [mountEdit, ...plain[0]!.edits, ...(volumeEdit ? [volumeEdit] : [])];
  const companion: Fix = { title: `Set readOnlyRootFilesystem: true and mount an emptyDir at ${paths.join(', ')}`, edits };
  return [...plain, companion];
}

/** A volume per path: an existing emptyDir of the same name is reused, a clash with another volume gets a suffix. */
function volumesFor(podSpec: YamlMap, paths: readonly string[]): { name: string; path: string; exists: boolean }[] {
  const existing = new Map(items(get(podSpec, 'volumes')).map((v) => [str(get(v, 'name')), get(v, 'emptyDir') !== undefined] as const));
  const taken = new Set<string>();
  return paths.map((path) => {
    const base = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'writable';
    if (existing.get(base) === true && !taken.has(base)) {
      taken.add(base);
      return { name: base, path, exists: true };
    }
    let name = base;
    for (let i = 2; existing.has(name) || taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    return { name, path, exists: false };
  });
}
