import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';
import { FIXTURE_ORG, FIXTURE_TOKEN, HcpContractServer } from '../../../test/contract/hcpServer';
import { createTestTls, type TestTls } from '../../../test/contract/tls';
import { driftHost, driftSources } from '../drift/host';
import { DriftService } from '../drift/service';
import { LanguageService, toPath } from '../service/languageService';
import { DEFAULT_SETTINGS } from '../settings';

const REPO = path.resolve(__dirname, '..', '..', '..');

const run = (args: string[], env: Record<string, string> = {}) => runCli(REPO, args, env);

interface JsonStack {
  source: string;
  name: string;
  status: string;
  problem?: { code: string; message: string; hint?: string };
  resources: { address: string; status: string; file?: string; range?: unknown; changes: unknown[] }[];
}

describe('plumbline drift', () => {
  it('exits 1 on the example state and lists the same drifted resources and ranges as the panel', async () => {
    const r = await run(['drift', 'examples/terraform', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const json = JSON.parse(r.out) as { version: number; driftCount: number; stacks: JsonStack[] };
    assert.equal(json.version, 1);
    assert.equal(json.driftCount, 6);
    const drifted = json.stacks[0].resources.filter((x) => x.status !== 'in-sync' && x.status !== 'unknown');
    assert.deepEqual(
      drifted.map((x) => `${x.status} ${x.address} ${x.file ?? '-'}`),
      [
        'drifted aws_instance.trainer examples/terraform/compute.tf',
        'drifted aws_launch_template.inference_nodes examples/terraform/compute.tf',
        'drifted aws_s3_bucket_versioning.datasets examples/terraform/versioning.tf',
        'drifted aws_s3_bucket.datasets examples/terraform/storage.tf',
        'missing aws_sagemaker_endpoint_configuration.fraud_scoring examples/terraform/serving.tf',
        'unmanaged aws_s3_bucket.legacy_exports -',
      ],
    );
    // What the editor's panel gets from the server for the same folder.
    const service = await LanguageService.create({ roots: [REPO] });
    const host = { ...driftHost(service, { env: {}, trusted: () => true, secret: async () => undefined, timeoutMs: () => 30_000 }), roots: () => [path.join(REPO, 'examples')] };
    const panel = await new DriftService(host, driftSources(service, { ...DEFAULT_SETTINGS.drift, sources: ['state'] })).refresh();
    const fromPanel = panel.sources[0].stacks[0].resources
      .filter((x) => x.status !== 'in-sync' && x.status !== 'unknown')
      .map((x) => ({ address: x.address, file: x.declaration && path.relative(REPO, toPath(x.declaration.uri)), range: x.declaration?.range }));
    assert.deepEqual(
      fromPanel,
      drifted.map((x) => ({ address: x.address, file: x.file, range: x.range })),
    );
  });

  it('prints file:line:column and what changed in text', async () => {
    const r = await run(['drift', 'examples/terraform']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^examples\/terraform \(Terraform state\) {2}6 drifted of 12 · checked /m);
    assert.match(r.out, /examples\/terraform\/versioning\.tf:3:1 {2}drifted {2}aws_s3_bucket_versioning\.datasets\n {6}recorded value of `versioning_configuration\[0\]\.status` is Suspended; code declares Enabled/);
    assert.match(r.out, /6 drifted resources in 1 stack\.$/m);
  });

  it('exits 2 with the reason when a root cannot be checked, and on usage errors', async () => {
    const none = await run(['drift', 'examples/kubernetes']);
    assert.equal(none.code, 2);
    assert.match(none.out, /No terraform\.tfstate in .*examples\/kubernetes\.\n.*--source in the CLI/);
    const usage = await run(['drift', '--source', 'pulumi']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /unknown --source pulumi: use state, terraform, hcp, kubernetes, argocd/);
    assert.equal((await run(['drift', 'no/such/dir'])).code, 2);
    assert.equal((await run(['drift', 'examples', '--timeout', 'soon'])).code, 2);
  });

  it('exits 0 when the code and the state agree', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-drift-'));
    try {
      writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n');
      writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'b', instances: [{ attributes: { bucket: 'b', id: 'b' } }] }] }));
      const r = await run(['drift', dir, '--format', 'json']);
      assert.equal(r.code, 0, r.out);
      assert.equal((JSON.parse(r.out) as { stacks: JsonStack[] }).stacks[0].status, 'in-sync');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs terraform plan -refresh-only with --source terraform and the executable --terraform names', async () => {
    const fake = path.join(REPO, 'test', 'fixtures', 'drift', 'fake-terraform', 'terraform');
    const root = path.join('test', 'fixtures', 'drift', 'state');
    const drift = await run(['drift', root, '--source', 'terraform', '--terraform', fake, '--format', 'json'], {
      FAKE_TF_SCENARIO: path.join(REPO, 'test', 'fixtures', 'drift', 'cli', 'drift'),
    });
    assert.equal(drift.code, 1, drift.out + drift.err);
    const stack = (JSON.parse(drift.out) as { stacks: JsonStack[] }).stacks[0];
    assert.equal(stack.source, 'terraform');
    assert.ok(stack.resources.some((x) => x.status === 'drifted'));
    const failed = await run(['drift', root, '--source', 'terraform', '--terraform', fake], { FAKE_TF_SCENARIO: path.join(REPO, 'test', 'fixtures', 'drift', 'cli', 'error') });
    assert.equal(failed.code, 2);
    assert.match(failed.out, /No valid credential sources found/);
  });
});

describe('plumbline drift --source hcp (against the HCP Terraform contract server)', () => {
  let tls: TestTls;
  let server: HcpContractServer;
  let dir: string;
  before(async () => {
    tls = await createTestTls();
    server = await HcpContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
    dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-hcp-cli-'));
  });
  after(async () => {
    await server?.stop();
    await tls?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The built CLI in a child process, trusting the test CA through NODE_EXTRA_CA_CERTS (read at start). */
  function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, NODE_EXTRA_CA_CERTS: tls.caFile, ...env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('close', (code) => resolve({ code, out, err }));
    });
  }

  it('reads the assessment of the workspace the cloud block names, with the token from the CLI config file', async () => {
    const root = path.join(dir, 'network');
    const rc = path.join(dir, 'terraformrc');
    await import('node:fs/promises').then((fs) => fs.mkdir(root));
    writeFileSync(path.join(root, 'main.tf'), `terraform {\n  cloud {\n    hostname     = "${server.host}"\n    organization = "${FIXTURE_ORG}"\n    workspaces {\n      name = "network-prod"\n    }\n  }\n}\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n`);
    writeFileSync(rc, `credentials "${server.host}" {\n  token = "${FIXTURE_TOKEN}"\n}\n`);
    const r = await cli(['drift', 'network', '--source', 'hcp', '--format', 'json'], { TF_CLI_CONFIG_FILE: rc });
    assert.equal(r.code, 1, r.out + r.err);
    assert.ok(!r.out.includes(FIXTURE_TOKEN) && !r.err.includes(FIXTURE_TOKEN));
    const stack = (JSON.parse(r.out) as { stacks: (JsonStack & { summary?: unknown; checkedAt?: string })[] }).stacks[0];
    assert.equal(stack.name, `${FIXTURE_ORG}/network-prod`);
    assert.deepEqual(stack.summary, { drifted: 3, undrifted: 12 });
    assert.equal(stack.checkedAt, '2022-07-02T22:29:58+00:00');
    const logs = stack.resources.find((x) => x.address === 'aws_s3_bucket.logs');
    assert.equal(logs?.file, 'network/main.tf');
    assert.deepEqual(logs?.range, { start: { line: 10, character: 0 }, end: { line: 10, character: 31 } });
    assert.ok(server.requests.every((q) => q.host === server.host));

    const signedOut = await cli(['drift', 'network', '--source', 'hcp'], {});
    assert.equal(signedOut.code, 2);
    assert.match(signedOut.out, /Not signed in to 127\.0\.0\.1:\d+/);
  });
});
