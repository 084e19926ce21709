import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Role `r` in namespace `ns` with one rule (lines 7-9). */
const role = (rule: string, ns = 'ml') => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
  namespace: ${ns}
rules:
  ${rule}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (explicit lists, aggregated ClusterRole, system: role)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'exempt_roles', code: role('- {apiGroups: [""], resources: [pods], verbs: ["*"]}'), params: { exempt_roles: ['r'] } },
    { name: 'kube-system is exempt by default', code: role('- {apiGroups: [""], resources: [pods], verbs: ["*"]}', 'kube-system') },
    { name: 'a subresource pattern is not the bare wildcard', code: role('- {apiGroups: [apps], resources: ["deployments/scale"], verbs: [get]}') },
    { name: 'templated verbs are unknown', code: role('- {apiGroups: [""], resources: [pods], verbs: ["{{ .Values.verb }}"]}') },
    { name: 'a ConfigMap that looks like a role is ignored', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nrules:\n  - verbs: ["*"]\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (all wildcards, resource wildcard, nonResourceURLs, verbs)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '6:17-6:20', severity: 'critical', message: 'rules[0].apiGroups of ClusterRole "ml-pipeline-runner"' },
        { at: '7:17-7:20', severity: 'critical', message: 'cluster-admin within its scope' },
        { at: '8:13-8:16', severity: 'critical', message: 'rules[0].verbs' },
        { at: '12:9-12:12', severity: 'high', message: 'rules[1].resources' },
        { at: '14:23-14:26', severity: 'high', message: 'every non-resource URL' },
        { at: '25:13-25:16', severity: 'high', message: 'rules[0].verbs of Role "notebook"' },
      ],
    },
    { name: 'plain * (unquoted in a block list)', code: role('- apiGroups: [""]\n    resources:\n      - pods\n    verbs:\n      - "*"'), errors: [{ at: '11:9-11:12', severity: 'high' }] },
    { name: 'report_unknown: templated verb', code: role('- {apiGroups: [""], resources: [pods], verbs: ["${VERB}"]}'), params: { report_unknown: true }, errors: [{ at: '7:50-7:59', severity: 'info', message: 'could not evaluate k8s-rbac-wildcard' }] },
  ],
});
