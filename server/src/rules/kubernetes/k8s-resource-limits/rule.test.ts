import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose one container has `resources` as given (indented under the container, from line 8). */
const pod = (resources: string, namespace?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p${namespace ? `\n  namespace: ${namespace}` : ''}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
${resources.replace(/^/gm, '      ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (equal and larger limits, limit without request, ephemeral container)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'fixture pass-quantities.yaml (every quantity notation, limit >= request)', code: fixture(__dirname, 'pass-quantities.yaml') },
    { name: 'fixture pass-templated.yaml (Helm and envsubst resources are unknown)', code: fixture(__dirname, 'pass-templated.yaml') },
    { name: 'kube-system is exempt by default', code: pod('resources: {}', 'kube-system') },
    {
      name: 'require_cpu_limit with a CPU limit',
      code: pod('resources:\n  limits:\n    cpu: 500m\n    memory: 1Gi'),
      params: { require_cpu_limit: true },
    },
    {
      name: 'a request that is not a quantity is left to the API server (no comparison possible)',
      code: pod('resources:\n  requests:\n    memory: lots\n  limits:\n    memory: 1Gi'),
    },
    {
      name: 'YAML that is not a Kubernetes object is ignored',
      code: 'spec:\n  containers:\n    - name: app\n      image: busybox:1.36\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (no resources, requests only, init limit below request, not a quantity, e-notation below request)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '15:23-15:28', severity: 'medium', message: 'resources.limits.memory (500Mi) of init container "download-weights" in Deployment "llm-inference" is below its requests.memory (512Mi)' },
        { at: '18:11-18:21', severity: 'medium', message: 'Container "vllm" in Deployment "llm-inference" sets no resources.limits.memory' },
        { at: '19:11-19:26', message: 'Set resources.limits.memory to at least its requests.memory (2Gi).' },
        { at: '35:19-35:22', message: 'resources.limits.memory (4GB) of container "jupyter" in Pod "notebook" is not a Kubernetes quantity' },
        { at: '42:19-42:22', message: 'Set limits.memory to at least 128Mi.' },
      ],
    },
    {
      name: 'fixture fail-quantities.yaml (limits just below requests in mixed notations)',
      code: fixture(__dirname, 'fail-quantities.yaml'),
      errors: [
        { at: '14:19-14:27', message: '(1048576k)' },
        { at: '21:19-21:25', message: '(1023Mi)' },
        { at: '28:19-28:24', message: '(999e3)' },
        { at: '35:19-35:26', message: '(999999u)' },
        { at: '42:19-42:24', message: '(1.5Gi)' },
        { at: '49:19-49:21', message: '(1T)' },
        { at: '56:19-56:24', message: '(1500m)' },
      ],
    },
    {
      name: 'fixture pass.yaml with require_cpu_limit: every container without limits.cpu',
      code: fixture(__dirname, 'pass.yaml'),
      params: { require_cpu_limit: true },
      errors: [
        { at: '10:11-10:27', severity: 'medium', message: 'Init container "warm-cache" in Deployment "embedding-server" sets no resources.limits.cpu' },
        { at: '18:11-18:23', message: 'to at least its requests.cpu (2)' },
        { at: '48:15-48:25', message: 'Container "eval" in CronJob "nightly-eval"' },
        { at: '55:15-55:31', message: 'Container "limit-only"' },
      ],
    },
    {
      // The tester matches a message to the first finding at a range, so both are checked by range and kind only.
      name: 'require_cpu_limit and neither limit: two findings on the container',
      code: pod('resources: {}'),
      params: { require_cpu_limit: true },
      errors: [
        { at: '7:7-7:16', message: /^Container "app" in Pod "p" sets no resources\.limits\.(memory|cpu)/ },
        { at: '7:7-7:16', message: /^Container "app" in Pod "p" sets no resources\.limits\.(memory|cpu)/ },
      ],
    },
    { name: 'empty resources', code: pod('resources: {}'), errors: [{ at: '7:7-7:16' }] },
    { name: 'empty memory limit', code: pod('resources:\n  limits:\n    memory:'), errors: [{ at: '7:7-7:16' }] },
    { name: 'kube-system is only exempt by default', code: pod('resources: {}', 'kube-system'), params: { exempt_namespaces: [] }, errors: [{ at: '8:7-8:16' }] },
    {
      name: 'a container without a name: the finding is on its first pair',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - image: registry.example.com/app:1.0.0\n      imagePullPolicy: Always\n',
      errors: [{ at: '7:7-7:44', message: 'Container #1 in Pod "p"' }],
    },
    {
      name: 'CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: retrain
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: trainer
              image: registry.example.com/ml/trainer:1.0.0
`,
      errors: [{ at: '11:15-11:28', message: 'CronJob "retrain"' }],
    },
    {
      name: 'multi-document file: only the Kubernetes documents are checked',
      code: `containers:
  - name: not-kubernetes
---
${pod('resources: {}')}`,
      errors: [{ at: '10:7-10:16' }],
    },
    {
      name: "fix: adds limits.memory next to the cpu limit, equal to the request",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      resources:
        requests: {cpu: 500m, memory: 1Gi}
        limits: {cpu: "1"}
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
      resources:
        requests: {cpu: 500m, memory: 1Gi}
        limits: {cpu: "1", memory: 1Gi}
`,
    },
    {
      name: "fix: raises a limit below the request",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      resources:
        requests:
          memory: 2Gi
        limits:
          memory: 1Gi
`,
      errors: [{ at: '13:19-13:22' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      resources:
        requests:
          memory: 2Gi
        limits:
          memory: 2Gi
`,
    },
  ],
});
