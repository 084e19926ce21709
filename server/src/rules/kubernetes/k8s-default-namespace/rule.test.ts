import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A ConfigMap with the given metadata line (line 5). */
const cm = (line: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  ${line}
data:
  k: v
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (explicit namespace, absent namespace, cluster-scoped kind)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated namespace is unknown', code: cm('namespace: "{{ .Release.Namespace }}"') },
    { name: 'cluster-scoped kinds are never reported', code: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n', params: { treat_missing_as_default: true } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (plain and quoted default)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '5:14-5:21', severity: 'low', message: 'Deployment "notebook" is in the default namespace' },
        { at: '16:14-16:23', severity: 'low', message: 'Set a dedicated namespace in metadata.namespace' },
      ],
    },
    { name: 'treat_missing_as_default reports an absent namespace on key(metadata)', code: cm('labels: {a: b}'), params: { treat_missing_as_default: true }, errors: [{ at: '3:1-3:9', severity: 'low', message: 'sets no metadata.namespace' }] },
    { name: 'default_namespace names the fix target', code: cm('namespace: default'), params: { default_namespace: 'ml' }, errors: [{ at: '5:14-5:21', message: 'Set metadata.namespace: ml' }] },
    { name: 'report_unknown: absent namespace', code: cm('labels: {a: b}'), params: { report_unknown: true }, errors: [{ at: '3:1-3:9', severity: 'info', message: 'decided at deploy time' }] },
    { name: 'report_unknown: templated namespace', code: cm('namespace: ${NS}'), params: { report_unknown: true }, errors: [{ at: '5:14-5:19', severity: 'info', message: 'could not evaluate k8s-default-namespace' }] },
    {
      name: "fix: default_namespace: replaces default",
      code: `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  namespace: default
data:
  a: b
`,
      params: {"default_namespace": "ml-serving"},
      errors: [{ at: '5:14-5:21' }],
      output: `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  namespace: ml-serving
data:
  a: b
`,
    },
    {
      name: "fix: default_namespace with treat_missing_as_default: inserts the namespace",
      code: `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
`,
      params: {"default_namespace": "ml-serving", "treat_missing_as_default": true},
      errors: [{ at: '3:1-3:9' }],
      output: `apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: ml-serving}
`,
    },
  ],
});
