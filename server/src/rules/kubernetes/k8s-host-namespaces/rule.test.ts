import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod with the given labels (line 6) and a pod-spec line (line 8). */
const pod = (specLine: string, labels = 'team: ml') => `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    ${labels}
spec:
  ${specLine}
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (false, absent with emptyDir /dev/shm, templated)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'hostPID: false', code: pod('hostPID: false') },
    { name: 'exempt_selectors: key=value matches', code: pod('hostNetwork: true', 'plumbline.dev/host-network: approved'), params: { exempt_selectors: ['plumbline.dev/host-network=approved'] } },
    { name: 'exempt_selectors: key exists, comma-separated terms', code: pod('hostIPC: true', 'nccl: "yes"'), params: { exempt_selectors: ['nccl,!legacy'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (all three)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '9:20-9:24', severity: 'high', message: 'hostNetwork: true: every container of Job "nccl-train"' },
        { at: '10:16-10:20', severity: 'critical', message: 'emptyDir with medium: Memory' },
        { at: '11:16-11:20', severity: 'critical', message: 'Set hostPID: false' },
      ],
    },
    { name: 'exempt_selectors: value differs', code: pod('hostNetwork: true', 'plumbline.dev/host-network: pending'), params: { exempt_selectors: ['plumbline.dev/host-network=approved'] }, errors: [{ at: '8:16-8:20', severity: 'high' }] },
    { name: 'exempt_selectors: != term', code: pod('hostPID: true', 'tier: system'), params: { exempt_selectors: ['tier!=system'] }, errors: [{ at: '8:12-8:16', severity: 'critical' }] },
    { name: 'report_unknown: templated hostPID', code: pod('hostPID: ${HOST_PID}'), params: { report_unknown: true }, errors: [{ at: '8:12-8:23', severity: 'info', message: 'could not evaluate k8s-host-namespaces' }] },
    {
      name: "fix: sets hostPID to false in a CronJob pod spec",
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers:
            - name: app
              image: registry.example.com/app:1.0.0
`,
      errors: [{ at: '11:20-11:24' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: false
          containers:
            - name: app
              image: registry.example.com/app:1.0.0
`,
    },
  ],
});
