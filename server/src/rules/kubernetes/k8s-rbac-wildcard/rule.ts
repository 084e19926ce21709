import { defineRule, stringListParam } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, isUnknownNode, kubernetesObjects, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { get, items } from '../../../model/yaml';

interface Params {
  exempt_roles: string[];
  exempt_namespaces: string[];
}

const LISTS = ['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const;

const MEANING: Record<(typeof LISTS)[number], string> = {
  verbs: 'every verb, including escalate, bind, impersonate and delete',
  resources: 'every resource of the API groups, including Secrets and any custom resource added later',
  apiGroups: 'every API group, including ones installed later by CRDs',
  nonResourceURLs: 'every non-resource URL of the API server',
};

export default defineRule<Params>({
  id: 'k8s-rbac-wildcard',
  title: 'RBAC roles do not grant wildcards',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.1.3'], nist: ['AC-6', 'AC-3'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      exempt_roles: stringListParam([], 'Names of Roles/ClusterRoles that may use wildcards (names starting with "system:" are always exempt).'),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  check({ file, documents, params, report, unknown }) {
    for (const o of kubernetesObjects({ file, documents })) {
      if ((o.kind !== 'Role' && o.kind !== 'ClusterRole') || !o.apiVersion.startsWith('rbac.authorization.k8s.io/')) continue;
      if (o.namespace !== undefined && params.exempt_namespaces.includes(o.namespace)) continue;
      if (o.name !== undefined && (o.name.startsWith('system:') || params.exempt_roles.includes(o.name))) continue;
      // An aggregated ClusterRole's rules are filled in by the controller from other roles.
      if (o.kind === 'ClusterRole' && get(o.root, 'aggregationRule')) continue;
      const rules = setting(file, o.root, ['rules']);
      if (rules.state === 'unknown') {
        unknown(rules.at, templatedOrigin(`the rules of ${describeObject(o)}`));
        continue;
      }
      if (rules.state !== 'known') continue;
      items(rules.value).forEach((rule, r) => {
        const wildcard = (list: string) => items(get(rule, list)).some((i) => i.kind === 'scalar' && i.value === '*');
        const critical = wildcard('verbs') && wildcard('resources');
        for (const list of LISTS) {
          items(get(rule, list)).forEach((item, i) => {
            if (isUnknownNode(file, item)) return unknown(item, templatedOrigin(`rules[${r}].${list}[${i}] of ${describeObject(o)}`));
            if (item.kind !== 'scalar' || item.value !== '*') return;
            report({
              at: item,
              ...(critical ? { severity: 'critical' as const } : {}),
              message: `"*" in rules[${r}].${list} of ${describeObject(o)} grants ${MEANING[list]}${critical ? '; with "*" verbs on "*" resources this rule is cluster-admin within its scope' : ''}. List the specific ${list} the subject needs.`,
              data: { fix: 'none', reason: 'the intended permissions are unknowable' },
            });
          });
        }
      });
    }
  },
});
