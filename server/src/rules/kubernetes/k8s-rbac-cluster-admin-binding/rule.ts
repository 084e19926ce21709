import { defineRule, stringListParam } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, isTemplated, kubernetesObjects, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { get, items, str, valueOf } from '../../../model/yaml';

interface Params {
  admin_equivalent_roles: string[];
  exempt_subjects: string[];
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-rbac-cluster-admin-binding',
  title: 'Nothing is bound to cluster-admin',
  severity: 'critical',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.1.1'], nist: ['AC-6(5)'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      admin_equivalent_roles: stringListParam([], 'ClusterRoles treated like cluster-admin (e.g. a custom "platform-admin").'),
      exempt_subjects: stringListParam(
        [],
        'Subjects that may be bound: a name, "<Kind>:<name>", or "ServiceAccount:<namespace>/<name>" (names starting with "system:" are always exempt).',
      ),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  check({ file, documents, params, report, unknown }) {
    const adminRoles = new Set(['cluster-admin', ...params.admin_equivalent_roles]);
    for (const o of kubernetesObjects({ file, documents })) {
      if ((o.kind !== 'ClusterRoleBinding' && o.kind !== 'RoleBinding') || !o.apiVersion.startsWith('rbac.authorization.k8s.io/')) continue;
      if (o.namespace !== undefined && params.exempt_namespaces.includes(o.namespace)) continue;
      const kind = setting(file, o.root, ['roleRef', 'kind']);
      const name = setting(file, o.root, ['roleRef', 'name']);
      for (const s of [kind, name]) if (s.state === 'unknown') unknown(s.at, templatedOrigin(`roleRef of ${describeObject(o)}`));
      if (kind.state !== 'known' || name.state !== 'known' || str(kind.value) !== 'ClusterRole') continue;
      const role = str(name.value) ?? '';
      if (!adminRoles.has(role)) continue;
      const granted: string[] = [];
      let unknownSubject = false;
      for (const subject of items(get(o.root, 'subjects'))) {
        const subjectKind = str(get(subject, 'kind')) ?? '';
        const subjectName = str(get(subject, 'name')) ?? '';
        const ns = str(get(subject, 'namespace')) ?? o.namespace ?? '';
        if (isTemplated(subjectName) || isTemplated(subjectKind) || isTemplated(ns)) {
          unknownSubject = true;
          continue;
        }
        if (subjectName.startsWith('system:')) continue;
        const ids = [subjectName, `${subjectKind}:${subjectName}`, `${subjectKind}:${ns}/${subjectName}`];
        if (ids.some((id) => params.exempt_subjects.includes(id))) continue;
        granted.push(subjectKind === 'ServiceAccount' ? `ServiceAccount ${ns ? `${ns}/` : ''}${subjectName}` : `${subjectKind} ${subjectName}`);
      }
      if (granted.length === 0) {
        if (unknownSubject) unknown(valueOf(name.pair), templatedOrigin(`a subject of ${describeObject(o)}`));
        continue;
      }
      const scope = o.kind === 'RoleBinding' ? `in namespace ${o.namespace ?? '(set at deploy time)'}` : 'across the whole cluster';
      report({
        at: valueOf(name.pair),
        message: `${describeObject(o)} grants ${role}${role === 'cluster-admin' ? '' : ' (treated as cluster-admin)'} ${scope} to ${granted.join(', ')}: full control, including Secrets, RBAC and every workload. Bind a Role or ClusterRole that lists only the permissions needed.`,
        data: { fix: 'none', reason: 'the replacement role is a matter of intent' },
      });
    }
  },
});
