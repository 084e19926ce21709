import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` (line 7) has the given securityContext body (line 10). */
const pod = (context: string, os = 'linux') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        ${context}
  os:
    name: ${os}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (read-only with emptyDir caches)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated value is unknown', code: pod('readOnlyRootFilesystem: {{ .Values.readOnly }}') },
    { name: 'Windows pods are exempt', code: pod('runAsNonRoot: true', 'windows') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (absent on an init container ⇒ ctr; false ⇒ value)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '10:11-10:28', severity: 'medium', message: 'Init container "init-schema" in StatefulSet "vector-db" does not set' },
        { at: '16:37-16:42', severity: 'medium', message: 'readOnlyRootFilesystem: false leaves the filesystem of container "db"' },
      ],
    },
    { name: 'writable_paths_hint appears in the message', code: pod('readOnlyRootFilesystem: "true"'), params: { writable_paths_hint: ['/tmp', '/root/.cache'] }, errors: [{ at: '10:33-10:39', message: '(/tmp, /root/.cache)' }] },
    { name: 'templated os.name with report_unknown', code: pod('readOnlyRootFilesystem: false', '"{{ .Values.os }}"'), params: { report_unknown: true }, errors: [{ at: '12:11-12:29', severity: 'info', message: 'spec.os.name' }] },
    { name: 'report_unknown: templated value', code: pod('readOnlyRootFilesystem: ${RO}'), params: { report_unknown: true }, errors: [{ at: '10:33-10:38', severity: 'info', message: 'could not evaluate k8s-read-only-root-fs' }] },
  ],
});
