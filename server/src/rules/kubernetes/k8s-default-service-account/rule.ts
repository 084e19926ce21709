import { defineRule } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, isUnknownNode, kubernetesObjects, setting, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { get, items, keyOf, pair, str, valueOf } from '../../../model/yaml';
import { serviceAccountFix } from './fix';

interface Params {
  exempt_namespaces: string[];
}

/** (ph) fix: a new ServiceAccount (automount off) plus serviceAccountName, with a placeholder name. */
const SNIPPET = { fix: 'add-resource', placeholder: true, kind: 'ServiceAccount', value: { automountServiceAccountToken: false } };

export default defineRule<Params>({
  id: 'k8s-default-service-account',
  title: 'Workloads use a dedicated service account',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.1.5'], nist: ['AC-6', 'IA-2'], euAiAct: ['Art.12', 'Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { exempt_namespaces: exemptNamespacesParam },
  },
  fix: serviceAccountFix,
  check({ file, documents, params, report, unknown }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const current = setting(file, w.podSpec, ['serviceAccountName']);
      // The deprecated `serviceAccount` is read when `serviceAccountName` is not written.
      const s = current.state === 'absent' ? setting(file, w.podSpec, ['serviceAccount']) : current;
      if (s.state === 'unknown') {
        unknown(s.at, templatedOrigin(`the service account of ${describeObject(w.object)}`));
        continue;
      }
      const advice = `Create a ServiceAccount for this workload (with automountServiceAccountToken: false unless it calls the API) and set serviceAccountName to it, so its permissions and audit trail are its own.`;
      if (s.state === 'known') {
        if (str(s.value) !== 'default') continue;
        report({
          at: valueOf(s.pair),
          message: `${describeObject(w.object)} runs as the namespace's "default" ServiceAccount, shared with every pod that names none: whatever is granted to it is granted to all of them, and the API audit log cannot tell them apart. ${advice}`,
          data: { ...SNIPPET, podSpecPath: w.podSpecPath, field: s.pair.key, ...namespaceOf(w.object.namespace) },
        });
        continue;
      }
      report({
        at: keyOf(w.podSpecPair),
        message: `The pod spec of ${describeObject(w.object)} sets no serviceAccountName, so it runs as the namespace's "default" ServiceAccount, shared with every pod that names none. ${advice}`,
        data: { ...SNIPPET, podSpecPath: w.podSpecPath, ...namespaceOf(w.object.namespace) },
      });
    }
    for (const o of kubernetesObjects({ file, documents })) {
      if ((o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') || !o.apiVersion.startsWith('rbac.authorization.k8s.io/')) continue;
      if (o.namespace !== undefined && params.exempt_namespaces.includes(o.namespace)) continue;
      for (const subject of items(get(o.root, 'subjects'))) {
        const namePair = pair(subject, 'name');
        if (str(get(subject, 'kind')) !== 'ServiceAccount' || !namePair?.value) continue;
        if (isUnknownNode(file, namePair.value)) {
          unknown(namePair.value, templatedOrigin(`a subject of ${describeObject(o)}`));
          continue;
        }
        if (str(namePair.value) !== 'default') continue;
        const ns = str(get(subject, 'namespace')) ?? o.namespace;
        report({
          at: valueOf(namePair),
          severity: 'high',
          message: `${describeObject(o)} grants ${str(get(get(o.root, 'roleRef'), 'name')) ?? 'its role'} to the "default" ServiceAccount${ns ? ` of namespace ${ns}` : ''}: every pod there that names no ServiceAccount gets these permissions. Bind a dedicated ServiceAccount instead.`,
          data: { fix: 'none', reason: 'a dedicated ServiceAccount is needed' },
        });
      }
    }
  },
});

function namespaceOf(namespace: string | undefined): { namespace?: string } {
  return namespace === undefined ? {} : { namespace };
}
