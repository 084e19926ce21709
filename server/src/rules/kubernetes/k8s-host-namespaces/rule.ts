import { standardYamlFix } from '../../../fixes/standard';
import { defineRule } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, exemptSelectorsParam, matchesSelector, setting, templatedOrigin, workloadLabels, workloads } from '../../../kubernetes/workloads';
import { valueOf } from '../../../model/yaml';
import type { Severity } from '../../../engine/severity';

interface Params {
  exempt_selectors: string[];
  exempt_namespaces: string[];
}

const FIELDS: readonly { key: 'hostPID' | 'hostIPC' | 'hostNetwork'; severity: Severity; risk: string }[] = [
  { key: 'hostPID', severity: 'critical', risk: "sees and can signal or ptrace every process on the node, and read their environment (credentials of other pods)" },
  { key: 'hostIPC', severity: 'critical', risk: "shares the node's System V IPC and /dev/shm with every host process, so it can read or corrupt their shared memory" },
  { key: 'hostNetwork', severity: 'high', risk: "uses the node's network stack: it can reach node-local services, bypass NetworkPolicies and sniff host traffic" },
];

export default defineRule<Params>({
  id: 'k8s-host-namespaces',
  title: 'Pods do not share the host PID, IPC or network namespace',
  severity: 'critical',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.3', 'Kubernetes 5.2.4', 'Kubernetes 5.2.5'], nist: ['SC-39', 'AC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { exempt_selectors: exemptSelectorsParam, exempt_namespaces: exemptNamespacesParam },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report, unknown }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const labels = workloadLabels(w);
      if (params.exempt_selectors.some((s) => matchesSelector(labels, s))) continue;
      for (const { key, severity, risk } of FIELDS) {
        const s = setting(file, w.podSpec, [key]);
        if (s.state === 'unknown') {
          unknown(s.at, templatedOrigin(`spec.${key} of ${describeObject(w.object)}`));
          continue;
        }
        if (s.state !== 'known' || s.value.kind !== 'scalar' || s.value.value !== true) continue;
        const shm = key === 'hostIPC' ? ' For a larger /dev/shm (NCCL), mount an emptyDir with medium: Memory instead.' : '';
        report({
          at: valueOf(s.pair),
          severity,
          message: `${key}: true: every container of ${describeObject(w.object)} ${risk}. Set ${key}: false (or remove it).${shm}`,
          data: { fix: 'set', path: [...w.podSpecPath, key], value: false },
        });
      }
    }
  },
});
