import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Namespace `ns` with the given labels body (line 6). */
const ns = (labels: string, name = 'ns') => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    ${labels}
`;

const v = 'pod-security.kubernetes.io/enforce-version: v1.31';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (restricted pinned; kube-system exempt; not a Namespace)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'allowed_levels per namespace', code: ns(`pod-security.kubernetes.io/enforce: privileged\n    ${v}`, 'gpu-operator'), params: { allowed_levels: { default: 'restricted', 'gpu-operator': 'privileged' } } },
    { name: 'a stricter level than allowed passes', code: ns(`pod-security.kubernetes.io/enforce: restricted\n    ${v}`), params: { allowed_levels: { default: 'baseline' } } },
    { name: 'require_pinned_version: false', code: ns('pod-security.kubernetes.io/enforce: restricted'), params: { require_pinned_version: false } },
    { name: 'templated level is unknown', code: ns(`pod-security.kubernetes.io/enforce: "{{ .Values.pss }}"\n    ${v}`) },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (baseline + latest, no enforce label, unpinned, no labels)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '6:41-6:49', severity: 'high', message: 'less strict than restricted' },
        { at: '7:49-7:55', severity: 'high', message: 'latest shifts with every cluster upgrade' },
        { at: '13:3-13:9', severity: 'high', message: 'Namespace "notebooks" has no pod-security.kubernetes.io/enforce label' },
        { at: '20:3-20:9', severity: 'high', message: 'does not pin pod-security.kubernetes.io/enforce-version' },
        { at: '25:1-25:9', severity: 'high', message: 'Namespace "scratch" has no' },
      ],
    },
    { name: 'a value that is not a level', code: ns(`pod-security.kubernetes.io/enforce: strict\n    ${v}`), errors: [{ at: '6:41-6:47', message: 'not a Pod Security level' }] },
    { name: 'pinned_version appears in the message', code: ns('pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: "1.31"'), params: { pinned_version: 'v1.31' }, errors: [{ at: '7:49-7:55', message: 'e.g. v1.31' }] },
    { name: 'report_unknown: templated version', code: ns('pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: ${K8S_MINOR}'), params: { report_unknown: true }, errors: [{ at: '7:49-7:61', severity: 'info', message: 'could not evaluate k8s-pss-namespace-enforce' }] },
    {
      name: "fix: pinned_version: inserts both labels next to the existing ones",
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    team: research
`,
      params: {"pinned_version": "v1.31"},
      errors: [{ at: '5:3-5:9' }],
      output: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    team: research
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.31
`,
    },
    {
      name: "fix: pinned_version: creates labels in a flow metadata",
      code: `apiVersion: v1
kind: Namespace
metadata: {name: ml}
`,
      params: {"pinned_version": "v1.31"},
      errors: [{ at: '3:1-3:9' }],
      output: `apiVersion: v1
kind: Namespace
metadata: {name: ml, labels: {pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: v1.31}}
`,
    },
    {
      name: "fix: without pinned_version: a placeholder version",
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/enforce: restricted
`,
      errors: [{ at: '5:3-5:9' }],
      output: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: REPLACE_ME
`,
    },
    {
      name: "fix: sets a weaker level to restricted",
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.31
`,
      errors: [{ at: '6:41-6:49' }],
      output: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.31
`,
    },
  ],
});
