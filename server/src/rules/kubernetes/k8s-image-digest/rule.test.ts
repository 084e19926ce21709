import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const DIGEST = 'sha256:3f1c2b0e9d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b';

/** A workload of `kind` whose one container runs `image` (line 8 for template kinds). */
const workload = (apiVersion: string, kind: string, image: string) => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: w
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${image}
`;

const deploymentIn = (namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: scorer
  namespace: ${namespace}
spec:
  template:
    spec:
      containers:
        - name: app
          image: busybox:1.36
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (digests, repo:tag@digest, quoted, a Service beside them)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'fixture pass-templated.yaml (Helm and envsubst images, absent and empty image are unknown)', code: fixture(__dirname, 'pass-templated.yaml') },
    { name: 'fixture pass-kube-system.yaml (exempt namespace)', code: fixture(__dirname, 'pass-kube-system.yaml') },
    {
      name: 'another exempt namespace from params',
      code: deploymentIn('platform-system'),
      params: { exempt_namespaces: ['platform-system'] },
    },
    {
      name: 'YAML that is not a Kubernetes object is ignored',
      code: 'spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: busybox:1.36\n',
    },
    {
      name: 'a CRD that reuses a built-in kind name is not a workload',
      code: workload('batch.volcano.sh/v1alpha1', 'Job', 'busybox:1.36'),
    },
    {
      name: 'objects that hold no pod spec are ignored',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: busybox:1.36\n',
    },
    {
      name: 'exempt_images glob matches the whole image',
      code: workload('apps/v1', 'Deployment', 'registry.k8s.io/pause:3.9'),
      params: { exempt_images: ['registry.k8s.io/*'] },
    },
    {
      name: 'exempt_images matches the repository without its tag',
      code: workload('apps/v1', 'Deployment', 'busybox:1.36'),
      params: { exempt_images: ['busybox'] },
    },
    {
      name: 'exempt_images ? matches one character',
      code: workload('apps/v1', 'Deployment', 'busybox:1.36'),
      params: { exempt_images: ['busybox:1.3?'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (Deployment containers and initContainers, Pod ephemeral container, CronJob malformed digests)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '10:18-10:58', severity: 'high', message: 'init container "migrate" in Deployment "llm-gateway" is not pinned by digest' },
        { at: '13:18-13:41', message: '"vllm/vllm-openai:v0.6.3@sha256:<64 hex digits>"' },
        { at: '23:14-23:35', message: 'container "notebook" in Pod "debug-notebook"' },
        { at: '27:14-27:26', message: 'ephemeral container "debugger"' },
        { at: '40:22-40:55', message: 'has a digest that is not "sha256:" followed by 64 lower-case hex digits' },
        { at: '42:22-42:111', message: '"ghcr.io/acme/eval@sha256:<64 hex digits>"' },
        { at: '44:22-44:111', message: 'has a digest that is not' },
      ],
    },
    {
      name: 'kube-system is only exempt by default',
      code: fixture(__dirname, 'pass-kube-system.yaml'),
      params: { exempt_namespaces: [] },
      errors: [{ at: '12:18-12:85' }],
    },
    { name: 'a namespace other than the exempt ones', code: deploymentIn('ml-serving'), errors: [{ at: '11:18-11:30' }] },
    {
      name: 'a templated namespace is checked (it is decided at deploy time, like an absent one)',
      code: deploymentIn('"{{ .Release.Namespace }}"'),
      errors: [{ at: '11:18-11:30' }],
    },
    {
      name: 'a templated namespace is never an exempt one, even when its text is listed',
      code: deploymentIn('${NAMESPACE}'),
      params: { exempt_namespaces: ['${NAMESPACE}'] },
      errors: [{ at: '11:18-11:30' }],
    },
    { name: 'StatefulSet', code: workload('apps/v1', 'StatefulSet', 'postgres:16'), errors: [{ at: '10:18-10:29' }] },
    { name: 'DaemonSet', code: workload('apps/v1', 'DaemonSet', 'fluent-bit:3.1'), errors: [{ at: '10:18-10:32' }] },
    { name: 'ReplicaSet', code: workload('apps/v1', 'ReplicaSet', 'nginx:1.27'), errors: [{ at: '10:18-10:28' }] },
    { name: 'ReplicationController', code: workload('v1', 'ReplicationController', 'nginx:1.27'), errors: [{ at: '10:18-10:28' }] },
    { name: 'Job', code: workload('batch/v1', 'Job', 'python:3.12'), errors: [{ at: '10:18-10:29' }] },
    { name: 'legacy extensions/v1beta1 Deployment', code: workload('extensions/v1beta1', 'Deployment', 'nginx:1.27'), errors: [{ at: '10:18-10:28' }] },
    {
      name: 'a templated apiVersion: the kind decides',
      code: workload('"{{ .Capabilities.APIVersions.deployment }}"', 'Deployment', 'nginx:1.27'),
      errors: [{ at: '10:18-10:28' }],
    },
    {
      name: 'a quoted image: the range covers the quotes',
      code: workload('apps/v1', 'Deployment', '"nginx:1.27"'),
      errors: [{ at: '10:18-10:30', message: 'Image "nginx:1.27"' }],
    },
    {
      name: 'a digest must end the reference',
      code: workload('apps/v1', 'Deployment', `nginx@${DIGEST}-dirty`),
      errors: [{ at: '10:18-10:101', message: 'has a digest that is not' }],
    },
    {
      name: 'exempt_images that do not match',
      code: workload('apps/v1', 'Deployment', 'busybox-extras:1.36'),
      params: { exempt_images: ['busybox', 'busybox:*'] },
      errors: [{ at: '10:18-10:37' }],
    },
    {
      name: 'items of a kind: List',
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
          image: nginx:1.27
`,
      errors: [{ at: '11:18-11:28', message: 'container "app" in Pod "p"' }],
    },
    {
      name: 'multi-document file: only the Kubernetes documents are checked',
      code: `containers:
  - name: not-kubernetes
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: nginx:1.27
`,
      errors: [{ at: '12:14-12:24' }],
    },
    {
      name: 'a container without a name is named by its position',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: nginx:1.27\n',
      errors: [{ at: '5:14-5:24', message: 'container #1 in Pod is not pinned' }],
    },
  ],
});
