import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod with a pod-spec line (line 6) whose container `app` (line 8) has the given resources body (line 11). */
const pod = (resources: string, specLine = 'nodeSelector: {pool: gpu}') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  ${specLine}
  containers:
    - name: app
      image: registry.example.com/ml/app:1.0.0
      resources:
        ${resources}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (equal request/limit, MIG limit with toleration, DRA unknown)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'no GPU: nothing to check', code: pod('limits: {cpu: 1}', 'restartPolicy: Always') },
    { name: 'node affinity counts as GPU scheduling', code: pod('limits: {nvidia.com/gpu: 1}', 'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: gpu, operator: Exists}]}]}}}') },
    { name: 'require_gpu_scheduling: false', code: pod('limits: {nvidia.com/gpu: 1}', 'restartPolicy: Always'), params: { require_gpu_scheduling: false } },
    { name: 'templated limit is unknown', code: pod('limits: {nvidia.com/gpu: "{{ .Values.gpus }}"}') },
    { name: 'a larger max_gpus_per_container', code: pod('limits: {nvidia.com/gpu: 16}'), params: { max_gpus_per_container: 16 } },
    { name: '"1.0" is a whole number', code: pod('limits: {nvidia.com/gpu: "1.0"}') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (request only, request ≠ limit, fraction, over the maximum, no GPU scheduling)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '10:11-10:24', severity: 'high', message: 'Job "finetune" uses GPUs but has no nodeSelector' },
        { at: '12:11-12:20', severity: 'high', message: 'Set resources.limits."nvidia.com/gpu": 4' },
        { at: '19:28-19:29', severity: 'high', message: 'differs from its limit (2)' },
        { at: '26:31-26:35', severity: 'high', message: 'is not a whole number of at least 1' },
        { at: '31:35-31:37', severity: 'high', message: 'exceeds max_gpus_per_container (8)' },
      ],
    },
    { name: 'a toleration for another taint does not count', code: pod('limits: {nvidia.com/gpu: 1}', 'tolerations: [{key: dedicated, operator: Exists}]'), errors: [{ at: '8:7-8:16', message: 'no nodeSelector, node affinity or toleration for nvidia.com/gpu' }] },
    { name: 'gpu_resource_patterns decide what is a GPU', code: pod('requests: {example.com/tpu: 1}'), params: { gpu_resource_patterns: ['example.com/tpu'] }, errors: [{ at: '10:7-10:16', message: 'requests example.com/tpu but sets no limit' }] },
    { name: 'zero GPUs is not a count', code: pod('limits: {nvidia.com/gpu: 0}'), errors: [{ at: '11:34-11:35' }] },
    { name: 'report_unknown: templated request', code: pod('requests: {nvidia.com/gpu: "${GPUS}"}\n        limits: {nvidia.com/gpu: 1}'), params: { report_unknown: true }, errors: [{ at: '11:36-11:45', severity: 'info', message: 'could not evaluate k8s-gpu-limits' }] },
    {
      name: "fix: adds the GPU limit from the request",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: trainer
      image: registry.example.com/ml/trainer:1.0.0
      resources:
        requests:
          nvidia.com/gpu: 2
  nodeSelector:
    nvidia.com/gpu.present: "true"
`,
      errors: [{ at: '9:7-9:16' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: trainer
      image: registry.example.com/ml/trainer:1.0.0
      resources:
        requests:
          nvidia.com/gpu: 2
        limits:
          nvidia.com/gpu: 2
  nodeSelector:
    nvidia.com/gpu.present: "true"
`,
    },
    {
      name: "fix: sets the request equal to the limit",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: trainer
      image: registry.example.com/ml/trainer:1.0.0
      resources:
        requests: {nvidia.com/gpu: 1}
        limits: {nvidia.com/gpu: 2}
  nodeSelector:
    nvidia.com/gpu.present: "true"
`,
      errors: [{ at: '10:36-10:37' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: trainer
      image: registry.example.com/ml/trainer:1.0.0
      resources:
        requests: {nvidia.com/gpu: 2}
        limits: {nvidia.com/gpu: 2}
  nodeSelector:
    nvidia.com/gpu.present: "true"
`,
    },
  ],
});
