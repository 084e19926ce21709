import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SENSITIVE_MASK } from '../types';
import { MAX_CHANGES, diffObjects } from './diff';

const plain = { sensitive: false };

describe('Argo CD state diff', () => {
  it('names each changed leaf with its field path', () => {
    const declared = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } };
    const live = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } } };
    assert.deepEqual(diffObjects(declared, live, plain), [
      { path: 'spec.replicas', declared: 1, live: 3 },
      { path: 'spec.template.spec.containers[0].image', declared: 'web:2', live: 'web:1' },
    ]);
  });

  it('reports a field set on one side only, and a whole subtree at its root', () => {
    const declared = { metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, spec: { ports: [{ port: 80 }] } };
    const live = { metadata: { labels: {} }, spec: { ports: [{ port: 80 }, { port: 443 }] }, extra: { a: 1 } };
    assert.deepEqual(diffObjects(declared, live, plain), [
      { path: 'extra', live: { a: 1 } },
      { path: 'metadata.labels.app\\.kubernetes\\.io/name', declared: 'web' },
      { path: 'spec.ports[1]', live: { port: 443 } },
    ]);
  });

  it('compares a map and a list, or null and a value, as different', () => {
    assert.deepEqual(diffObjects({ a: [1] }, { a: { 0: 1 } }, plain), [{ path: 'a', declared: [1], live: { 0: 1 } }]);
    assert.deepEqual(diffObjects({ a: null }, { a: 0 }, plain), [{ path: 'a', declared: null, live: 0 }]);
    assert.deepEqual(diffObjects({ a: null }, { a: null }, plain), []);
  });

  it('skips status and the metadata the API server writes', () => {
    const declared = { metadata: { name: 'x', generation: 1, resourceVersion: '1', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'a' } } };
    const live = {
      metadata: { name: 'x', generation: 2, resourceVersion: '9', uid: 'u', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}', team: 'b' } },
      status: { ready: true },
    };
    assert.deepEqual(diffObjects(declared, live, plain), [{ path: 'metadata.annotations.team', declared: 'a', live: 'b' }]);
  });

  it('masks every value when the object is sensitive', () => {
    const changes = diffObjects({ data: { password: 'czNjcjN0' } }, { data: { password: 'b3RoZXI=', token: 'dG9rZW4=' } }, { sensitive: true });
    assert.deepEqual(changes, [
      { path: 'data.password', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true },
      { path: 'data.token', live: SENSITIVE_MASK, sensitive: true },
    ]);
  });

  it('diffs against a missing object and stops at the change limit', () => {
    assert.deepEqual(diffObjects({ data: { a: '1' } }, null, plain), [{ path: '', declared: { data: { a: '1' } } }]);
    const big = Object.fromEntries(Array.from({ length: MAX_CHANGES + 50 }, (_, i) => [`k${i}`, i]));
    assert.equal(diffObjects(big, {}, plain).length, MAX_CHANGES);
  });
});
