import { HttpError } from '../http';
import type { Manifest } from '../manifests';
import { DriftError, kubeAddress, sortResources, type DriftContext, type DriftProblem, type DriftSource, type DriftStack, type KubeObjectRef, type ResourceDrift, type StackDriftStatus } from '../types';
import { KubeApi, objectPath, type ApiResource } from './api';
import { compareDeclared, compareDryRun, isObject, secretValues, type JsonObject } from './diff';
import { chooseContext, credentialsFor, loadKubeconfig, resolveTarget, type KubeTarget, type ReadFile, type SpawnFn } from './kubeconfig';
import { mapLimit } from '../util';

/**
 * Live drift of the workspace's Kubernetes manifests, computed the way
 * `kubectl diff --server-side` does: for each manifest object, GET the live
 * object and compare it with the result of a server-side apply in dry-run
 * mode. Where the dry run is forbidden (it needs the `patch` verb), only the
 * fields the manifest writes are compared.
 *
 * The cluster, credentials and CA come from the kubeconfig (KUBECONFIG or
 * ~/.kube/config) and the context chosen in the panel or its current-context.
 * TLS is always verified with the kubeconfig's CA (or the system's), unless
 * the kubeconfig itself says `insecure-skip-tls-verify`, which the stack then
 * shows as a warning. Secret data never leaves this module unmasked.
 */

export interface KubernetesSourceOptions {
  /** The manifests of a workspace folder (open buffers first). */
  readonly manifests: (root: string) => readonly Manifest[];
  /** The context chosen in the panel; undefined: the kubeconfig's current-context. */
  readonly context?: () => string | undefined;
  readonly readFile?: ReadFile;
  /** Starts exec credential plugins (tests pass a recorder). */
  readonly spawn?: SpawnFn;
  readonly platform?: NodeJS.Platform;
  /** Limit for one request (default 30 s), always within the check's time limit. */
  readonly requestTimeoutMs?: number;
  /** Limit for one exec plugin run (default 60 s), within the check's time limit. */
  readonly execTimeoutMs?: number;
  /** Objects checked in parallel (default 4). */
  readonly concurrency?: number;
}

export const ORIGIN_DRY_RUN = '(server-side dry run)';
export const ORIGIN_DECLARED = "(compared with the manifest's fields: dry run not permitted)";

type Mode = 'dry-run' | 'declared' | 'none';

interface Checked {
  readonly resource: ResourceDrift;
  readonly mode: Mode;
}

export class KubernetesSource implements DriftSource {
  readonly kind = 'kubernetes' as const;
  readonly scope = 'workspace' as const;

  constructor(private readonly options: KubernetesSourceOptions) {}

  applies(root: string): boolean {
    return this.options.manifests(root).length > 0;
  }

  async check(ctx: DriftContext): Promise<DriftStack[]> {
    const deadline = Date.now() + ctx.timeoutMs;
    const manifests = this.options.manifests(ctx.root);
    const redact = redactor(manifests.flatMap((m) => secretValues(m.body)));
    const readFile = this.options.readFile;
    const config = await loadKubeconfig({ env: ctx.env, ...(readFile ? { readFile } : {}), ...(this.options.platform ? { platform: this.options.platform } : {}) });
    const context = chooseContext(config, this.options.context?.());
    const target = await resolveTarget(config, context, readFile ? { readFile } : {});
    const credentials = await credentialsFor(target, {
      env: ctx.env,
      trusted: ctx.trusted,
      signal: ctx.signal,
      remainingMs: () => deadline - Date.now(),
      ...(this.options.spawn ? { spawn: this.options.spawn } : {}),
      ...(this.options.execTimeoutMs !== undefined ? { execTimeoutMs: this.options.execTimeoutMs } : {}),
    });
    // Stops the other objects' requests as soon as one failure ends the whole check.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    if (ctx.signal.aborted) stop.abort();
    const api = new KubeApi({
      cluster: target.cluster,
      credentials,
      signal: stop.signal,
      deadline,
      ...(this.options.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
    });
    const insecure = target.cluster.insecureSkipTlsVerify;
    ctx.log?.(
      `Kubernetes: context "${target.context}" → ${api.host} with ${credentials.via}${insecure ? '; TLS verification is OFF (insecure-skip-tls-verify in the kubeconfig)' : ''}; ${manifests.length} object(s).`,
    );

    let checked: Checked[];
    try {
      checked = await mapLimit(manifests, this.options.concurrency ?? 4, (m) => this.checkObject(api, m, target, redact), () => stop.abort());
    } catch (e) {
      throw explain(e, target, api.host, redact);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    const resources = sortResources(checked.map((c) => c.resource));
    const modes = new Set(checked.map((c) => c.mode));
    const how = modes.has('declared')
      ? modes.has('dry-run')
        ? "(server-side dry run; compared with the manifest's fields where the dry run is not permitted)"
        : ORIGIN_DECLARED
      : ORIGIN_DRY_RUN;
    const problem: DriftProblem | undefined = insecure
      ? {
          code: 'failed',
          message: `TLS verification is off for cluster "${target.cluster.name}": the kubeconfig sets insecure-skip-tls-verify, so the identity of ${api.host} was not checked.`,
          hint: `Give the cluster its CA (certificate-authority-data) in the kubeconfig and remove insecure-skip-tls-verify.`,
        }
      : undefined;
    const drifted = resources.filter((r) => r.status === 'drifted' || r.status === 'missing').length;
    return [
      {
        id: `kubernetes:${ctx.root}:${target.context}`,
        source: 'kubernetes',
        name: target.context,
        root: ctx.root,
        status: stackStatus(resources),
        checkedAt: ctx.now().toISOString(),
        origin: `Kubernetes API ${api.host} ${how}`,
        resources,
        summary: { drifted, undrifted: resources.filter((r) => r.status === 'in-sync').length },
        ...(problem ? { problem } : {}),
      },
    ];
  }

  private async checkObject(api: KubeApi, m: Manifest, target: KubeTarget, redact: (s: string) => string): Promise<Checked> {
    const ref = m.object;
    const unresolved = { address: kubeAddress(ref), mode: 'managed' as const, type: ref.kind, name: ref.name, module: '', object: ref };
    let resource: ApiResource | undefined;
    try {
      resource = await api.resource(ref.apiVersion, ref.kind);
    } catch (e) {
      if (isFatal(e)) throw e;
      return { mode: 'none', resource: { ...unresolved, status: 'error', changes: [], message: redact(`Discovery of ${ref.apiVersion} failed: ${(e as Error).message}`) } };
    }
    if (!resource) {
      return {
        mode: 'none',
        resource: { ...unresolved, status: 'unknown', changes: [], message: `The cluster does not serve ${ref.kind} in ${ref.apiVersion} (discovery has no such kind); is its CustomResourceDefinition installed, or the apiVersion current?` },
      };
    }
    const namespace = resource.namespaced ? (ref.namespace ?? target.namespace) : undefined;
    const object: KubeObjectRef = { apiVersion: ref.apiVersion, kind: ref.kind, ...(namespace ? { namespace } : {}), name: ref.name };
    const base = { ...unresolved, address: kubeAddress(object), object };
    const path = objectPath(ref.apiVersion, resource, ref.name, namespace);
    const where = `${resource.name}${namespace ? ` in namespace ${namespace}` : ''}`;

    let live: JsonObject;
    try {
      const res = await api.get(path);
      if (!isObject(res.body as never) || !isObject((res.body as JsonObject).metadata)) throw new DriftError('malformed', `${api.host} answered GET ${path} with something other than a Kubernetes object.`);
      live = res.body as JsonObject;
    } catch (e) {
      if (isFatal(e)) throw e;
      if (e instanceof HttpError && e.status === 404) {
        return { mode: 'none', resource: { ...base, status: 'missing', changes: [], message: `Not found live: no ${ref.kind} "${ref.name}"${namespace ? ` in namespace ${namespace}` : ''} on the cluster.` } };
      }
      if (e instanceof HttpError && e.status === 403) {
        return { mode: 'none', resource: { ...base, status: 'error', changes: [], message: `No permission to get ${where} (RBAC verb "get" on ${groupOf(ref.apiVersion)}${resource.name}).` } };
      }
      return { mode: 'none', resource: { ...base, status: 'error', changes: [], message: redact(errorText(e, ref.kind === 'Secret')) } };
    }

    try {
      const res = await api.dryRunApply(path, m.text.trim() !== '' ? m.text : JSON.stringify(m.body));
      if (!isObject(res.body as never)) throw new DriftError('malformed', `${api.host} answered the dry-run apply of ${path} with something other than a Kubernetes object.`);
      const changes = compareDryRun(res.body as JsonObject, live);
      return { mode: 'dry-run', resource: { ...base, status: changes.length ? 'drifted' : 'in-sync', changes } };
    } catch (e) {
      if (isFatal(e)) throw e;
      // 403: no `patch` permission; 405/415: a server that does not take server-side apply.
      if (e instanceof HttpError && (e.status === 403 || e.status === 405 || e.status === 415)) {
        const changes = compareDeclared(m.body as JsonObject, live);
        return { mode: 'declared', resource: { ...base, status: changes.length ? 'drifted' : 'in-sync', changes } };
      }
      return {
        mode: 'none',
        resource: { ...base, status: 'error', changes: [], message: redact(`The server-side dry run failed: ${errorText(e, ref.kind === 'Secret')}`) },
      };
    }
  }
}

/** Failures of the whole check: credentials refused, the server unreachable or untrusted, time up. */
function isFatal(e: unknown): boolean {
  if (e instanceof HttpError) return e.status === undefined || e.status === 401;
  return e instanceof DriftError ? e.code === 'timeout' || e.code === 'cancelled' : true;
}

function explain(e: unknown, target: KubeTarget, host: string, redact: (s: string) => string): Error {
  const cluster = target.cluster;
  const context = target.context;
  if (e instanceof HttpError && e.status === 401) {
    return new DriftError(
      'auth',
      `${host} rejected the credentials of context "${context}" (401 Unauthorized): the token has expired or was revoked, or the client certificate is not accepted.`,
      `Run \`kubectl --context ${context} get ns\` to refresh the credentials (an exec plugin or your cloud CLI renews them), then refresh.`,
    );
  }
  if (e instanceof HttpError && e.tlsCode) {
    const code = e.tlsCode;
    if (/ALERT|CERTIFICATE_REQUIRED/i.test(code)) {
      return new DriftError('auth', `${host} refused the client certificate of context "${context}" during the TLS handshake (${code}).`, 'Check client-certificate(-data) and client-key(-data) for the user, or renew the certificate.');
    }
    if (/ALTNAME/i.test(code)) {
      return new DriftError('network', `The certificate of ${cluster.server} does not name ${host} (${code}); Plumbline did not send a request without verification.`, `Check the server address of cluster "${cluster.name}" in the kubeconfig.`);
    }
    const by = cluster.caFrom ? `the certificate authority in the kubeconfig (${cluster.caFrom})` : `a certificate authority this system trusts (the kubeconfig gives none for cluster "${cluster.name}")`;
    return new DriftError(
      'network',
      `The certificate of ${cluster.server} is not signed by ${by} (${code}); Plumbline did not connect without verification.`,
      `Check certificate-authority(-data) of cluster "${cluster.name}" (\`kubectl --context ${context} get ns\` fails the same way), and that ${host} is the cluster you expect.`,
    );
  }
  if (e instanceof HttpError && e.code === 'network') {
    return new DriftError('network', redact(`Cannot reach the Kubernetes API of context "${context}" at ${cluster.server}: ${e.message}`), 'Check the network (VPN, proxy, firewall) and the server address in the kubeconfig.');
  }
  if (e instanceof DriftError && e.code === 'timeout') {
    return new DriftError('timeout', redact(`The Kubernetes API at ${cluster.server} did not answer in time: ${e.message}`), e.hint ?? 'Check the network, or raise plumbline.drift.timeoutSeconds.');
  }
  if (e instanceof DriftError) return new DriftError(e.code, redact(e.message), e.hint);
  return new DriftError('failed', redact(`The Kubernetes check failed: ${(e as Error)?.message ?? String(e)}`));
}

/** An error's text for a resource row; for Secrets the server's words are left out (they could quote a value). */
function errorText(e: unknown, secret: boolean): string {
  if (e instanceof HttpError) {
    if (secret && e.status !== undefined) return `the API server answered ${e.status}.`;
    return e.message;
  }
  return (e as Error)?.message ?? String(e);
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? `${apiVersion.slice(0, apiVersion.lastIndexOf('/'))}/` : '';
}

function stackStatus(resources: readonly ResourceDrift[]): StackDriftStatus {
  if (resources.some((r) => r.status === 'drifted' || r.status === 'missing')) return 'drifted';
  if (resources.length > 0 && resources.every((r) => r.status === 'error')) return 'error';
  if (resources.some((r) => r.status !== 'in-sync')) return 'unknown';
  return 'in-sync';
}

function redactor(secrets: readonly string[]): (s: string) => string {
  const list = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return (s) => list.reduce((acc, v) => acc.split(v).join('***'), s);
}

