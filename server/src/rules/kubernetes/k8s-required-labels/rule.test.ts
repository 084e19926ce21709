import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod with the given labels body (line 6). */
const pod = (labels: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    ${labels}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`;

const required_labels = ['owner', 'environment'];

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (anchored labels on workload and template; templated value)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'custom required_labels', code: pod('owner: ml\n    environment: prod'), params: { required_labels } },
    { name: 'value_patterns match', code: pod('owner: ml\n    environment: prod'), params: { required_labels, value_patterns: { environment: '^(dev|staging|prod)$' } } },
    { name: 'templated labels map is unknown', code: pod('owner: ml').replace('  labels:\n    owner: ml', '  labels: {{ include "labels" . }}'), params: { required_labels } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (missing keys, invalid value, template without labels, no labels at all)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '6:3-6:9', severity: 'medium', message: 'Deployment "reranker" lacks the labels app.kubernetes.io/part-of, environment' },
        { at: '8:32-8:45', severity: 'medium', message: 'not a valid label value' },
        { at: '12:5-12:13', severity: 'medium', message: 'The pod template of Deployment "reranker" lacks' },
        { at: '22:1-22:9', severity: 'medium', message: 'Job "reindex" lacks' },
        { at: '25:3-25:11', severity: 'medium', message: 'The pod template of Job "reindex" lacks' },
      ],
    },
    { name: 'value_patterns mismatch', code: pod('owner: ml\n    environment: production'), params: { required_labels, value_patterns: { environment: '^(dev|staging|prod)$' } }, errors: [{ at: '7:18-7:28', message: 'does not match ^(dev|staging|prod)$' }] },
    { name: 'static_values appear in the message', code: pod('owner: ml'), params: { required_labels, static_values: { environment: 'prod' } }, errors: [{ at: '5:3-5:9', message: 'Add environment: prod under metadata.labels' }] },
    { name: 'an empty value is invalid', code: pod('owner: ""\n    environment: prod'), params: { required_labels }, errors: [{ at: '6:12-6:14', message: 'not a valid label value' }] },
    { name: 'report_unknown: templated labels map', code: pod('owner: ml').replace('  labels:\n    owner: ml', '  labels: ${LABELS}'), params: { required_labels, report_unknown: true }, errors: [{ at: '5:11-5:20', severity: 'info', message: 'could not evaluate k8s-required-labels' }] },
    {
      name: "fix: static_values: adds the missing labels with their values",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    owner: ml-platform
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
      params: {"required_labels": ["owner", "environment"], "static_values": {"environment": "prod"}},
      errors: [{ at: '5:3-5:9' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    owner: ml-platform
    environment: prod
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
    },
    {
      name: "fix: placeholders for labels without a static value; an empty labels key gets the map",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
      params: {"required_labels": ["owner", "environment"], "static_values": {"owner": "ml-platform"}},
      errors: [{ at: '5:3-5:9' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    owner: ml-platform
    environment: REPLACE_ME
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
    },
    {
      name: "fix: flow labels stay flow",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {owner: ml-platform}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
      params: {"required_labels": ["owner", "environment"]},
      errors: [{ at: '5:3-5:9' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {owner: ml-platform, environment: REPLACE_ME}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
    },
  ],
});
