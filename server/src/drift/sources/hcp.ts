import { HclParser } from '../../parsers/hcl/parser';
import { hcpToken, tokenVariableName, type TokenLookupOptions } from '../credentials';
import { HttpError, requestJson, type JsonResponse } from '../http';
import { driftFromPlan, isObject } from '../planJson';
import { DriftError, type DriftContext, type DriftProblem, type DriftSource, type DriftStack, type ResourceDrift } from '../types';
import { DEFAULT_HCP_HOST, applies as hasHcpBlock, readHcpConfig, type HcpConfig, type WorkspaceSelector } from './hcpConfig';
import { mapLimit, problemOf } from '../util';

/**
 * HCP Terraform / Terraform Enterprise health assessments: one stack per
 * workspace the root module's cloud block (or remote backend) selects, from
 * the workspace's current assessment result and, when it drifted, the
 * assessment's JSON plan (`json-output`) for per-resource detail.
 *
 * The token goes only to the configured host: every URL is built from it,
 * links in responses are followed only when they stay on it, redirects are
 * not followed, and in an untrusted workspace only app.terraform.io is
 * contacted (a workspace could otherwise name a host that collects tokens).
 */

export const HCP_ORIGIN = 'HCP Terraform health assessment';
export const SIGN_IN_COMMAND = 'Plumbline: Sign in to HCP Terraform';

export interface HcpSourceOptions {
  /** Certificate authorities to trust for the API (tests, private installations); NODE_EXTRA_CA_CERTS works too. */
  readonly ca?: string | Buffer;
  /** First 429 backoff step (default 500 ms). */
  readonly backoffBaseMs?: number;
  /** Retries after a 429 (default 3). */
  readonly maxRetries?: number;
  /** Limit for one request (default 30 s), always within the check's `timeoutMs`. */
  readonly requestTimeoutMs?: number;
  /** Workspaces fetched in parallel (default 4; the API allows 30 requests per second per user). */
  readonly concurrency?: number;
  /** Connect to another address for a hostname (a local server standing in for app.terraform.io). */
  readonly connectTo?: (hostname: string) => { host: string; port: number } | undefined;
  /** File reading and platform for the credential lookup. */
  readonly credentials?: Pick<TokenLookupOptions, 'readFile' | 'platform'>;
}

interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly executionMode?: string;
  readonly assessmentsEnabled?: boolean;
  readonly canReadAssessments?: boolean;
  readonly tagNames?: readonly string[];
  readonly selfHtml?: string;
  readonly currentAssessmentId?: string;
}

interface Assessment {
  readonly id: string;
  readonly drifted?: boolean;
  readonly succeeded?: boolean;
  readonly errorMessage?: string;
  readonly resourcesDrifted?: number;
  readonly resourcesUndrifted?: number;
  readonly createdAt?: string;
  readonly jsonOutput?: string;
}

const ASSESSMENT_SETTINGS =
  'Check that health assessments are enabled on the workspace (Settings → Health) or enforced by the organization, that the organization is on a tier with health assessments (Standard or above), that the token belongs to a user or team with access to the workspace, and that the last run succeeded with Terraform 0.15.4 or later.';
const MAX_PAGES = 100;

export class HcpSource implements DriftSource {
  readonly kind = 'hcp' as const;
  private parser: Promise<HclParser> | undefined;

  constructor(private readonly options: HcpSourceOptions = {}) {}

  async applies(root: string): Promise<boolean> {
    return hasHcpBlock(root, await this.hcl());
  }

  async check(ctx: DriftContext): Promise<DriftStack[]> {
    const { config, api } = await this.connect(ctx);
    const workspaces = await this.findWorkspaces(api, config);
    ctx.log?.(`HCP Terraform: ${workspaces.length} workspace(s) on ${config.hostname} for ${ctx.root}.`);
    return mapLimit(workspaces, this.options.concurrency ?? 4, (ws) => this.stackFor(api, config, ws, ctx));
  }

  /** Starts a health assessment now (`POST /workspaces/{id}/actions/assess`); 409 when one is already running. */
  async assess(ctx: DriftContext, workspaceId: string): Promise<void> {
    const { config, api } = await this.connect(ctx);
    try {
      await api.request('POST', `/api/v2/workspaces/${encodeURIComponent(workspaceId)}/actions/assess`);
    } catch (e) {
      if (e instanceof HttpError && e.status === 409) {
        throw new DriftError('conflict', `A health assessment is already running for workspace ${workspaceId} on ${config.hostname}.`, 'Wait for it to finish, then refresh.');
      }
      if (e instanceof HttpError && e.status === 404) {
        throw new DriftError('not-found', `${config.hostname} cannot start an assessment for workspace ${workspaceId}: no such workspace, no access, or assessments are not available.`, ASSESSMENT_SETTINGS);
      }
      throw api.explain(e);
    }
  }

  private hcl(): Promise<HclParser> {
    this.parser ??= HclParser.create();
    return this.parser;
  }

  private async connect(ctx: DriftContext): Promise<{ config: HcpConfig; api: HcpApi }> {
    const hcl = await this.hcl();
    const config = await readHcpConfig(ctx.root, ctx.env, hcl);
    const host = config.hostname;
    if (!ctx.trusted && host !== DEFAULT_HCP_HOST) {
      throw new DriftError(
        'untrusted',
        `Plumbline does not contact ${host} from an untrusted workspace: the host is named by the workspace's own ${config.block === 'cloud' ? 'cloud block' : 'remote backend'}.`,
        `Trust the workspace (Workspaces: Manage Workspace Trust) to check drift on ${host}; only ${DEFAULT_HCP_HOST} is contacted before that.`,
      );
    }
    const found = await hcpToken(host, ctx.env, ctx.secret, { ...this.options.credentials, hcl, ...(ctx.log ? { log: ctx.log } : {}) });
    if (!found) {
      const variable = tokenVariableName(host);
      throw new DriftError(
        'auth',
        `Not signed in to ${host}.`,
        `Run "${SIGN_IN_COMMAND}", ${variable ? `set ${variable}, ` : `add a credentials "${host}" block to the CLI config, `}or run \`terraform login ${host}\`.`,
      );
    }
    ctx.log?.(`HCP Terraform: using the token for ${host} from ${found.from}.`);
    const deadline = Date.now() + ctx.timeoutMs;
    return { config, api: new HcpApi(host, found.token, found.from, ctx, deadline, this.options) };
  }

  // ---- workspaces ----------------------------------------------------------

  private async findWorkspaces(api: HcpApi, config: HcpConfig): Promise<Workspace[]> {
    const org = encodeURIComponent(config.organization);
    const sel = config.workspaces;
    if (sel.kind === 'name') {
      try {
        const res = await api.get(`/api/v2/organizations/${org}/workspaces/${encodeURIComponent(sel.name)}`);
        return [parseWorkspace(isObject(res.body) ? res.body.data : undefined, api.where('workspace'))];
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) {
          throw new DriftError(
            'not-found',
            `Workspace "${config.organization}/${sel.name}" was not found on ${config.hostname}, or the token from ${api.from} cannot see it.`,
            `Check organization and the workspace name in ${config.file}, and that the token belongs to a user or team with access to the workspace (HCP answers 404, not 403, for what a token may not see).`,
          );
        }
        throw api.explain(e);
      }
    }
    const query = new URLSearchParams();
    if (sel.kind === 'tags') {
      if (Array.isArray(sel.tags)) query.set('search[tags]', sel.tags.join(','));
      else Object.entries(sel.tags).forEach(([k, v], i) => {
        query.set(`filter[tagged][${i}][key]`, k);
        query.set(`filter[tagged][${i}][value]`, v);
      });
    }
    if (sel.kind === 'prefix') query.set('search[name]', sel.prefix);
    const project = sel.kind === 'tags' || sel.kind === 'project' ? sel.project : undefined;
    if (project) query.set('filter[project][id]', await this.projectId(api, config, project));

    let found = await this.listWorkspaces(api, config, query);
    if (sel.kind === 'prefix') found = found.filter((w) => w.name.startsWith(sel.prefix));
    if (sel.kind === 'tags' && Array.isArray(sel.tags)) {
      const tags = sel.tags as readonly string[];
      // Defensive: keep only workspaces that say they carry every tag (when they list their tags).
      found = found.filter((w) => !w.tagNames || tags.every((t) => w.tagNames!.includes(t)));
    }
    const what = describeSelector(sel);
    if (found.length === 0) {
      throw new DriftError(
        'not-found',
        `No workspace in "${config.organization}" on ${config.hostname} ${what}, or the token from ${api.from} cannot see them.`,
        `Check the workspaces block in ${config.file}, and that the token belongs to a user or team with access to those workspaces.`,
      );
    }
    if (sel.name !== undefined) {
      const one = found.find((w) => w.name === sel.name);
      if (!one) {
        throw new DriftError(
          'not-configured',
          `TF_WORKSPACE selects "${sel.name}", which is not among the workspaces ${what}: ${found.map((w) => w.name).join(', ')}.`,
          'Unset TF_WORKSPACE or set it to one of those workspaces.',
        );
      }
      return [one];
    }
    return found;
  }

  private async listWorkspaces(api: HcpApi, config: HcpConfig, filters: URLSearchParams): Promise<Workspace[]> {
    const out: Workspace[] = [];
    const org = encodeURIComponent(config.organization);
    let page = 1;
    for (let i = 0; i < MAX_PAGES; i++) {
      const query = new URLSearchParams(filters);
      query.set('page[size]', '100');
      query.set('page[number]', String(page));
      let res: JsonResponse;
      try {
        res = await api.get(`/api/v2/organizations/${org}/workspaces?${query}`);
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) {
          throw new DriftError(
            'not-found',
            `Organization "${config.organization}" was not found on ${config.hostname}, or the token from ${api.from} cannot see it.`,
            `Check organization in ${config.file} (or TF_CLOUD_ORGANIZATION) and that the token belongs to a member of the organization.`,
          );
        }
        throw api.explain(e);
      }
      const body = res.body;
      if (!isObject(body) || !Array.isArray(body.data)) throw malformed(api.where('workspace list'), '"data" is not a list');
      for (const item of body.data) out.push(parseWorkspace(item, api.where('workspace list')));
      const next = nextPage(body.meta);
      if (next === undefined || next <= page) break;
      page = next;
    }
    return out;
  }

  private async projectId(api: HcpApi, config: HcpConfig, project: string): Promise<string> {
    const query = new URLSearchParams({ 'filter[names]': project });
    let res: JsonResponse;
    try {
      res = await api.get(`/api/v2/organizations/${encodeURIComponent(config.organization)}/projects?${query}`);
    } catch (e) {
      throw api.explain(e);
    }
    const data = isObject(res.body) && Array.isArray(res.body.data) ? res.body.data : undefined;
    if (!data) throw malformed(api.where('project list'), '"data" is not a list');
    const hit = data.find((p) => isObject(p) && isObject(p.attributes) && p.attributes.name === project && typeof p.id === 'string') as { id: string } | undefined;
    if (!hit) {
      throw new DriftError(
        'not-found',
        `Project "${project}" was not found in "${config.organization}" on ${config.hostname}, or the token from ${api.from} cannot see it.`,
        `Check project in ${config.file} (or TF_CLOUD_PROJECT).`,
      );
    }
    return hit.id;
  }

  // ---- one workspace -------------------------------------------------------

  private async stackFor(api: HcpApi, config: HcpConfig, ws: Workspace, ctx: DriftContext): Promise<DriftStack> {
    const label = `${config.organization}/${ws.name}`;
    const base = {
      id: `hcp:${ws.id}`,
      source: 'hcp' as const,
      name: label,
      root: ctx.root,
      origin: HCP_ORIGIN,
      link: api.absolute(`${ws.selfHtml ?? `/app/${encodeURIComponent(config.organization)}/workspaces/${encodeURIComponent(ws.name)}`}/health/drift`),
    };
    const unknown = (problem: DriftProblem): DriftStack => ({ ...base, status: 'unknown', resources: [], problem });
    try {
      if (ws.executionMode === 'local') {
        return unknown({
          code: 'not-configured',
          message: `${label} uses local execution; HCP Terraform runs health assessments only for remote or agent execution.`,
          hint: "Use the 'terraform' drift source (terraform plan -refresh-only) for this folder, or switch the workspace to remote or agent execution.",
        });
      }
      if (ws.canReadAssessments === false) {
        return unknown({
          code: 'auth',
          message: `The token from ${api.from} may not read the assessment results of ${label}.`,
          hint: 'Use the token of a user or team with read access to the workspace.',
        });
      }
      const assessment = await this.currentAssessment(api, ws);
      if (!assessment) {
        return unknown({
          code: 'not-found',
          message:
            ws.assessmentsEnabled === false
              ? `${label} has no health assessment: assessments are off for the workspace.`
              : `${label} has no health assessment result yet, or the token from ${api.from} may not read it.`,
          hint: ASSESSMENT_SETTINGS,
        });
      }
      return await this.stackFromAssessment(api, assessment, base, label);
    } catch (e) {
      if (e instanceof DriftError && e.code === 'cancelled') throw e;
      const err = api.explain(e);
      return { ...base, status: 'error', resources: [], problem: problemOf(err) };
    }
  }

  /** The current result; undefined when there is none (or none the token may see). */
  private async currentAssessment(api: HcpApi, ws: Workspace): Promise<Assessment | undefined> {
    const paths = [`/api/v2/workspaces/${encodeURIComponent(ws.id)}/current-assessment-result`];
    // The endpoint is only in the beta spec; the relationship the public docs give is the fallback.
    if (ws.currentAssessmentId) paths.push(`/api/v2/assessment-results/${encodeURIComponent(ws.currentAssessmentId)}`);
    for (const p of paths) {
      try {
        const res = await api.get(p);
        return parseAssessment(isObject(res.body) ? res.body.data : undefined, api.where('assessment result'));
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 404)) throw e;
      }
    }
    return undefined;
  }

  private async stackFromAssessment(api: HcpApi, a: Assessment, base: Omit<DriftStack, 'status' | 'resources'>, label: string): Promise<DriftStack> {
    const checked = a.createdAt ? { checkedAt: a.createdAt } : {};
    const counts = (resources: readonly ResourceDrift[]) => ({
      drifted: a.resourcesDrifted ?? resources.filter((r) => r.status !== 'in-sync').length,
      ...(a.resourcesUndrifted !== undefined ? { undrifted: a.resourcesUndrifted } : {}),
    });
    if (a.succeeded === false) {
      return {
        ...base,
        ...checked,
        status: 'error',
        resources: [],
        ...(a.resourcesDrifted !== undefined ? { summary: counts([]) } : {}),
        problem: {
          code: 'failed',
          message: `The last health assessment of ${label} failed: ${a.errorMessage ?? 'HCP Terraform gave no reason'}.`,
          hint: `Open the workspace's Health page on ${api.host} for the log; assessments need a last run that succeeded.`,
        },
      };
    }
    if (!a.drifted) return { ...base, ...checked, status: 'in-sync', resources: [], summary: counts([]) };

    let resources: ResourceDrift[] = [];
    let problem: DriftProblem | undefined;
    try {
      const link = a.jsonOutput ?? `/api/v2/assessment-results/${encodeURIComponent(a.id)}/json-output`;
      const res = await api.getLink(link);
      resources = sortDriftedFirst(driftFromPlan(res.body));
    } catch (e) {
      if (e instanceof DriftError && e.code === 'cancelled') throw e;
      if (e instanceof HttpError && (e.status === 403 || e.status === 404)) {
        problem = {
          code: 'auth',
          message: `HCP Terraform reports the drift counts of ${label} but not which resources drifted: the token from ${api.from} may not read the assessment output.`,
          hint: 'Per-resource detail needs a user token, or a team token with admin access to the workspace; organization tokens cannot read it.',
        };
      } else problem = problemOf(api.explain(e));
    }
    return { ...base, ...checked, status: 'drifted', resources, summary: counts(resources), ...(problem ? { problem } : {}) };
  }
}

/** Requests to one host with one token, within the check's time limit. */
class HcpApi {
  constructor(
    readonly host: string,
    private readonly token: string,
    /** Where the token came from (safe to show). */
    readonly from: string,
    private readonly ctx: DriftContext,
    private readonly deadline: number,
    private readonly options: HcpSourceOptions,
  ) {}

  get(path: string): Promise<JsonResponse> {
    return this.request('GET', path);
  }

  /** Follows a link from a response only when it stays on this host (relative, or absolute to the same host). */
  getLink(link: string): Promise<JsonResponse> {
    let url: URL;
    try {
      url = new URL(link, `https://${this.host}`);
    } catch {
      throw new DriftError('malformed', `${this.host} gave a link that is not a URL.`);
    }
    if (url.protocol !== 'https:' || url.host !== this.host) {
      throw new DriftError(
        'untrusted',
        `${this.host} gave a link to ${url.protocol === 'https:' ? url.host : `a ${url.protocol.replace(':', '')} address`}; Plumbline sends the token only to ${this.host}.`,
        'If the installation really serves its API elsewhere, set that host in the cloud block.',
      );
    }
    return this.request('GET', `${url.pathname}${url.search}`);
  }

  async request(method: string, path: string): Promise<JsonResponse> {
    const remaining = this.deadline - Date.now();
    if (remaining <= 0) {
      throw new DriftError('timeout', `The check of ${this.host} passed its time limit (${this.ctx.timeoutMs} ms) before ${method} ${path}.`, 'Raise the drift time limit, or narrow the workspaces the cloud block selects.');
    }
    const connectTo = this.options.connectTo?.(this.host);
    return requestJson(`https://${this.host}${path}`, {
      method,
      token: this.token,
      headers: { 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json, application/json' },
      signal: this.ctx.signal,
      timeoutMs: Math.min(this.options.requestTimeoutMs ?? 30_000, remaining),
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      ...(this.options.backoffBaseMs !== undefined ? { backoffBaseMs: this.options.backoffBaseMs } : {}),
      ...(this.options.maxRetries !== undefined ? { maxRetries: this.options.maxRetries } : {}),
      ...(connectTo ? { connectTo } : {}),
    });
  }

  absolute(path: string): string {
    try {
      const url = new URL(path, `https://${this.host}`);
      return url.host === this.host ? url.href : new URL(url.pathname, `https://${this.host}`).href;
    } catch {
      return `https://${this.host}/`;
    }
  }

  where(what: string): string {
    return `the ${what} from ${this.host}`;
  }

  /** An HttpError with HCP's own hints (which token, which command); other errors unchanged. */
  explain(e: unknown): DriftError {
    if (!(e instanceof DriftError)) return new DriftError('failed', `Checking ${this.host} failed: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof HttpError && e.status === 401) {
      const variable = tokenVariableName(this.host);
      return new DriftError(
        'auth',
        `${this.host} refused the token from ${this.from} (401): it is invalid, expired or revoked.`,
        `Sign in again with "${SIGN_IN_COMMAND}"${variable ? `, renew ${this.from === variable ? variable : 'the token'}` : ''} or run \`terraform login ${this.host}\`.`,
      );
    }
    if (e instanceof HttpError && e.status === 403) {
      return new DriftError('auth', e.message, `The token from ${this.from} lacks permission: use the token of a user or team with access to the workspace.`);
    }
    if (e.code === 'rate-limited') return new DriftError('rate-limited', e.message, `${this.host} allows about 30 requests per second per user; refresh again in a minute.`);
    return e;
  }
}

function parseWorkspace(data: unknown, where: string): Workspace {
  if (!isObject(data) || typeof data.id !== 'string' || !isObject(data.attributes) || typeof data.attributes.name !== 'string') {
    throw malformed(where, 'a workspace has no id or name');
  }
  const a = data.attributes;
  const perms = isObject(a.permissions) ? a.permissions : {};
  const links = isObject(data.links) ? data.links : {};
  const rel = isObject(data.relationships) && isObject(data.relationships['current-assessment-result']) ? data.relationships['current-assessment-result'].data : undefined;
  return {
    id: data.id,
    name: a.name as string,
    ...(typeof a['execution-mode'] === 'string' ? { executionMode: a['execution-mode'] } : {}),
    ...(typeof a['assessments-enabled'] === 'boolean' ? { assessmentsEnabled: a['assessments-enabled'] } : {}),
    ...(typeof perms['can-read-assessment-results'] === 'boolean' ? { canReadAssessments: perms['can-read-assessment-results'] } : {}),
    ...(Array.isArray(a['tag-names']) ? { tagNames: a['tag-names'].filter((t): t is string => typeof t === 'string') } : {}),
    ...(typeof links['self-html'] === 'string' ? { selfHtml: links['self-html'] } : {}),
    ...(isObject(rel) && typeof rel.id === 'string' ? { currentAssessmentId: rel.id } : {}),
  };
}

function parseAssessment(data: unknown, where: string): Assessment {
  if (!isObject(data) || typeof data.id !== 'string' || !isObject(data.attributes)) throw malformed(where, 'it has no id or attributes');
  const a = data.attributes;
  if (typeof a.drifted !== 'boolean' && typeof a.succeeded !== 'boolean') throw malformed(where, 'it has neither "drifted" nor "succeeded"');
  // The docs call it error-msg, the OpenAPI spec error-message.
  const error = [a['error-message'], a['error-msg']].find((m): m is string => typeof m === 'string' && m.trim() !== '');
  const links = isObject(data.links) ? data.links : {};
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const drifted = count(a['resources-drifted']);
  const undrifted = count(a['resources-undrifted']);
  return {
    id: data.id,
    ...(typeof a.drifted === 'boolean' ? { drifted: a.drifted } : {}),
    ...(typeof a.succeeded === 'boolean' ? { succeeded: a.succeeded } : {}),
    ...(error ? { errorMessage: error.trim() } : {}),
    ...(drifted !== undefined ? { resourcesDrifted: drifted } : {}),
    ...(undrifted !== undefined ? { resourcesUndrifted: undrifted } : {}),
    ...(typeof a['created-at'] === 'string' ? { createdAt: a['created-at'] } : {}),
    ...(typeof links['json-output'] === 'string' ? { jsonOutput: links['json-output'] } : {}),
  };
}

function nextPage(meta: unknown): number | undefined {
  const p = isObject(meta) && isObject(meta.pagination) ? meta.pagination['next-page'] : undefined;
  return typeof p === 'number' && Number.isInteger(p) ? p : undefined;
}

function describeSelector(sel: WorkspaceSelector): string {
  switch (sel.kind) {
    case 'tags':
      return `tagged ${Array.isArray(sel.tags) ? sel.tags.join(', ') : Object.entries(sel.tags).map(([k, v]) => `${k}=${v}`).join(', ')}${sel.project ? ` in project ${sel.project}` : ''}`;
    case 'project':
      return `in project ${sel.project}`;
    case 'prefix':
      return `named ${sel.prefix}*`;
    case 'name':
      return `named ${sel.name}`;
  }
}

function malformed(where: string, why: string): DriftError {
  return new DriftError('malformed', `Unexpected shape of ${where}: ${why}.`, 'The host may not be HCP Terraform or Terraform Enterprise, or its API changed; check the hostname.');
}


function sortDriftedFirst(resources: ResourceDrift[]): ResourceDrift[] {
  const rank = (r: ResourceDrift) => (r.status === 'in-sync' ? 1 : 0);
  return resources.map((r, i) => ({ r, i })).sort((x, y) => rank(x.r) - rank(y.r) || x.i - y.i).map((x) => x.r);
}

