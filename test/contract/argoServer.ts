import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingContractServer } from './server';

export type { RecordedRequest } from './server';

/**
 * A contract server for the Argo CD Application API on 127.0.0.1 (HTTPS,
 * port 0), answering with the shapes of docs/drift-sources.md §4: the
 * application list, one application, `managed-resources` (states as JSON
 * strings) and `resource-tree`, in the Argo CD 2.x shape (health in
 * `status.resources[]`) or the 3.x one (`resourceHealthSource: appTree`,
 * health only in the tree). Errors use the grpc-gateway body
 * (`{error, code, message}`). Tests script failures per path and read back
 * every request to check where the token went.
 */

// ---- fixture data (shared with the real-editor integration test) ----------

export const ARGO_FIXTURE_TOKEN = 'argocd-fixture.eyJhbGciOiJIUzI1NiJ9.DoNotShowMe-7f3a9c';

/** The Secret's values in clear: none may appear in a stack, an error or a log line. */
export const FIXTURE_SECRET_PLAIN = {
  declaredPassword: 'Declared-Pa55w0rd-q8Zt',
  livePassword: 'Rotated-By-Hand-K2vX9',
  liveApiKey: 'sk-live-ApiKey-4Nw7Lm',
} as const;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Every form a Secret value could leak in: clear text and base64 (as `data` holds it). */
export const FIXTURE_SECRET_VALUES: readonly string[] = Object.values(FIXTURE_SECRET_PLAIN).flatMap((v) => [v, b64(v)]);

export const FIXTURE_APP_NAME = 'guestbook';
/** The namespace the Application object lives in (Argo CD's own). */
export const FIXTURE_APP_NAMESPACE = 'argocd';
/** The namespace it deploys to. */
export const FIXTURE_DEST_NAMESPACE = 'guestbook';
export const FIXTURE_PROJECT = 'default';

export type ArgoShape = '2.x' | '3.x';

/** One application as the server holds it. */
export interface FixtureApp {
  /** The Application object (`metadata`, `spec`, `status`). */
  readonly application: Record<string, unknown> & { metadata: { name: string; namespace: string }; spec: Record<string, unknown>; status: Record<string, unknown> };
  /** The `managed-resources` answer. */
  readonly managedResources: { items: Record<string, unknown>[] };
  /** The `resource-tree` answer. */
  readonly resourceTree: { nodes: Record<string, unknown>[]; orphanedNodes?: unknown[] };
}

export interface GuestbookOptions {
  /** spec.source.repoURL: point it at the remote of a temporary git repository. */
  readonly repoURL: string;
  /** spec.source.path (default `guestbook`). */
  readonly path?: string;
  readonly shape?: ArgoShape;
  readonly name?: string;
  readonly namespace?: string;
  readonly project?: string;
}

const IMAGE = 'quay.io/argoprojlabs/argocd-e2e-container';
export const FIXTURE_IMAGES = { declared: `${IMAGE}:0.2`, live: `${IMAGE}:0.1-hotfix` } as const;
export const FIXTURE_REPLICAS = { declared: 1, live: 3 } as const;

/** The manifests in git the app deploys (relative to the source path), as a lead's integration test writes them. */
export const FIXTURE_MANIFESTS: Readonly<Record<string, string>> = {
  'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook-ui
  namespace: guestbook
spec:
  replicas: ${FIXTURE_REPLICAS.declared}
  selector:
    matchLabels:
      app: guestbook-ui
  template:
    metadata:
      labels:
        app: guestbook-ui
    spec:
      containers:
        - name: guestbook-ui
          image: ${FIXTURE_IMAGES.declared}
          ports:
            - containerPort: 80
`,
  'service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: guestbook-ui
  namespace: guestbook
spec:
  ports:
    - port: 80
      targetPort: 80
  selector:
    app: guestbook-ui
`,
  'configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-settings
  namespace: guestbook
data:
  GREETING: hello
`,
  // In real life a sealed or external secret; here the declared value is in git so a leak of it can be caught.
  'secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: guestbook-credentials
  namespace: guestbook
type: Opaque
data:
  password: ${b64(FIXTURE_SECRET_PLAIN.declaredPassword)}
`,
};

/**
 * The guestbook app: a Deployment out of sync (image and replicas), a
 * Service in sync, a ConfigMap missing live, a Secret out of sync whose
 * values must never be shown.
 */
export function guestbookApp(options: GuestbookOptions): FixtureApp {
  const name = options.name ?? FIXTURE_APP_NAME;
  const appNs = options.namespace ?? FIXTURE_APP_NAMESPACE;
  const project = options.project ?? FIXTURE_PROJECT;
  const ns = FIXTURE_DEST_NAMESPACE;
  const shape = options.shape ?? '2.x';
  const tracking = (group: string, kind: string, n: string) => ({ 'argocd.argoproj.io/tracking-id': `${name}:${group}/${kind}:${ns}/${n}` });

  const deployment = (replicas: number, image: string, live: boolean) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'guestbook-ui',
      namespace: ns,
      annotations: tracking('apps', 'Deployment', 'guestbook-ui'),
      resourceVersion: '37755',
      uid: 'b3d0c7f2-1d1e-4f55-9d59-2b8e1a0c4e11',
      // The API server bumps it; Argo CD normally drops it, but it must not count as drift if it stays.
      generation: live ? 7 : 6,
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'guestbook-ui' } },
      template: {
        metadata: { labels: { app: 'guestbook-ui' } },
        spec: { containers: [{ name: 'guestbook-ui', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
      },
    },
    ...(live ? { status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3 } } : {}),
  });
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'guestbook-ui', namespace: ns, annotations: tracking('', 'Service', 'guestbook-ui') },
    spec: { ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }], selector: { app: 'guestbook-ui' }, type: 'ClusterIP' },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'guestbook-settings', namespace: ns, annotations: tracking('', 'ConfigMap', 'guestbook-settings') },
    data: { GREETING: 'hello' },
  };
  const secret = (data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: 'guestbook-credentials',
      namespace: ns,
      annotations: {
        ...tracking('', 'Secret', 'guestbook-credentials'),
        // kubectl's copy of the object, data included: a second place a value could leak from.
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data, metadata: { name: 'guestbook-credentials' } }),
      },
    },
    data,
  });
  const secretDeclared = secret({ password: b64(FIXTURE_SECRET_PLAIN.declaredPassword) });
  const secretLive = secret({ password: b64(FIXTURE_SECRET_PLAIN.livePassword), apiKey: b64(FIXTURE_SECRET_PLAIN.liveApiKey) });

  const health2 = (status: string, message?: string) => (shape === '2.x' ? { health: { status, ...(message ? { message } : {}) } } : {});
  const rolloutMessage = 'Waiting for rollout to finish: 2 of 3 updated replicas are available...';
  const resources = [
    { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'guestbook-ui', status: 'OutOfSync', ...health2('Progressing', rolloutMessage) },
    { version: 'v1', kind: 'Service', namespace: ns, name: 'guestbook-ui', status: 'Synced', ...health2('Healthy') },
    { version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'guestbook-settings', status: 'OutOfSync', ...health2('Missing') },
    // Secrets have no health in Argo CD.
    { version: 'v1', kind: 'Secret', namespace: ns, name: 'guestbook-credentials', status: 'OutOfSync' },
  ];
  const source = { repoURL: options.repoURL, path: options.path ?? 'guestbook', targetRevision: 'HEAD' };
  const application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: appNs, uid: '0f5d6c3e-7d9a-4b0e-8f0a-4c2d1e9b7a61', resourceVersion: '123456' },
    spec: { project, source, destination: { server: 'https://kubernetes.default.svc', namespace: ns }, syncPolicy: {} },
    status: {
      sync: { status: 'OutOfSync', comparedTo: { source, destination: { server: 'https://kubernetes.default.svc', namespace: ns } }, revision: '4c5d7e1b9a0f2e3d4c5b6a7980f1e2d3c4b5a697' },
      health: { status: 'Progressing', ...(shape === '3.x' ? { lastTransitionTime: '2025-03-01T09:58:00Z' } : {}) },
      ...(shape === '3.x' ? { resourceHealthSource: 'appTree' } : {}),
      resources,
      reconciledAt: '2025-03-01T10:00:00Z',
      operationState: { phase: 'Succeeded', startedAt: '2025-03-01T08:59:30Z', finishedAt: '2025-03-01T09:00:00Z' },
      sourceType: 'Directory',
      summary: { images: [FIXTURE_IMAGES.live] },
    },
  };

  const diff = (group: string, kind: string, n: string, target: unknown, live: unknown, predicted: unknown, normalized: unknown) => ({
    group,
    kind,
    namespace: ns,
    name: n,
    targetState: JSON.stringify(target),
    liveState: JSON.stringify(live),
    normalizedLiveState: JSON.stringify(normalized),
    predictedLiveState: JSON.stringify(predicted),
    // Deprecated: the client must not read it (this one is deliberately wrong).
    diff: '{"deprecated":"do not read"}',
    hook: false,
    modified: JSON.stringify(predicted) !== JSON.stringify(normalized),
    resourceVersion: '37755',
  });
  const managedResources = {
    items: [
      diff('apps', 'Deployment', 'guestbook-ui', deployment(1, FIXTURE_IMAGES.declared, false), deployment(3, FIXTURE_IMAGES.live, true), deployment(FIXTURE_REPLICAS.declared, FIXTURE_IMAGES.declared, false), deployment(FIXTURE_REPLICAS.live, FIXTURE_IMAGES.live, true)),
      diff('', 'Service', 'guestbook-ui', service, service, service, service),
      diff('', 'ConfigMap', 'guestbook-settings', configMap, null, configMap, null),
      diff('', 'Secret', 'guestbook-credentials', secretDeclared, secretLive, secretDeclared, secretLive),
    ],
  };

  const node = (group: string, kind: string, n: string, health?: Record<string, string>, parent?: Record<string, string>) => ({
    group,
    version: 'v1',
    kind,
    namespace: ns,
    name: n,
    uid: `${kind.toLowerCase()}-${n}`,
    resourceVersion: '1',
    ...(health ? { health } : {}),
    ...(parent ? { parentRefs: [{ ...parent, namespace: ns }] } : {}),
  });
  const resourceTree = {
    nodes: [
      node('apps', 'Deployment', 'guestbook-ui', { status: 'Progressing', message: rolloutMessage }),
      node('apps', 'ReplicaSet', 'guestbook-ui-6f7d9c8b5', { status: 'Healthy' }, { group: 'apps', kind: 'Deployment', name: 'guestbook-ui' }),
      node('', 'Pod', 'guestbook-ui-6f7d9c8b5-x2k4p', { status: 'Healthy' }, { group: 'apps', kind: 'ReplicaSet', name: 'guestbook-ui-6f7d9c8b5' }),
      node('', 'Service', 'guestbook-ui', { status: 'Healthy' }),
      node('', 'Secret', 'guestbook-credentials'),
      // The ConfigMap is missing live, so it has no node.
    ],
    orphanedNodes: [],
  };
  return { application, managedResources, resourceTree };
}

/**
 * Apps that must not (or must) match a workspace cloned from `repoURL`:
 * another repository; the same repository at another path; and a
 * multi-source app that reads the guestbook folder through `spec.sources[1]`
 * over SSH (it matches).
 */
export function neighbourApps(repoURL: string, otherRepoURL = 'https://github.com/example/unrelated.git'): FixtureApp[] {
  const simple = (name: string, source: Record<string, unknown> | undefined, sources: Record<string, unknown>[] | undefined, sync: string): FixtureApp => ({
    application: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: FIXTURE_APP_NAMESPACE },
      spec: { project: FIXTURE_PROJECT, ...(source ? { source } : {}), ...(sources ? { sources } : {}), destination: { server: 'https://kubernetes.default.svc', namespace: name } },
      status: { sync: { status: sync }, health: { status: 'Healthy' }, resources: [{ version: 'v1', kind: 'ConfigMap', namespace: name, name: `${name}-config`, status: sync, health: { status: 'Healthy' } }], reconciledAt: '2025-03-01T10:00:00Z' },
    },
    managedResources: { items: [] },
    resourceTree: { nodes: [] },
  });
  return [
    simple('unrelated', { repoURL: otherRepoURL, path: 'guestbook' }, undefined, 'OutOfSync'),
    simple('billing', { repoURL, path: 'billing' }, undefined, 'OutOfSync'),
    simple('guestbook-helm', undefined, [{ repoURL: 'https://charts.example.com', chart: 'guestbook', targetRevision: '1.2.3' }, { repoURL: toScpUrl(repoURL), path: 'guestbook/', targetRevision: 'main' }], 'Synced'),
  ];
}

/** `https://host/org/repo.git` → `git@host:org/repo.git` (the same repository as seen over SSH). */
function toScpUrl(url: string): string {
  const m = /^https:\/\/([^/]+)\/(.+)$/.exec(url);
  return m ? `git@${m[1]!.toUpperCase()}:${m[2]}` : url;
}

// ---- errors, in the grpc-gateway shape Argo CD answers with ----------------------

const grpcError = (code: number, message: string) => ({ error: message, code, message });
export const UNAUTHORIZED_BODY = grpcError(16, 'invalid session: token signature is invalid');
export const FORBIDDEN_BODY = grpcError(7, 'permission denied');
export const notFoundBody = (name: string) => grpcError(5, `applications.argoproj.io "${name}" not found`);

/** A scripted answer. */
export interface Reply {
  readonly status: number;
  /** JSON body; ignored when `raw` is set. */
  readonly body?: unknown;
  /** Body text as is (malformed JSON, HTML). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer. */
  readonly hang?: boolean;
}

export const reply = {
  unauthorized: (): Reply => ({ status: 401, body: UNAUTHORIZED_BODY }),
  forbidden: (): Reply => ({ status: 403, body: FORBIDDEN_BODY }),
  notFound: (name = 'unknown'): Reply => ({ status: 404, body: notFoundBody(name) }),
  malformed: (): Reply => ({ status: 200, raw: '{"items": [{"metadata": {"name": "guestbook"', headers: { 'Content-Type': 'application/json' } }),
  html: (): Reply => ({ status: 200, raw: '<!doctype html><title>Argo CD</title>', headers: { 'Content-Type': 'text/html' } }),
  redirect: (location: string): Reply => ({ status: 307, body: null, headers: { Location: location } }),
  hang: (): Reply => ({ status: 200, hang: true }),
};

export interface ArgoServerOptions {
  readonly certPem: string;
  readonly keyPem: string;
  /** The one token accepted (default ARGO_FIXTURE_TOKEN). */
  readonly token?: string;
  readonly apps?: readonly FixtureApp[];
}

export class ArgoContractServer extends RecordingContractServer<Reply> {
  private apps: readonly FixtureApp[];

  private constructor(private readonly options: ArgoServerOptions) {
    super();
    this.apps = options.apps ?? [];
  }

  static async start(options: ArgoServerOptions): Promise<ArgoContractServer> {
    const self = new ArgoContractServer(options);
    await self.listen({ cert: options.certPem, key: options.keyPem });
    return self;
  }

  setApps(apps: readonly FixtureApp[]): void {
    this.apps = apps;
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const { url, method, scripted } = this.receive(req);
    if (scripted) return send(res, scripted);
    if (req.headers.authorization !== `Bearer ${this.options.token ?? ARGO_FIXTURE_TOKEN}`) return send(res, reply.unauthorized());
    send(res, this.route(method, url));
  }

  private route(method: string, url: URL): Reply {
    const ok = (body: unknown): Reply => ({ status: 200, body });
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (method !== 'GET' || p[0] !== 'api' || p[1] !== 'v1' || p[2] !== 'applications') return { status: 404, raw: '404 page not found', headers: { 'Content-Type': 'text/plain' } };
    const q = url.searchParams;
    if (p.length === 3) {
      let apps = this.apps.map((a) => a.application);
      // Argo CD compares `repo` with repoURL as spelled.
      const repo = q.get('repo');
      if (repo) apps = apps.filter((a) => [a.spec.source, ...((a.spec.sources as unknown[]) ?? [])].some((s) => (s as { repoURL?: string } | undefined)?.repoURL === repo));
      const projects = q.getAll('projects');
      if (projects.length) apps = apps.filter((a) => projects.includes(String(a.spec.project)));
      return ok({ metadata: { resourceVersion: '123456' }, items: apps.length ? apps : null });
    }
    const name = p[3]!;
    const appNs = q.get('appNamespace');
    const app = this.apps.find((a) => a.application.metadata.name === name && (!appNs || a.application.metadata.namespace === appNs));
    if (!app) return reply.notFound(name);
    const project = q.get('project');
    if (project && project !== app.application.spec.project) return reply.forbidden();
    if (p.length === 4) return ok(app.application);
    if (p.length === 5 && p[4] === 'managed-resources') return ok(app.managedResources);
    if (p.length === 5 && p[4] === 'resource-tree') return ok(app.resourceTree);
    return reply.notFound(name);
  }
}

function send(res: ServerResponse, r: Reply): void {
  if (r.hang) return;
  const body = r.raw ?? (r.body === undefined || r.body === null ? '' : JSON.stringify(r.body));
  res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
