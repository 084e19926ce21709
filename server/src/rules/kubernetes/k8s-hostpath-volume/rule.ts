import { defineRule, stringListParam } from '../../../engine/rule';
import { describeContainer, describeObject, exemptNamespacesParam, isUnknownNode, setting, templatedOrigin, workloads, type Workload } from '../../../kubernetes/workloads';
import { get, items, keyOf, str, valueOf, type YamlFile, type YamlMap } from '../../../model/yaml';
import type { BaseContext } from '../../../engine/rule';

interface Params {
  allowed_host_paths: string[];
  exempt_namespaces: string[];
}

/** Volume types the restricted Pod Security Standard allows. */
const RESTRICTED_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Host paths that give control of the node (catalog: critical); `/run` is where `/var/run` points. */
const CRITICAL_TREES = ['/etc', '/proc', '/sys', '/var/run', '/run'];
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|dockershim)\.sock$/;

export default defineRule<Params>({
  id: 'k8s-hostpath-volume',
  title: 'Pods do not mount host paths',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.12'], nist: ['AC-6', 'CM-7'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_host_paths: stringListParam(
        [],
        'Host path prefixes (whole path segments: /data allows /data/models, not /database) that may be mounted when every mount of the volume is readOnly: true.',
      ),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  check(ctx) {
    const { file, documents, params, unknown } = ctx;
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const volumes = setting(file, w.podSpec, ['volumes']);
      if (volumes.state === 'unknown') {
        unknown(volumes.at, templatedOrigin(`spec.volumes of ${describeObject(w.object)}`));
        continue;
      }
      if (volumes.state !== 'known') continue;
      for (const volume of items(volumes.value)) {
        if (isUnknownNode(file, volume)) unknown(volume, templatedOrigin(`a volume of ${describeObject(w.object)}`));
        else if (volume.kind === 'map') checkVolume(ctx, file, w, volume, params.allowed_host_paths);
      }
    }
  },
});

function checkVolume({ report, unknown }: BaseContext<Params>, file: YamlFile, w: Workload, volume: YamlMap, allowed: readonly string[]): void {
  const name = str(volume.pairs.find((p) => p.key === 'name')?.value);
  const label = name !== undefined ? `volume "${name}" of ${describeObject(w.object)}` : `a volume of ${describeObject(w.object)}`;
  for (const p of volume.pairs) {
    if (p.key === 'name' || p.key === 'hostPath' || RESTRICTED_TYPES.has(p.key)) continue;
    report({
      at: keyOf(p),
      severity: 'medium',
      message: `${label.replace(/^./, (c) => c.toUpperCase())} is of type ${p.key}, which the restricted Pod Security Standard does not allow: the node or an external server decides what is mounted. Use a persistentVolumeClaim, an ephemeral volume or a CSI driver instead.`,
      data: { fix: 'none', reason: 'replacement storage is a design decision' },
    });
  }
  const hostPath = setting(file, volume, ['hostPath', 'path']);
  if (hostPath.state === 'unknown') return unknown(hostPath.at, templatedOrigin(`hostPath.path of ${label}`));
  if (hostPath.state !== 'known') return;
  const path = str(hostPath.value) ?? '';
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const under = (prefix: string) => {
    const p = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
    return normalized === p || normalized.startsWith(p === '/' ? '/' : `${p}/`);
  };
  const critical = normalized === '/' || CRITICAL_TREES.some(under) || RUNTIME_SOCKET.test(normalized);
  const writable: string[] = [];
  if (allowed.some(under)) {
    // Allowed only read-only: every mount of this volume, in every container.
    let unknownMount = false;
    for (const c of w.containers) {
      const mounts = setting(file, c.node, ['volumeMounts']);
      if (mounts.state === 'unknown') {
        unknown(mounts.at, templatedOrigin(`volumeMounts of ${describeContainer(c)}`));
        unknownMount = true;
        continue;
      }
      for (const m of items(get(c.node, 'volumeMounts'))) {
        if (str(get(m, 'name')) !== name) continue;
        const ro = setting(file, m, ['readOnly']);
        if (ro.state === 'unknown') {
          unknown(ro.at, templatedOrigin(`volumeMounts readOnly of ${describeContainer(c)}`));
          unknownMount = true;
        } else if (!(ro.state === 'known' && ro.value.kind === 'scalar' && ro.value.value === true)) writable.push(describeContainer(c));
      }
    }
    if (unknownMount || writable.length === 0) return;
  }
  const risk = critical ? 'gives control of the node (its configuration, kernel interfaces or container runtime)' : "exposes the node's filesystem";
  report({
    at: valueOf(hostPath.pair),
    ...(critical ? { severity: 'critical' as const } : {}),
    message: writable.length
      ? `hostPath ${path} of ${label} is allowed only read-only, but ${writable.join(', ')} mount${writable.length > 1 ? '' : 's'} it writable. Set readOnly: true on every mount of it.`
      : `hostPath ${path} of ${label} ${risk}: a pod that mounts it can read other workloads' data and tamper with the node. Use a persistentVolumeClaim or an ephemeral volume instead (model caches included).`,
    data: { fix: 'none', reason: 'replacement storage is a design decision' },
  });
}
