import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readGitSource } from '../../evidence/git';
import { HttpError, requestJson, type JsonResponse } from '../http';
import { isObject } from '../planJson';
import {
  ARGOCD_SERVER_SECRET,
  DriftError,
  argocdSecretKey,
  kubeAddress,
  sortResources,
  type DriftContext,
  type DriftProblem,
  type DriftSource,
  type DriftStack,
  type JsonValue,
  type KubeObjectRef,
  type ResourceDrift,
  type ResourceDriftStatus,
  type StackDriftStatus,
} from '../types';
import { diffObjects } from './diff';
import { appMatches, repoId, type AppSourceRef } from './match';
import { mapLimit, problemOf } from '../util';

/**
 * Argo CD: one stack per application that deploys from the workspace folder
 * (a source whose repoURL is the folder's git remote and whose path overlaps
 * the folder), with the app's sync and health status, every resource of
 * `status.resources`, and for the out-of-sync ones the fields that differ
 * between `predictedLiveState` (declared) and `normalizedLiveState` (live)
 * from `managed-resources`.
 *
 * The server is the user's, never the workspace's: ARGOCD_SERVER from the
 * environment, else the one stored at sign-in. The token goes to that host
 * only (URLs are built from it, redirects are not followed, no link from a
 * response is followed), and ARGOCD_AUTH_TOKEN only ever goes to
 * ARGOCD_SERVER. Since the workspace names no host, an untrusted workspace
 * is checked like a trusted one; its git remote is read from files (no
 * program runs) and used only to filter the list locally.
 *
 * `applies()` gets no context, so it reads the environment and the editor's
 * secrets through the constructor's `env` and `secret` options: it is true
 * when a server is configured there. `check()` throws
 * DriftError('not-configured') when none is (for hosts that check every
 * folder regardless).
 */

export const SIGN_IN_COMMAND = 'Plumbline: Sign in to Argo CD';
export const ARGOCD_ORIGIN = 'Argo CD';

export interface GitRemote {
  /** The `origin` remote's URL. */
  readonly url: string;
  /** The working tree's top folder (where `.git` is). */
  readonly repoRoot: string;
}

export interface ArgoCdSourceOptions {
  /** Certificate authorities to trust for the API (tests, private installations); NODE_EXTRA_CA_CERTS works too. */
  readonly ca?: string | Buffer;
  /** First 429 backoff step (default 500 ms). */
  readonly backoffBaseMs?: number;
  /** Retries after a 429 (default 3). */
  readonly maxRetries?: number;
  /** Limit for one request (default 30 s), always within the check's `timeoutMs`. */
  readonly requestTimeoutMs?: number;
  /** Applications read in parallel (default 4). */
  readonly concurrency?: number;
  /** The git remote of a folder; default: read from the `.git` folder (readGitRemote). */
  readonly gitRemote?: (root: string) => GitRemote | undefined;
  /** Environment for `applies()` (default process.env); `check()` uses the context's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The editor's secrets for `applies()`, to see a server stored at sign-in. */
  readonly secret?: (key: string) => Promise<string | undefined>;
}

/** Where the server and the token came from (safe to show). */
interface Credentials {
  readonly host: string;
  readonly token: string;
  readonly from: string;
}

interface ResourceHealth {
  readonly status?: string;
  readonly message?: string;
}

interface AppResource {
  readonly group: string;
  readonly version?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Sync status: Synced, OutOfSync, Unknown. */
  readonly status?: string;
  readonly health?: ResourceHealth;
  readonly requiresPruning: boolean;
}

interface Application {
  readonly name: string;
  readonly namespace?: string;
  readonly project?: string;
  readonly sources: readonly AppSourceRef[];
  readonly sync?: string;
  readonly health?: string;
  readonly checkedAt?: string;
  /** `appTree` (the Argo CD 3.0 default): per-resource health is only in the resource tree. */
  readonly resourceHealthSource?: string;
  readonly resources: readonly AppResource[];
}

/** A matching application whose status could not be read: an error stack of its own. */
interface Unreadable {
  readonly unreadable: DriftError;
  readonly name: string;
  readonly namespace: string;
}

/** A `managed-resources` item with its states parsed; undefined states could not be read. */
interface ManagedResource {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly predicted: JsonValue | undefined;
  readonly live: JsonValue | undefined;
  /** Whether the JSON strings were present but could not be parsed. */
  readonly unreadable: boolean;
}

export class ArgoCdSource implements DriftSource {
  readonly kind = 'argocd' as const;
  readonly scope = 'workspace' as const;

  constructor(private readonly options: ArgoCdSourceOptions = {}) {}

  async applies(_root: string): Promise<boolean> {
    if ((this.options.env ?? process.env).ARGOCD_SERVER?.trim()) return true;
    return !!(await this.options.secret?.(ARGOCD_SERVER_SECRET))?.trim();
  }

  async check(ctx: DriftContext): Promise<DriftStack[]> {
    const creds = await credentials(ctx);
    const remote = (this.options.gitRemote ?? readGitRemote)(ctx.root);
    const repo = remote && repoId(remote.url);
    if (!remote || !repo) {
      throw new DriftError(
        'not-configured',
        `${ctx.root} is not in a git clone with an "origin" remote, so no Argo CD application can be matched to it.`,
        'Open the folder of a clone of the repository Argo CD deploys from (its origin remote is compared with the applications\' repoURL).',
      );
    }
    const folder = relativeFolder(remote.repoRoot, ctx.root);
    const api = new ArgoApi(creds, ctx, Date.now() + ctx.timeoutMs, this.options);
    const apps = await this.matchingApps(api, remote.url, folder);
    ctx.log?.(`Argo CD: ${apps.length} application(s) on ${creds.host} deploy from ${repo.host}/${repo.path}${folder ? ` (${folder})` : ''}; token from ${creds.from}.`);
    const stacks = await mapLimit(apps, this.options.concurrency ?? 4, (app) => this.stackFor(api, app, ctx));
    return stacks.sort((a, b) => a.id.localeCompare(b.id));
  }

  private async matchingApps(api: ArgoApi, remoteUrl: string, folder: string): Promise<(Application | Unreadable)[]> {
    // No `?repo=` filter: Argo CD compares it with repoURL as spelled, which
    // would drop an app that deploys over HTTPS from a repository cloned over SSH.
    let res: JsonResponse;
    try {
      res = await api.get('/api/v1/applications');
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) {
        throw new DriftError(
          'not-found',
          `${api.host} has no Argo CD API at /api/v1/applications.`,
          'ARGOCD_SERVER (or the server given at sign-in) must be the Argo CD API server, the host the argocd CLI and the web UI use, as host or host:port.',
        );
      }
      throw api.explain(e, 'the application list');
    }
    const body = res.body;
    if (!isObject(body) || !(body.items === null || body.items === undefined || Array.isArray(body.items))) {
      throw malformed(api.host, 'the application list', '"items" is not a list');
    }
    const out: (Application | Unreadable)[] = [];
    for (const item of (body.items ?? []) as unknown[]) {
      if (!appMatches(sourcesOf(item), remoteUrl, folder)) continue;
      try {
        out.push(parseApplication(item, api.host));
      } catch (e) {
        if (!(e instanceof DriftError)) throw e;
        const meta = isObject(item) && isObject(item.metadata) ? item.metadata : {};
        const name = typeof meta.name === 'string' && meta.name ? meta.name : `#${out.length + 1}`;
        out.push({ unreadable: e, name, namespace: typeof meta.namespace === 'string' ? meta.namespace : '' });
      }
    }
    return out;
  }

  private async stackFor(api: ArgoApi, app: Application | Unreadable, ctx: DriftContext): Promise<DriftStack> {
    if ('unreadable' in app) {
      return { id: `argocd:${app.namespace}/${app.name}`, source: 'argocd', name: app.name, root: ctx.root, status: 'error', origin: `${ARGOCD_ORIGIN} ${api.host}`, resources: [], problem: problemOf(app.unreadable) };
    }
    const sync = app.sync ?? 'Unknown';
    const health = app.health ?? 'Unknown';
    const ns = app.namespace ?? '';
    const base = {
      id: `argocd:${ns}/${app.name}`,
      source: 'argocd' as const,
      name: app.name,
      root: ctx.root,
      origin: `${ARGOCD_ORIGIN} ${api.host} (sync ${sync}, health ${health})`,
      link: `https://${api.host}/applications/${ns ? `${encodeURIComponent(ns)}/` : ''}${encodeURIComponent(app.name)}`,
      ...(app.checkedAt ? { checkedAt: app.checkedAt } : {}),
    };
    const status: StackDriftStatus = sync === 'OutOfSync' ? 'drifted' : sync === 'Synced' ? 'in-sync' : 'unknown';
    const problems: DriftProblem[] = [];
    const fromTree = app.resourceHealthSource === 'appTree';
    const outOfSync = app.resources.some((r) => r.status === 'OutOfSync' && !r.requiresPruning);
    const [tree, managed] = await Promise.all([
      fromTree ? this.optional(api, app, 'resource-tree', problems, readTree) : Promise.resolve(undefined),
      outOfSync ? this.optional(api, app, 'managed-resources', problems, readManaged) : Promise.resolve(undefined),
    ]);
    const resources = app.resources.map((r) => resourceDrift(r, fromTree ? tree : undefined, fromTree && tree !== undefined, managed));
    const notSynced = resources.filter((r) => r.status !== 'in-sync').length;
    return {
      ...base,
      status,
      resources: sortResources(resources),
      summary: { drifted: notSynced, undrifted: resources.length - notSynced },
      ...(problems[0] ? { problem: problems[0] } : {}),
    };
  }

  /** A per-app call whose failure leaves the app's statuses standing, with a warning. */
  private async optional<T>(api: ArgoApi, app: Application, what: 'resource-tree' | 'managed-resources', problems: DriftProblem[], read: (body: unknown, host: string) => T): Promise<T | undefined> {
    const query = new URLSearchParams();
    if (app.namespace) query.set('appNamespace', app.namespace);
    if (app.project) query.set('project', app.project);
    const label = what === 'resource-tree' ? `the resource tree of ${app.name}` : `the managed resources of ${app.name}`;
    try {
      const res = await api.get(`/api/v1/applications/${encodeURIComponent(app.name)}/${what}${query.toString() ? `?${query}` : ''}`);
      return read(res.body, api.host);
    } catch (e) {
      if (e instanceof DriftError && e.code === 'cancelled') throw e;
      const err =
        e instanceof HttpError && e.status === 404
          ? new DriftError('not-found', `${api.host} no longer has application ${app.name} (404 on ${what}).`, 'It may have been deleted or renamed since the list was read; refresh.')
          : api.explain(e, label);
      const partial = what === 'resource-tree' ? 'Resource health is not shown' : 'The fields that differ are not shown';
      problems.push({ code: err.code, message: `${partial}: ${err.message}`, ...(err.hint ? { hint: err.hint } : {}) });
      return undefined;
    }
  }
}

// ---- configuration -------------------------------------------------------------

/** ARGOCD_SERVER, else the server stored at sign-in; the token that goes with it. */
async function credentials(ctx: DriftContext): Promise<Credentials> {
  const fromEnv = ctx.env.ARGOCD_SERVER?.trim();
  const stored = fromEnv ? undefined : (await ctx.secret(ARGOCD_SERVER_SECRET))?.trim();
  const raw = fromEnv || stored;
  if (!raw) {
    throw new DriftError('not-configured', 'No Argo CD server is configured.', `Set ARGOCD_SERVER (host or host:port) and ARGOCD_AUTH_TOKEN, or run "${SIGN_IN_COMMAND}".`);
  }
  const host = parseServer(raw, fromEnv ? 'ARGOCD_SERVER' : 'The Argo CD server stored at sign-in');
  // ARGOCD_AUTH_TOKEN belongs to ARGOCD_SERVER: it never goes to a server stored in the editor.
  const envToken = fromEnv ? ctx.env.ARGOCD_AUTH_TOKEN?.trim() : undefined;
  if (envToken) return { host, token: envToken, from: 'ARGOCD_AUTH_TOKEN' };
  const saved = (await ctx.secret(argocdSecretKey(host)))?.trim();
  if (saved) return { host, token: saved, from: `the token stored by "${SIGN_IN_COMMAND}"` };
  throw new DriftError('auth', `Not signed in to Argo CD at ${host}.`, signInHint(host));
}

function signInHint(host: string): string {
  return `Create a token with \`argocd account generate-token\` (logged in to ${host}), then set ARGOCD_AUTH_TOKEN or run "${SIGN_IN_COMMAND}".`;
}

/**
 * `host[:port]` as the argocd CLI takes it (an `https://` prefix and a
 * trailing slash are tolerated); lower case. Plain HTTP is refused: the
 * token would cross the network in clear.
 */
export function parseServer(raw: string, what = 'ARGOCD_SERVER'): string {
  const text = raw.trim();
  if (/^http:\/\//i.test(text)) {
    throw new DriftError('not-configured', `${what} uses http://; Plumbline talks to Argo CD over HTTPS only.`, 'Give the server as host or host:port; the Argo CD API server serves HTTPS on its port.');
  }
  const host = text.replace(/^https:\/\//i, '').replace(/\/+$/, '').toLowerCase();
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(host)) {
    throw new DriftError('not-configured', `${what} is not a host or host:port.`, 'Give the Argo CD server as argocd.example.com or argocd.example.com:8443, without a path.');
  }
  return host;
}

/** The origin remote and working tree of a folder, from the files in `.git` (nothing is run). */
export function readGitRemote(root: string): GitRemote | undefined {
  const url = readGitSource(root)?.repository;
  if (!url) return undefined;
  for (let d = path.resolve(root); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return { url, repoRoot: d };
    if (path.dirname(d) === d) return undefined;
  }
}

function relativeFolder(repoRoot: string, root: string): string {
  const rel = path.relative(path.resolve(repoRoot), path.resolve(root));
  return rel.startsWith('..') || path.isAbsolute(rel) ? '' : rel.split(path.sep).join('/');
}

// ---- the API ---------------------------------------------------------------------

/** Requests to one Argo CD server with one token, within the check's time limit. */
class ArgoApi {
  readonly host: string;

  constructor(
    private readonly creds: Credentials,
    private readonly ctx: DriftContext,
    private readonly deadline: number,
    private readonly options: ArgoCdSourceOptions,
  ) {
    this.host = creds.host;
  }

  get(pathAndQuery: string): Promise<JsonResponse> {
    const remaining = this.deadline - Date.now();
    if (remaining <= 0) {
      throw new DriftError('timeout', `The check of ${this.host} passed its time limit (${this.ctx.timeoutMs} ms).`, 'Raise plumbline.drift.timeoutSeconds, or check the network.');
    }
    return requestJson(`https://${this.host}${pathAndQuery}`, {
      token: this.creds.token,
      signal: this.ctx.signal,
      timeoutMs: Math.min(this.options.requestTimeoutMs ?? 30_000, remaining),
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      ...(this.options.backoffBaseMs !== undefined ? { backoffBaseMs: this.options.backoffBaseMs } : {}),
      ...(this.options.maxRetries !== undefined ? { maxRetries: this.options.maxRetries } : {}),
    });
  }

  /** An error with Argo CD's own hints (which token, which command, which permission). */
  explain(e: unknown, what: string): DriftError {
    if (!(e instanceof DriftError)) return new DriftError('failed', `Reading ${what} from ${this.host} failed: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof HttpError && e.status === 401) {
      return new DriftError('auth', `${this.host} refused the token from ${this.creds.from} (401): it is invalid, expired or revoked.`, signInHint(this.host));
    }
    if (e instanceof HttpError && e.status === 403) {
      return new DriftError(
        'auth',
        `${this.host} denied the token from ${this.creds.from} access to ${what} (403).`,
        "The token's account needs the `get` permission on applications of the app's project (Argo CD RBAC: `p, <role>, applications, get, <project>/*, allow`).",
      );
    }
    return e;
  }
}

// ---- payloads ----------------------------------------------------------------------

/** An application's sources for matching, tolerating any shape (other teams' apps must not break ours). */
function sourcesOf(item: unknown): AppSourceRef[] {
  const spec = isObject(item) && isObject(item.spec) ? item.spec : undefined;
  if (!spec) return [];
  const list = [...(isObject(spec.source) ? [spec.source] : []), ...(Array.isArray(spec.sources) ? spec.sources.filter(isObject) : [])];
  return list.map((s) => ({
    ...(typeof s.repoURL === 'string' ? { repoURL: s.repoURL } : {}),
    ...(typeof s.path === 'string' ? { path: s.path } : {}),
  }));
}

function parseApplication(item: unknown, host: string): Application {
  const meta = isObject(item) && isObject(item.metadata) ? item.metadata : undefined;
  if (!meta || typeof meta.name !== 'string' || meta.name === '') throw malformed(host, 'the application list', 'an application has no metadata.name');
  const name = meta.name;
  const spec = isObject(item) && isObject(item.spec) ? item.spec : {};
  const status = isObject(item) && isObject(item.status) ? item.status : {};
  if (status.resources !== undefined && status.resources !== null && !Array.isArray(status.resources)) {
    throw malformed(host, `application ${name}`, '"status.resources" is not a list');
  }
  const resources: AppResource[] = [];
  for (const r of (status.resources ?? []) as unknown[]) {
    if (!isObject(r) || typeof r.kind !== 'string' || typeof r.name !== 'string') throw malformed(host, `application ${name}`, 'a resource has no kind or name');
    // Hooks (PreSync jobs and the like) are not part of the desired state.
    if (r.hook === true) continue;
    resources.push({
      group: typeof r.group === 'string' ? r.group : '',
      ...(typeof r.version === 'string' && r.version ? { version: r.version } : {}),
      kind: r.kind,
      ...(typeof r.namespace === 'string' && r.namespace ? { namespace: r.namespace } : {}),
      name: r.name,
      ...(typeof r.status === 'string' ? { status: r.status } : {}),
      ...(isObject(r.health) ? { health: healthOf(r.health) } : {}),
      requiresPruning: r.requiresPruning === true,
    });
  }
  const text = (o: unknown, key: string) => (isObject(o) && typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined);
  const checkedAt = text(status, 'reconciledAt') ?? text(status.operationState, 'finishedAt');
  const namespace = text(meta, 'namespace');
  const project = text(spec, 'project');
  const sync = text(status.sync, 'status');
  const health = text(status.health, 'status');
  const resourceHealthSource = text(status, 'resourceHealthSource');
  return {
    name,
    sources: sourcesOf(item),
    resources,
    ...(namespace ? { namespace } : {}),
    ...(project ? { project } : {}),
    ...(sync ? { sync } : {}),
    ...(health ? { health } : {}),
    ...(checkedAt ? { checkedAt } : {}),
    ...(resourceHealthSource ? { resourceHealthSource } : {}),
  };
}

function healthOf(h: Record<string, unknown>): ResourceHealth {
  return {
    ...(typeof h.status === 'string' ? { status: h.status } : {}),
    ...(typeof h.message === 'string' && h.message ? { message: h.message } : {}),
  };
}

type Tree = ReadonlyMap<string, ResourceHealth | undefined>;

/** Health per live object, from `/resource-tree` `nodes[]` (an object without health maps to undefined). */
function readTree(body: unknown, host: string): Tree {
  if (!isObject(body) || !(body.nodes === undefined || body.nodes === null || Array.isArray(body.nodes))) throw malformed(host, 'the resource tree', '"nodes" is not a list');
  const out = new Map<string, ResourceHealth | undefined>();
  for (const n of (body.nodes ?? []) as unknown[]) {
    if (!isObject(n) || typeof n.kind !== 'string' || typeof n.name !== 'string') continue;
    out.set(objectKey(str(n.group), n.kind, str(n.namespace), n.name), isObject(n.health) ? healthOf(n.health) : undefined);
  }
  return out;
}

/** `managed-resources` items by object, with both state strings parsed. */
function readManaged(body: unknown, host: string): ReadonlyMap<string, ManagedResource> {
  if (!isObject(body) || !(body.items === undefined || body.items === null || Array.isArray(body.items))) throw malformed(host, 'the managed resources', '"items" is not a list');
  const out = new Map<string, ManagedResource>();
  for (const item of (body.items ?? []) as unknown[]) {
    if (!isObject(item) || typeof item.kind !== 'string' || typeof item.name !== 'string') continue;
    const predicted = parseState(item.predictedLiveState);
    const live = parseState(item.normalizedLiveState);
    const m: ManagedResource = {
      group: str(item.group),
      kind: item.kind,
      ...(str(item.namespace) ? { namespace: str(item.namespace) } : {}),
      name: item.name,
      predicted: predicted.value,
      live: live.value,
      unreadable: predicted.unreadable || live.unreadable,
    };
    out.set(objectKey(m.group, m.kind, m.namespace ?? '', m.name), m);
  }
  return out;
}

/**
 * A state field is a JSON string: "null" (or nothing) for no object. The
 * parse error is dropped, never shown: V8 quotes part of the text in it,
 * and the text of a Secret holds its values.
 */
function parseState(v: unknown): { value: JsonValue | undefined; unreadable: boolean } {
  if (v === undefined || v === null || v === '') return { value: null, unreadable: false };
  if (typeof v !== 'string') return { value: undefined, unreadable: true };
  try {
    return { value: JSON.parse(v) as JsonValue, unreadable: false };
  } catch {
    return { value: undefined, unreadable: true };
  }
}

// ---- resources ---------------------------------------------------------------------

function resourceDrift(r: AppResource, tree: Tree | undefined, treeRead: boolean, managed: ReadonlyMap<string, ManagedResource> | undefined): ResourceDrift {
  const key = objectKey(r.group, r.kind, r.namespace ?? '', r.name);
  const item = managed?.get(key);
  // 3.x: health lives in the tree, and an object missing live has no node there.
  const health = treeRead ? tree!.get(key) : r.health;
  const absentFromTree = treeRead && !tree!.has(key) && r.status === 'OutOfSync';
  const liveMissing = item !== undefined && !item.unreadable && item.live === null && item.predicted !== null;
  const status: ResourceDriftStatus = r.requiresPruning
    ? 'unmanaged'
    : health?.status === 'Missing' || absentFromTree || liveMissing
      ? 'missing'
      : r.status === 'OutOfSync'
        ? 'drifted'
        : r.status === 'Synced'
          ? 'in-sync'
          : 'unknown';
  const sensitive = r.kind === 'Secret';
  const notes: string[] = [];
  if (health?.status) notes.push(`health ${health.status}${health.message ? `: ${health.message}` : ''}`);
  if (status === 'unknown') notes.push(`Argo CD reports sync status ${r.status ?? 'none'}`);
  if (r.requiresPruning) notes.push('live but no longer in git; Argo CD would prune it');
  let changes: ResourceDrift['changes'] = [];
  // Without `managed` (the call failed) the stack's warning says why there are no fields.
  if (status === 'drifted' && managed) {
    if (!item) notes.push('Argo CD listed no managed state for it');
    else if (item.unreadable) notes.push("Argo CD's predicted or live state of it is not valid JSON");
    else changes = diffObjects(item.predicted ?? null, item.live ?? null, { sensitive });
  }
  const object: KubeObjectRef = {
    apiVersion: apiVersionOf(r, item),
    kind: r.kind,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    name: r.name,
  };
  return {
    address: kubeAddress(object),
    mode: 'managed',
    type: r.kind,
    name: r.name,
    object,
    module: '',
    status,
    changes,
    ...(notes.length ? { message: notes.join('; ') } : {}),
  };
}

/** group/version; the version from the object itself when the status leaves it out. */
function apiVersionOf(r: AppResource, item: ManagedResource | undefined): string {
  if (r.version) return r.group ? `${r.group}/${r.version}` : r.version;
  for (const state of [item?.predicted, item?.live]) if (isObject(state) && typeof state.apiVersion === 'string') return state.apiVersion;
  // Manifests are matched on the group alone (findManifest), so a guessed version still maps.
  return r.group ? `${r.group}/v1` : 'v1';
}

function objectKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function malformed(host: string, what: string, why: string): DriftError {
  return new DriftError('malformed', `${what[0]!.toUpperCase()}${what.slice(1)} from ${host} is not what the Argo CD API returns: ${why}.`, 'Check that the server is Argo CD (2.x or 3.x) and that no proxy rewrites its answers.');
}


