import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArgoContractServer, FIXTURE_MANIFESTS, FIXTURE_SECRET_VALUES, guestbookApp, reply as argoReply } from '../contract/argoServer';
import { FIXTURE_JSON_OUTPUT, FIXTURE_ORG, HcpContractServer, reply as hcpReply } from '../contract/hcpServer';
import { FIXTURE_MANIFESTS_YAML, FIXTURE_SECRET_DECLARED, FIXTURE_SECRET_LIVE, KubeContractServer, fixtureKubeconfig, kubeReply } from '../contract/kubeServer';
import { createTestTls, type TestTls } from '../contract/tls';
import { DRIFT_REFRESH_REQUEST, hcpSecretKey, type DriftReport } from '../../server/src/protocol';
import { LspSession } from './lspSession';

/**
 * Tokens never reach an output. One recognisable token, the canary, is every
 * credential at once: TF_TOKEN_app_terraform_io, the credentials.tfrc.json
 * entry for the HCP contract server, ARGOCD_AUTH_TOKEN, a kubeconfig bearer
 * token and what a kubeconfig exec plugin prints (and, in the editor, what
 * secret storage answers). Each drift source then runs against its contract
 * server (or the terraform stand-in) in success and failure modes (401,
 * 403, 500, a body that is not JSON, a server that never answers), through
 * the CLI in text and JSON and through the language server, and every byte
 * they write is searched for the canary. Values Terraform marks sensitive
 * (in a state file, a plan, an HCP assessment) carry their own canaries and
 * must be masked, as must the values of Kubernetes Secrets.
 */

const REPO = path.resolve(__dirname, '..', '..');
const FAKE_TERRAFORM = path.join(REPO, 'test', 'fixtures', 'drift', 'fake-terraform', 'terraform');
const CANARY = `plb-canary-${randomBytes(12).toString('hex')}`;
/** Sensitive values: in the state, in the plan (before and after), in the HCP assessment's JSON plan. */
const SENSITIVE = {
  state: `plb-sensitive-state-${randomBytes(6).toString('hex')}`,
  code: `plb-sensitive-code-${randomBytes(6).toString('hex')}`,
  planBefore: `plb-sensitive-before-${randomBytes(6).toString('hex')}`,
  planAfter: `plb-sensitive-after-${randomBytes(6).toString('hex')}`,
  hcpBefore: `plb-sensitive-hcp-before-${randomBytes(6).toString('hex')}`,
  hcpAfter: `plb-sensitive-hcp-after-${randomBytes(6).toString('hex')}`,
};
const NEVER_SHOWN = [CANARY, ...Object.values(SENSITIVE), FIXTURE_SECRET_DECLARED, FIXTURE_SECRET_LIVE, ...FIXTURE_SECRET_VALUES];

type Mode = 'ok' | '401' | '403' | '500' | 'garbage' | 'hang';
const MODES: readonly Mode[] = ['ok', '401', '403', '500', 'garbage', 'hang'];
type Source = 'state' | 'terraform' | 'hcp' | 'kubernetes' | 'argocd';

/** One output to search: where it came from and its text. */
interface Output {
  readonly what: string;
  readonly text: string;
}

let tls: TestTls;
let hcp: HcpContractServer;
let kube: KubeContractServer;
let argo: ArgoContractServer;
let base: string;
let ws: string;
let home: string;
let scenario: string;
let kubeconfigToken: string;
let kubeconfigExec: string;
/** A copy of the built CLI (dist/cli*.js and the grammars): a rebuild of dist/ while the test runs does not pull it away. */
let CLI: string;
const outputs: Output[] = [];

const PLAN_JSONL = [
  { '@level': 'info', '@message': 'Terraform 1.9.5', '@module': 'terraform.ui', terraform: '1.9.5', type: 'version', ui: '1.2' },
  {
    '@level': 'info',
    '@message': 'aws_db_instance.main: Drift detected (update)',
    '@module': 'terraform.ui',
    change: { resource: { addr: 'aws_db_instance.main', module: '', resource: 'aws_db_instance.main', implied_provider: 'aws', resource_type: 'aws_db_instance', resource_name: 'main', resource_key: null }, action: 'update' },
    type: 'resource_drift',
  },
  { '@level': 'info', '@message': 'Plan: 0 to add, 0 to change, 0 to destroy.', '@module': 'terraform.ui', changes: { add: 0, change: 0, remove: 0, operation: 'plan' }, type: 'change_summary' },
]
  .map((l) => JSON.stringify(l))
  .join('\n');

const driftOf = (before: string, after: string) => ({
  address: 'aws_db_instance.main',
  mode: 'managed',
  type: 'aws_db_instance',
  name: 'main',
  provider_name: 'registry.terraform.io/hashicorp/aws',
  change: {
    actions: ['update'],
    before: { identifier: 'main', instance_class: 'db.t3.micro', password: before },
    after: { identifier: 'main', instance_class: 'db.t3.large', password: after },
    after_unknown: {},
    before_sensitive: { password: true },
    after_sensitive: { password: true },
  },
});

const SHOW_JSON = { format_version: '1.2', terraform_version: '1.9.5', resource_drift: [driftOf(SENSITIVE.planBefore, SENSITIVE.planAfter)], resource_changes: [] };

const MAIN_TF = `variable "db_password" {
  type      = string
  sensitive = true
  default   = "${SENSITIVE.code}"
}

resource "aws_db_instance" "main" {
  identifier     = "main"
  instance_class = "db.t3.micro"
  password       = var.db_password
}
`;

const STATE = JSON.stringify({
  version: 4,
  terraform_version: '1.9.5',
  serial: 7,
  resources: [
    {
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'main',
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes: { identifier: 'main', instance_class: 'db.t3.large', password: SENSITIVE.state }, sensitive_attributes: [[{ type: 'get_attr', value: 'password' }]] }],
    },
  ],
});

/** Puts every source into one mode: the contract servers' replies, the terraform stand-in's scenario, the state file. */
function setMode(mode: Mode): void {
  for (const s of [hcp, kube, argo]) s.reset();
  rmSync(scenario, { recursive: true, force: true });
  mkdirSync(scenario);
  writeFileSync(path.join(ws, 'tf', 'terraform.tfstate'), mode === 'garbage' ? '{"version": 4, "resources": [' : STATE);
  const tf = (files: Record<string, string>) => Object.entries(files).forEach(([n, t]) => writeFileSync(path.join(scenario, n), t));
  if (mode === 'ok') return tf({ 'plan.jsonl': PLAN_JSONL, 'show.json': JSON.stringify(SHOW_JSON) });
  if (mode === 'garbage') tf({ 'plan.jsonl': '{"type": "version", "ui": \nnot json at all\n' });
  else if (mode === 'hang') tf({ 'plan.jsonl': PLAN_JSONL.split('\n')[0]!, hang: '' });
  // A program that echoes a token from its environment in an error (a provider's debug line): Plumbline shows
  // the program's stderr, and must scrub it.
  else tf({ 'plan.jsonl': PLAN_JSONL.split('\n')[0]!, 'exit-code': mode === '500' ? '2' : '1', 'stderr.txt': `Error: retrieving credentials: HTTP ${mode} from the provider API (sent Authorization: Bearer ${CANARY})\n` });

  const http = {
    '401': { hcp: hcpReply.unauthorized(), kube: kubeReply.unauthorized(), argo: argoReply.unauthorized() },
    '403': { hcp: { status: 403, body: { errors: [{ status: '403', title: 'forbidden' }] } }, kube: kubeReply.forbidden('get', 'deployments.apps', 'ml-serving'), argo: argoReply.forbidden() },
    '500': { hcp: hcpReply.serverError(), kube: { status: 500, raw: 'upstream connect error' }, argo: { status: 500, raw: '{"error": "internal"}' } },
    garbage: { hcp: hcpReply.malformed(), kube: kubeReply.malformed(), argo: argoReply.malformed() },
    hang: { hcp: hcpReply.hang(), kube: kubeReply.hang(), argo: argoReply.hang() },
  }[mode];
  hcp.always(`GET /api/v2/organizations/${FIXTURE_ORG}/workspaces/network-prod`, http.hcp);
  for (const key of ['GET /api', 'GET /apis', 'GET /api/v1', 'GET /apis/apps/v1', 'GET /version']) kube.always(key, http.kube);
  argo.always('GET /api/v1/applications', http.argo);
}

/** The built CLI in a child process (so the test CA is trusted through NODE_EXTRA_CA_CERTS, read at start). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ws, env: { ...baseEnv(), ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    NODE_EXTRA_CA_CERTS: tls.caFile,
    TF_TOKEN_app_terraform_io: CANARY,
    ARGOCD_SERVER: argo.host,
    ARGOCD_AUTH_TOKEN: CANARY,
    KUBECONFIG: kubeconfigToken,
    FAKE_TF_SCENARIO: scenario,
  };
}

const CLI_FOLDER: Record<Source, string> = { state: 'tf', terraform: 'tf', hcp: 'hcp', kubernetes: 'k8s', argocd: '.' };

/** At most four CLI processes at a time: more only make each slower on a small machine. */
let running = 0;
const waiting: (() => void)[] = [];
async function limit<T>(job: () => Promise<T>): Promise<T> {
  if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await job();
  } finally {
    // A waiting job takes the slot over; otherwise it is freed.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Searches every output for the never-shown values; names the output and the value found. */
function leaks(list: readonly Output[]): string[] {
  return list.flatMap((o) => NEVER_SHOWN.filter((v) => o.text.includes(v)).map((v) => `${o.what}: contains ${v === CANARY ? 'the token' : `the sensitive value ${v}`}`));
}

before(async () => {
  tls = await createTestTls();
  hcp = await HcpContractServer.start({
    certPem: tls.certPem,
    keyPem: tls.keyPem,
    token: CANARY,
    jsonOutputs: { 'asmtres-UG5rE9L1373hMYMA': { ...FIXTURE_JSON_OUTPUT, resource_drift: [driftOf(SENSITIVE.hcpBefore, SENSITIVE.hcpAfter)] } },
  });
  kube = await KubeContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem, token: CANARY });
  argo = await ArgoContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem, token: CANARY, apps: [guestbookApp({ repoURL: 'https://github.com/example/deploy.git' })] });

  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'plb-secrets-')));
  ws = path.join(base, 'ws');
  home = path.join(base, 'home');
  scenario = path.join(base, 'scenario');
  // The workspace: a git clone (for Argo CD) with a Terraform root (state, terraform), an HCP root, manifests.
  mkdirSync(path.join(ws, '.git', 'refs', 'heads'), { recursive: true });
  writeFileSync(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(path.join(ws, '.git', 'config'), '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/example/deploy.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
  mkdirSync(path.join(ws, 'tf', '.terraform'), { recursive: true });
  writeFileSync(path.join(ws, 'tf', 'main.tf'), MAIN_TF);
  mkdirSync(path.join(ws, 'hcp'));
  writeFileSync(
    path.join(ws, 'hcp', 'main.tf'),
    `terraform {\n  cloud {\n    hostname     = "${hcp.host}"\n    organization = "${FIXTURE_ORG}"\n    workspaces {\n      name = "network-prod"\n    }\n  }\n}\n\nresource "aws_db_instance" "main" {\n  identifier = "main"\n}\n`,
  );
  mkdirSync(path.join(ws, 'k8s'));
  writeFileSync(path.join(ws, 'k8s', 'serving.yaml'), FIXTURE_MANIFESTS_YAML);
  mkdirSync(path.join(ws, 'guestbook'));
  for (const [name, text] of Object.entries(FIXTURE_MANIFESTS)) writeFileSync(path.join(ws, 'guestbook', name), text);
  // Credentials where the tools keep them.
  mkdirSync(path.join(home, '.terraform.d'), { recursive: true });
  writeFileSync(path.join(home, '.terraform.d', 'credentials.tfrc.json'), JSON.stringify({ credentials: { [hcp.host]: { token: CANARY } } }));
  kubeconfigToken = path.join(base, 'kubeconfig-token');
  writeFileSync(kubeconfigToken, fixtureKubeconfig({ server: `https://${kube.host}`, caPem: tls.caPem, token: CANARY }));
  const plugin = path.join(base, 'exec-plugin.js');
  writeFileSync(plugin, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(CANARY)} } }));\n`);
  chmodSync(plugin, 0o755);
  kubeconfigExec = path.join(base, 'kubeconfig-exec');
  writeFileSync(
    kubeconfigExec,
    fixtureKubeconfig({ server: `https://${kube.host}`, caPem: tls.caPem, token: 'unused' }).replace(
      /    token: unused\n/,
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(process.execPath)}\n      args: [${JSON.stringify(plugin)}]\n      interactiveMode: Never\n`,
    ),
  );
  mkdirSync(scenario);
  mkdirSync(path.join(base, 'dist'));
  for (const name of readdirSync(path.join(REPO, 'dist')).filter((n) => /^cli[\w-]*\.js$/.test(n) || n.endsWith('.wasm'))) copyFileSync(path.join(REPO, 'dist', name), path.join(base, 'dist', name));
  CLI = path.join(base, 'dist', 'cli.js');
});

after(async () => {
  await Promise.all([hcp?.stop(), kube?.stop(), argo?.stop()]);
  await tls?.dispose();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('no token and no sensitive value in any output', { timeout: 600_000 }, () => {
  it('the CLI, every source, every mode, text and JSON', async () => {
    const sources: Source[] = ['state', 'terraform', 'hcp', 'kubernetes', 'argocd'];
    const seen: Output[] = [];
    const codes: string[] = [];
    for (const mode of MODES) {
      setMode(mode);
      // The runs of one mode are independent: all at once.
      const runs = sources.flatMap((source) =>
        ['text', 'json'].flatMap((format) => {
          const args = ['drift', CLI_FOLDER[source], '--source', source, '--format', format, '--timeout', mode === 'hang' ? '1' : '20'];
          if (source === 'terraform') args.push('--terraform', FAKE_TERRAFORM);
          // The exec plugin's token takes the same paths as a kubeconfig token once read: checked on success and 401.
          const envs: Record<string, string>[] =
            source !== 'kubernetes' ? [{}] : mode === 'ok' || mode === '401' ? [{ KUBECONFIG: kubeconfigToken }, { KUBECONFIG: kubeconfigExec }] : [{ KUBECONFIG: kubeconfigToken }];
          return envs.map(async (env) => {
            const r = await limit(() => cli(args, env));
            const what = `plumbline ${args.join(' ')}${env.KUBECONFIG ? ` (${path.basename(env.KUBECONFIG)})` : ''} [${mode}]`;
            seen.push({ what: `${what} stdout`, text: r.out }, { what: `${what} stderr`, text: r.err });
            codes.push(`${source} ${mode} ${format}${env.KUBECONFIG ? ` ${path.basename(env.KUBECONFIG)}` : ''}: ${r.code} ${r.out.slice(0, 300)} ${r.err.slice(0, 300)}`);
          });
        }),
      );
      await Promise.all(runs);
    }
    outputs.push(...seen);
    assert.deepEqual(leaks(seen), []);
    // The runs did what each mode says: a check that succeeded, or one that failed (exit 2) with a message.
    for (const c of codes) {
      const [source, mode] = c.split(' ');
      const code = Number(c.split(': ')[1]!.split(' ')[0]);
      if (mode === 'ok') assert.ok(code === 0 || code === 1, `${c}: a successful check exits 0 or 1`);
      else if (source !== 'state' || mode === 'garbage') assert.equal(code, 2, `${c}: a failed check exits 2`);
    }
  });

  it('the CLI masks what Terraform marks sensitive, and Secret values', async () => {
    setMode('ok');
    const state = await cli(['drift', 'tf', '--source', 'state', '--format', 'json'], {});
    const terraform = await cli(['drift', 'tf', '--source', 'terraform', '--terraform', FAKE_TERRAFORM, '--format', 'json'], {});
    const hcpRun = await cli(['drift', 'hcp', '--source', 'hcp', '--format', 'json'], {});
    for (const [name, r] of [
      ['state', state],
      ['terraform', terraform],
      ['hcp', hcpRun],
    ] as const) {
      assert.equal(r.code, 1, `${name}: ${r.out}${r.err}`);
      const db = (JSON.parse(r.out) as { stacks: { resources: { address: string; changes: { path: string; declared?: unknown; live?: unknown; sensitive?: boolean }[] }[] }[] }).stacks
        .flatMap((s) => s.resources)
        .find((x) => x.address === 'aws_db_instance.main');
      const password = db?.changes.find((c) => c.path === 'password');
      assert.ok(password, `${name}: the password change is listed (masked): ${JSON.stringify(db)}`);
      assert.equal(password.sensitive, true, name);
      assert.ok([password.declared, password.live].every((v) => v === undefined || v === '(sensitive)'), `${name}: ${JSON.stringify(password)}`);
    }
  });

  it('the language server: drift results, diagnostics, log messages and stderr, every source and mode', async () => {
    const seen: Output[] = [];
    for (const [kubeconfig, modes] of [
      [kubeconfigToken, MODES],
      [kubeconfigExec, ['ok', '401']],
    ] as const) {
      // Secret storage holds the canary too; HOME without credential files makes the HCP source ask for it.
      const emptyHome = mkdtempSync(path.join(base, 'home-lsp-'));
      const session = await LspSession.start({
        root: ws,
        trusted: true,
        env: { ...baseEnv(), HOME: emptyHome, KUBECONFIG: kubeconfig },
        settings: { drift: { sources: ['state', 'terraform', 'hcp', 'kubernetes', 'argocd'], terraformPath: FAKE_TERRAFORM, timeoutSeconds: 2, diagnostics: 'warning' } },
        secrets: { [hcpSecretKey(hcp.host)]: CANARY },
      });
      try {
        const tfUri = await session.open(path.join(ws, 'tf', 'main.tf'), MAIN_TF);
        await session.open(path.join(ws, 'k8s', 'serving.yaml'), FIXTURE_MANIFESTS_YAML);
        for (const mode of modes) {
          setMode(mode);
          const report = await session.request<DriftReport>(DRIFT_REFRESH_REQUEST, {});
          seen.push({ what: `drift report [${mode}, ${path.basename(kubeconfig)}]`, text: JSON.stringify(report) });
          const failed = report.sources.flatMap((s) => s.stacks).filter((s) => s.problem);
          if (mode !== 'ok') assert.ok(failed.length > 0, `${mode}: some stack failed`);
          if (mode === 'ok') {
            // A drift diagnostic on the declaration of the drifted, sensitive attribute, masked.
            const published = await session.waitFor<{ uri: string; diagnostics: { code?: unknown; message: string }[] }>('textDocument/publishDiagnostics', (p) => p.uri === tfUri && p.diagnostics.some((d) => d.code === 'drift'));
            assert.ok(published.diagnostics.some((d) => d.code === 'drift' && d.message.includes('(sensitive)')), JSON.stringify(published.diagnostics));
          }
        }
      } finally {
        await session.stop();
      }
      seen.push({ what: `language server stdout (every LSP message) and stderr [${path.basename(kubeconfig)}]`, text: session.everything() });
    }
    outputs.push(...seen);
    assert.deepEqual(leaks(seen), []);
  });

  it('the search itself finds the canary where it is (the test can fail)', () => {
    assert.ok(outputs.length > 100, `${outputs.length} outputs searched`);
    assert.deepEqual(leaks([{ what: 'a planted output', text: `Authorization: Bearer ${CANARY}` }]), ['a planted output: contains the token']);
  });
});

