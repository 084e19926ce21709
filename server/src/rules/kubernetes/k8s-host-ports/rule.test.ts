import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` has one port with the given hostPort (line 10). */
const pod = (hostPort: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports:
        - containerPort: 8080
          hostPort: ${hostPort}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (no hostPort, hostPort 0)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'allowed_host_ports', code: pod('8080'), params: { allowed_host_ports: [8080] } },
    { name: 'templated hostPort is unknown', code: pod('{{ .Values.hostPort }}') },
    { name: 'templated ports list is unknown', code: pod('1').replace(/ports:\n[\s\S]*$/, 'ports: {{ toYaml .Values.ports }}\n') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (regular and init containers)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '15:25-15:29', severity: 'medium', message: 'hostPort: 9400 binds container "dcgm-exporter" in DaemonSet "gpu-metrics"' },
        { at: '22:25-22:29', severity: 'medium', message: 'init container "probe"' },
      ],
    },
    { name: 'a port not in allowed_host_ports', code: pod('8443'), params: { allowed_host_ports: [8080] }, errors: [{ at: '11:21-11:25', message: 'allowed host ports: 8080' }] },
    { name: 'report_unknown: templated hostPort', code: pod('${HOST_PORT}'), params: { report_unknown: true }, errors: [{ at: '11:21-11:33', severity: 'info', message: 'could not evaluate k8s-host-ports' }] },
    {
      name: "fix: removes the hostPort line",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports:
        - containerPort: 8080
          hostPort: 8080
          protocol: TCP
`,
      errors: [{ at: '11:21-11:25' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports:
        - containerPort: 8080
          protocol: TCP
`,
    },
    {
      name: "fix: removes hostPort from the dash line, moving the next key up",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports:
        - hostPort: 8080
          containerPort: 8080
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
      ports:
        - containerPort: 8080
`,
    },
    {
      name: "fix: removes hostPort from a flow port",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports: [{containerPort: 8080, hostPort: 8080}]
`,
      errors: [{ at: '9:47-9:51' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      ports: [{containerPort: 8080}]
`,
    },
  ],
});
