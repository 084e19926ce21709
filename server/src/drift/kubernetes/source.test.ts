import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  FIXTURE_EDIT_TIME,
  FIXTURE_KUBE_TOKEN,
  FIXTURE_MANIFESTS_YAML,
  FIXTURE_SECRET_DECLARED,
  FIXTURE_SECRET_LIVE,
  KubeContractServer,
  fixtureKubeconfig,
  kubeReply,
} from '../../../../test/contract/kubeServer';
import { createTestTls, type TestTls } from '../../../../test/contract/tls';
import { parseYaml } from '../../parsers/yaml/parser';
import { documentKind } from '../../parsers/yaml/kind';
import { manifestsOf, type Manifest } from '../manifests';
import { DriftError, SENSITIVE_MASK, type DriftContext, type DriftStack } from '../types';
import { KubernetesSource, ORIGIN_DECLARED, ORIGIN_DRY_RUN, type KubernetesSourceOptions } from './source';

const ROOT = '/work/space';
const DEPLOYMENT = '/apis/apps/v1/namespaces/ml-serving/deployments/fraud-scoring';
const SECRET = '/api/v1/namespaces/ml-serving/secrets/fraud-scoring-credentials';
const SECRETS = [FIXTURE_SECRET_DECLARED, FIXTURE_SECRET_LIVE, b64(FIXTURE_SECRET_DECLARED), b64(FIXTURE_SECRET_LIVE), FIXTURE_KUBE_TOKEN];

let tls: TestTls;
let otherTls: TestTls;
let server: KubeContractServer;
let dir: string;
let logs: string[];

before(async () => {
  [tls, otherTls] = await Promise.all([createTestTls({ clientCommonName: 'dev' }), createTestTls()]);
  server = await KubeContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
  dir = await mkdtemp(path.join(tmpdir(), 'plumbline-kube-'));
});

after(async () => {
  await server.stop();
  await Promise.all([tls.dispose(), otherTls.dispose(), rm(dir, { recursive: true, force: true })]);
});

afterEach(() => server.reset());

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function manifests(yaml = FIXTURE_MANIFESTS_YAML): Manifest[] {
  const file = parseYaml('file:///work/space/k8s/model-serving.yaml', yaml, { kindOf: (root) => documentKind('yaml', root) });
  return manifestsOf([file]);
}

let kubeconfigCount = 0;
async function kubeconfig(text: string): Promise<string> {
  const file = path.join(dir, `config-${kubeconfigCount++}`);
  await writeFile(file, text);
  return file;
}

function ctx(file: string, extra: Partial<DriftContext> = {}): DriftContext {
  logs = [];
  return {
    root: ROOT,
    signal: new AbortController().signal,
    env: { KUBECONFIG: file, PATH: process.env.PATH },
    trusted: true,
    secret: async () => undefined,
    timeoutMs: 5000,
    now: () => new Date('2026-11-21T10:00:00Z'),
    log: (m) => logs.push(m),
    ...extra,
  };
}

function source(options: Partial<KubernetesSourceOptions> = {}, yaml?: string): KubernetesSource {
  const list = manifests(yaml);
  return new KubernetesSource({ manifests: () => list, ...options });
}

async function check(options: { kubeconfig?: string; ctx?: Partial<DriftContext>; source?: Partial<KubernetesSourceOptions>; yaml?: string } = {}): Promise<DriftStack> {
  const file = await kubeconfig(options.kubeconfig ?? fixtureKubeconfig({ server: server.url, caPem: tls.caPem, context: 'kind-ml' }));
  const stacks = await source(options.source, options.yaml).check(ctx(file, options.ctx));
  assert.equal(stacks.length, 1);
  assertNoSecret(stacks);
  return stacks[0]!;
}

async function failure(options: Parameters<typeof check>[0]): Promise<DriftError> {
  try {
    await check(options);
  } catch (e) {
    assert.ok(e instanceof DriftError, `expected a DriftError, got ${String(e)}`);
    assertNoSecret({ message: e.message, hint: e.hint });
    return e;
  }
  assert.fail('expected the check to fail');
}

/** Neither Secret value (plain or base64) nor the token may appear in results, errors or logs. */
function assertNoSecret(value: unknown): void {
  const text = JSON.stringify(value) + JSON.stringify(logs);
  for (const s of SECRETS) assert.ok(!text.includes(s), `a secret value leaked: ${s}`);
}

const byAddress = (stack: DriftStack, address: string) => {
  const r = stack.resources.find((x) => x.address === address);
  assert.ok(r, `no resource ${address} in ${stack.resources.map((x) => x.address).join(', ')}`);
  return r;
};

describe('KubernetesSource', () => {
  it('applies where the workspace has manifests', () => {
    assert.equal(source().applies(ROOT), true);
    assert.equal(new KubernetesSource({ manifests: () => [] }).applies(ROOT), false);
  });

  it('computes drift with a server-side dry run: drifted fields and who changed them, in sync, missing, masked Secret', async () => {
    const stack = await check();
    assert.equal(stack.id, `kubernetes:${ROOT}:kind-ml`);
    assert.equal(stack.name, 'kind-ml');
    assert.equal(stack.source, 'kubernetes');
    assert.equal(stack.status, 'drifted');
    assert.equal(stack.origin, `Kubernetes API 127.0.0.1:${server.port} ${ORIGIN_DRY_RUN}`);
    assert.equal(stack.checkedAt, '2026-11-21T10:00:00.000Z');
    assert.equal(stack.problem, undefined);
    assert.deepEqual(stack.summary, { drifted: 3, undrifted: 1 });
    assert.deepEqual(
      stack.resources.map((r) => [r.address, r.status]),
      [
        ['Deployment/ml-serving/fraud-scoring', 'drifted'],
        ['Secret/ml-serving/fraud-scoring-credentials', 'drifted'],
        ['ConfigMap/ml-serving/fraud-scoring-config', 'missing'],
        ['Service/ml-serving/fraud-scoring', 'in-sync'],
      ],
    );
    const by = `kubectl-edit (Update, ${FIXTURE_EDIT_TIME})`;
    const deployment = byAddress(stack, 'Deployment/ml-serving/fraud-scoring');
    // The server's defaults (strategy, imagePullPolicy …) and its quantity forms (2000m, 8192Mi) are not drift.
    assert.deepEqual(deployment.changes, [
      { path: 'spec.replicas', declared: 3, live: 5, changedBy: by },
      { path: 'spec.template.spec.containers[0].image', declared: 'registry.acme.io/ml/fraud-scoring:2.4.1', live: 'registry.acme.io/ml/fraud-scoring:2.4.2-hotfix', changedBy: by },
    ]);
    assert.deepEqual(deployment.object, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml-serving', name: 'fraud-scoring' });
    assert.equal(deployment.mode, 'managed');
    assert.equal(deployment.type, 'Deployment');
    assert.equal(deployment.module, '');
    assert.equal(deployment.declaration, undefined);
    assert.deepEqual(byAddress(stack, 'Secret/ml-serving/fraud-scoring-credentials').changes, [
      { path: 'data.api-key', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true, changedBy: by },
    ]);

    // What went over the wire: reads, discovery once per group/version, dry runs only.
    assert.deepEqual(server.writes(), []);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 3); // not for the missing ConfigMap
    for (const p of patches) {
      assert.deepEqual(p.query, { dryRun: 'All', fieldManager: 'plumbline', force: 'true' });
      assert.equal(p.contentType, 'application/apply-patch+yaml');
      assert.ok(p.bearer);
    }
    assert.equal(patches.find((p) => p.path === DEPLOYMENT)!.body, manifests()[0]!.text);
    assert.equal(server.requests.filter((r) => r.path === '/api/v1').length, 1);
    assert.equal(server.requests.filter((r) => r.path === '/apis/apps/v1').length, 1);
  });

  it('falls back to the manifest\'s fields when the dry run is forbidden (403), with quantities normalised', async () => {
    for (const p of [DEPLOYMENT, SECRET, '/api/v1/namespaces/ml-serving/services/fraud-scoring']) server.always(`PATCH ${p}`, kubeReply.forbidden('patch', 'deployments.apps', 'ml-serving'));
    const stack = await check();
    assert.equal(stack.origin, `Kubernetes API 127.0.0.1:${server.port} ${ORIGIN_DECLARED}`);
    const deployment = byAddress(stack, 'Deployment/ml-serving/fraud-scoring');
    assert.deepEqual(deployment.changes.map((c) => c.path), ['spec.replicas', 'spec.template.spec.containers[0].image']);
    assert.equal(byAddress(stack, 'Service/ml-serving/fraud-scoring').status, 'in-sync');
    const secret = byAddress(stack, 'Secret/ml-serving/fraud-scoring-credentials');
    assert.deepEqual(secret.changes, [{ path: 'data.api-key', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true, changedBy: `kubectl-edit (Update, ${FIXTURE_EDIT_TIME})` }]);
  });

  it('reports a 403 on GET as no permission, naming the RBAC verb', async () => {
    server.always(`GET ${DEPLOYMENT}`, kubeReply.forbidden('get', 'deployments.apps', 'ml-serving'));
    const stack = await check();
    const d = byAddress(stack, 'Deployment/ml-serving/fraud-scoring');
    assert.equal(d.status, 'error');
    assert.equal(d.message, 'No permission to get deployments in namespace ml-serving (RBAC verb "get" on apps/deployments).');
  });

  it('fails the whole check on 401 with the kubectl hint, and never shows the token', async () => {
    const e = await failure({ kubeconfig: fixtureKubeconfig({ server: server.url, caPem: tls.caPem, token: 'expired-token-0123456789abcdef' }) });
    assert.equal(e.code, 'auth');
    assert.match(e.message, /401 Unauthorized/);
    assert.match(e.hint!, /kubectl --context fixture get ns/);
    assert.ok(!e.message.includes('expired-token-0123456789abcdef'));
  });

  it('refuses a server whose certificate is not signed by the kubeconfig\'s CA, and sends it nothing', async () => {
    // A server of its own, so no request of an earlier test can arrive during this one.
    const lone = await KubeContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
    try {
      const e = await failure({ kubeconfig: fixtureKubeconfig({ server: lone.url, caPem: otherTls.caPem }) });
      assert.equal(e.code, 'network');
      assert.match(e.message, new RegExp(`The certificate of ${lone.url.replace(/[.]/g, '\\.')} is not signed by the certificate authority in the kubeconfig \\(certificate-authority-data of cluster "fixture-cluster"\\)`));
      assert.match(e.message, /did not connect without verification/);
      assert.deepEqual(lone.requests, []);
    } finally {
      await lone.stop();
    }
  });

  it('without a CA in the kubeconfig, verifies with the system\'s CAs (and so refuses the test CA)', async () => {
    const lone = await KubeContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
    try {
      const e = await failure({ kubeconfig: fixtureKubeconfig({ server: lone.url }) });
      assert.equal(e.code, 'network');
      assert.match(e.message, /not signed by a certificate authority this system trusts/);
      assert.deepEqual(lone.requests, []);
    } finally {
      await lone.stop();
    }
  });

  it('skips verification only when the kubeconfig says insecure-skip-tls-verify, and warns about it', async () => {
    const stack = await check({ kubeconfig: fixtureKubeconfig({ server: server.url, insecureSkipTlsVerify: true }) });
    assert.equal(stack.status, 'drifted');
    assert.equal(stack.problem?.code, 'failed');
    assert.match(stack.problem!.message, /TLS verification is off for cluster "fixture-cluster"/);
    assert.ok(logs.some((l) => l.includes('TLS verification is OFF')));
  });

  it('authenticates with a client certificate from the kubeconfig', async () => {
    const mtls = await KubeContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem, clientCaPem: tls.caPem, token: null });
    try {
      const config = [
        'current-context: cert',
        'clusters:',
        `- {name: c, cluster: {server: "${mtls.url}", certificate-authority-data: ${b64(tls.caPem)}}}`,
        'users:',
        `- {name: u, user: {client-certificate-data: ${b64(tls.clientCertPem!)}, client-key-data: ${b64(tls.clientKeyPem!)}}}`,
        'contexts:',
        '- {name: cert, context: {cluster: c, user: u}}',
        '',
      ].join('\n');
      const stack = await check({ kubeconfig: config });
      assert.equal(stack.status, 'drifted');
      assert.ok(mtls.requests.length > 0 && mtls.requests.every((r) => r.clientCertificate && !r.bearer));
    } finally {
      await mtls.stop();
    }
  });

  it('uses the context\'s namespace for a manifest without one, and marks kinds the cluster does not serve as unknown', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: fraud-scoring',
      'spec:',
      '  selector:',
      '    app.kubernetes.io/name: fraud-scoring',
      '  ports:',
      '    - port: 80',
      '      targetPort: 8080',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: ml-serving',
      '---',
      'apiVersion: monitoring.coreos.com/v1',
      'kind: ServiceMonitor',
      'metadata:',
      '  name: fraud-scoring',
      '  namespace: ml-serving',
      '',
    ].join('\n');
    const stack = await check({ yaml, kubeconfig: fixtureKubeconfig({ server: server.url, caPem: tls.caPem, namespace: 'ml-serving' }) });
    assert.equal(byAddress(stack, 'Service/ml-serving/fraud-scoring').status, 'in-sync');
    assert.equal(byAddress(stack, 'Namespace/ml-serving').status, 'in-sync');
    const sm = byAddress(stack, 'ServiceMonitor/ml-serving/fraud-scoring');
    assert.equal(sm.status, 'unknown');
    assert.match(sm.message!, /does not serve ServiceMonitor in monitoring\.coreos\.com\/v1/);
    assert.equal(stack.status, 'unknown');
  });

  it('chooses the context from the panel over current-context', async () => {
    const two = [
      'current-context: broken',
      'clusters:',
      `- {name: good, cluster: {server: "${server.url}", certificate-authority-data: ${b64(tls.caPem)}}}`,
      '- {name: bad, cluster: {server: "https://127.0.0.1:1"}}',
      'users:',
      `- {name: u, user: {token: ${FIXTURE_KUBE_TOKEN}}}`,
      'contexts:',
      '- {name: broken, context: {cluster: bad, user: u}}',
      '- {name: chosen, context: {cluster: good, user: u}}',
      '',
    ].join('\n');
    const stack = await check({ kubeconfig: two, source: { context: () => 'chosen' } });
    assert.equal(stack.name, 'chosen');
    const e = await failure({ kubeconfig: two });
    assert.equal(e.code, 'network');
  });

  it('reports a malformed body and a failing dry run per object, and a hung server as a timeout', async () => {
    server.always(`GET ${DEPLOYMENT}`, kubeReply.malformed());
    server.always(`PATCH ${SECRET}`, { status: 500, body: { kind: 'Status', code: 500, message: `webhook rejected value ${FIXTURE_SECRET_DECLARED}` } });
    const stack = await check();
    const d = byAddress(stack, 'Deployment/ml-serving/fraud-scoring');
    assert.equal(d.status, 'error');
    assert.match(d.message!, /not JSON/);
    const s = byAddress(stack, 'Secret/ml-serving/fraud-scoring-credentials');
    assert.equal(s.status, 'error');
    assert.match(s.message!, /dry run failed: the API server answered 500/);

    server.reset();
    server.always('GET /api/v1', kubeReply.hang());
    server.always('GET /apis/apps/v1', kubeReply.hang());
    const e = await failure({ source: { requestTimeoutMs: 200 } });
    assert.equal(e.code, 'timeout');
  });

  it('checks with a kubeconfig token in an untrusted workspace, but runs no exec plugin there', async () => {
    const stack = await check({ ctx: { trusted: false } });
    assert.equal(stack.status, 'drifted');
    server.reset();
    const exec = [
      'current-context: e',
      'clusters:',
      `- {name: c, cluster: {server: "${server.url}", certificate-authority-data: ${b64(tls.caPem)}}}`,
      'users:',
      '- {name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws, args: [eks, get-token], interactiveMode: Never}}}',
      'contexts:',
      '- {name: e, context: {cluster: c, user: u}}',
      '',
    ].join('\n');
    const e = await failure({ kubeconfig: exec, ctx: { trusted: false }, source: { spawn: () => assert.fail('spawned in an untrusted workspace') } });
    assert.equal(e.code, 'untrusted');
    assert.deepEqual(server.requests, []);
  });
});
