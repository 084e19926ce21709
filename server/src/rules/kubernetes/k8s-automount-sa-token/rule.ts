import { standardYamlFix } from '../../../fixes/standard';
import type { RelatedInfo } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import {
  describeObject,
  exemptNamespacesParam,
  kubernetesObjects,
  setting,
  templatedOrigin,
  workloadLabels,
  workloads,
  type KubernetesObject,
} from '../../../kubernetes/workloads';
import { keyOf, pair, str, valueOf } from '../../../model/yaml';

interface Params {
  api_access_label: string;
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-automount-sa-token',
  title: 'Pods do not mount a service account token they do not need',
  severity: 'medium',
  domain: 'kubernetes',
  mappings: { cis: ['Kubernetes 5.1.6'], nist: ['AC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      api_access_label: {
        type: 'string',
        default: 'plumbline.dev/needs-k8s-api',
        description: 'Label (value "true", on the object or its pod template) marking workloads that do call the Kubernetes API and may mount the token.',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report, unknown }) {
    const accounts = kubernetesObjects({ file, documents }).filter((o) => o.kind === 'ServiceAccount' && o.apiVersion === 'v1');
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      if (workloadLabels(w).get(params.api_access_label) === 'true') continue;
      const fixPath = [...w.podSpecPath, 'automountServiceAccountToken'];
      const own = setting(file, w.podSpec, ['automountServiceAccountToken']);
      if (own.state === 'unknown') {
        unknown(own.at, templatedOrigin(`spec.automountServiceAccountToken of ${describeObject(w.object)}`));
        continue;
      }
      const advice = `Set automountServiceAccountToken: false in the pod spec, or label the workload ${params.api_access_label}: "true" if it calls the Kubernetes API.`;
      if (own.state === 'known') {
        if (own.value.kind === 'scalar' && own.value.value === false) continue;
        report({
          at: keyOf(w.podSpecPair),
          message: `The pod spec of ${describeObject(w.object)} sets automountServiceAccountToken: ${own.value.kind === 'scalar' ? own.value.source : '…'}, so every container gets a Kubernetes API token that anyone who compromises it can use. ${advice}`,
          related: [{ at: valueOf(own.pair), message: 'automountServiceAccountToken is set here' }],
          data: { fix: 'set', path: fixPath, value: false },
        });
        continue;
      }
      const nameSetting = setting(file, w.podSpec, ['serviceAccountName']);
      const name = nameSetting.state === 'absent' ? setting(file, w.podSpec, ['serviceAccount']) : nameSetting;
      if (name.state === 'unknown') {
        // Any ServiceAccount of this file that disables automount could be the one chosen.
        if (accounts.some((a) => automountOf(a) === false)) {
          unknown(name.at, templatedOrigin(`the service account of ${describeObject(w.object)}`));
          continue;
        }
      }
      const saName = name.state === 'known' ? (str(name.value) ?? 'default') : 'default';
      const sa = name.state === 'unknown' ? undefined : accounts.find((a) => a.name === saName && sameNamespace(a, w.object));
      const related: RelatedInfo[] = [];
      if (sa) {
        const saSetting = setting(file, sa.root, ['automountServiceAccountToken']);
        if (saSetting.state === 'unknown') {
          unknown(saSetting.at, templatedOrigin(`automountServiceAccountToken of ServiceAccount "${saName}"`));
          continue;
        }
        if (saSetting.state === 'known' && saSetting.value.kind === 'scalar' && saSetting.value.value === false) continue;
        const anchor = saSetting.state === 'known' ? saSetting.pair : pair(sa.root, 'kind');
        if (anchor) related.push({ at: saSetting.state === 'known' ? valueOf(anchor) : keyOf(anchor), message: `ServiceAccount "${saName}" ${saSetting.state === 'known' ? 'enables automount here' : 'does not disable automount'}` });
      }
      const via = sa
        ? `its ServiceAccount "${saName}" does not disable it`
        : `${name.state === 'unknown' ? 'its service account is decided at deploy time and' : `ServiceAccount "${saName}" is not declared in this file, and`} Kubernetes mounts the token by default`;
      report({
        at: keyOf(w.podSpecPair),
        message: `The pod spec of ${describeObject(w.object)} does not set automountServiceAccountToken and ${via}, so every container gets a Kubernetes API token that anyone who compromises it can use. ${advice}`,
        ...(related.length ? { related } : {}),
        data: { fix: 'insert', path: fixPath, value: false },
      });
    }
  },
});

function automountOf(sa: KubernetesObject): boolean | undefined {
  const v = pair(sa.root, 'automountServiceAccountToken')?.value;
  return v?.kind === 'scalar' && typeof v.value === 'boolean' ? v.value : undefined;
}

/** Namespaces decided at deploy time (absent) are taken to be the same one. */
function sameNamespace(a: KubernetesObject, b: KubernetesObject): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}
