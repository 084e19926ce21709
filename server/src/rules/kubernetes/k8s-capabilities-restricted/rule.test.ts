import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` (line 7) has the given capabilities body (line 11). */
const pod = (capabilities: string, os = 'linux') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          ${capabilities}
  os:
    name: ${os}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (drop ALL, NET_BIND_SERVICE added; Windows exempt)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated drop list is unknown', code: pod('drop: {{ .Values.drop }}') },
    { name: 'templated drop item (without ALL) is unknown', code: pod('drop: ["${DROP}"]') },
    { name: 'allowed_add extends the allowed set', code: pod('drop: [ALL]\n          add: [CHOWN]'), params: { allowed_add: ['NET_BIND_SERVICE', 'CHOWN'] } },
    { name: 'templated os.name is unknown', code: pod('add: [SYS_ADMIN]', '"${OS}"') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (no drop, partial drop, lower-case all, dangerous and other adds)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '10:11-10:26', severity: 'high', message: 'does not drop capabilities' },
        { at: '15:19-15:28', severity: 'critical', message: 'adds capability SYS_ADMIN' },
        { at: '16:19-16:27', severity: 'high', message: 'adds capability SYS_TIME; only NET_BIND_SERVICE may be added back' },
        { at: '17:11-17:24', severity: 'high', message: 'drops some capabilities but not ALL' },
        { at: '26:22-26:27', severity: 'info', message: 'lists "all", not "ALL"' },
        { at: '27:41-27:54', severity: 'critical', message: 'adds capability "CAP_NET_RAW"' },
      ],
    },
    { name: 'adding ALL is critical', code: pod('drop: [ALL]\n          add: [ALL]'), errors: [{ at: '12:17-12:20', severity: 'critical' }] },
    { name: 'allowed_add: [] rejects NET_BIND_SERVICE', code: pod('drop: [ALL]\n          add: [NET_BIND_SERVICE]'), params: { allowed_add: [] }, errors: [{ at: '12:17-12:33', severity: 'high', message: 'no capability may be added back' }] },
    {
      name: 'report_unknown: templated drop list',
      code: pod('drop: ${DROP}'),
      params: { report_unknown: true },
      errors: [{ at: '11:17-11:24', severity: 'info', message: 'could not evaluate k8s-capabilities-restricted' }],
    },
    {
      name: "fix: inserts drop: [ALL] as a block list",
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
      securityContext:
        runAsNonRoot: true
        capabilities:
          drop:
            - ALL
`,
    },
    {
      name: "fix: appends \"ALL\" to a flow drop list in its quoting",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop: ["NET_RAW"]
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
      securityContext:
        capabilities:
          drop: ["NET_RAW", "ALL"]
`,
    },
    {
      name: "fix: upper-cases \"all\" keeping its quotes",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop: ['all']
`,
      errors: [{ at: '11:18-11:23' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop: ['ALL']
`,
    },
    {
      name: "fix: removes one disallowed item of a block add list",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop:
            - ALL
          add:
            - NET_BIND_SERVICE
            - SYS_ADMIN
`,
      errors: [{ at: '15:15-15:24' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop:
            - ALL
          add:
            - NET_BIND_SERVICE
`,
    },
    {
      name: "fix: removes the add key when its only item is disallowed",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          add: [SYS_PTRACE]
          drop: [ALL]
`,
      errors: [{ at: '11:17-11:27' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop: [ALL]
`,
    },
  ],
});
