import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod with the given pod-level securityContext body (line 6) and container securityContext body (line 11). */
const pod = (podContext: string, containerContext = 'runAsNonRoot: true', os = 'linux') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    ${podContext}
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        ${containerContext}
  os:
    name: ${os}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (pod-level RuntimeDefault, container Localhost with profile, Windows)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'container RuntimeDefault overrides pod Unconfined', code: pod('seccompProfile: {type: Unconfined}', 'seccompProfile: {type: RuntimeDefault}') },
    { name: 'templated container type is unknown', code: pod('runAsNonRoot: true', 'seccompProfile: {type: "{{ .Values.seccomp }}"}') },
    { name: 'templated pod securityContext is unknown', code: pod('{{ toYaml .Values.podSecurityContext }}'.replace(/^/, ''), 'runAsNonRoot: true').replace('  securityContext:\n    {{', '  securityContext: {{') },
    { name: 'Windows pods are exempt', code: pod('runAsNonRoot: true', 'runAsNonRoot: true', 'windows') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (pod-level Unconfined once, Localhost without profile, nothing set)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '14:21-14:31', severity: 'high', message: 'Unconfined lets the containers of CronJob "nightly-eval"' },
        { at: '24:25-24:34', severity: 'medium', message: 'names no localhostProfile' },
        { at: '31:1-31:5', severity: 'medium', message: 'The pod spec of Pod "notebook" sets no seccomp profile' },
      ],
    },
    { name: 'an unknown type value', code: pod('seccompProfile: {type: Default}'), errors: [{ at: '7:28-7:35', severity: 'medium', message: 'Default of the containers of Pod "p" is not a seccomp profile type' }] },
    { name: 'container Unconfined overrides pod RuntimeDefault', code: pod('seccompProfile: {type: RuntimeDefault}', 'seccompProfile: {type: Unconfined}'), errors: [{ at: '12:32-12:42', severity: 'high', message: 'container "app" in Pod "p"' }] },
    { name: 'legacy annotations do not count', code: pod('runAsNonRoot: true').replace('  name: p\n', '  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n'), errors: [{ at: '7:1-7:5' }] },
    {
      name: 'report_unknown: templated type',
      code: pod('seccompProfile: {type: "${SECCOMP}"}'),
      params: { report_unknown: true },
      errors: [{ at: '7:28-7:40', severity: 'info', message: 'could not evaluate k8s-seccomp-profile' }],
    },
    {
      name: "fix: inserts seccompProfile.type into the pod spec",
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
      securityContext:
        runAsNonRoot: true
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
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
`,
    },
    {
      name: "fix: sets Unconfined to RuntimeDefault",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        seccompProfile: {type: Unconfined}
`,
      errors: [{ at: '10:32-10:42' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        seccompProfile: {type: RuntimeDefault}
`,
    },
    {
      name: "fix: Localhost without a profile: RuntimeDefault first, a placeholder profile second",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        seccompProfile:
          type: Localhost
`,
      errors: [{ at: '11:17-11:26' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        seccompProfile:
          type: RuntimeDefault
`,
    },
  ],
});
