import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod with the given pod-spec line (line 6). */
const pod = (line: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  ${line}
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (dedicated SA and binding)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated serviceAccountName is unknown', code: pod('serviceAccountName: "{{ .Values.serviceAccount.name }}"') },
    { name: 'serviceAccountName wins over the deprecated field', code: pod('serviceAccountName: trainer\n  serviceAccount: default') },
    { name: 'kube-system is exempt', code: pod('restartPolicy: Always').replace('  name: p\n', '  name: p\n  namespace: kube-system\n') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (absent ⇒ key(spec); deprecated serviceAccount: default; binding to default)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '8:5-8:9', severity: 'medium', message: 'sets no serviceAccountName' },
        { at: '21:23-21:30', severity: 'medium', message: 'Job "export" runs as the namespace\'s "default" ServiceAccount' },
        { at: '38:11-38:18', severity: 'high', message: 'grants secret-reader to the "default" ServiceAccount of namespace ml' },
      ],
    },
    { name: 'serviceAccountName: default', code: pod('serviceAccountName: default'), errors: [{ at: '6:23-6:30', severity: 'medium' }] },
    { name: 'report_unknown: templated serviceAccountName', code: pod('serviceAccountName: ${SA}'), params: { report_unknown: true }, errors: [{ at: '6:23-6:28', severity: 'info', message: 'could not evaluate k8s-default-service-account' }] },
    {
      name: "fix: placeholder ServiceAccount after the workload, before the next document",
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: ml
spec:
  template:
    spec:
      serviceAccountName: default
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
# trailing comment of the Deployment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
`,
      errors: [{ at: '9:27-9:34' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: ml
spec:
  template:
    spec:
      serviceAccountName: REPLACE_ME
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: REPLACE_ME
  namespace: ml
automountServiceAccountToken: false
# trailing comment of the Deployment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
`,
    },
    {
      name: "fix: placeholder name inserted when none is set (CRLF)",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`.replace(/\n/g, '\r\n'),
      errors: [{ at: '5:1-5:5' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
  serviceAccountName: REPLACE_ME
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: REPLACE_ME
automountServiceAccountToken: false
`.replace(/\n/g, '\r\n'),
    },
  ],
});
