import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` (line 7) has the given securityContext body (line 10). */
const pod = (context: string, os = 'linux') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        ${context}
  os:
    name: ${os}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (every container sets false; Windows pod exempt)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'allowPrivilegeEscalation: false', code: pod('allowPrivilegeEscalation: false') },
    { name: 'templated value is unknown', code: pod('allowPrivilegeEscalation: {{ .Values.ape }}') },
    { name: 'templated os.name is unknown', code: pod('runAsNonRoot: true', '"{{ .Values.os }}"') },
    { name: 'Windows pod is exempt even with true', code: pod('allowPrivilegeEscalation: true', 'windows') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (absent ⇒ ctr: name pair or first pair; true ⇒ value)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '12:11-12:23', severity: 'high', message: 'Container "triton" in Deployment "triton" does not set' },
        { at: '16:39-16:43', severity: 'high', message: 'allowPrivilegeEscalation: true lets container #2' },
        { at: '17:11-17:22', severity: 'high', message: 'Container "proxy"' },
      ],
    },
    { name: 'a non-boolean value is reported', code: pod('allowPrivilegeEscalation: "false"'), errors: [{ at: '10:35-10:42', message: 'allowPrivilegeEscalation: "false" lets' }] },
    { name: 'empty securityContext ⇒ ctr', code: pod('{}'), errors: [{ at: '7:7-7:16', message: 'does not set' }] },
    {
      name: 'report_unknown: templated value',
      code: pod('allowPrivilegeEscalation: ${APE}'),
      params: { report_unknown: true },
      errors: [{ at: '10:35-10:41', severity: 'info', message: 'could not evaluate k8s-allow-privilege-escalation' }],
    },
    {
      name: 'report_unknown: templated os.name',
      code: pod('allowPrivilegeEscalation: true', '"{{ .Values.os }}"'),
      params: { report_unknown: true },
      errors: [{ at: '12:11-12:29', severity: 'info', message: 'spec.os.name' }],
    },
    {
      name: "fix: creates securityContext under the container keys",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports:
        - containerPort: 8080
`,
      errors: [{ at: '7:7-7:16' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports:
        - containerPort: 8080
      securityContext:
        allowPrivilegeEscalation: false
`,
    },
    {
      name: "fix: adds to a flow container map",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - {name: app, image: registry.example.com/app:1.0.0}
`,
      errors: [{ at: '7:8-7:17' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - {name: app, image: registry.example.com/app:1.0.0, securityContext: {allowPrivilegeEscalation: false}}
`,
    },
    {
      name: "fix: adds to an existing block securityContext in a CRLF file",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        runAsNonRoot: true
`.replace(/\n/g, '\r\n'),
      errors: [{ at: '7:7-7:16' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
`.replace(/\n/g, '\r\n'),
    },
    {
      name: "fix: sets true to false inside a kind: List item",
      code: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: p
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
          securityContext: {allowPrivilegeEscalation: true}
`,
      errors: [{ at: '12:55-12:59' }],
      output: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: p
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
          securityContext: {allowPrivilegeEscalation: false}
`,
    },
  ],
});
