import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A ClusterRoleBinding to `role` (line 8) with one subject. */
const binding = (role: string, subject: string, roleKind = 'ClusterRole') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: b
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ${roleKind}
  name: ${role}
subjects:
  - ${subject}
`;

const sa = '{kind: ServiceAccount, name: trainer, namespace: ml}';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (system:masters; edit role)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'exempt_subjects by ServiceAccount:namespace/name', code: binding('cluster-admin', sa), params: { exempt_subjects: ['ServiceAccount:ml/trainer'] } },
    { name: 'a Role named cluster-admin is not the ClusterRole', code: binding('cluster-admin', sa, 'Role') },
    { name: 'templated role name is unknown', code: binding('"{{ .Values.role }}"', sa) },
    { name: 'templated subject is unknown', code: binding('cluster-admin', '{kind: ServiceAccount, name: "${SA}", namespace: ml}') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (ServiceAccount via ClusterRoleBinding, User via RoleBinding)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '8:9-8:22', severity: 'critical', message: 'grants cluster-admin across the whole cluster to ServiceAccount ml-pipelines/argo-workflow' },
        { at: '24:9-24:22', severity: 'critical', message: 'in namespace research to User alice@example.com' },
      ],
    },
    { name: 'admin_equivalent_roles', code: binding('platform-admin', sa), params: { admin_equivalent_roles: ['platform-admin'] }, errors: [{ at: '8:9-8:23', message: 'grants platform-admin (treated as cluster-admin)' }] },
    { name: 'report_unknown: templated role name', code: binding('"${ROLE}"', sa), params: { report_unknown: true }, errors: [{ at: '8:9-8:18', severity: 'info', message: 'could not evaluate k8s-rbac-cluster-admin-binding' }] },
  ],
});
