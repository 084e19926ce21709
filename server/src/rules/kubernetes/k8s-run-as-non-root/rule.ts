import { standardYamlFix } from '../../../fixes/standard';
import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import {
  containerLocation,
  describeContainer,
  describeObject,
  effectiveSecurityContext,
  exemptNamespacesParam,
  podOs,
  setting,
  workloads,
  type Container,
  type EffectiveSetting,
  type Workload,
} from '../../../kubernetes/workloads';
import { keyOf, str, valueOf, type YamlPair } from '../../../model/yaml';

interface Params {
  min_uid?: number;
  exempt_namespaces: string[];
}

const NO_FIX = { fix: 'none', reason: 'which non-root UID/GID the image supports is unknowable from the manifest' };

export default defineRule<Params>({
  id: 'k8s-run-as-non-root',
  title: 'Containers run as a non-root user',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.7'], nist: ['AC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      min_uid: {
        type: 'integer',
        minimum: 0,
        description: 'When set, an effective securityContext.runAsUser below this UID fails too (no default: any non-zero UID passes).',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const os = podOs(w);
      // Linux UIDs/GIDs do not apply to Windows pods (catalog §6); a templated OS may be Windows.
      if (os.state === 'unknown' || (os.state === 'known' && str(os.value) === 'windows')) continue;
      // A pod-level value is shared by every container that does not override it: report it once.
      const reported = new Set<YamlPair>();
      const once = (p: YamlPair, finding: ReportInput) => {
        if (reported.has(p)) return;
        reported.add(p);
        report(finding);
      };
      checkRunAsNonRoot(w, once, report);
      for (const c of w.containers) {
        const who = (s: EffectiveSetting) => (s.state === 'known' && s.level === 'pod' ? `the containers of ${describeObject(w.object)}` : describeContainer(c));
        const user = effectiveSecurityContext(c, 'runAsUser');
        if (user.state === 'known' && user.value.kind === 'scalar' && typeof user.value.value === 'number') {
          const uid = user.value.value;
          if (uid === 0)
            once(user.pair, {
              at: valueOf(user.pair),
              message: `securityContext.runAsUser: 0 runs ${who(user)} as root. Set a non-zero UID the image supports (e.g. 10001), and runAsNonRoot: true.`,
              data: NO_FIX,
            });
          else if (params.min_uid !== undefined && uid < params.min_uid)
            once(user.pair, {
              at: valueOf(user.pair),
              message: `securityContext.runAsUser: ${uid} of ${who(user)} is below min_uid (${params.min_uid}); low UIDs can match system users of the node. Run as a UID of at least ${params.min_uid}.`,
              data: NO_FIX,
            });
        }
        const group = effectiveSecurityContext(c, 'runAsGroup');
        if (group.state === 'known' && group.value.kind === 'scalar' && group.value.value === 0)
          once(group.pair, {
            at: valueOf(group.pair),
            severity: 'low',
            message: `securityContext.runAsGroup: 0 runs ${who(group)} with the root group, which can read and write files owned by group root. Use a non-zero GID (e.g. 10001).`,
            data: NO_FIX,
          });
      }
    }
  },
});

/**
 * Effective runAsNonRoot must be true for every container. A missing value is
 * reported once on the pod spec when no container sets it, else on each
 * container that relies on the (absent) pod-level value.
 */
function checkRunAsNonRoot(w: Workload, once: (p: YamlPair, f: ReportInput) => void, report: (f: ReportInput) => void): void {
  const file = w.object.file;
  const missing: Container[] = [];
  let someContainerSetsIt = false;
  for (const c of w.containers) {
    if (setting(file, c.node, ['securityContext', 'runAsNonRoot']).state !== 'absent') someContainerSetsIt = true;
    const eff = effectiveSecurityContext(c, 'runAsNonRoot');
    if (eff.state === 'unknown') continue;
    if (eff.state === 'absent') {
      missing.push(c);
      continue;
    }
    if (eff.value.kind === 'scalar' && eff.value.value === true) continue;
    const path = eff.level === 'pod' ? [...w.podSpecPath, 'securityContext', 'runAsNonRoot'] : [...c.path, 'securityContext', 'runAsNonRoot'];
    const who = eff.level === 'pod' ? `the containers of ${describeObject(w.object)}` : describeContainer(c);
    const written = eff.value.kind === 'scalar' ? eff.value.source : 'not a boolean';
    once(eff.pair, {
      at: valueOf(eff.pair),
      message: `securityContext.runAsNonRoot: ${written} lets ${who} run as root. Set it to true: the kubelet then refuses to start a container whose user is root.`,
      data: { fix: 'set', path, value: true },
    });
  }
  if (missing.length === 0) return;
  if (!someContainerSetsIt) {
    report({
      at: keyOf(w.podSpecPair),
      message: `Neither the pod spec of ${describeObject(w.object)} nor any of its containers sets securityContext.runAsNonRoot, so they run as the image's user, root unless the image says otherwise. Set securityContext.runAsNonRoot: true in this pod spec: the kubelet then refuses to start a container whose user is root.`,
      data: { fix: 'insert', path: [...w.podSpecPath, 'securityContext', 'runAsNonRoot'], value: true },
    });
    return;
  }
  for (const c of missing) {
    const name = describeContainer(c);
    report({
      at: containerLocation(c),
      message: `${name.charAt(0).toUpperCase()}${name.slice(1)} does not set securityContext.runAsNonRoot and the pod spec does not either, so it may run as root. Set securityContext.runAsNonRoot: true on the container, or once in the pod spec for all containers.`,
      data: { fix: 'insert', path: [...c.path, 'securityContext', 'runAsNonRoot'], value: true },
    });
  }
}
