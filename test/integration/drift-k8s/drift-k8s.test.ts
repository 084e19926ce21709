// The drift panel for Kubernetes manifests, in the real editor: a Kubernetes API
// contract server (HTTPS, CA generated here, a kubeconfig pointing at it) and an
// Argo CD contract server, both started by this test on 127.0.0.1. The panel and
// `plumbline drift --format json` list the same objects, statuses, changed paths
// and declaring keys; a click opens the YAML document; no secret value appears.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { ARGO_FIXTURE_TOKEN, ArgoContractServer, FIXTURE_SECRET_VALUES, guestbookApp } from '../../contract/argoServer';
import { FIXTURE_KUBE_TOKEN, FIXTURE_SECRET_DECLARED, FIXTURE_SECRET_LIVE, KubeContractServer, fixtureKubeconfig } from '../../contract/kubeServer';
import { createTestTls, type TestTls } from '../../contract/tls';
import { fileUri, revertAndCloseAll, waitForDiagnostics, workspaceRoot } from '../helpers';
import { allNodes, findNode, panelWhere, runCli, snapshot, type Snapshot } from '../driftPanel';


const REPO_URL = 'https://git.example.com/acme/platform.git';
const DRIFT = /drifted|missing|unmanaged/;



/** The drifted resources of one source's stacks as the panel shows them: address, status, changed paths, declaration. */
function panelResources(s: Snapshot, sourceLabel: string) {
  const source = s.tree.find((n) => n.label === sourceLabel);
  return (source?.children ?? []).flatMap((stack) =>
    (stack.children ?? [])
      .filter((r) => DRIFT.test(r.description ?? '') && !/in sync$/.test(r.label))
      .map((r) => ({
        address: r.label,
        status: /^(\w+)/.exec(r.description ?? '')?.[1],
        paths: (r.children ?? []).filter((c) => c.icon.startsWith('symbol-field')).map((c) => c.label).sort(),
        uri: r.open?.uri,
        range: r.open?.range,
      })),
  );
}

describe('drift panel: Kubernetes and Argo CD', () => {
  let tls: TestTls;
  let kube: KubeContractServer;
  let argo: ArgoContractServer;
  const gitDir = () => path.join(workspaceRoot().fsPath, '.git');
  const saved = { ca: process.env.NODE_EXTRA_CA_CERTS, kubeconfig: process.env.KUBECONFIG, server: process.env.ARGOCD_SERVER, token: process.env.ARGOCD_AUTH_TOKEN };

  before(async function () {
    this.timeout(90_000);
    tls = await createTestTls();
    kube = await KubeContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem });
    argo = await ArgoContractServer.start({ certPem: tls.certPem, keyPem: tls.keyPem, apps: [guestbookApp({ repoURL: REPO_URL, path: 'guestbook', shape: '3.x' })] });
    // The workspace is a git checkout of REPO_URL (files only: no git runs).
    mkdirSync(gitDir(), { recursive: true });
    writeFileSync(path.join(gitDir(), 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(gitDir(), 'config'), `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = ${REPO_URL}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
    const kubeconfig = path.join(tls.dir, 'kubeconfig');
    writeFileSync(kubeconfig, fixtureKubeconfig({ server: kube.url, caPem: tls.caPem, context: 'fixture' }));
    // The language server is a child of this extension host: it reads these at its (re)start.
    process.env.KUBECONFIG = kubeconfig;
    process.env.ARGOCD_SERVER = argo.host;
    process.env.ARGOCD_AUTH_TOKEN = ARGO_FIXTURE_TOKEN;
    process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
    await vscode.commands.executeCommand('plumbline.restartServer');
  });

  after(async () => {
    await revertAndCloseAll();
    for (const [key, value] of [
      ['NODE_EXTRA_CA_CERTS', saved.ca],
      ['KUBECONFIG', saved.kubeconfig],
      ['ARGOCD_SERVER', saved.server],
      ['ARGOCD_AUTH_TOKEN', saved.token],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await kube?.stop();
    await argo?.stop();
    await tls?.dispose();
    rmSync(gitDir(), { recursive: true, force: true });
  });

  it('lists the drifted objects of the cluster and of the Argo CD application', async () => {
    await vscode.commands.executeCommand('plumbline.drift.refresh');
    const s = await panelWhere((x) => !!findNode(x, 'Deployment/ml-serving/fraud-scoring') && !!findNode(x, 'Deployment/guestbook/guestbook-ui'), 'both sources');
    const kubeDeployment = findNode(s, 'Deployment/ml-serving/fraud-scoring')!;
    assert.match(kubeDeployment.description ?? '', /drifted/);
    const replicas = (kubeDeployment.children ?? []).find((c) => c.label === 'spec.replicas');
    assert.ok(replicas, JSON.stringify(kubeDeployment));
    assert.match(replicas.description ?? '', /3.*→.*5/);
    assert.match(findNode(s, 'ConfigMap/ml-serving/fraud-scoring-config')?.description ?? '', /missing/);
    // The same Deployment is missing on the cluster of the kubeconfig, and drifted where Argo CD deploys it.
    const argoSource = s.tree.find((n) => n.label === 'Argo CD')!;
    assert.ok(findNode({ ...s, tree: [argoSource] }, 'guestbook'), 'the Argo CD application is a stack');
    assert.match(findNode({ ...s, tree: [argoSource] }, 'Deployment/guestbook/guestbook-ui')?.description ?? '', /drifted/);
  });

  it('lists the same objects, statuses, changed paths and declaring keys as plumbline drift --format json', async () => {
    const s = await snapshot();
    for (const [source, label] of [
      ['kubernetes', 'Kubernetes'],
      ['argocd', 'Argo CD'],
    ] as const) {
      const r = await runCli(['drift', '.', '--source', source, '--format', 'json']);
      assert.equal(r.status, 1, `plumbline drift --source ${source}: ${r.stdout}${r.stderr}`);
      const json = JSON.parse(r.stdout) as { stacks: { resources: { address: string; status: string; file?: string; range?: unknown; changes: { path: string }[] }[] }[] };
      const fromCli = json.stacks
        .flatMap((st) => st.resources)
        .filter((x) => DRIFT.test(x.status))
        .map((x) => ({ address: x.address, status: x.status, paths: x.changes.map((c) => c.path).sort(), uri: x.file && fileUri(x.file).toString(), range: x.range }));
      const fromPanel = panelResources(s, label);
      const byAddress = <T extends { address: string }>(xs: T[]) => [...xs].sort((a, b) => a.address.localeCompare(b.address));
      assert.ok(fromCli.length >= 2, `${source}: ${JSON.stringify(fromCli)}`);
      assert.deepEqual(byAddress(fromPanel), byAddress(fromCli), `${source}: panel vs CLI`);
    }
  });

  it('clicking an object opens its YAML document at the kind key, in a multi-document file', async () => {
    const s = await snapshot();
    const node = allNodes(s.tree).find((n) => n.label.startsWith('ConfigMap/ml-serving/') && /missing/.test(n.description ?? ''));
    assert.ok(node?.open, 'the missing ConfigMap links to its manifest');
    await vscode.commands.executeCommand('plumbline.drift.openDeclaration', node);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), fileUri('k8s/app.yaml').toString());
    assert.equal(editor?.document.lineAt(editor.selection.start.line).text.trim(), 'kind: ConfigMap');
  });

  it('marks the drifted key in the manifest, naming who changed it', async () => {
    const uri = fileUri('k8s/app.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'drift' && /spec\.replicas/.test(d.message)), 'the drift diagnostic on replicas', ['drift']);
    const replicas = diagnostics.find((d) => /spec\.replicas/.test(d.message))!;
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.lineAt(replicas.range.start.line).text, /^\s*replicas: 3/);
    assert.match(replicas.message, /live value of `spec\.replicas` is 5; code declares 3 \(changed by kubectl-edit/);
  });

  it('shows no secret value and no token anywhere: panel, diagnostics, CLI', async () => {
    const s = await snapshot();
    const texts = [
      JSON.stringify(s),
      ...vscode.languages.getDiagnostics().flatMap(([, ds]) => ds.map((d) => d.message)),
      (await runCli(['drift', '.', '--source', 'kubernetes', '--format', 'json'])).stdout,
      (await runCli(['drift', '.', '--source', 'argocd', '--format', 'json'])).stdout,
    ].join('\n');
    for (const secret of [FIXTURE_SECRET_DECLARED, FIXTURE_SECRET_LIVE, ...FIXTURE_SECRET_VALUES, FIXTURE_KUBE_TOKEN, ARGO_FIXTURE_TOKEN, Buffer.from(FIXTURE_SECRET_LIVE).toString('base64')])
      assert.ok(!texts.includes(secret), `a secret value leaked: ${secret.slice(0, 4)}…`);
    assert.ok(allNodes(s.tree).some((n) => n.label.startsWith('Secret/') && /drifted/.test(n.description ?? '')), 'the changed Secret is still reported');
  });
});
