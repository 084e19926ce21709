import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFixes } from '../../../fixes/engine';
import { applyEdits } from '../../../fixes/text';
import { memoryFileSystem } from '../../../service/fileSystem';
import { LanguageService, toUri } from '../../../service/languageService';
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
    {
      name: "fix: inserts readOnlyRootFilesystem into an existing securityContext",
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
      volumeMounts:
        - {name: tmp, mountPath: /tmp}
  volumes:
    - {name: tmp, emptyDir: {}}
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
        readOnlyRootFilesystem: true
      volumeMounts:
        - {name: tmp, mountPath: /tmp}
  volumes:
    - {name: tmp, emptyDir: {}}
`,
    },
    {
      name: "fix: sets false to true",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        readOnlyRootFilesystem: false
`,
      errors: [{ at: '10:33-10:38' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        readOnlyRootFilesystem: true
`,
    },
  ],
});

describe('k8s-read-only-root-fs companion fix', () => {
  const companion = async (code: string): Promise<string> => {
    const file = '/workspace/manifest.yaml';
    const service = await LanguageService.create({ fs: memoryFileSystem({ [file]: code }), rules: [rule], roots: ['/workspace'] });
    const uri = toUri(file);
    const checked = checkFixes(service, uri, service.analyze(uri).findings);
    const fix = checked.find((c) => c.fix.title.includes('emptyDir'));
    assert.ok(fix && !fix.rejected, `companion fix offered and verified: ${JSON.stringify(checked.map((c) => [c.fix.title, c.rejected]))}`);
    return applyEdits(code, fix.fix.edits);
  };

  it('appends the mount and a uniquely named volume to existing lists', async () => {
    const code = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: server
      image: registry.example.com/ml/server:1.0.0
      volumeMounts:
        - name: config
          mountPath: /etc/server
  volumes: [{name: config, configMap: {name: server}}, {name: tmp, configMap: {name: other}}]
`;
    assert.equal(
      await companion(code),
      `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: server
      image: registry.example.com/ml/server:1.0.0
      volumeMounts:
        - name: config
          mountPath: /etc/server
        - name: tmp-2
          mountPath: /tmp
      securityContext:
        readOnlyRootFilesystem: true
  volumes: [{name: config, configMap: {name: server}}, {name: tmp, configMap: {name: other}}, {name: tmp-2, emptyDir: {}}]
`,
    );
  });

  it('reuses an emptyDir volume of the same name', async () => {
    const code = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: server
      image: registry.example.com/ml/server:1.0.0
      securityContext:
        readOnlyRootFilesystem: false
  volumes:
    - name: tmp
      emptyDir: {}
`;
    assert.equal(
      await companion(code),
      `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: server
      image: registry.example.com/ml/server:1.0.0
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir: {}
`,
    );
  });
});
