import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownHostOf, matchesRegistry, normalizeImage, registryPatterns, tagOf } from '../containers/imageRef';
import { documentKind, fileKindOf } from '../parsers/yaml/kind';
import { parseYaml } from '../parsers/yaml/parser';
import { gpuResourceMatcher, isAiWorkload } from './aiWorkload';
import { matchesSelector, workloads, type Workload } from './workloads';

function workloadOf(text: string): Workload {
  const path = 'deploy/app.yaml';
  const file = parseYaml(`file:///${path}`, text, { kindOf: (root) => documentKind(fileKindOf(path), root) });
  const [w] = workloads({ file, documents: file.documents });
  assert.ok(w, 'expected a workload');
  return w;
}

const pod = (labels: string, image: string, resources = '{}') => `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: ${labels}
spec:
  containers:
    - name: app
      image: ${image}
      resources: ${resources}
`;

describe('label selectors', () => {
  const labels = new Map([['app', 'vllm'], ['tier', 'serving']]);
  it('equality, inequality, existence and absence terms must all hold', () => {
    assert.ok(matchesSelector(labels, 'app=vllm'));
    assert.ok(matchesSelector(labels, 'app==vllm'));
    assert.ok(matchesSelector(labels, 'app=vllm, tier'));
    assert.ok(matchesSelector(labels, 'tier!=batch,!legacy'));
    assert.ok(!matchesSelector(labels, 'app=tgi'));
    assert.ok(!matchesSelector(labels, 'app=vllm,legacy'));
    assert.ok(!matchesSelector(labels, '!app'));
    assert.ok(!matchesSelector(labels, ''));
  });
});

describe('ai_workload_selector', () => {
  it('a GPU resource, the workload-type label or an AI image selects a workload', () => {
    assert.ok(isAiWorkload(workloadOf(pod('{}', 'registry.example.com/app:1', '{limits: {nvidia.com/mig-1g.10gb: 1}}'))));
    assert.ok(isAiWorkload(workloadOf(pod('{plumbline.dev/workload-type: batch-inference}', 'registry.example.com/app:1'))));
    assert.ok(isAiWorkload(workloadOf(pod('{}', 'vllm/vllm-openai:v0.6.3')), { aiImagePatterns: ['vllm/*'] }));
    assert.ok(!isAiWorkload(workloadOf(pod('{plumbline.dev/workload-type: web}', 'registry.example.com/app:1', '{limits: {cpu: 1}}'))));
  });
  it('GPU patterns use * for any characters', () => {
    const isGpu = gpuResourceMatcher(['nvidia.com/mig-*', 'gpu.intel.com/*']);
    assert.ok(isGpu('nvidia.com/mig-3g.40gb'));
    assert.ok(isGpu('gpu.intel.com/i915'));
    assert.ok(!isGpu('nvidia.com/gpu'));
  });
});

describe('image normalisation and registry patterns', () => {
  it('normalises as the container runtime does', () => {
    assert.deepEqual(normalizeImage('busybox:1.36'), { host: 'docker.io', path: 'library/busybox' });
    assert.deepEqual(normalizeImage('vllm/vllm-openai:v0.6.3'), { host: 'docker.io', path: 'vllm/vllm-openai' });
    assert.deepEqual(normalizeImage('index.docker.io/library/busybox'), { host: 'docker.io', path: 'library/busybox' });
    assert.deepEqual(normalizeImage('localhost/app'), { host: 'localhost', path: 'app' });
    assert.deepEqual(normalizeImage('Registry.Example.com:5000/ml/app:1@sha256:' + 'a'.repeat(64)), { host: 'registry.example.com:5000', path: 'ml/app' });
  });
  it('tags: a registry port is not a tag', () => {
    assert.equal(tagOf('registry:5000/app'), undefined);
    assert.equal(tagOf('registry:5000/app:1.2'), '1.2');
    assert.equal(tagOf('app:latest@sha256:' + 'a'.repeat(64)), 'latest');
  });
  it('* matches one DNS label; path prefixes match whole segments', () => {
    const [ecr, ml] = registryPatterns(['*.dkr.ecr.eu-central-1.amazonaws.com', 'registry.example.com/ml/']);
    assert.ok(matchesRegistry({ host: '123456789012.dkr.ecr.eu-central-1.amazonaws.com', path: 'x' }, ecr!));
    assert.ok(!matchesRegistry({ host: 'a.b.dkr.ecr.eu-central-1.amazonaws.com', path: 'x' }, ecr!));
    assert.ok(matchesRegistry({ host: 'registry.example.com', path: 'ml/app' }, ml!));
    assert.ok(!matchesRegistry({ host: 'registry.example.com', path: 'ml-experimental/app' }, ml!));
  });
  it('a literal prefix fixes the host only when it reaches a slash', () => {
    assert.equal(knownHostOf('ghcr.io/'), 'ghcr.io');
    assert.equal(knownHostOf('library/'), 'docker.io');
    assert.equal(knownHostOf('registry.example.com'), undefined);
  });
});
