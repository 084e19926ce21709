import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';
import { fieldPath, fieldSteps, findManifest, manifestDeclaration, manifestsOf } from './manifests';

const YAML = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: fraud-scoring',
  '  namespace: ml',
  '  labels:',
  '    app.kubernetes.io/name: fraud-scoring',
  'spec:',
  '  replicas: 2',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: server',
  '          image: registry.example.com/fraud@sha256:0123',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: thresholds',
  'data:',
  '  cutoff: "0.7"',
  '',
].join('\n');

async function manifests() {
  const s = await LanguageService.create({ fs: memoryFileSystem({ '/w/k8s/app.yaml': YAML }), roots: ['/w'] });
  return manifestsOf([s.yamlFile(toUri('/w/k8s/app.yaml'))!]);
}

describe('drift: Kubernetes manifests', () => {
  it('lists every object of a multi-document file with its body and text', async () => {
    const ms = await manifests();
    assert.deepEqual(
      ms.map((m) => [m.index, m.object]),
      [
        [0, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'fraud-scoring' }],
        [1, { apiVersion: 'v1', kind: 'ConfigMap', name: 'thresholds' }],
      ],
    );
    assert.equal((ms[0]!.body.spec as { replicas: number }).replicas, 2);
    assert.match(ms[1]!.text, /^apiVersion: v1\nkind: ConfigMap\n/);
    assert.ok(!ms[1]!.text.includes('Deployment'));
  });

  it('finds the manifest of an object by group, kind, name and namespace; a manifest without namespace matches any', async () => {
    const ms = await manifests();
    assert.equal(findManifest(ms, { apiVersion: 'apps/v1beta2', kind: 'Deployment', namespace: 'ml', name: 'fraud-scoring' })?.index, 0);
    assert.equal(findManifest(ms, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other', name: 'fraud-scoring' }), undefined);
    assert.equal(findManifest(ms, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'thresholds' })?.index, 1);
    assert.equal(findManifest(ms, { apiVersion: 'batch/v1', kind: 'ConfigMap', name: 'thresholds' }), undefined, 'another group');
  });

  it('maps field paths to the exact key, or the deepest key the manifest writes; the header is the kind key', async () => {
    const [deployment] = await manifests();
    const d = manifestDeclaration(deployment!, ['spec.replicas', 'spec.template.spec.containers[0].image', 'metadata.labels.app\\.kubernetes\\.io/name', 'spec.strategy.type']);
    assert.deepEqual(d.range.start, { line: 1, character: 0 });
    assert.deepEqual(d.attributes?.['spec.replicas'], { start: { line: 8, character: 2 }, end: { line: 8, character: 13 } });
    assert.equal(d.attributes?.['spec.template.spec.containers[0].image']?.start.line, 13);
    assert.equal(d.attributes?.['metadata.labels.app\\.kubernetes\\.io/name']?.start.line, 6);
    assert.equal(d.attributes?.['spec.strategy.type']?.start.line, 7, 'spec: the deepest key present');
  });

  it('writes and reads field paths with dots in keys', () => {
    const steps = ['metadata', 'annotations', 'example.com/owner', 'x'];
    assert.equal(fieldPath(steps), 'metadata.annotations.example\\.com/owner.x');
    assert.deepEqual(fieldSteps(fieldPath(steps)), steps);
    assert.deepEqual(fieldSteps('spec.containers[1].ports[0].containerPort'), ['spec', 'containers', 1, 'ports', 0, 'containerPort']);
    assert.equal(fieldPath(['spec', 'containers', 1, 'image']), 'spec.containers[1].image');
  });
});
