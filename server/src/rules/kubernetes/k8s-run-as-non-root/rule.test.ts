import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod with the given pod-level and container-level securityContext bodies (container `app` on line 8). */
const pod = (podContext: string | undefined, containerContext: string | undefined, namespace?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p${namespace ? `\n  namespace: ${namespace}` : ''}
spec:${podContext !== undefined ? `\n  securityContext:\n${indent(podContext, 4)}` : ''}
  containers:
    - name: app
      image: registry.example.com/app:1.0.0${containerContext !== undefined ? `\n      securityContext:\n${indent(containerContext, 8)}` : ''}
`;

const indent = (text: string, n: number) => text.replace(/^/gm, ' '.repeat(n));

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (pod level, every container, CronJob)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'fixture pass-windows.yaml (Windows pods are exempt)', code: fixture(__dirname, 'pass-windows.yaml') },
    { name: 'fixture pass-templated.yaml (Helm and envsubst security contexts and OS are unknown)', code: fixture(__dirname, 'pass-templated.yaml') },
    { name: 'every container overrides a pod-level false', code: pod('runAsNonRoot: false', 'runAsNonRoot: true') },
    { name: 'min_uid: a UID equal to it passes', code: pod('runAsNonRoot: true\nrunAsUser: 1000', undefined), params: { min_uid: 1000 } },
    { name: 'without min_uid any non-zero UID passes', code: pod('runAsNonRoot: true\nrunAsUser: 1', undefined) },
    { name: 'kube-system is exempt by default', code: pod(undefined, undefined, 'kube-system') },
    {
      name: 'YAML that is not a Kubernetes object is ignored',
      code: 'spec:\n  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      image: busybox:1.36\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (pod spec key, containers lacking it, shared pod-level values once, container overrides)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '8:5-8:9', severity: 'high', message: 'Neither the pod spec of Deployment "llm-gateway" nor any of its containers sets securityContext.runAsNonRoot' },
        { at: '23:7-23:17', severity: 'high', message: 'Init container "prep" in Pod "trainer" does not set securityContext.runAsNonRoot' },
        { at: '29:7-29:24', message: 'Container "tensorboard" in Pod "trainer"' },
        { at: '43:27-43:32', severity: 'high', message: 'runAsNonRoot: false lets the containers of CronJob "feature-backfill" run as root' },
        { at: '44:24-44:25', severity: 'high', message: 'runAsUser: 0 runs the containers of CronJob "feature-backfill" as root' },
        { at: '45:25-45:26', severity: 'low', message: 'runAsGroup: 0 runs the containers of CronJob "feature-backfill" with the root group' },
        { at: '73:24-73:25', severity: 'high', message: 'runAsUser: 0 runs container "db" in StatefulSet "vector-db" as root' },
        { at: '77:27-77:32', severity: 'high', message: 'lets container "backup" in StatefulSet "vector-db" run as root' },
        { at: '78:25-78:26', severity: 'low', message: 'runAsGroup: 0 runs container "backup"' },
      ],
    },
    {
      name: 'a Linux pod is checked',
      code: fixture(__dirname, 'pass-windows.yaml').replace(/name: windows$/m, 'name: linux'),
      errors: [{ at: '8:5-8:9' }],
    },
    {
      name: 'min_uid: a container UID below it',
      code: pod('runAsNonRoot: true', 'runAsUser: 999'),
      params: { min_uid: 1000 },
      errors: [{ at: '12:20-12:23', severity: 'high', message: 'runAsUser: 999 of container "app" in Pod "p" is below min_uid (1000)' }],
    },
    {
      name: 'min_uid: UID 0 is reported as root, once',
      code: pod('runAsNonRoot: true\nrunAsUser: 0', undefined),
      params: { min_uid: 1000 },
      errors: [{ at: '8:16-8:17', message: 'runAsUser: 0 runs the containers of Pod "p" as root' }],
    },
    {
      name: 'runAsNonRoot must be the boolean true',
      code: pod('runAsNonRoot: "true"', undefined),
      errors: [{ at: '7:19-7:25', message: 'runAsNonRoot: "true" lets' }],
    },
    {
      name: 'a container whose runAsNonRoot is templated sets it: the others are reported on their items',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: templated
      image: registry.example.com/app:1.0.0
      securityContext:
        runAsNonRoot: \${RUN_AS_NON_ROOT}
    - name: plain
      image: registry.example.com/app:1.0.0
`,
      errors: [{ at: '11:7-11:18', message: 'Container "plain" in Pod "p" does not set' }],
    },
    {
      name: 'ephemeral containers count',
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
  ephemeralContainers:
    - name: debugger
      image: busybox:1.36
`,
      errors: [{ at: '12:7-12:21', message: 'Ephemeral container "debugger" in Pod "p" does not set' }],
    },
    { name: 'kube-system is only exempt by default', code: pod(undefined, undefined, 'kube-system'), params: { exempt_namespaces: [] }, errors: [{ at: '6:1-6:5' }] },
    {
      name: 'multi-document file: only the Kubernetes documents are checked',
      code: `securityContext:
  runAsUser: 0
---
${pod(undefined, undefined)}`,
      errors: [{ at: '8:1-8:5', message: 'Pod "p"' }],
    },
    {
      name: "fix: inserts runAsNonRoot into the pod spec",
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
      securityContext:
        runAsNonRoot: true
`,
    },
    {
      name: "fix: sets a container-level false to true",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext: {runAsNonRoot: false, runAsUser: 10001}
`,
      errors: [{ at: '9:39-9:44' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
`,
    },
    {
      name: "fix: adds to a pod securityContext in a CRLF file",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
  securityContext:
    fsGroup: 10001
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
  securityContext:
    fsGroup: 10001
    runAsNonRoot: true
`.replace(/\n/g, '\r\n'),
    },
  ],
});
