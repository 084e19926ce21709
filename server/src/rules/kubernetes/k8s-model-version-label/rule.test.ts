import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** An inference Pod with the given version label (line 8) and artifact annotation (line 10). */
const pod = (version: string, artifact: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    plumbline.dev/workload-type: inference
    plumbline.dev/model-name: m
    plumbline.dev/model-version: ${version}
  annotations:
    plumbline.dev/model-artifact: ${artifact}
spec:
  containers:
    - name: app
      image: registry.example.com/ml/app:1.0.0
`;

const digest = 'sha256:5f0c3e9a1b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (inference with S3 versionId, fine-tuning with dataset, non-AI workload)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'GCS generation', code: pod('"3"', 'gs://models/ranker/model.pt#1712345678901234') },
    { name: 'MLflow registry version', code: pod('"7"', 'models:/ranker/7') },
    { name: 'Vertex model version', code: pod('"2"', 'projects/p/locations/europe-west4/models/ranker@2') },
    { name: 'Azure ML versioned asset', code: pod('"5"', 'azureml://registries/ml/models/ranker/versions/5') },
    { name: 'SageMaker model package version', code: pod('"4"', 'arn:aws:sagemaker:eu-central-1:123456789012:model-package/ranker/4') },
    { name: 'templated version and artifact are unknown', code: pod('"{{ .Values.model.version }}"', '${MODEL_ARTIFACT}') },
    { name: 'version_pattern accepts', code: pod('v3.1.0', digest), params: { version_pattern: '^v\\d+\\.\\d+\\.\\d+$' } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (latest version, unversioned S3, training without dataset, bare GPU Pod)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '11:38-11:44', severity: 'high', message: 'names a moving target' },
        { at: '13:39-13:66', severity: 'high', message: 'not an immutable reference' },
        { at: '29:5-29:13', severity: 'high', message: 'lacks the annotation plumbline.dev/model-artifact' },
        { at: '30:7-30:13', severity: 'high', message: 'lacks the labels plumbline.dev/model-version, plumbline.dev/dataset-version' },
        { at: '41:1-41:9', severity: 'high', message: 'Pod "scratch-inference" lacks the labels' },
        { at: '41:1-41:9', severity: 'high', message: 'Pod "scratch-inference" lacks the annotation' },
      ],
    },
    { name: 'MLflow stage is mutable', code: pod('"7"', 'models:/ranker/Production'), errors: [{ at: '10:35-10:60' }] },
    { name: 'version_pattern rejects', code: pod('"3"', digest), params: { version_pattern: '^v\\d+' }, errors: [{ at: '8:34-8:37', message: 'does not match ^v\\d+' }] },
    { name: 'ai_image_patterns select the workload', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: vllm/vllm-openai:v0.6.3\n', params: { ai_image_patterns: ['vllm/*'] }, errors: [{ at: '3:1-3:9', message: 'lacks the labels' }, { at: '3:1-3:9', message: 'lacks the annotation' }] },
    { name: 'report_unknown: templated artifact', code: pod('"3"', '${MODEL_ARTIFACT}'), params: { report_unknown: true }, errors: [{ at: '10:35-10:52', severity: 'info', message: 'could not evaluate k8s-model-version-label' }] },
    {
      name: "fix: placeholder labels and annotation on the pod template",
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      labels:
        plumbline.dev/workload-type: inference
      annotations:
        prometheus.io/scrape: "true"
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
`,
      errors: [{ at: '8:7-8:13' }, { at: '10:7-10:18' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      labels:
        plumbline.dev/workload-type: inference
        plumbline.dev/model-name: REPLACE_ME
        plumbline.dev/model-version: REPLACE_ME
      annotations:
        prometheus.io/scrape: "true"
        plumbline.dev/model-artifact: REPLACE_ME
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
`,
    },
  ],
});
