import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A ServiceAccount `sa` (automount line 5) and a Pod (spec key on line 10, pod-spec line 11). */
const file = (saAutomount: string, specLine: string, labels = 'team: ml') => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
automountServiceAccountToken: ${saAutomount}
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    ${labels}
spec:
  ${specLine}
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (SA disables it, pod disables it, API-access label)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated pod value is unknown', code: file('true', 'automountServiceAccountToken: ${AUTOMOUNT}') },
    { name: 'templated SA name when an SA of the file disables automount is unknown', code: file('false', 'serviceAccountName: "{{ .Values.sa }}"') },
    { name: 'deprecated serviceAccount is read', code: file('false', 'serviceAccount: sa') },
    { name: 'api_access_label can be renamed', code: file('true', 'serviceAccountName: sa', 'k8s-api: "true"'), params: { api_access_label: 'k8s-api' } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (SA enables it, default SA not in file, pod enables it)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '15:5-15:9', severity: 'medium', message: 'its ServiceAccount "trainer" does not disable it' },
        { at: '27:1-27:5', severity: 'medium', message: 'ServiceAccount "default" is not declared in this file, and Kubernetes mounts the token by default' },
        { at: '39:5-39:9', severity: 'medium', message: 'sets automountServiceAccountToken: true' },
      ],
    },
    { name: 'templated SA name and no SA disables automount: default applies', code: file('true', 'serviceAccountName: "{{ .Values.sa }}"'), errors: [{ at: '13:1-13:5', message: 'decided at deploy time' }] },
    { name: 'a label value other than "true" does not exempt', code: file('true', 'serviceAccountName: sa', 'plumbline.dev/needs-k8s-api: "false"'), errors: [{ at: '13:1-13:5' }] },
    { name: 'an SA in another namespace does not count', code: file('false', 'serviceAccountName: sa').replace('  name: sa\n', '  name: sa\n  namespace: a\n').replace('  name: p\n', '  name: p\n  namespace: b\n'), errors: [{ at: '15:1-15:5', message: 'ServiceAccount "sa" is not declared in this file' }] },
    { name: 'report_unknown: templated pod value', code: file('true', 'automountServiceAccountToken: ${AUTOMOUNT}'), params: { report_unknown: true }, errors: [{ at: '14:33-14:45', severity: 'info', message: 'could not evaluate k8s-automount-sa-token' }] },
    {
      name: "fix: inserts automountServiceAccountToken: false into the pod spec",
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
`,
      errors: [{ at: '7:5-7:9' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
      automountServiceAccountToken: false
`,
    },
    {
      name: "fix: sets a true value to false",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
  automountServiceAccountToken: true
`,
      errors: [{ at: '5:1-5:5' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
  automountServiceAccountToken: false
`,
    },
  ],
});
