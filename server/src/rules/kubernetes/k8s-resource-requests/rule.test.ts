import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` (line 7) has the given resources body (line 10). */
const pod = (resources: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      resources:
        ${resources}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (requests, limits-only defaults, templated resources)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated request values count as set', code: pod('requests: {cpu: "${CPU}", memory: "{{ .Values.mem }}"}') },
    { name: 'templated requests map is unknown', code: pod('requests: ${REQUESTS}') },
    {
      name: 'ephemeral containers are not checked',
      code: pod('requests: {cpu: 1, memory: 1Gi}') + '  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (init container, memory missing, limit covers only cpu)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '10:11-10:25', severity: 'medium', message: 'Init container "download" in Job "eval" does not request cpu or memory' },
        { at: '13:11-13:21', severity: 'medium', message: 'does not request memory' },
        { at: '18:11-18:56', severity: 'medium', message: 'Container #2 in Job "eval" does not request memory' },
      ],
    },
    { name: 'no resources at all', code: pod('{}'), errors: [{ at: '7:7-7:16', message: 'Set resources.requests.cpu and resources.requests.memory' }] },
    { name: 'default_requests covering the missing ones gives an insert fix', code: pod('requests: {cpu: 1}'), params: { default_requests: { cpu: '500m', memory: '1Gi' } }, errors: [{ at: '7:7-7:16', message: 'does not request memory' }] },
    { name: 'report_unknown: templated resources', code: pod('limits: {{ .Values.limits }}').replace('resources:\n        limits: {{ .Values.limits }}', 'resources: {{ .Values.resources }}'), params: { report_unknown: true }, errors: [{ at: '9:18-9:41', severity: 'info', message: 'could not evaluate k8s-resource-requests' }] },
    {
      name: "fix: default_requests: creates resources.requests",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
      params: {"default_requests": {"cpu": "250m", "memory": "512Mi"}},
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
        requests:
          cpu: 250m
          memory: 512Mi
`,
    },
    {
      name: "fix: default_requests: adds the missing memory next to the cpu request",
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
          cpu: "1"
        limits:
          cpu: "2"
`,
      params: {"default_requests": {"cpu": "250m", "memory": "512Mi"}},
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
        requests:
          cpu: "1"
          memory: 512Mi
        limits:
          cpu: "2"
`,
    },
  ],
});
