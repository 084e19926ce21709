import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Deployment (pod-template labels on line 9) whose container `app` (line 12) has the given body (line 14). */
const deployment = (body: string, labels = 'team: ml') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
        - name: app
          image: registry.example.com/ml/app:1.0.0
          ${body}
`;

const probes = 'readinessProbe: {httpGet: {path: /ready, port: 8080}}\n          livenessProbe: {httpGet: {path: /live, port: 8080}';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (AI workload with startupProbe; Job; OnFailure Pod)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'a non-AI workload needs no startupProbe', code: deployment(`${probes}}`) },
    { name: 'AI workload with a long enough initialDelaySeconds', code: deployment(`${probes}, initialDelaySeconds: 180}`, 'plumbline.dev/workload-type: inference') },
    { name: 'templated initialDelaySeconds is unknown', code: deployment(`${probes}, initialDelaySeconds: "{{ .Values.delay }}"}`, 'plumbline.dev/workload-type: training') },
    { name: 'required_probes: [readiness]', code: deployment('readinessProbe: {tcpSocket: {port: 80}}'), params: { required_probes: ['readiness'] } },
    { name: 'templated restartPolicy of a Pod is unknown', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: ${POLICY}\n  containers:\n    - name: app\n      image: busybox:1.36\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (GPU workload without startupProbe, container without probes, Pod without liveness)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '13:11-13:23', severity: 'low', message: 'livenessProbe starts after 30s (below model_load_grace_seconds, 120s)' },
        { at: '23:11-23:24', severity: 'medium', message: 'has no readinessProbe or livenessProbe' },
        { at: '32:7-32:20', severity: 'medium', message: 'has no livenessProbe: a hung process is never restarted' },
      ],
    },
    { name: 'ai_image_patterns select AI workloads; absent delay is 0s', code: deployment(`${probes}}`), params: { ai_image_patterns: ['registry.example.com/ml/*'] }, errors: [{ at: '12:11-12:20', severity: 'low', message: 'starts after 0s' }] },
    { name: 'required_probes with startup', code: deployment(`${probes}}`), params: { required_probes: ['readiness', 'liveness', 'startup'] }, errors: [{ at: '12:11-12:20', severity: 'medium', message: 'has no startupProbe' }] },
    { name: 'report_unknown: templated initialDelaySeconds', code: deployment(`${probes}, initialDelaySeconds: "\${DELAY}"}`, 'plumbline.dev/workload-type: fine-tuning'), params: { report_unknown: true }, errors: [{ at: '15:84-15:94', severity: 'info', message: 'could not evaluate k8s-probes' }] },
    {
      name: "fix: placeholder probes on the first containerPort",
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
          ports:
            - containerPort: 8080
`,
      errors: [{ at: '9:11-9:20' }],
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
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: REPLACE_ME
              port: 8080
          livenessProbe:
            httpGet:
              path: REPLACE_ME
              port: 8080
`,
    },
    {
      name: "fix: placeholder probe in a flow container",
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - {name: app, image: registry.example.com/app:1.0.0, readinessProbe: {tcpSocket: {port: 80}}}
`,
      errors: [{ at: '9:12-9:21' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - {name: app, image: registry.example.com/app:1.0.0, readinessProbe: {tcpSocket: {port: 80}}, livenessProbe: {httpGet: {path: REPLACE_ME, port: REPLACE_ME}}}
`,
    },
  ],
});
