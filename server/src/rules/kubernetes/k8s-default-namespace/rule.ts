import { standardYamlFix } from '../../../fixes/standard';
import { defineRule } from '../../../engine/rule';
import { describeObject, kubernetesObjects, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { keyOf, pair, str, valueOf } from '../../../model/yaml';

interface Params {
  treat_missing_as_default: boolean;
  default_namespace?: string;
}

/** Built-in kinds that are not namespaced; anything else (custom resources included) is taken to be. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'PodSecurityPolicy', 'CertificateSigningRequest', 'ComponentStatus',
  'FlowSchema', 'PriorityLevelConfiguration', 'DeviceClass', 'ResourceSlice', 'ClusterIssuer', 'ClusterPolicy',
]);

export default defineRule<Params>({
  id: 'k8s-default-namespace',
  title: 'Objects are not deployed to the default namespace',
  severity: 'low',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.7.4', 'Kubernetes 5.7.1'], nist: ['AC-4'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      treat_missing_as_default: {
        type: 'boolean',
        default: false,
        description: 'Report namespaced objects with no metadata.namespace too (by default the namespace is decided at deploy time: kubectl -n, Helm release, Kustomize overlay).',
      },
      default_namespace: { type: 'string', description: 'Namespace the quick fix sets (no default: without it there is no fix).' },
    },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report, unknown }) {
    for (const o of kubernetesObjects({ file, documents })) {
      if (CLUSTER_SCOPED.has(o.kind)) continue;
      const ns = setting(file, o.root, ['metadata', 'namespace']);
      if (ns.state === 'unknown') {
        unknown(ns.at, templatedOrigin(`metadata.namespace of ${describeObject(o)}`));
        continue;
      }
      const fix = params.default_namespace
        ? { fix: ns.state === 'known' ? 'set' : 'insert', path: [...o.path, 'metadata', 'namespace'], value: params.default_namespace }
        : { fix: 'none', reason: 'configure default_namespace for a quick fix' };
      const target = params.default_namespace ? `metadata.namespace: ${params.default_namespace}` : 'a dedicated namespace in metadata.namespace';
      if (ns.state === 'known') {
        if (str(ns.value) !== 'default') continue;
        report({
          at: valueOf(ns.pair),
          message: `${describeObject(o)} is in the default namespace, which has no dedicated RBAC, quotas, network policies or Pod Security labels, and mixes unrelated workloads. Set ${target}.`,
          data: fix,
        });
        continue;
      }
      const anchor = pair(o.root, 'metadata') ?? pair(o.root, 'kind');
      if (!anchor) continue;
      if (!params.treat_missing_as_default) {
        unknown(keyOf(anchor), `the namespace of ${describeObject(o)} is not written: it is decided at deploy time (kubectl -n, Helm release, Kustomize overlay)`);
        continue;
      }
      report({
        at: keyOf(anchor),
        message: `${describeObject(o)} sets no metadata.namespace, so it lands in the default namespace unless the deploy command picks one. Set ${target}.`,
        data: fix,
      });
    }
  },
});
