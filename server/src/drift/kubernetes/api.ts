import { HttpError, requestJson, type JsonResponse } from '../http';
import { DriftError } from '../types';
import type { KubeCluster, KubeCredentials } from './kubeconfig';

/**
 * The few Kubernetes API calls drift needs: discovery (kind → plural and
 * scope), GET of one object, and a server-side apply in dry-run mode, which
 * is what `kubectl diff --server-side` sends. Every request goes to the
 * kubeconfig's server only, verified with its CA; nothing here writes.
 */

export interface ApiResource {
  /** The plural used in URLs (`deployments`). */
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface KubeApiOptions {
  readonly cluster: KubeCluster;
  readonly credentials: KubeCredentials;
  readonly signal: AbortSignal;
  /** Epoch ms by which the whole check must end. */
  readonly deadline: number;
  /** Limit for one request (default 30 s), within the deadline. */
  readonly requestTimeoutMs?: number;
}

export const FIELD_MANAGER = 'plumbline';

/** The discovery path of an apiVersion: `/api/v1` for the core group, `/apis/{group}/{version}` otherwise. */
export function discoveryPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The URL path of one object (namespace only for namespaced kinds). */
export function objectPath(apiVersion: string, resource: ApiResource, name: string, namespace: string | undefined): string {
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${discoveryPath(apiVersion)}${ns}/${resource.name}/${encodeURIComponent(name)}`;
}

export class KubeApi {
  private readonly discovery = new Map<string, Promise<readonly ApiResource[] | undefined>>();
  private readonly base: URL;

  constructor(private readonly options: KubeApiOptions) {
    this.base = new URL(options.cluster.server);
  }

  /** `host:port` of the server, for messages. */
  get host(): string {
    return this.base.host;
  }

  /**
   * The resource serving `kind` in `apiVersion`; undefined when the cluster
   * does not serve that group/version or has no such kind in it. One
   * discovery request per group/version and check.
   */
  async resource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    let list = this.discovery.get(apiVersion);
    if (!list) {
      list = this.discover(apiVersion);
      this.discovery.set(apiVersion, list);
      // A failed discovery is not cached: the next check (or manifest) asks again.
      list.catch(() => this.discovery.delete(apiVersion));
    }
    return (await list)?.find((r) => r.kind === kind);
  }

  get(path: string): Promise<JsonResponse> {
    return this.request('GET', path);
  }

  /** Server-side apply of a manifest in dry-run mode: the object as it would be after applying, live state untouched. */
  dryRunApply(path: string, manifestYaml: string): Promise<JsonResponse> {
    const query = new URLSearchParams({ dryRun: 'All', fieldManager: FIELD_MANAGER, force: 'true' });
    return this.request('PATCH', `${path}?${query}`, manifestYaml, 'application/apply-patch+yaml');
  }

  private async discover(apiVersion: string): Promise<readonly ApiResource[] | undefined> {
    let res: JsonResponse;
    try {
      res = await this.get(discoveryPath(apiVersion));
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return undefined;
      throw e;
    }
    const body = res.body as { resources?: unknown } | null;
    if (!body || typeof body !== 'object' || !Array.isArray(body.resources)) {
      throw new DriftError('malformed', `${this.host} answered the discovery of ${apiVersion} with something other than an APIResourceList.`, 'Check that the kubeconfig\'s server is the Kubernetes API server (not a proxy or dashboard).');
    }
    const out: ApiResource[] = [];
    for (const r of body.resources as unknown[]) {
      if (typeof r !== 'object' || r === null) continue;
      const { name, kind, namespaced, verbs } = r as Record<string, unknown>;
      // Subresources (`deployments/scale`) share the kind of their parent.
      if (typeof name !== 'string' || name.includes('/') || typeof kind !== 'string') continue;
      out.push({ name, kind, namespaced: namespaced === true, verbs: Array.isArray(verbs) ? verbs.filter((v): v is string => typeof v === 'string') : [] });
    }
    return out;
  }

  private async request(method: string, path: string, body?: string, contentType?: string): Promise<JsonResponse> {
    const remaining = this.options.deadline - Date.now();
    if (remaining <= 0) throw new DriftError('timeout', `The check of ${this.host} passed its time limit before ${method} ${path.split('?')[0]}.`, 'Raise plumbline.drift.timeoutSeconds, or check fewer manifests.');
    const { cluster, credentials } = this.options;
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return requestJson(`${this.base.origin}${prefix}${path}`, {
      method,
      headers: { Accept: 'application/json', ...(contentType ? { 'Content-Type': contentType } : {}) },
      ...(body !== undefined ? { body } : {}),
      ...(credentials.token ? { token: credentials.token } : {}),
      ...(credentials.cert && credentials.key ? { cert: credentials.cert, key: credentials.key } : {}),
      ...(cluster.ca ? { ca: cluster.ca } : {}),
      ...(cluster.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      signal: this.options.signal,
      timeoutMs: Math.min(this.options.requestTimeoutMs ?? 30_000, remaining),
      // The API server's own throttling (429) is rare for a handful of reads; one retry is enough.
      maxRetries: 1,
    });
  }
}
