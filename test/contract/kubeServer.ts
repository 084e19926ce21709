import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parse as parseYamlText } from 'yaml';
import { ContractServer } from './server';

/**
 * A contract server for the Kubernetes API on 127.0.0.1 (HTTPS, port 0),
 * answering with the shapes of docs/drift-sources.md §3: discovery
 * (`APIVersions`, `APIGroupList`, `APIResourceList`), GET of namespaced and
 * cluster-scoped objects from an in-memory store (with `managedFields`), and
 * server-side apply in dry-run mode (`PATCH …?dryRun=All`,
 * `application/apply-patch+yaml`), which merges the manifest into the live
 * object without storing it. Failures are `Status` objects (401, 403, 404).
 * Tests script failures per `METHOD /path` and read back every request.
 * Anything that would write (a PATCH without dryRun=All, PUT, POST, DELETE)
 * is refused and recorded.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

// ---- fixture ------------------------------------------------------------------------

export const FIXTURE_KUBE_TOKEN = 'kube-fixture-token.DoNotShowMe.0123456789abcdef';
/** The namespace of the fixture objects (as in examples/kubernetes/model-serving.yaml). */
export const FIXTURE_NAMESPACE = 'ml-serving';
/** The Secret's value as the manifest declares it, and as it is live (decoded); neither may appear in any output. */
export const FIXTURE_SECRET_DECLARED = 'declared-Api-Key-7f3b9c21e5';
export const FIXTURE_SECRET_LIVE = 'rotated-by-hand-Zq81Lm0xPw';
export const FIXTURE_EDIT_TIME = '2026-11-20T09:12:00Z';
export const FIXTURE_APPLY_TIME = '2026-11-01T08:00:00Z';

/**
 * The manifests the fixture drifts from (one multi-document file): the
 * Deployment and Service of examples/kubernetes/model-serving.yaml, a
 * ConfigMap that does not exist live, and a Secret whose data was changed.
 */
export const FIXTURE_MANIFESTS_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: fraud-scoring
  namespace: ml-serving
  labels:
    app.kubernetes.io/name: fraud-scoring
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: fraud-scoring
  template:
    metadata:
      labels:
        app.kubernetes.io/name: fraud-scoring
    spec:
      containers:
        - name: model-server
          image: registry.acme.io/ml/fraud-scoring:2.4.1
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: "2"
              memory: 8Gi
            limits:
              memory: 8Gi
---
apiVersion: v1
kind: Service
metadata:
  name: fraud-scoring
  namespace: ml-serving
spec:
  selector:
    app.kubernetes.io/name: fraud-scoring
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: fraud-scoring-config
  namespace: ml-serving
data:
  threshold: "0.92"
---
apiVersion: v1
kind: Secret
metadata:
  name: fraud-scoring-credentials
  namespace: ml-serving
type: Opaque
stringData:
  api-key: ${FIXTURE_SECRET_DECLARED}
`;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function applyEntry(fieldsV1: Obj, apiVersion: string): Obj {
  return { manager: 'kubectl', operation: 'Apply', apiVersion, time: FIXTURE_APPLY_TIME, fieldsType: 'FieldsV1', fieldsV1 };
}

function editEntry(fieldsV1: Obj, apiVersion: string): Obj {
  return { manager: 'kubectl-edit', operation: 'Update', apiVersion, time: FIXTURE_EDIT_TIME, fieldsType: 'FieldsV1', fieldsV1 };
}

/**
 * The live objects: the Deployment scaled to 5 and given another image with
 * `kubectl edit` (managedFields say so), the Service in sync (with the
 * fields the server defaults), the ConfigMap absent, the Secret's data
 * rotated by hand, and the namespace itself.
 */
export function fixtureLiveObjects(): Obj[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: FIXTURE_NAMESPACE, uid: 'c7f0b1c2-0000-4000-8000-000000000001', resourceVersion: '101', creationTimestamp: FIXTURE_APPLY_TIME, labels: { 'kubernetes.io/metadata.name': FIXTURE_NAMESPACE } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'fraud-scoring',
        namespace: FIXTURE_NAMESPACE,
        uid: 'c7f0b1c2-0000-4000-8000-000000000002',
        resourceVersion: '48213',
        generation: 4,
        creationTimestamp: FIXTURE_APPLY_TIME,
        labels: { 'app.kubernetes.io/name': 'fraud-scoring' },
        annotations: { 'deployment.kubernetes.io/revision': '3' },
        managedFields: [
          applyEntry(
            {
              'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {} } },
              'f:spec': {
                'f:selector': {},
                'f:template': {
                  'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {} } },
                  'f:spec': {
                    'f:containers': {
                      'k:{"name":"model-server"}': {
                        '.': {},
                        'f:name': {},
                        'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                        'f:resources': { 'f:limits': { 'f:memory': {} }, 'f:requests': { 'f:cpu': {}, 'f:memory': {} } },
                      },
                    },
                  },
                },
              },
            },
            'apps/v1',
          ),
          editEntry(
            {
              'f:spec': {
                'f:replicas': {},
                'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"model-server"}': { 'f:image': {} } } } },
              },
            },
            'apps/v1',
          ),
          { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: FIXTURE_EDIT_TIME, fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } },
        ],
      },
      spec: {
        replicas: 5,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-scoring' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'fraud-scoring' } },
          spec: {
            containers: [
              {
                name: 'model-server',
                image: 'registry.acme.io/ml/fraud-scoring:2.4.2-hotfix',
                imagePullPolicy: 'IfNotPresent',
                ports: [{ containerPort: 8080, protocol: 'TCP' }],
                // The server's canonical forms: the manifest's "2" and 8Gi, written differently.
                resources: { requests: { cpu: '2000m', memory: '8192Mi' }, limits: { memory: '8Gi' } },
                terminationMessagePath: '/dev/termination-log',
                terminationMessagePolicy: 'File',
              },
            ],
            dnsPolicy: 'ClusterFirst',
            restartPolicy: 'Always',
            schedulerName: 'default-scheduler',
            securityContext: {},
            terminationGracePeriodSeconds: 30,
          },
        },
      },
      status: { replicas: 5, readyReplicas: 5, observedGeneration: 4 },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'fraud-scoring',
        namespace: FIXTURE_NAMESPACE,
        uid: 'c7f0b1c2-0000-4000-8000-000000000003',
        resourceVersion: '48100',
        creationTimestamp: FIXTURE_APPLY_TIME,
        managedFields: [
          applyEntry({ 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} } }, 'v1'),
        ],
      },
      spec: {
        clusterIP: '10.96.14.7',
        clusterIPs: ['10.96.14.7'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
        selector: { 'app.kubernetes.io/name': 'fraud-scoring' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'fraud-scoring-credentials',
        namespace: FIXTURE_NAMESPACE,
        uid: 'c7f0b1c2-0000-4000-8000-000000000004',
        resourceVersion: '48300',
        creationTimestamp: FIXTURE_APPLY_TIME,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { 'api-key': FIXTURE_SECRET_DECLARED } }) },
        managedFields: [
          applyEntry({ 'f:type': {} }, 'v1'),
          editEntry({ 'f:data': { 'f:api-key': {} } }, 'v1'),
        ],
      },
      type: 'Opaque',
      data: { 'api-key': b64(FIXTURE_SECRET_LIVE) },
    },
  ];
}

// ---- discovery -----------------------------------------------------------------------

interface ResourceInfo {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const DISCOVERY: Readonly<Record<string, readonly ResourceInfo[]>> = {
  v1: [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'namespaces/status', kind: 'Namespace', namespaced: false },
    { name: 'nodes', kind: 'Node', namespaced: false },
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'pods/log', kind: 'Pod', namespaced: true },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'services', kind: 'Service', namespaced: true },
  ],
  'apps/v1': [
    { name: 'daemonsets', kind: 'DaemonSet', namespaced: true },
    { name: 'deployments', kind: 'Deployment', namespaced: true },
    { name: 'deployments/scale', kind: 'Scale', namespaced: true },
    { name: 'deployments/status', kind: 'Deployment', namespaced: true },
    { name: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  ],
  'batch/v1': [
    { name: 'cronjobs', kind: 'CronJob', namespaced: true },
    { name: 'jobs', kind: 'Job', namespaced: true },
  ],
};

export function apiResourceList(groupVersion: string): Obj {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: (DISCOVERY[groupVersion] ?? []).map((r) => ({
      name: r.name,
      singularName: r.name.includes('/') ? '' : r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.name.includes('/') ? ['get', 'patch', 'update'] : VERBS,
    })),
  };
}

/** The store key (URL path) of an object. */
export function livePath(o: Obj): string | undefined {
  const apiVersion = String(o.apiVersion);
  const meta = (o.metadata ?? {}) as Obj;
  const info = DISCOVERY[apiVersion]?.find((r) => r.kind === o.kind && !r.name.includes('/'));
  if (!info) return undefined;
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}${info.namespaced ? `/namespaces/${String(meta.namespace ?? 'default')}` : ''}/${info.name}/${String(meta.name)}`;
}

// ---- replies -------------------------------------------------------------------------

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  /** Body text as is (malformed JSON). */
  readonly raw?: string;
  /** Never answer. */
  readonly hang?: boolean;
}

function status(code: number, reason: string, message: string): Reply {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}

export const kubeReply = {
  unauthorized: (): Reply => status(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (verb: string, resource: string, namespace?: string): Reply =>
    status(403, 'Forbidden', `${resource} is forbidden: User "dev" cannot ${verb} resource "${resource.split('.')[0]}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`),
  notFound: (what = 'the server could not find the requested resource'): Reply => status(404, 'NotFound', what),
  malformed: (): Reply => ({ status: 200, raw: '{"kind": "Deployment", "metadata": ' }),
  hang: (): Reply => ({ status: 200, hang: true }),
};

export interface RecordedKubeRequest {
  readonly method: string;
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Readonly<Record<string, string>>;
  readonly contentType?: string;
  readonly body: string;
  /** Whether a bearer token came with it (not which one). */
  readonly bearer: boolean;
  /** Whether the client presented a certificate the server's CA verified. */
  readonly clientCertificate: boolean;
}

export interface KubeServerOptions {
  readonly certPem: string;
  readonly keyPem: string;
  /** The CA that signs client certificates; with it the server asks for one (requestCert) and accepts it as credentials. */
  readonly clientCaPem?: string;
  /** The bearer token accepted (default FIXTURE_KUBE_TOKEN); null: tokens are not accepted. */
  readonly token?: string | null;
  /** Live objects (default fixtureLiveObjects()). */
  readonly objects?: readonly Obj[];
}

export class KubeContractServer extends ContractServer<Reply> {
  readonly requests: RecordedKubeRequest[] = [];
  private readonly store = new Map<string, Obj>();

  private constructor(private readonly options: KubeServerOptions) {
    super();
    this.load(options.objects ?? fixtureLiveObjects());
  }

  static async start(options: KubeServerOptions): Promise<KubeContractServer> {
    const self = new KubeContractServer(options);
    await self.listen({
      cert: options.certPem,
      key: options.keyPem,
      // Ask for a client certificate but let the handler decide: a token may authenticate instead.
      ...(options.clientCaPem ? { ca: options.clientCaPem, requestCert: true, rejectUnauthorized: false } : {}),
    });
    return self;
  }

  /** The server address for a kubeconfig. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Replaces the live objects. */
  load(objects: readonly Obj[]): void {
    this.store.clear();
    for (const o of objects) {
      const p = livePath(o);
      if (p) this.store.set(p, structuredClone(o));
    }
  }

  /** Requests that would have changed something (none should ever come). */
  writes(): RecordedKubeRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !(r.method === 'PATCH' && r.query.dryRun === 'All'));
  }

  override reset(objects?: readonly Obj[]): void {
    super.reset();
    this.requests.length = 0;
    this.load(objects ?? this.options.objects ?? fixtureLiveObjects());
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://contract.invalid');
      const method = req.method ?? 'GET';
      const socket = req.socket as TLSSocket;
      const clientCertificate = this.options.clientCaPem !== undefined && socket.authorized === true;
      const auth = req.headers.authorization;
      this.requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
        body,
        bearer: typeof auth === 'string' && auth.startsWith('Bearer '),
        clientCertificate,
      });
      const key = `${method} ${url.pathname}`;
      const scripted = this.scriptedReply(key);
      if (scripted) return send(res, scripted);
      const token = this.options.token === undefined ? FIXTURE_KUBE_TOKEN : this.options.token;
      const tokenOk = token !== null && auth === `Bearer ${token}`;
      if (!tokenOk && !clientCertificate) return send(res, kubeReply.unauthorized());
      send(res, this.route(method, url, body, req.headers['content-type']));
    });
  }

  private route(method: string, url: URL, body: string, contentType: string | undefined): Reply {
    const p = url.pathname;
    if (method === 'GET' && p === '/api') return ok({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] });
    if (method === 'GET' && p === '/apis') {
      const groups = Object.keys(DISCOVERY)
        .filter((gv) => gv.includes('/'))
        .map((gv) => {
          const [name, version] = gv.split('/') as [string, string];
          return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
        });
      return ok({ kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const gv = /^\/api\/(v1)$/.exec(p)?.[1] ?? /^\/apis\/([^/]+\/[^/]+)$/.exec(p)?.[1];
    if (gv !== undefined) return method === 'GET' && DISCOVERY[gv] ? ok(apiResourceList(gv)) : kubeReply.notFound();

    const live = this.store.get(p);
    if (method === 'GET') return live ? ok(live) : kubeReply.notFound(`${p.split('/').slice(-2).join(' "')}" not found`);
    if (method === 'PATCH' && url.searchParams.get('dryRun') === 'All') {
      if (contentType !== 'application/apply-patch+yaml') return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml`);
      if (!url.searchParams.get('fieldManager')) return status(400, 'BadRequest', 'fieldManager is required for apply requests');
      let applied: unknown;
      try {
        applied = parseYamlText(body);
      } catch {
        return status(400, 'BadRequest', 'error decoding YAML');
      }
      if (!isObj(applied)) return status(400, 'BadRequest', 'the apply body is not an object');
      return ok(dryRunApply(live, applied, p, url.searchParams.get('fieldManager')!));
    }
    return status(405, 'MethodNotAllowed', 'this contract server answers reads and dry runs only');
  }
}

/** The object after a server-side apply of `applied` onto `live`, not stored. */
function dryRunApply(live: Obj | undefined, applied: Obj, path: string, manager: string): Obj {
  const incoming = structuredClone(applied);
  if (incoming.kind === 'Secret' && isObj(incoming.stringData)) {
    const data = isObj(incoming.data) ? incoming.data : {};
    for (const [k, v] of Object.entries(incoming.stringData)) data[k] = b64(String(v));
    incoming.data = data;
    delete incoming.stringData;
  }
  const merged = live ? (merge(live, incoming) as Obj) : incoming;
  const meta = (isObj(merged.metadata) ? merged.metadata : (merged.metadata = {})) as Obj;
  const ns = /\/namespaces\/([^/]+)\/[^/]+\/[^/]+$/.exec(path)?.[1];
  if (ns && !meta.namespace) meta.namespace = ns;
  const managed = Array.isArray(meta.managedFields) ? meta.managedFields : [];
  meta.managedFields = [...managed, { manager, operation: 'Apply', apiVersion: String(applied.apiVersion), time: new Date().toISOString(), fieldsType: 'FieldsV1', fieldsV1: {} }];
  if (live && typeof meta.generation === 'number' && JSON.stringify(live.spec) !== JSON.stringify(merged.spec)) meta.generation += 1;
  return merged;
}

/** Applied fields win; lists of named objects merge item by item, other lists are replaced (what SSA does for the fixture's schemas). */
function merge(live: Json, applied: Json): Json {
  if (isObj(live) && isObj(applied)) {
    const out: Obj = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = k in live ? merge(live[k]!, v) : v;
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied) && applied.every(isObj)) {
    return applied.map((item, i) => {
      const o = item as Obj;
      const match = typeof o.name === 'string' ? live.find((x) => isObj(x) && x.name === o.name) : live[i];
      return match !== undefined ? merge(match, item) : item;
    });
  }
  return applied;
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function send(res: ServerResponse, r: Reply): void {
  if (r.hang) return;
  const text = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
  res.writeHead(r.status, { 'Content-Type': 'application/json' });
  res.end(text);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- kubeconfig ------------------------------------------------------------------------

export interface FixtureKubeconfigOptions {
  readonly server: string;
  readonly caPem?: string;
  readonly token?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly insecureSkipTlsVerify?: boolean;
}

/** A one-context kubeconfig (YAML) for the contract server. */
export function fixtureKubeconfig(o: FixtureKubeconfigOptions): string {
  const context = o.context ?? 'fixture';
  const cluster = [
    `    server: ${o.server}`,
    ...(o.caPem ? [`    certificate-authority-data: ${b64(o.caPem)}`] : []),
    ...(o.insecureSkipTlsVerify ? ['    insecure-skip-tls-verify: true'] : []),
  ];
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: ${context}-cluster`,
    '  cluster:',
    ...cluster,
    'users:',
    `- name: ${context}-user`,
    '  user:',
    `    token: ${o.token ?? FIXTURE_KUBE_TOKEN}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}-cluster`,
    `    user: ${context}-user`,
    ...(o.namespace ? [`    namespace: ${o.namespace}`] : []),
    '',
  ].join('\n');
}
