import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  FIXTURE_ORG,
  FIXTURE_ORG_TOKEN,
  FIXTURE_TOKEN,
  HcpContractServer,
  assessmentJson,
  FIXTURE_ASSESSMENTS,
  reply,
} from '../../../../test/contract/hcpServer';
import { createTestTls, type TestTls } from '../../../../test/contract/tls';
import { HclParser } from '../../parsers/hcl/parser';
import { DriftError, SENSITIVE_MASK, hcpSecretKey, type DriftContext, type DriftStack } from '../types';
import { HcpSource, type HcpSourceOptions } from './hcp';
import { applies, readHcpConfig } from './hcpConfig';

let tls: TestTls;
let server: HcpContractServer;
let dir: string;
let emptyHome: string;
let hcl: HclParser;

before(async () => {
  tls = await createTestTls({ dnsNames: ['app.terraform.io'] });
  // One workspace per page: every listing pages.
  server = await HcpContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem, maxPageSize: 1, assessing: ['ws-BillingInSync004'] });
  dir = await mkdtemp(path.join(tmpdir(), 'plumbline-hcp-'));
  emptyHome = await mkdtemp(path.join(dir, 'home-'));
  hcl = await HclParser.create();
});

after(async () => {
  await server.stop();
  await tls.dispose();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => server.reset());

/** Every message a test sees must be free of both tokens. */
function assertNoToken(value: unknown): void {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { message: v.message, hint: (v as DriftError).hint } : v));
  assert.ok(!text.includes(FIXTURE_TOKEN) && !text.includes(FIXTURE_ORG_TOKEN), `a token leaked: ${text}`);
}

async function root(tf: string): Promise<string> {
  const r = await mkdtemp(path.join(dir, 'root-'));
  await writeFile(path.join(r, 'main.tf'), 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n');
  await writeFile(path.join(r, 'versions.tf'), tf);
  return r;
}

function cloud(workspaces: string, extra = ''): string {
  return `terraform {\n  cloud {\n    hostname     = "${server.host}"\n    organization = "${FIXTURE_ORG}"\n${extra}    workspaces {\n      ${workspaces}\n    }\n  }\n}\n`;
}

interface Ctx extends DriftContext {
  readonly logs: string[];
  readonly secretKeys: string[];
}

function ctx(r: string, extra: { env?: Record<string, string>; trusted?: boolean; token?: string | undefined; signal?: AbortSignal; timeoutMs?: number } = {}): Ctx {
  const logs: string[] = [];
  const secretKeys: string[] = [];
  const token = 'token' in extra ? extra.token : FIXTURE_TOKEN;
  return {
    root: r,
    signal: extra.signal ?? new AbortController().signal,
    env: { HOME: emptyHome, ...extra.env },
    trusted: extra.trusted ?? true,
    secret: async (key) => {
      secretKeys.push(key);
      return key === hcpSecretKey(server.host) ? token : undefined;
    },
    timeoutMs: extra.timeoutMs ?? 5000,
    now: () => new Date('2024-04-01T00:00:00Z'),
    log: (m) => logs.push(m),
    logs,
    secretKeys,
  };
}

function source(options: HcpSourceOptions = {}): HcpSource {
  return new HcpSource({ ca: tls.caPem, backoffBaseMs: 5, requestTimeoutMs: 2000, credentials: { platform: 'linux' }, ...options });
}

async function check(c: Ctx, options?: HcpSourceOptions): Promise<DriftStack[]> {
  const stacks = await source(options).check(c);
  assertNoToken(stacks);
  assertNoToken(c.logs);
  return stacks;
}

async function failure(p: Promise<unknown>): Promise<DriftError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DriftError, `expected a DriftError, got ${String(e)}`);
    assertNoToken(e);
    assert.ok(e.message.length > 0);
    return e;
  }
  assert.fail('expected a DriftError');
}

const byName = (stacks: DriftStack[], name: string) => {
  const s = stacks.find((x) => x.name === `${FIXTURE_ORG}/${name}`);
  assert.ok(s, `no stack ${name}; have ${stacks.map((x) => x.name).join(', ')}`);
  return s;
};

// ---------------------------------------------------------------------------

describe('readHcpConfig', () => {
  const config = async (tf: string, env: Record<string, string> = {}) => readHcpConfig(await root(tf), env, hcl);
  const configError = async (tf: string, env: Record<string, string> = {}) => {
    const e = await failure(config(tf, env));
    assert.equal(e.code, 'not-configured');
    assert.ok(e.hint);
    return e;
  };

  it('reads a cloud block with a workspace name, host defaulting to app.terraform.io', async () => {
    const c = await config('terraform {\n  cloud {\n    organization = "acme"\n    workspaces { name = "prod" }\n  }\n}\n');
    assert.deepEqual({ ...c, file: path.basename(c.file) }, { hostname: 'app.terraform.io', organization: 'acme', workspaces: { kind: 'name', name: 'prod' }, block: 'cloud', file: 'versions.tf' });
  });

  it('reads tags as a list or a map, with a project and TF_WORKSPACE', async () => {
    const list = await config('terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n      tags = ["net", "prod"]\n      project = "core"\n    }\n  }\n}\n', { TF_WORKSPACE: 'net-prod' });
    assert.deepEqual(list.workspaces, { kind: 'tags', tags: ['net', 'prod'], project: 'core', name: 'net-prod' });
    const map = await config('terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n      tags = { team = "net", "env" = "prod" }\n    }\n  }\n}\n', { TF_CLOUD_PROJECT: 'core' });
    assert.deepEqual(map.workspaces, { kind: 'tags', tags: { team: 'net', env: 'prod' }, project: 'core' });
  });

  it('fills what the block omits from TF_CLOUD_*; the block wins otherwise', async () => {
    const env = { TF_CLOUD_ORGANIZATION: 'env-org', TF_CLOUD_HOSTNAME: 'TFE.Example.com', TF_WORKSPACE: 'from-env' };
    const filled = await config('terraform {\n  cloud {}\n}\n', env);
    assert.deepEqual([filled.organization, filled.hostname, filled.workspaces], ['env-org', 'tfe.example.com', { kind: 'name', name: 'from-env' }]);
    const fixed = await config('terraform {\n  cloud {\n    organization = "acme"\n    hostname = "app.terraform.io"\n    workspaces { project = "core" }\n  }\n}\n', { ...env, TF_WORKSPACE: '' });
    assert.deepEqual([fixed.organization, fixed.hostname, fixed.workspaces], ['acme', 'app.terraform.io', { kind: 'project', project: 'core' }]);
  });

  it('reads backend "remote" with a name or a prefix', async () => {
    const named = await config('terraform {\n  backend "remote" {\n    hostname = "tfe.example.com"\n    organization = "acme"\n    workspaces { name = "prod" }\n  }\n}\n');
    assert.deepEqual([named.block, named.hostname, named.workspaces], ['remote', 'tfe.example.com', { kind: 'name', name: 'prod' }]);
    const prefixed = await config('terraform {\n  backend "remote" {\n    organization = "acme"\n    workspaces { prefix = "net-" }\n  }\n}\n', { TF_WORKSPACE: 'prod' });
    assert.deepEqual(prefixed.workspaces, { kind: 'prefix', prefix: 'net-', name: 'net-prod' });
  });

  it('refuses what it cannot read, saying what to write', async () => {
    const e1 = await configError('terraform {\n  cloud {\n    organization = var.org\n    workspaces { name = "x" }\n  }\n}\n');
    assert.match(e1.message, /"organization" in the cloud block in versions\.tf is not a plain string \(var\.org\)/);
    const e2 = await configError('terraform {\n  cloud {\n    organization = "acme"\n    workspaces { tags = local.tags }\n  }\n}\n');
    assert.match(e2.message, /"tags"/);
    const e3 = await configError('terraform {\n  cloud {\n    organization = "acme"\n    hostname = "https://tfe.example.com/"\n    workspaces { name = "x" }\n  }\n}\n');
    assert.match(e3.hint!, /bare host/);
    const e4 = await configError('terraform {\n  cloud {\n    workspaces { name = "x" }\n  }\n}\n');
    assert.match(e4.hint!, /TF_CLOUD_ORGANIZATION/);
    const e5 = await configError('terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n');
    assert.match(e5.message, /names no workspace/);
    const e6 = await configError('terraform {\n  cloud {\n    organization = "acme"\n    workspaces { name = "a" }\n  }\n}\n', { TF_WORKSPACE: 'b' });
    assert.match(e6.message, /TF_WORKSPACE is "b"/);
    const e7 = await configError('terraform {\n  backend "s3" {}\n}\n');
    assert.match(e7.message, /No terraform \{ cloud/);
  });

  it('applies to a root with a cloud block or a remote backend only', async () => {
    assert.equal(await applies(await root('terraform {\n  cloud {}\n}\n'), hcl), true);
    assert.equal(await applies(await root('terraform {\n  backend "remote" {}\n}\n'), hcl), true);
    assert.equal(await applies(await root('terraform {\n  backend "s3" {}\n}\n'), hcl), false);
    assert.equal(await applies(path.join(dir, 'no-such-dir'), hcl), false);
  });
});

describe('HcpSource', () => {
  it('reports a drifted workspace with per-resource drift from json-output', async () => {
    const r = await root(cloud('name = "network-prod"'));
    const [stack, ...rest] = await check(ctx(r));
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { ...stack!, resources: undefined },
      {
        id: 'hcp:ws-NetProdDrifted01',
        source: 'hcp',
        name: `${FIXTURE_ORG}/network-prod`,
        root: r,
        origin: 'HCP Terraform health assessment',
        link: `https://${server.host}/app/${FIXTURE_ORG}/workspaces/network-prod/health/drift`,
        checkedAt: '2022-07-02T22:29:58+00:00',
        status: 'drifted',
        summary: { drifted: 3, undrifted: 12 },
        resources: undefined,
      },
    );
    assert.deepEqual(stack!.resources.map((x) => [x.address, x.status, x.changes.map((c) => c.path)]), [
      ['aws_s3_bucket.logs', 'drifted', ['tags.owner']],
      ['module.net.aws_security_group.web["https"]', 'drifted', ['ingress[0].cidr_blocks[0]']],
      ['aws_db_instance.main', 'drifted', ['password']],
    ]);
    assert.deepEqual(stack!.resources[0]!.changes[0], { path: 'tags.owner', declared: 'platform', live: 'someone-else' });
    assert.equal(stack!.resources[1]!.key, 'https');
    assert.deepEqual(stack!.resources[2]!.changes[0], { path: 'password', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true });
    assert.deepEqual(server.requests.map((q) => `${q.method} ${q.path}`), [
      `GET /api/v2/organizations/${FIXTURE_ORG}/workspaces/network-prod`,
      'GET /api/v2/workspaces/ws-NetProdDrifted01/current-assessment-result',
      'GET /api/v2/assessment-results/asmtres-UG5rE9L1373hMYMA/json-output',
    ]);
    assert.ok(server.requests.every((q) => q.authorization && q.host === server.host));
  });

  it('resolves tags to two workspaces over two pages: one drifted, one failed (error-msg)', async () => {
    const stacks = await check(ctx(await root(cloud('tags = ["networking"]'))));
    assert.deepEqual(stacks.map((s) => [s.name, s.status]), [
      [`${FIXTURE_ORG}/network-prod`, 'drifted'],
      [`${FIXTURE_ORG}/network-staging`, 'error'],
    ]);
    const failed = byName(stacks, 'network-staging');
    assert.equal(failed.problem?.code, 'failed');
    assert.match(failed.problem!.message, /last health assessment of .*network-staging failed: Error: No valid credential sources found for AWS Provider/);
    assert.match(failed.problem!.hint!, /Health page/);
    assert.equal(failed.checkedAt, '2024-03-01T08:00:00+00:00');
    const lists = server.requests.filter((q) => q.path.includes('/workspaces?'));
    assert.equal(lists.length, 2);
    assert.match(lists[0]!.path, /search\[tags\]=networking&page\[size\]=100&page\[number\]=1/);
    assert.match(lists[1]!.path, /page\[number\]=2/);
    // A failed assessment has no json-output: it is not asked for.
    assert.ok(!server.requests.some((q) => q.path.includes('asmtres-FailedErrMsg0002/json-output')));
  });

  it("reads the spec's error-message spelling too", async () => {
    const [stack] = await check(ctx(await root(cloud('name = "api-prod"'))));
    assert.equal(stack!.status, 'error');
    assert.match(stack!.problem!.message, /failed: Error: Unsupported Terraform Core version\.$/);
  });

  it('reports an in-sync workspace with its counts', async () => {
    const [stack] = await check(ctx(await root(cloud('name = "billing"'))));
    assert.equal(stack!.status, 'in-sync');
    assert.deepEqual(stack!.summary, { drifted: 0, undrifted: 7 });
    assert.deepEqual(stack!.resources, []);
    assert.equal(stack!.problem, undefined);
  });

  it('key/value tags filter with filter[tagged]; a project narrows by its id', async () => {
    const stacks = await check(ctx(await root(cloud('tags = { team = "net" }\n      project = "networking"'))));
    assert.deepEqual(stacks.map((s) => s.name), [`${FIXTURE_ORG}/network-prod`, `${FIXTURE_ORG}/network-staging`]);
    assert.ok(server.requests.some((q) => q.path === `/api/v2/organizations/${FIXTURE_ORG}/projects?filter[names]=networking`));
    const list = server.requests.find((q) => q.path.includes('/workspaces?'))!;
    assert.match(list.path, /filter\[tagged\]\[0\]\[key\]=team&filter\[tagged\]\[0\]\[value\]=net/);
    assert.match(list.path, /filter\[project\]\[id\]=prj-wnLLjhXa3XArrRFR/);
  });

  it('TF_WORKSPACE picks one of the tagged workspaces, and must be one of them', async () => {
    const r = await root(cloud('tags = ["networking"]'));
    const stacks = await check(ctx(r, { env: { TF_WORKSPACE: 'network-staging' } }));
    assert.deepEqual(stacks.map((s) => s.id), ['hcp:ws-NetStageFailed02']);
    const e = await failure(source().check(ctx(r, { env: { TF_WORKSPACE: 'billing' } })));
    assert.equal(e.code, 'not-configured');
    assert.match(e.message, /TF_WORKSPACE selects "billing", which is not among the workspaces tagged networking: network-prod, network-staging/);
  });

  it('a remote backend prefix lists by name and keeps only the prefixed workspaces', async () => {
    const tf = `terraform {\n  backend "remote" {\n    hostname = "${server.host}"\n    organization = "${FIXTURE_ORG}"\n    workspaces { prefix = "network-" }\n  }\n}\n`;
    const stacks = await check(ctx(await root(tf)));
    assert.deepEqual(stacks.map((s) => s.name).sort(), [`${FIXTURE_ORG}/network-prod`, `${FIXTURE_ORG}/network-staging`]);
    assert.match(server.requests[0]!.path, /search\[name\]=network-/);
  });

  it('says a local-execution workspace gets no assessments and suggests the terraform source', async () => {
    const [stack] = await check(ctx(await root(cloud('name = "laptop-dev"'))));
    assert.equal(stack!.status, 'unknown');
    assert.match(stack!.problem!.message, /local execution.*remote or agent execution/);
    assert.match(stack!.problem!.hint!, /'terraform' drift source/);
    assert.ok(!server.requests.some((q) => q.path.includes('assessment')));
  });

  it('treats a 404 assessment as "none yet or no access", naming the settings to check', async () => {
    const [off] = await check(ctx(await root(cloud('name = "example-workspace-2"'))));
    assert.equal(off!.status, 'unknown');
    assert.equal(off!.problem!.code, 'not-found');
    assert.match(off!.problem!.message, /assessments are off/);
    for (const setting of [/health assessments are enabled/, /Standard/, /user or team with access/]) assert.match(off!.problem!.hint!, setting);

    server.always('GET /api/v2/workspaces/ws-NetProdDrifted01/current-assessment-result', reply.notFound());
    server.always('GET /api/v2/assessment-results/asmtres-UG5rE9L1373hMYMA', reply.notFound());
    const [none] = await check(ctx(await root(cloud('name = "network-prod"'))));
    assert.equal(none!.status, 'unknown');
    assert.match(none!.problem!.message, /no health assessment result yet, or the token from Plumbline sign-in may not read it/);
  });

  it('falls back to the current-assessment-result relationship when the beta endpoint 404s', async () => {
    server.always('GET /api/v2/workspaces/ws-NetProdDrifted01/current-assessment-result', reply.notFound());
    const [stack] = await check(ctx(await root(cloud('name = "network-prod"'))));
    assert.equal(stack!.status, 'drifted');
    assert.equal(stack!.resources.length, 3);
  });

  it('keeps the counts when an organization token may not read json-output', async () => {
    const [stack] = await check(ctx(await root(cloud('name = "network-prod"')), { token: FIXTURE_ORG_TOKEN }));
    assert.equal(stack!.status, 'drifted');
    assert.deepEqual(stack!.summary, { drifted: 3, undrifted: 12 });
    assert.deepEqual(stack!.resources, []);
    assert.equal(stack!.problem!.code, 'auth');
    assert.match(stack!.problem!.hint!, /user token, or a team token with admin access.*organization tokens cannot/);
  });

  it('refuses a json-output link to another host and sends it nothing', async () => {
    const id = 'asmtres-UG5rE9L1373hMYMA';
    const data = assessmentJson(id, FIXTURE_ASSESSMENTS[id]!) as { links: Record<string, string> };
    data.links['json-output'] = 'https://collector.example/steal';
    server.always('GET /api/v2/workspaces/ws-NetProdDrifted01/current-assessment-result', { status: 200, body: { data } });
    const [stack] = await check(ctx(await root(cloud('name = "network-prod"'))));
    assert.equal(stack!.status, 'drifted');
    assert.deepEqual(stack!.summary, { drifted: 3, undrifted: 12 });
    assert.equal(stack!.problem!.code, 'untrusted');
    assert.match(stack!.problem!.message, /link to collector\.example; Plumbline sends the token only to 127\.0\.0\.1/);
    assert.ok(!server.requests.some((q) => q.path.includes('json-output') || q.path.includes('steal')));
  });

  it('one failing workspace (500, timeout, malformed, 429 for good) does not lose the other', async () => {
    const cases: [string, ReturnType<typeof reply.serverError>[], string][] = [
      ['server', [reply.serverError()], 'server'],
      ['hang', [reply.hang()], 'timeout'],
      ['hang after headers', [reply.hangAfterHeaders()], 'timeout'],
      ['malformed', [reply.malformed()], 'malformed'],
      ['429', [reply.rateLimited(), reply.rateLimited(), reply.rateLimited(), reply.rateLimited()], 'rate-limited'],
    ];
    const r = await root(cloud('tags = ["networking"]'));
    for (const [what, replies, code] of cases) {
      server.reset();
      server.script('GET /api/v2/workspaces/ws-NetStageFailed02/current-assessment-result', ...replies);
      const stacks = await check(ctx(r), { requestTimeoutMs: 200 });
      assert.equal(byName(stacks, 'network-prod').status, 'drifted', what);
      const failed = byName(stacks, 'network-staging');
      assert.equal(failed.status, 'error', what);
      assert.equal(failed.problem!.code, code, what);
      assert.ok(failed.problem!.message.includes(server.host), `${what}: ${failed.problem!.message}`);
      assert.ok(failed.problem!.hint, what);
    }
  });

  it('backs off on 429 with and without Retry-After, then succeeds', async () => {
    server.script(`GET /api/v2/organizations/${FIXTURE_ORG}/workspaces/billing`, reply.rateLimited('0'), reply.rateLimited());
    const [stack] = await check(ctx(await root(cloud('name = "billing"'))));
    assert.equal(stack!.status, 'in-sync');
    assert.equal(server.requests.filter((q) => q.path.endsWith('/workspaces/billing')).length, 3);
  });

  it('fails the whole check when the lookup fails, with HCP hints', async () => {
    const r = await root(cloud('name = "network-prod"'));
    const e401 = await failure(source().check(ctx(r, { token: 'wrong-token' })));
    assert.equal(e401.code, 'auth');
    assert.match(e401.message, /refused the token from Plumbline sign-in \(401\)/);
    assert.match(e401.hint!, /Plumbline: Sign in to HCP Terraform.*terraform login 127\.0\.0\.1/);
    assert.ok(!e401.message.includes('wrong-token'));

    const missing = await failure(source().check(ctx(await root(cloud('name = "nope"')))));
    assert.equal(missing.code, 'not-found');
    assert.match(missing.message, /Workspace "example-org-162af6\/nope" was not found on 127\.0\.0\.1:\d+, or the token from Plumbline sign-in cannot see it/);
    assert.match(missing.hint!, /versions\.tf.*user or team with access/);

    const tf = cloud('tags = ["networking"]').replace(FIXTURE_ORG, 'other-org');
    const org = await failure(source().check(ctx(await root(tf))));
    assert.equal(org.code, 'not-found');
    assert.match(org.message, /Organization "other-org"/);

    const none = await failure(source().check(ctx(await root(cloud('tags = ["no-such-tag"]')))));
    assert.equal(none.code, 'not-found');
    assert.match(none.message, /No workspace .* tagged no-such-tag/);

    server.script(`GET /api/v2/organizations/${FIXTURE_ORG}/workspaces/network-prod`, reply.malformed());
    assert.equal((await failure(source().check(ctx(r)))).code, 'malformed');
    server.script(`GET /api/v2/organizations/${FIXTURE_ORG}/workspaces/network-prod`, { status: 200, body: { data: [] } });
    const shape = await failure(source().check(ctx(r)));
    assert.equal(shape.code, 'malformed');
    assert.match(shape.message, /Unexpected shape of the workspace from 127\.0\.0\.1/);
  });

  it('asks the user to sign in when no token is found, without a request', async () => {
    const c = ctx(await root(cloud('name = "network-prod"')), { token: undefined });
    const e = await failure(source().check(c));
    assert.equal(e.code, 'auth');
    assert.equal(e.message, `Not signed in to ${server.host}.`);
    assert.match(e.hint!, /"Plumbline: Sign in to HCP Terraform".*credentials ".*" block.*terraform login/);
    assert.deepEqual(c.secretKeys, [hcpSecretKey(server.host)]);
    assert.equal(server.requests.length, 0);
  });

  it('in an untrusted workspace, refuses a host the workspace names, before looking for a token', async () => {
    const c = ctx(await root(cloud('name = "network-prod"')), { trusted: false });
    const e = await failure(source().check(c));
    assert.equal(e.code, 'untrusted');
    assert.match(e.message, /does not contact 127\.0\.0\.1:\d+ from an untrusted workspace/);
    assert.match(e.hint!, /Trust the workspace/);
    assert.deepEqual(c.secretKeys, []);
    assert.equal(server.requests.length, 0);
  });

  it('in an untrusted workspace, still checks app.terraform.io (TF_TOKEN_app_terraform_io)', async () => {
    const tf = `terraform {\n  cloud {\n    organization = "${FIXTURE_ORG}"\n    workspaces { name = "billing" }\n  }\n}\n`;
    const c = ctx(await root(tf), { trusted: false, token: undefined, env: { TF_TOKEN_app_terraform_io: FIXTURE_TOKEN } });
    const routed = source({ connectTo: (h) => (h === 'app.terraform.io' ? { host: '127.0.0.1', port: server.port } : undefined) });
    const [stack] = await routed.check(c);
    assertNoToken([stack, c.logs]);
    assert.equal(stack!.status, 'in-sync');
    assert.equal(stack!.link, `https://app.terraform.io/app/${FIXTURE_ORG}/workspaces/billing/health/drift`);
    assert.ok(server.requests.every((q) => q.host === 'app.terraform.io' && q.authorization));
    assert.match(c.logs.join('\n'), /token for app\.terraform\.io from TF_TOKEN_app_terraform_io/);
  });

  it('is cancelled by the signal', async () => {
    const abort = new AbortController();
    server.always(`GET /api/v2/organizations/${FIXTURE_ORG}/workspaces/network-prod`, reply.hang());
    const pending = source().check(ctx(await root(cloud('name = "network-prod"')), { signal: abort.signal }));
    setTimeout(() => abort.abort(), 20);
    assert.equal((await failure(pending)).code, 'cancelled');
  });

  it('the check time limit bounds the whole check', async () => {
    server.always('GET /api/v2/workspaces/ws-NetProdDrifted01/current-assessment-result', reply.hang());
    const started = Date.now();
    const [stack] = await check(ctx(await root(cloud('name = "network-prod"')), { timeoutMs: 250 }));
    assert.equal(stack!.problem!.code, 'timeout');
    assert.ok(Date.now() - started < 2000);
  });

  describe('assess', () => {
    it('starts an assessment, and says so when one is already running (409)', async () => {
      const r = await root(cloud('name = "network-prod"'));
      await source().assess(ctx(r), 'ws-NetProdDrifted01');
      assert.deepEqual(server.requests.map((q) => `${q.method} ${q.path}`), ['POST /api/v2/workspaces/ws-NetProdDrifted01/actions/assess']);
      const e = await failure(source().assess(ctx(r), 'ws-BillingInSync004'));
      assert.equal(e.code, 'conflict');
      assert.match(e.message, /already running for workspace ws-BillingInSync004/);
      assert.match(e.hint!, /Wait for it to finish/);
    });
  });
});
