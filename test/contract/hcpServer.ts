import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingContractServer } from './server';

export type { RecordedRequest } from './server';

/**
 * A contract server for the HCP Terraform API on 127.0.0.1 (HTTPS, port 0),
 * answering with the response shapes of docs/drift-sources.md §1: JSON:API
 * workspaces and assessment results (both spellings of the error field),
 * `json-output` as a JSON plan with `resource_drift`, pagination meta, the
 * documented 401/404/409/429 bodies. Tests script failures per path and read
 * back every request to check where the token went.
 */

// ---- fixture data (shared with the real-editor integration test) ----------

export const FIXTURE_ORG = 'example-org-162af6';
export const FIXTURE_TOKEN = 'fixture-user-token.atlasv1.DoNotShowMe0123456789';
/** An organization token: reads workspaces and summaries, but not assessment output. */
export const FIXTURE_ORG_TOKEN = 'fixture-org-token.atlasv1.AlsoSecret9876543210';

export interface FixtureWorkspace {
  readonly id: string;
  readonly name: string;
  readonly executionMode: 'remote' | 'agent' | 'local';
  readonly assessmentsEnabled: boolean;
  /** Key-only tags (`tag-names`). */
  readonly tagNames: readonly string[];
  /** Key/value tags (for `filter[tagged]`). */
  readonly tags: Readonly<Record<string, string>>;
  readonly projectId: string;
  /** Id of the current assessment result in FIXTURE_ASSESSMENTS, if any. */
  readonly assessmentId?: string;
}

export const FIXTURE_PROJECTS = [
  { id: 'prj-wnLLjhXa3XArrRFR', name: 'networking' },
  { id: 'prj-AppsAppsApps0001', name: 'apps' },
] as const;

export const FIXTURE_WORKSPACES: readonly FixtureWorkspace[] = [
  { id: 'ws-NetProdDrifted01', name: 'network-prod', executionMode: 'remote', assessmentsEnabled: true, tagNames: ['networking', 'prod'], tags: { team: 'net', env: 'prod' }, projectId: 'prj-wnLLjhXa3XArrRFR', assessmentId: 'asmtres-UG5rE9L1373hMYMA' },
  { id: 'ws-NetStageFailed02', name: 'network-staging', executionMode: 'agent', assessmentsEnabled: true, tagNames: ['networking', 'staging'], tags: { team: 'net', env: 'staging' }, projectId: 'prj-wnLLjhXa3XArrRFR', assessmentId: 'asmtres-FailedErrMsg0002' },
  { id: 'ws-ApiProdFailed003', name: 'api-prod', executionMode: 'remote', assessmentsEnabled: true, tagNames: ['apps', 'prod'], tags: { team: 'api' }, projectId: 'prj-AppsAppsApps0001', assessmentId: 'asmtres-FailedErrMessage3' },
  { id: 'ws-BillingInSync004', name: 'billing', executionMode: 'remote', assessmentsEnabled: true, tagNames: ['apps'], tags: { team: 'billing' }, projectId: 'prj-AppsAppsApps0001', assessmentId: 'asmtres-InSyncBilling0004' },
  { id: 'ws-LaptopLocal00005', name: 'laptop-dev', executionMode: 'local', assessmentsEnabled: false, tagNames: ['dev'], tags: {}, projectId: 'prj-AppsAppsApps0001' },
  { id: 'ws-DBJebej1fNCZomkr', name: 'example-workspace-2', executionMode: 'remote', assessmentsEnabled: false, tagNames: ['foo', 'bar'], tags: {}, projectId: 'prj-wnLLjhXa3XArrRFR' },
];

interface FixtureAssessment {
  readonly drifted: boolean;
  readonly succeeded: boolean;
  /** Which spelling the error field uses: the docs' `error-msg` or the spec's `error-message`. */
  readonly errorField: 'error-msg' | 'error-message';
  readonly error: string | null;
  readonly resourcesDrifted: number;
  readonly resourcesUndrifted: number;
  readonly createdAt: string;
  readonly workspaceId: string;
}

export const FIXTURE_ASSESSMENTS: Readonly<Record<string, FixtureAssessment>> = {
  'asmtres-UG5rE9L1373hMYMA': { drifted: true, succeeded: true, errorField: 'error-message', error: null, resourcesDrifted: 3, resourcesUndrifted: 12, createdAt: '2022-07-02T22:29:58+00:00', workspaceId: 'ws-NetProdDrifted01' },
  'asmtres-FailedErrMsg0002': { drifted: false, succeeded: false, errorField: 'error-msg', error: 'Error: No valid credential sources found for AWS Provider', resourcesDrifted: 0, resourcesUndrifted: 0, createdAt: '2024-03-01T08:00:00+00:00', workspaceId: 'ws-NetStageFailed02' },
  'asmtres-FailedErrMessage3': { drifted: false, succeeded: false, errorField: 'error-message', error: 'Error: Unsupported Terraform Core version', resourcesDrifted: 0, resourcesUndrifted: 0, createdAt: '2024-03-02T09:30:00+00:00', workspaceId: 'ws-ApiProdFailed003' },
  'asmtres-InSyncBilling0004': { drifted: false, succeeded: true, errorField: 'error-message', error: null, resourcesDrifted: 0, resourcesUndrifted: 7, createdAt: '2024-03-03T10:00:00+00:00', workspaceId: 'ws-BillingInSync004' },
};

/** The JSON plan (`terraform show -json` format) behind the drifted assessment. */
export const FIXTURE_JSON_OUTPUT = {
  format_version: '1.2',
  terraform_version: '1.6.5',
  resource_drift: [
    {
      address: 'aws_s3_bucket.logs',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'logs',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { bucket: 'acme-logs', tags: { owner: 'platform' }, force_destroy: false },
        after: { bucket: 'acme-logs', tags: { owner: 'someone-else' }, force_destroy: false },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    },
    {
      address: 'module.net.aws_security_group.web["https"]',
      module_address: 'module.net',
      mode: 'managed',
      type: 'aws_security_group',
      name: 'web',
      index: 'https',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { name: 'web', ingress: [{ from_port: 443, cidr_blocks: ['10.0.0.0/8'] }] },
        after: { name: 'web', ingress: [{ from_port: 443, cidr_blocks: ['0.0.0.0/0'] }] },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    },
    {
      address: 'aws_db_instance.main',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'main',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { identifier: 'main', password: 'old-secret' },
        after: { identifier: 'main', password: 'new-secret' },
        after_unknown: {},
        before_sensitive: { password: true },
        after_sensitive: { password: true },
      },
    },
  ],
  resource_changes: [],
} as const;

// ---- response shapes ---------------------------------------------------------

export function workspaceJson(ws: FixtureWorkspace, org = FIXTURE_ORG): Record<string, unknown> {
  return {
    id: ws.id,
    type: 'workspaces',
    attributes: {
      name: ws.name,
      'execution-mode': ws.executionMode,
      'terraform-version': '1.6.5',
      'working-directory': '',
      'resource-count': 15,
      'vcs-repo-identifier': null,
      'assessments-enabled': ws.assessmentsEnabled,
      'last-assessment-result-at': ws.assessmentId ? FIXTURE_ASSESSMENTS[ws.assessmentId]?.createdAt ?? null : null,
      permissions: { 'can-manage-assessments': true, 'can-read-assessment-results': true },
      'tag-names': ws.tagNames,
    },
    relationships: {
      'current-assessment-result': { data: ws.assessmentId ? { id: ws.assessmentId, type: 'assessment-results' } : null },
      project: { data: { id: ws.projectId, type: 'projects' } },
    },
    links: {
      self: `/api/v2/organizations/${org}/workspaces/${ws.name}`,
      'self-html': `/app/${org}/workspaces/${ws.name}`,
    },
  };
}

export function assessmentJson(id: string, a: FixtureAssessment): Record<string, unknown> {
  return {
    id,
    type: 'assessment-results',
    attributes: {
      drifted: a.drifted,
      succeeded: a.succeeded,
      [a.errorField]: a.error,
      'resources-drifted': a.resourcesDrifted,
      'resources-undrifted': a.resourcesUndrifted,
      'all-checks-succeeded': true,
      'checks-passed': 0,
      'checks-failed': 0,
      'checks-errored': 0,
      'checks-unknown': 0,
      'created-at': a.createdAt,
    },
    relationships: { workspace: { data: { id: a.workspaceId, type: 'workspaces' } } },
    links: {
      self: `/api/v2/assessment-results/${id}/`,
      'json-output': `/api/v2/assessment-results/${id}/json-output`,
      'json-schema': `/api/v2/assessment-results/${id}/json-schema`,
      'log-output': `/api/v2/assessment-results/${id}/log-output`,
    },
  };
}

export const RATE_LIMIT_BODY = { errors: [{ detail: "You have exceeded the API's rate limit.", status: 429, title: 'Too many requests' }] };
export const UNAUTHORIZED_BODY = { errors: [{ status: '401', title: 'unauthorized' }] };
export const NOT_FOUND_BODY = { errors: [{ status: '404', title: 'not found' }] };
export const CONFLICT_BODY = { errors: [{ status: '409', title: 'conflict', detail: 'An assessment is already in progress.' }] };
export const SERVER_ERROR_BODY = { errors: [{ status: '500', title: 'internal server error' }] };

// ---- the server ---------------------------------------------------------------

/** A scripted answer. */
export interface Reply {
  readonly status: number;
  /** JSON body; ignored when `raw` is set. */
  readonly body?: unknown;
  /** Body text as is (malformed JSON, HTML). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer (`before-headers`), or send the headers and part of the body and stall (`after-headers`). */
  readonly hang?: 'before-headers' | 'after-headers';
}

export const reply = {
  unauthorized: (): Reply => ({ status: 401, body: UNAUTHORIZED_BODY }),
  notFound: (): Reply => ({ status: 404, body: NOT_FOUND_BODY }),
  conflict: (): Reply => ({ status: 409, body: CONFLICT_BODY }),
  rateLimited: (retryAfter?: string): Reply => ({ status: 429, body: RATE_LIMIT_BODY, ...(retryAfter !== undefined ? { headers: { 'Retry-After': retryAfter } } : {}) }),
  serverError: (): Reply => ({ status: 500, body: SERVER_ERROR_BODY }),
  malformed: (): Reply => ({ status: 200, raw: '{"data": {"id": "ws-1", "attributes": ', headers: { 'Content-Type': 'application/vnd.api+json' } }),
  hang: (): Reply => ({ status: 200, hang: 'before-headers' }),
  hangAfterHeaders: (): Reply => ({ status: 200, hang: 'after-headers' }),
};

export interface HcpServerOptions {
  readonly certPem: string;
  readonly keyPem: string;
  readonly organization?: string;
  readonly token?: string;
  readonly orgToken?: string;
  readonly workspaces?: readonly FixtureWorkspace[];
  readonly assessments?: Readonly<Record<string, FixtureAssessment>>;
  /** json-output per assessment id; defaults to FIXTURE_JSON_OUTPUT for drifted ones. */
  readonly jsonOutputs?: Readonly<Record<string, unknown>>;
  /** The most workspaces per page the server returns, whatever `page[size]` asks (forces paging in tests). */
  readonly maxPageSize?: number;
  /** Workspace ids with an assessment already running (POST actions/assess answers 409). */
  readonly assessing?: readonly string[];
}

export class HcpContractServer extends RecordingContractServer<Reply> {

  private constructor(private readonly options: HcpServerOptions) {
    super();
  }

  static async start(options: HcpServerOptions): Promise<HcpContractServer> {
    const self = new HcpContractServer(options);
    await self.listen({ cert: options.certPem, key: options.keyPem });
    return self;
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const { url, method, scripted } = this.receive(req);
    if (scripted) return send(res, scripted);
    const auth = req.headers.authorization;
    const token = this.options.token ?? FIXTURE_TOKEN;
    const orgToken = this.options.orgToken ?? FIXTURE_ORG_TOKEN;
    if (auth !== `Bearer ${token}` && auth !== `Bearer ${orgToken}`) return send(res, reply.unauthorized());
    send(res, this.route(method, url, auth === `Bearer ${orgToken}`));
  }

  private route(method: string, url: URL, isOrgToken: boolean): Reply {
    const org = this.options.organization ?? FIXTURE_ORG;
    const workspaces = this.options.workspaces ?? FIXTURE_WORKSPACES;
    const assessments = this.options.assessments ?? FIXTURE_ASSESSMENTS;
    const ok = (body: unknown): Reply => ({ status: 200, body, headers: { 'Content-Type': 'application/vnd.api+json' } });
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (p[0] !== 'api' || p[1] !== 'v2') return reply.notFound();
    const rest = p.slice(2);
    const byId = (id: string) => workspaces.find((w) => w.id === id);

    if (method === 'GET' && rest[0] === 'organizations' && rest[2] === 'workspaces') {
      if (rest[1] !== org) return reply.notFound();
      if (rest.length === 4) {
        const ws = workspaces.find((w) => w.name === rest[3]);
        return ws ? ok({ data: workspaceJson(ws, org) }) : reply.notFound();
      }
      return ok(this.list(url.searchParams, workspaces, org));
    }
    if (method === 'GET' && rest[0] === 'organizations' && rest[2] === 'projects' && rest.length === 3) {
      if (rest[1] !== org) return reply.notFound();
      const names = url.searchParams.get('filter[names]')?.split(',');
      const data = FIXTURE_PROJECTS.filter((pr) => !names || names.includes(pr.name)).map((pr) => ({ id: pr.id, type: 'projects', attributes: { name: pr.name } }));
      return ok({ data, meta: { pagination: { 'current-page': 1, 'prev-page': null, 'next-page': null, 'total-pages': 1, 'total-count': data.length } } });
    }
    if (rest[0] === 'workspaces' && rest[1]) {
      const ws = byId(rest[1]);
      if (!ws) return reply.notFound();
      if (method === 'GET' && rest.length === 2) return ok({ data: workspaceJson(ws, org) });
      if (method === 'GET' && rest[2] === 'current-assessment-result' && rest.length === 3) {
        const a = ws.assessmentId ? assessments[ws.assessmentId] : undefined;
        return a ? ok({ data: assessmentJson(ws.assessmentId!, a) }) : reply.notFound();
      }
      if (method === 'POST' && rest[2] === 'actions' && rest[3] === 'assess') {
        return (this.options.assessing ?? []).includes(ws.id) ? reply.conflict() : { status: 202, body: null };
      }
      return reply.notFound();
    }
    if (method === 'GET' && rest[0] === 'assessment-results' && rest[1]) {
      const a = assessments[rest[1]];
      if (!a) return reply.notFound();
      if (rest.length === 2) return ok({ data: assessmentJson(rest[1], a) });
      if (rest[2] === 'json-output' && rest.length === 3) {
        // Organization tokens cannot read the output endpoints; a failed assessment has no output.
        if (isOrgToken || !a.succeeded) return reply.notFound();
        const out = this.options.jsonOutputs?.[rest[1]] ?? (a.drifted ? FIXTURE_JSON_OUTPUT : { format_version: '1.2', resource_drift: [] });
        return { status: 200, body: out, headers: { 'Content-Type': 'application/json' } };
      }
    }
    return reply.notFound();
  }

  private list(q: URLSearchParams, all: readonly FixtureWorkspace[], org: string): unknown {
    let found = [...all];
    const tags = q.get('search[tags]');
    if (tags) found = found.filter((w) => tags.split(',').every((t) => w.tagNames.includes(t.trim())));
    for (let i = 0; q.has(`filter[tagged][${i}][key]`); i++) {
      const k = q.get(`filter[tagged][${i}][key]`)!;
      const v = q.get(`filter[tagged][${i}][value]`);
      found = found.filter((w) => k in w.tags && (v === null || w.tags[k] === v));
    }
    const name = q.get('search[name]');
    if (name) found = found.filter((w) => w.name.includes(name));
    const project = q.get('filter[project][id]');
    if (project) found = found.filter((w) => w.projectId === project);
    const size = Math.min(Number(q.get('page[size]') ?? 20) || 20, 100, this.options.maxPageSize ?? 100);
    const pages = Math.max(1, Math.ceil(found.length / size));
    const page = Math.min(Math.max(1, Number(q.get('page[number]') ?? 1) || 1), pages);
    return {
      data: found.slice((page - 1) * size, page * size).map((w) => workspaceJson(w, org)),
      meta: {
        pagination: {
          'current-page': page,
          'prev-page': page > 1 ? page - 1 : null,
          'next-page': page < pages ? page + 1 : null,
          'total-pages': pages,
          'total-count': found.length,
        },
      },
    };
  }
}

function send(res: ServerResponse, r: Reply): void {
  if (r.hang === 'before-headers') return;
  const body = r.raw ?? (r.body === undefined || r.body === null ? '' : JSON.stringify(r.body));
  const headers = { 'Content-Type': 'application/vnd.api+json', ...r.headers };
  if (r.hang === 'after-headers') {
    res.writeHead(r.status, headers);
    res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))) || '{');
    return;
  }
  res.writeHead(r.status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
