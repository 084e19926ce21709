import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` (image on line 8) has the given securityContext body. */
const pod = (context: string, image = 'registry.example.com/app:1.0.0') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: ${image}
      securityContext:
        ${context}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (false, absent, templated, kube-system)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'privileged absent', code: pod('runAsNonRoot: true') },
    { name: 'privileged: false', code: pod('privileged: false') },
    { name: 'the string "true" is not the boolean (the API rejects it)', code: pod('privileged: "true"') },
    { name: 'exempt_images by repository glob', code: pod('privileged: true', 'nvcr.io/nvidia/k8s-device-plugin:v0.16.2'), params: { exempt_images: ['nvcr.io/nvidia/*'] } },
    { name: 'envsubst value is unknown: no finding', code: pod('privileged: ${PRIVILEGED}') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (init and regular containers)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '13:25-13:29', severity: 'critical', message: 'init container "setup-nvme" in Job "finetune"' },
        { at: '18:25-18:29', severity: 'critical', message: 'Set privileged: false' },
      ],
    },
    { name: 'privileged: true on a bare Pod', code: pod('privileged: true'), errors: [{ at: '10:21-10:25', severity: 'critical', message: 'container "app" in Pod "p"' }] },
    {
      name: 'exempt_images does not match other images',
      code: pod('privileged: true', 'docker.io/library/busybox:1.36'),
      params: { exempt_images: ['nvcr.io/nvidia/*'] },
      errors: [{ at: '10:21-10:25' }],
    },
    {
      name: 'report_unknown: templated privileged gives an info note',
      code: pod('privileged: ${PRIVILEGED}'),
      params: { report_unknown: true },
      errors: [{ at: '10:21-10:34', severity: 'info', message: 'could not evaluate k8s-privileged-container' }],
    },
    {
      name: 'kube-system is only exempt by default',
      code: fixture(__dirname, 'pass.yaml'),
      params: { exempt_namespaces: [] },
      errors: [{ at: '40:25-40:29', severity: 'critical', message: 'DaemonSet "cni"' }],
    },
    {
      name: "fix: sets privileged to false in block style",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        privileged: true
        runAsNonRoot: true
`,
      errors: [{ at: '10:21-10:25' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        privileged: false
        runAsNonRoot: true
`,
    },
    {
      name: "fix: sets the value inside a flow securityContext (multi-document file)",
      code: `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - {name: app, image: registry.example.com/app:1.0.0, securityContext: {privileged: true}}
`,
      errors: [{ at: '12:88-12:92' }],
      output: `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - {name: app, image: registry.example.com/app:1.0.0, securityContext: {privileged: false}}
`,
    },
  ],
});
