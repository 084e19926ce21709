// The drift panel as a user sees it: populated from the local state (offline)
// and from an HCP Terraform contract server started here, on 127.0.0.1 with a
// CA generated for the test; clicking a resource opens its declaration; drifted
// declarations carry a diagnostic; a failing API ends in a clear message and no
// stale result.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { FIXTURE_ORG, FIXTURE_TOKEN, HcpContractServer, reply } from '../../contract/hcpServer';
import { createTestTls, type TestTls } from '../../contract/tls';
import { fileUri, revertAndCloseAll, waitForDiagnostics, workspaceRoot } from '../helpers';
import { findNode, panelWhere, runCli, snapshot } from '../driftPanel';


const sortBy = <T extends { address: string }>(xs: T[]) => [...xs].sort((a, b) => a.address.localeCompare(b.address));





const HCP_MAIN = (host: string) => `terraform {
  cloud {
    hostname     = "${host}"
    organization = "${FIXTURE_ORG}"

    workspaces {
      name = "network-prod"
    }
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
`;

describe('drift panel', () => {
  let tls: TestTls;
  let server: HcpContractServer;
  const hcpDir = () => path.join(workspaceRoot().fsPath, 'hcp');
  const saved = { ca: process.env.NODE_EXTRA_CA_CERTS, rc: process.env.TF_CLI_CONFIG_FILE };

  before(async function () {
    this.timeout(90_000);
    tls = await createTestTls();
    server = await HcpContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
    mkdirSync(hcpDir(), { recursive: true });
    writeFileSync(path.join(hcpDir(), 'main.tf'), HCP_MAIN(server.host));
    const rc = path.join(tls.dir, 'terraformrc');
    writeFileSync(rc, `credentials "${server.host}" {\n  token = "${FIXTURE_TOKEN}"\n}\n`);
    // The language server is a child of this extension host: it inherits these at its (re)start.
    process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
    process.env.TF_CLI_CONFIG_FILE = rc;
    await vscode.commands.executeCommand('plumbline.restartServer');
  });

  after(async () => {
    await revertAndCloseAll();
    process.env.NODE_EXTRA_CA_CERTS = saved.ca;
    process.env.TF_CLI_CONFIG_FILE = saved.rc;
    await server?.stop();
    await tls?.dispose();
    rmSync(hcpDir(), { recursive: true, force: true });
  });

  it('lists the drifted resources of the local state and of the HCP Terraform assessment', async () => {
    await vscode.commands.executeCommand('plumbline.drift.refresh');
    const s = await panelWhere((x) => !!findNode(x, 'aws_s3_bucket.logs') && !!findNode(x, 'aws_s3_bucket_versioning.datasets'), 'both sources');
    assert.equal(s.state, 'ready');
    assert.ok(findNode(s, `${FIXTURE_ORG}/network-prod`), 'the HCP workspace is a stack');
    assert.ok(findNode(s, 'versioning_configuration[0].status'), 'the changed attribute is listed');
    assert.match(findNode(s, 'versioning_configuration[0].status')?.description ?? '', /Enabled.*Suspended/);
    assert.match(s.statusBar ?? '', /drifted/);
    // The token went only to the configured host, and never into the panel.
    assert.ok(server.requests.length > 0 && server.requests.every((r) => r.host === server.host));
    assert.ok(!JSON.stringify(s).includes(FIXTURE_TOKEN));
  });

  it('lists the same drifted resources, with the same declaration ranges, as plumbline drift --format json', async () => {
    const s = await snapshot();
    for (const [root, source, stackLabel] of [
      ['hcp', 'hcp', `${FIXTURE_ORG}/network-prod`],
      ['state', 'state', 'state'],
    ] as const) {
      const r = await runCli(['drift', root, '--source', source, '--format', 'json']);
      assert.equal(r.status, 1, `plumbline drift ${root}: ${r.stdout}${r.stderr}`);
      const json = JSON.parse(r.stdout) as { stacks: { resources: { address: string; status: string; file?: string; range?: unknown }[] }[] };
      const fromCli = json.stacks[0]!.resources
        .filter((x) => x.status === 'drifted' || x.status === 'missing' || x.status === 'unmanaged')
        .map((x) => ({ address: x.address, uri: x.file && fileUri(x.file).toString(), range: x.range }));
      const stack = findNode(s, stackLabel);
      const fromPanel = (stack?.children ?? [])
        .filter((n) => !/in sync$/.test(n.label) && /drifted|missing|unmanaged/.test(n.description ?? ''))
        .map((n) => ({ address: n.label, uri: n.open?.uri, range: n.open?.range }));
      assert.ok(fromCli.length > 0);
      assert.deepEqual(sortBy(fromPanel), sortBy(fromCli), `${root}: panel vs CLI`);
    }
  });

  it('clicking a resource opens its declaration', async () => {
    const s = await snapshot();
    for (const [label, file, line] of [
      ['aws_s3_bucket.logs', 'hcp/main.tf', 11],
      ['aws_s3_bucket_versioning.datasets', 'state/main.tf', 5],
    ] as const) {
      const node = findNode(s, label);
      assert.ok(node?.open, `${label} links to its declaration`);
      await vscode.commands.executeCommand('plumbline.drift.openDeclaration', node);
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), fileUri(file).toString());
      assert.equal(editor?.selection.start.line, line);
    }
  });

  it('marks the drifted attribute in the code with a diagnostic', async () => {
    const uri = fileUri('state/main.tf');
    await vscode.window.showTextDocument(uri);
    const [d] = await waitForDiagnostics(uri, (ds) => ds.some((x) => x.code === 'drift'), 'the drift diagnostic', ['drift']);
    assert.equal(d!.range.start.line, 9);
    assert.match(d!.message, /recorded value of `versioning_configuration\[0\]\.status` is Suspended; code declares Enabled \(Terraform state/);
  });

  it('a failing API ends in a clear message, and the earlier result is not shown as fresh', async () => {
    server.always('GET /api/v2/organizations/' + FIXTURE_ORG + '/workspaces/network-prod', reply.serverError());
    await vscode.commands.executeCommand('plumbline.drift.refresh');
    const s = await panelWhere((x) => !findNode(x, 'aws_s3_bucket.logs'), 'the HCP error');
    const stack = findNode(s, 'hcp');
    assert.equal(stack?.icon, 'error list.errorForeground');
    assert.match(stack?.description ?? '', /workspaces\/network-prod answered 500 Internal Server Error/);
    // The local state is unaffected.
    assert.ok(findNode(s, 'aws_s3_bucket_versioning.datasets'));
    server.reset();
  });
});
