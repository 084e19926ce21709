import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  ARGO_FIXTURE_TOKEN,
  ArgoContractServer,
  FIXTURE_IMAGES,
  FIXTURE_REPLICAS,
  FIXTURE_SECRET_VALUES,
  guestbookApp,
  neighbourApps,
  reply,
  type ArgoShape,
  type FixtureApp,
} from '../../../../test/contract/argoServer';
import { createTestTls, type TestTls } from '../../../../test/contract/tls';
import { ARGOCD_SERVER_SECRET, DriftError, SENSITIVE_MASK, argocdSecretKey, type DriftContext, type DriftStack, type ResourceDrift } from '../types';
import { ArgoCdSource, parseServer, readGitRemote } from './source';

const REMOTE = 'https://github.com/example/deploy.git';

let tls: TestTls;
let server: ArgoContractServer;
/** A second Argo CD: it must never see the first one's token. */
let other: ArgoContractServer;
let dir: string;
let repo: string;

before(async () => {
  tls = await createTestTls();
  server = await ArgoContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
  other = await ArgoContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem, token: 'other-token-0000' });
  dir = await mkdtemp(path.join(tmpdir(), 'plumbline-argocd-'));
  repo = await gitRepo('deploy', REMOTE);
  await mkdir(path.join(repo, 'guestbook'));
  await mkdir(path.join(repo, 'billing'));
});

after(async () => {
  await server.stop();
  await other.stop();
  await tls.dispose();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  server.reset();
  other.reset();
});

/** A clone as git leaves it on disk, written by hand: no git runs. */
async function gitRepo(name: string, remote: string | undefined): Promise<string> {
  const r = path.join(dir, name);
  await mkdir(path.join(r, '.git', 'refs', 'heads'), { recursive: true });
  await writeFile(path.join(r, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const origin = remote ? `[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n` : '';
  await writeFile(path.join(r, '.git', 'config'), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n${origin}[branch "main"]\n\tremote = origin\n`);
  return r;
}

function useApps(shape: ArgoShape, extra: (apps: FixtureApp[]) => void = () => {}): void {
  const apps = [guestbookApp({ repoURL: REMOTE, shape }), ...neighbourApps(REMOTE)];
  extra(apps);
  server.setApps(apps);
}

interface Ctx extends DriftContext {
  readonly logs: string[];
  readonly secretKeys: string[];
}

function ctx(root: string, extra: { env?: Record<string, string>; secrets?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {}): Ctx {
  const logs: string[] = [];
  const secretKeys: string[] = [];
  return {
    root,
    signal: extra.signal ?? new AbortController().signal,
    env: extra.env ?? { ARGOCD_SERVER: server.host, ARGOCD_AUTH_TOKEN: ARGO_FIXTURE_TOKEN },
    trusted: true,
    secret: async (key) => {
      secretKeys.push(key);
      return extra.secrets?.[key];
    },
    timeoutMs: extra.timeoutMs ?? 5000,
    now: () => new Date('2025-03-01T12:00:00Z'),
    log: (m) => logs.push(m),
    logs,
    secretKeys,
  };
}

const source = () => new ArgoCdSource({ ca: tls.caPem, backoffBaseMs: 1 });

async function rejection(p: Promise<unknown>): Promise<DriftError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DriftError, `not a DriftError: ${String(e)}`);
    return e;
  }
  assert.fail('the check did not fail');
}

/** Nothing the check produced (stacks, errors, log lines) holds a token or a Secret value. */
function assertNothingLeaks(...values: unknown[]): void {
  const text = JSON.stringify(values, (_k, v: unknown) => (v instanceof Error ? { message: v.message, hint: (v as DriftError).hint, stack: v.stack } : v));
  for (const secret of [ARGO_FIXTURE_TOKEN, ...FIXTURE_SECRET_VALUES]) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}…: ${text.slice(0, 400)}`);
}

function resource(stack: DriftStack, address: string): ResourceDrift {
  const r = stack.resources.find((x) => x.address === address);
  assert.ok(r, `no ${address} in ${stack.resources.map((x) => x.address).join(', ')}`);
  return r;
}

const GUESTBOOK_ADDRESSES = ['Deployment/guestbook/guestbook-ui', 'Secret/guestbook/guestbook-credentials', 'ConfigMap/guestbook/guestbook-settings', 'Service/guestbook/guestbook-ui'];

describe('Argo CD source', () => {
  for (const shape of ['2.x', '3.x'] as const) {
    it(`reports the guestbook app from the ${shape} status shape`, async () => {
      useApps(shape);
      const c = ctx(path.join(repo, 'guestbook'));
      const stacks = await source().check(c);
      assert.deepEqual(
        stacks.map((s) => s.id),
        ['argocd:argocd/guestbook', 'argocd:argocd/guestbook-helm'],
        'the multi-source app matches through its SSH-spelled second source; the unrelated and billing apps do not',
      );
      const st = stacks[0]!;
      assert.equal(st.source, 'argocd');
      assert.equal(st.name, 'guestbook');
      assert.equal(st.root, path.join(repo, 'guestbook'));
      assert.equal(st.status, 'drifted');
      assert.equal(st.origin, `Argo CD ${server.host} (sync OutOfSync, health Progressing)`);
      assert.equal(st.link, `https://${server.host}/applications/argocd/guestbook`);
      assert.equal(st.checkedAt, '2025-03-01T10:00:00Z');
      assert.deepEqual(st.summary, { drifted: 3, undrifted: 1 });
      assert.equal(st.problem, undefined);
      assert.deepEqual(st.resources.map((r) => r.address), GUESTBOOK_ADDRESSES, 'drifted first, then missing, then in sync');

      const deployment = resource(st, 'Deployment/guestbook/guestbook-ui');
      assert.deepEqual(deployment, {
        address: 'Deployment/guestbook/guestbook-ui',
        mode: 'managed',
        type: 'Deployment',
        name: 'guestbook-ui',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'guestbook', name: 'guestbook-ui' },
        module: '',
        status: 'drifted',
        changes: [
          { path: 'spec.replicas', declared: FIXTURE_REPLICAS.declared, live: FIXTURE_REPLICAS.live },
          { path: 'spec.template.spec.containers[0].image', declared: FIXTURE_IMAGES.declared, live: FIXTURE_IMAGES.live },
        ],
        message: 'health Progressing: Waiting for rollout to finish: 2 of 3 updated replicas are available...',
      });
      const secret = resource(st, 'Secret/guestbook/guestbook-credentials');
      assert.equal(secret.status, 'drifted');
      assert.deepEqual(secret.object, { apiVersion: 'v1', kind: 'Secret', namespace: 'guestbook', name: 'guestbook-credentials' });
      assert.deepEqual(secret.changes, [
        { path: 'data.apiKey', live: SENSITIVE_MASK, sensitive: true },
        { path: 'data.password', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true },
      ]);
      const configMap = resource(st, 'ConfigMap/guestbook/guestbook-settings');
      assert.equal(configMap.status, 'missing');
      assert.deepEqual(configMap.changes, []);
      assert.equal(configMap.message, shape === '2.x' ? 'health Missing' : undefined, '3.x: a missing object has no node in the tree');
      const service = resource(st, 'Service/guestbook/guestbook-ui');
      assert.equal(service.status, 'in-sync');
      assert.equal(service.message, 'health Healthy');
      assert.ok(st.resources.every((r) => r.declaration === undefined));

      const helm = stacks[1]!;
      assert.equal(helm.status, 'in-sync');
      assert.equal(helm.origin, `Argo CD ${server.host} (sync Synced, health Healthy)`);

      const paths = server.requests.map((r) => r.path);
      assert.ok(paths.includes('/api/v1/applications'), 'the list is read without a repo filter');
      assert.ok(paths.includes('/api/v1/applications/guestbook/managed-resources?appNamespace=argocd&project=default'));
      assert.equal(paths.includes('/api/v1/applications/guestbook/resource-tree?appNamespace=argocd&project=default'), shape === '3.x', 'the tree is read only when health lives there');
      assert.ok(!paths.some((p) => p.startsWith('/api/v1/applications/guestbook-helm/')), 'nothing more is read for an app in sync');
      assert.ok(server.requests.every((r) => r.authorization));
      assert.ok(c.logs.some((l) => l.includes('2 application(s)') && l.includes('github.com/example/deploy (guestbook)') && l.includes('ARGOCD_AUTH_TOKEN')));
      assertNothingLeaks(stacks, c.logs);
    });
  }

  it('matches apps by folder: the repository root holds every app deployed from it', async () => {
    useApps('2.x');
    const all = await source().check(ctx(repo));
    assert.deepEqual(all.map((s) => s.id), ['argocd:argocd/billing', 'argocd:argocd/guestbook', 'argocd:argocd/guestbook-helm']);
    const billing = await source().check(ctx(path.join(repo, 'billing')));
    assert.deepEqual(billing.map((s) => s.name), ['billing']);
  });

  it('returns no stack for a clone of another repository', async () => {
    useApps('2.x');
    const elsewhere = await gitRepo('elsewhere', 'git@github.com:example/something-else.git');
    assert.deepEqual(await source().check(ctx(elsewhere)), []);
  });

  it('handles an empty application list (items: null)', async () => {
    server.setApps([]);
    assert.deepEqual(await source().check(ctx(repo)), []);
  });

  it('maps resources to prune, unknown sync and an unknown app status', async () => {
    useApps('2.x', (apps) => {
      const st = apps[0]!.application.status;
      (st.resources as unknown[]).push(
        { version: 'v1', kind: 'ConfigMap', namespace: 'guestbook', name: 'old-settings', status: 'OutOfSync', requiresPruning: true, health: { status: 'Healthy' } },
        { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', name: 'guestbook-reader', status: 'Unknown' },
        { group: 'batch', version: 'v1', kind: 'Job', namespace: 'guestbook', name: 'db-migrate', status: 'Synced', hook: true },
      );
      st.sync = { status: 'Unknown' };
      delete (st as Record<string, unknown>).reconciledAt;
    });
    const [st] = await source().check(ctx(path.join(repo, 'guestbook')));
    assert.equal(st!.status, 'unknown');
    assert.equal(st!.checkedAt, '2025-03-01T09:00:00Z', 'operationState.finishedAt when reconciledAt is absent');
    const prune = resource(st!, 'ConfigMap/guestbook/old-settings');
    assert.equal(prune.status, 'unmanaged');
    assert.deepEqual(prune.changes, []);
    const role = resource(st!, 'ClusterRole/guestbook-reader');
    assert.equal(role.status, 'unknown');
    assert.deepEqual(role.object, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'guestbook-reader' });
    assert.equal(role.message, 'Argo CD reports sync status Unknown');
    assert.ok(!st!.resources.some((r) => r.type === 'Job'), 'hooks are not part of the desired state');
  });

  it('keeps statuses and warns when the 3.x resource tree cannot be read', async () => {
    useApps('3.x');
    server.script('GET /api/v1/applications/guestbook/resource-tree', { status: 500, body: { error: 'boom', code: 13, message: 'boom' } });
    const [st] = await source().check(ctx(path.join(repo, 'guestbook')));
    assert.equal(st!.status, 'drifted');
    assert.deepEqual(
      st!.resources.map((r) => [r.address, r.status, r.changes.length, r.message]),
      [
        ['Deployment/guestbook/guestbook-ui', 'drifted', 2, undefined],
        ['Secret/guestbook/guestbook-credentials', 'drifted', 2, undefined],
        // Without the tree, the managed state ("null" live) still tells it is missing.
        ['ConfigMap/guestbook/guestbook-settings', 'missing', 0, undefined],
        ['Service/guestbook/guestbook-ui', 'in-sync', 0, undefined],
      ],
    );
    assert.equal(st!.problem?.code, 'server');
    assert.match(st!.problem!.message, /^Resource health is not shown: /);
  });

  it('keeps statuses from the tree when managed resources cannot be read, without the fields', async () => {
    useApps('3.x');
    server.script('GET /api/v1/applications/guestbook/managed-resources', { status: 500, body: { error: 'boom', code: 13, message: 'boom' } });
    const [st] = await source().check(ctx(path.join(repo, 'guestbook')));
    assert.deepEqual(
      st!.resources.map((r) => [r.address, r.status, r.changes.length]),
      [
        ['Deployment/guestbook/guestbook-ui', 'drifted', 0],
        ['Secret/guestbook/guestbook-credentials', 'drifted', 0],
        ['ConfigMap/guestbook/guestbook-settings', 'missing', 0],
        ['Service/guestbook/guestbook-ui', 'in-sync', 0],
      ],
    );
    assert.match(st!.problem!.message, /^The fields that differ are not shown: /);
  });

  it('explains a 403 on managed resources with the RBAC permission needed', async () => {
    useApps('2.x');
    server.script('GET /api/v1/applications/guestbook/managed-resources', reply.forbidden());
    const [st] = await source().check(ctx(path.join(repo, 'guestbook')));
    assert.equal(st!.problem?.code, 'auth');
    assert.match(st!.problem!.message, /The fields that differ are not shown: .* denied the token from ARGOCD_AUTH_TOKEN access to the managed resources of guestbook \(403\)/);
    assert.match(st!.problem!.hint!, /applications, get/);
  });

  it('never shows Secret values, even when Argo CD sends them unmasked or broken', async () => {
    useApps('2.x', (apps) => {
      const items = apps[0]!.managedResources.items;
      const secret = items.find((i) => i.kind === 'Secret')!;
      // A truncated JSON string: V8's parse error would quote the value.
      secret.normalizedLiveState = (secret.normalizedLiveState as string).slice(0, -40);
      // The check is only meaningful if the server really sends the values.
      assert.ok(FIXTURE_SECRET_VALUES.some((v) => (secret.normalizedLiveState as string).includes(v)));
      assert.ok(FIXTURE_SECRET_VALUES.some((v) => (secret.predictedLiveState as string).includes(v)));
    });
    const c = ctx(path.join(repo, 'guestbook'));
    const [st] = await source().check(c);
    const secret = resource(st!, 'Secret/guestbook/guestbook-credentials');
    assert.deepEqual(secret.changes, []);
    assert.equal(secret.message, "Argo CD's predicted or live state of it is not valid JSON");
    assertNothingLeaks(st, c.logs);
  });

  it('does not read the deprecated diff field', async () => {
    useApps('2.x', (apps) => {
      for (const i of apps[0]!.managedResources.items) i.diff = JSON.stringify({ spec: { replicas: 99 } });
    });
    const [st] = await source().check(ctx(path.join(repo, 'guestbook')));
    // (Not a search of the whole stack for "99": a port or a temporary folder name may contain it.)
    const values = st!.resources.flatMap((r) => r.changes.flatMap((c) => [c.declared, c.live]));
    assert.ok(values.length > 0 && !values.includes(99), JSON.stringify(values));
  });

  // ---- credentials ----------------------------------------------------------------

  describe('server and token', () => {
    it('uses the token stored for ARGOCD_SERVER when ARGOCD_AUTH_TOKEN is unset', async () => {
      useApps('2.x');
      const c = ctx(repo, { env: { ARGOCD_SERVER: server.host.toUpperCase() }, secrets: { [argocdSecretKey(server.host)]: ARGO_FIXTURE_TOKEN } });
      assert.equal((await source().check(c)).length, 3);
      assert.ok(c.secretKeys.includes(argocdSecretKey(server.host)));
      assert.ok(!c.secretKeys.includes(ARGOCD_SERVER_SECRET), 'ARGOCD_SERVER wins over the stored server');
    });

    it('uses the server and token stored at sign-in', async () => {
      useApps('2.x');
      const c = ctx(repo, { env: {}, secrets: { [ARGOCD_SERVER_SECRET]: server.host, [argocdSecretKey(server.host)]: ARGO_FIXTURE_TOKEN } });
      assert.equal((await source().check(c)).length, 3);
      assert.ok(c.logs.some((l) => l.includes('Plumbline: Sign in to Argo CD')));
    });

    it('asks to sign in when there is no token, naming every way to give one', async () => {
      const e = await rejection(source().check(ctx(repo, { env: { ARGOCD_SERVER: server.host } })));
      assert.equal(e.code, 'auth');
      assert.equal(e.message, `Not signed in to Argo CD at ${server.host}.`);
      assert.match(e.hint!, /argocd account generate-token/);
      assert.match(e.hint!, /ARGOCD_AUTH_TOKEN/);
      assert.match(e.hint!, /"Plumbline: Sign in to Argo CD"/);
      assert.equal(server.requests.length, 0);
    });

    it('never sends ARGOCD_AUTH_TOKEN to a server it does not belong to', async () => {
      // A stored server, and a token in the environment meant for an ARGOCD_SERVER that is not set.
      const e = await rejection(source().check(ctx(repo, { env: { ARGOCD_AUTH_TOKEN: ARGO_FIXTURE_TOKEN }, secrets: { [ARGOCD_SERVER_SECRET]: other.host } })));
      assert.equal(e.code, 'auth');
      assert.equal(other.requests.length, 0);
    });

    it('sends the token only to ARGOCD_SERVER, even when another server is stored', async () => {
      useApps('2.x');
      const c = ctx(repo, {
        env: { ARGOCD_SERVER: server.host, ARGOCD_AUTH_TOKEN: ARGO_FIXTURE_TOKEN },
        secrets: { [ARGOCD_SERVER_SECRET]: other.host, [argocdSecretKey(other.host)]: 'other-token-0000' },
      });
      await source().check(c);
      assert.ok(server.requests.length > 0);
      assert.equal(other.requests.length, 0);
    });

    it('does not follow a redirect to another host', async () => {
      server.script('GET /api/v1/applications', reply.redirect(`https://${other.host}/api/v1/applications`));
      const e = await rejection(source().check(ctx(repo)));
      assert.equal(e.code, 'server');
      assert.match(e.message, /redirect/);
      assert.equal(other.requests.length, 0);
      assertNothingLeaks(e);
    });

    it('refuses plain HTTP and anything that is not host[:port]', async () => {
      const http = await rejection(source().check(ctx(repo, { env: { ARGOCD_SERVER: `http://${server.host}`, ARGOCD_AUTH_TOKEN: ARGO_FIXTURE_TOKEN } })));
      assert.equal(http.code, 'not-configured');
      assert.match(http.message, /HTTPS only/);
      assert.equal(server.requests.length, 0);
      assert.equal(parseServer('https://ArgoCD.example.com:8443/'), 'argocd.example.com:8443');
      assert.equal(parseServer(' argocd.example.com '), 'argocd.example.com');
      for (const bad of ['argocd.example.com/argocd', 'user@argocd.example.com', 'argo cd', 'argocd.example.com:port', '']) {
        assert.throws(() => parseServer(bad), (e: DriftError) => e.code === 'not-configured', bad);
      }
    });

    it('says what to configure when no server is set', async () => {
      const e = await rejection(source().check(ctx(repo, { env: {} })));
      assert.equal(e.code, 'not-configured');
      assert.match(e.hint!, /ARGOCD_SERVER/);
    });

    it('applies when a server is set in the environment or stored at sign-in', async () => {
      assert.equal(await new ArgoCdSource({ env: { ARGOCD_SERVER: 'argocd.example.com' } }).applies(repo), true);
      assert.equal(await new ArgoCdSource({ env: {} }).applies(repo), false);
      assert.equal(await new ArgoCdSource({ env: { ARGOCD_SERVER: '  ' }, secret: async () => undefined }).applies(repo), false);
      assert.equal(await new ArgoCdSource({ env: {}, secret: async (k) => (k === ARGOCD_SERVER_SECRET ? 'argocd.example.com' : undefined) }).applies(repo), true);
    });
  });

  // ---- failures -------------------------------------------------------------------

  describe('errors', () => {
    it('401: the token was refused', async () => {
      const e = await rejection(source().check(ctx(repo, { env: { ARGOCD_SERVER: server.host, ARGOCD_AUTH_TOKEN: 'expired-token-1234' } })));
      assert.equal(e.code, 'auth');
      assert.equal(e.message, `${server.host} refused the token from ARGOCD_AUTH_TOKEN (401): it is invalid, expired or revoked.`);
      assert.match(e.hint!, /argocd account generate-token/);
      assert.ok(!JSON.stringify({ m: e.message, h: e.hint }).includes('expired-token-1234'));
    });

    it('403: the account may not list applications', async () => {
      server.script('GET /api/v1/applications', reply.forbidden());
      const e = await rejection(source().check(ctx(repo)));
      assert.equal(e.code, 'auth');
      assert.match(e.message, /\(403\)/);
      assert.match(e.hint!, /project/);
    });

    it('404: no Argo CD API on the server', async () => {
      server.script('GET /api/v1/applications', { status: 404, raw: '404 page not found' });
      const e = await rejection(source().check(ctx(repo)));
      assert.equal(e.code, 'not-found');
      assert.equal(e.message, `${server.host} has no Argo CD API at /api/v1/applications.`);
      assert.match(e.hint!, /ARGOCD_SERVER/);
    });

    it('404 on an app that went away between list and detail', async () => {
      useApps('2.x');
      server.script('GET /api/v1/applications/guestbook/managed-resources', reply.notFound('guestbook'));
      const [st] = await source().check(ctx(path.join(repo, 'guestbook')));
      assert.equal(st!.problem?.code, 'not-found');
      assert.match(st!.problem!.hint!, /refresh/);
    });

    it('malformed: truncated JSON, HTML, and a list that is no list', async () => {
      server.script('GET /api/v1/applications', reply.malformed(), reply.html(), { status: 200, body: { items: { not: 'a list' } } });
      for (let i = 0; i < 3; i++) {
        const e = await rejection(source().check(ctx(repo)));
        assert.equal(e.code, 'malformed', e.message);
      }
    });

    it('malformed: one matching app whose status is broken becomes an error stack of its own', async () => {
      useApps('2.x', (apps) => {
        apps[0]!.application.status.resources = 'nope';
      });
      const stacks = await source().check(ctx(path.join(repo, 'guestbook')));
      assert.deepEqual(stacks.map((s) => [s.id, s.status]), [
        ['argocd:argocd/guestbook', 'error'],
        ['argocd:argocd/guestbook-helm', 'in-sync'],
      ]);
      assert.equal(stacks[0]!.problem?.code, 'malformed');
    });

    it('timeout: a server that never answers', async () => {
      server.script('GET /api/v1/applications', reply.hang());
      const e = await rejection(source().check(ctx(repo, { timeoutMs: 300 })));
      assert.equal(e.code, 'timeout');
    });

    it('network: nobody listening', async () => {
      const e = await rejection(source().check(ctx(repo, { env: { ARGOCD_SERVER: '127.0.0.1:1', ARGOCD_AUTH_TOKEN: ARGO_FIXTURE_TOKEN } })));
      assert.equal(e.code, 'network');
    });

    it('cancelled: the refresh was pressed again', async () => {
      server.script('GET /api/v1/applications', reply.hang());
      const controller = new AbortController();
      const pending = source().check(ctx(repo, { signal: controller.signal }));
      controller.abort();
      assert.equal((await rejection(pending)).code, 'cancelled');
    });

    it('not-configured: a folder outside any clone, or a clone without origin', async () => {
      const plain = await mkdtemp(path.join(dir, 'plain-'));
      const noOrigin = await gitRepo('no-origin', undefined);
      for (const root of [plain, noOrigin]) {
        const e = await rejection(new ArgoCdSource({ ca: tls.caPem, gitRemote: () => undefined }).check(ctx(root)));
        assert.equal(e.code, 'not-configured');
        assert.match(e.message, /origin/);
      }
      assert.equal(readGitRemote(noOrigin), undefined);
      assert.equal(server.requests.length, 0, 'nothing is asked before the folder is known');
    });
  });

  describe('git remote', () => {
    it('reads origin and the working tree from .git files, without credentials', async () => {
      const r = await gitRepo('with-creds', 'https://ci-bot:ghp_SecretToken123@github.com/example/deploy.git');
      await mkdir(path.join(r, 'apps', 'guestbook'), { recursive: true });
      assert.deepEqual(readGitRemote(path.join(r, 'apps', 'guestbook')), { url: 'https://github.com/example/deploy.git', repoRoot: r });
    });

    it('uses a custom remote reader', async () => {
      useApps('2.x');
      const s = new ArgoCdSource({ ca: tls.caPem, gitRemote: () => ({ url: 'git@github.com:example/deploy', repoRoot: repo }) });
      const stacks = await s.check(ctx(path.join(repo, 'billing')));
      assert.deepEqual(stacks.map((x) => x.name), ['billing']);
    });
  });
});
