import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureLiveObjects, FIXTURE_EDIT_TIME, FIXTURE_SECRET_DECLARED, FIXTURE_SECRET_LIVE } from '../../../../test/contract/kubeServer';
import { SENSITIVE_MASK, type JsonValue } from '../types';
import { changedBy, compareDeclared, compareDryRun, parseQuantity, sameValue, withoutServerFields, type JsonObject } from './diff';

const live = (kind: string) => structuredClone(fixtureLiveObjects().find((o) => o.kind === kind)!) as JsonObject;

describe('quantities and numbers', () => {
  const equal: [string | number, string | number][] = [
    ['1000m', '1'],
    ['1000m', 1],
    ['1Gi', '1024Mi'],
    ['8Gi', '8192Mi'],
    ['0.5', '500m'],
    ['1k', 1000],
    ['1e3', '1k'],
    [3, '3'],
  ];
  const different: [string | number, string | number][] = [
    ['1G', '1Gi'],
    ['100m', '1'],
    ['1.2', '1.20'], // two plain strings stay text (an image tag, a version)
    ['v1', 'v1.0'],
  ];
  for (const [a, b] of equal) it(`${JSON.stringify(a)} = ${JSON.stringify(b)}`, () => assert.ok(sameValue(a, b)));
  for (const [a, b] of different) it(`${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`, () => assert.ok(!sameValue(a, b)));
  it('parses suffixes', () => {
    assert.equal(parseQuantity('250m'), 0.25);
    assert.equal(parseQuantity('2Ki'), 2048);
    assert.equal(parseQuantity('abc'), undefined);
  });
});

describe('server-managed fields', () => {
  it('drops status, bookkeeping metadata and the last-applied annotation', () => {
    const s = withoutServerFields(live('Secret'));
    assert.equal(s.status, undefined);
    assert.deepEqual(Object.keys(s.metadata as JsonObject).sort(), ['name', 'namespace']);
  });
});

describe('compareDeclared (no dry run)', () => {
  it('compares only the fields the manifest writes, with quantities normalised and defaults ignored', () => {
    const manifest: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fraud-scoring', namespace: 'ml-serving', labels: { 'app.kubernetes.io/name': 'fraud-scoring' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [{ name: 'model-server', image: 'registry.acme.io/ml/fraud-scoring:2.4.1', resources: { requests: { cpu: '2', memory: '8Gi' } } }],
          },
        },
      },
    };
    const changes = compareDeclared(manifest, live('Deployment'));
    const by = `kubectl-edit (Update, ${FIXTURE_EDIT_TIME})`;
    assert.deepEqual(changes, [
      { path: 'spec.replicas', declared: 3, live: 5, changedBy: by },
      { path: 'spec.template.spec.containers[0].image', declared: 'registry.acme.io/ml/fraud-scoring:2.4.1', live: 'registry.acme.io/ml/fraud-scoring:2.4.2-hotfix', changedBy: by },
    ]);
  });

  it('matches list items by name, keeping the manifest index in the path', () => {
    const l: JsonObject = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'sidecar', image: 's' }, { name: 'app', image: 'live' }] } };
    const m: JsonObject = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'declared' }] } };
    assert.deepEqual(compareDeclared(m, l), [{ path: 'spec.containers[0].image', declared: 'declared', live: 'live' }]);
  });

  it('reports a declared field that is gone live, escaping dots in keys', () => {
    const m: JsonObject = { kind: 'ConfigMap', metadata: { name: 'c', labels: { 'app.kubernetes.io/name': 'x' } } };
    const l: JsonObject = { kind: 'ConfigMap', metadata: { name: 'c' } };
    assert.deepEqual(compareDeclared(m, l), [{ path: 'metadata.labels', declared: { 'app.kubernetes.io/name': 'x' } }]);
    const l2: JsonObject = { kind: 'ConfigMap', metadata: { name: 'c', labels: {} } };
    assert.deepEqual(compareDeclared(m, l2), [{ path: 'metadata.labels.app\\.kubernetes\\.io/name', declared: 'x' }]);
  });

  it("masks a Secret's data on both sides, stringData folded into data first", () => {
    const m: JsonObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fraud-scoring-credentials' }, stringData: { 'api-key': FIXTURE_SECRET_DECLARED } };
    const changes = compareDeclared(m, live('Secret'));
    assert.deepEqual(changes, [{ path: 'data.api-key', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true, changedBy: `kubectl-edit (Update, ${FIXTURE_EDIT_TIME})` }]);
    const same: JsonObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fraud-scoring-credentials' }, data: { 'api-key': Buffer.from(FIXTURE_SECRET_LIVE).toString('base64') } };
    assert.deepEqual(compareDeclared(same, live('Secret')), []);
  });
});

describe('compareDryRun', () => {
  it('reports every difference between the dry-run result and live, and nothing for server bookkeeping', () => {
    const l = live('Service');
    const merged = structuredClone(l);
    (merged.metadata as JsonObject).resourceVersion = '99999';
    (merged.metadata as JsonObject).managedFields = [];
    assert.deepEqual(compareDryRun(merged, l), []);
    (merged.spec as JsonObject).ports = [{ port: 80, protocol: 'TCP', targetPort: 9090 }];
    assert.deepEqual(compareDryRun(merged, l), [{ path: 'spec.ports[0].targetPort', declared: 9090, live: 8080, changedBy: `kubectl (Apply, 2026-11-01T08:00:00Z)` }]);
  });

  it('masks Secret data that only one side has', () => {
    const l = live('Secret');
    const merged = structuredClone(l);
    (merged.data as JsonObject)['extra'] = Buffer.from('another-secret-value').toString('base64');
    const changes = compareDryRun(merged, l);
    assert.deepEqual(changes, [{ path: 'data.extra', declared: SENSITIVE_MASK, sensitive: true }]);
    assert.ok(!JSON.stringify(changes).includes('another-secret-value'));
  });
});

describe('changedBy', () => {
  const managed: JsonValue[] = [
    { manager: 'plumbline', operation: 'Apply', time: '2026-12-01T00:00:00Z', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    { manager: 'helm', operation: 'Apply', time: '2026-10-01T00:00:00Z', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:tags': { 'v:"blue"': {} }, 'f:args': { 'i:1': {} } } } },
    { manager: 'kubectl-scale', operation: 'Update', time: '2026-09-01T00:00:00Z', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    { manager: 'controller', operation: 'Update', time: '2026-09-02T00:00:00Z', fieldsV1: { 'f:spec': { 'f:template': {} } } },
  ];
  const obj: JsonObject = { spec: { replicas: 2, tags: ['red', 'blue'], args: ['a', 'b'], template: { spec: { x: 1 } } } };

  it('prefers an imperative Update over an applier, and never names plumbline', () => {
    assert.equal(changedBy(managed, ['spec', 'replicas'], obj), 'kubectl-scale (Update, 2026-09-01T00:00:00Z)');
  });
  it('follows v: set items and i: indexes', () => {
    assert.equal(changedBy(managed, ['spec', 'tags', 1], obj), 'helm (Apply, 2026-10-01T00:00:00Z)');
    assert.equal(changedBy(managed, ['spec', 'tags', 0], obj), undefined);
    assert.equal(changedBy(managed, ['spec', 'args', 1], obj), 'helm (Apply, 2026-10-01T00:00:00Z)');
  });
  it('credits the owner of an atomic ancestor', () => {
    assert.equal(changedBy(managed, ['spec', 'template', 'spec', 'x'], obj), 'controller (Update, 2026-09-02T00:00:00Z)');
  });
});
