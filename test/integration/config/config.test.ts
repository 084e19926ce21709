// The workspace config as a user edits it: unsaved changes to .plumbline.yaml
// (a WorkspaceEdit, never saved) change the diagnostics of the open files
// without a reload: a rule's severity, a custom policy, and a config that no
// longer parses (the last valid one stays in force; the error shows at the spot).
// The user's plumbline.severityOverrides setting applies under the config files.
import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { open, plumblineDiagnostics, rangeOf, revertAndCloseAll, waitForBriefs, waitForDiagnostics } from '../helpers';

const ECR = ['tf-aws-ecr-tag-immutability'];
const POLICY_ID = 'acme-model-version-label';
const CONFIG_ERROR = ['plumbline-config'];
const DIGEST = ['k8s-image-digest'];
const SCAN = ['tf-aws-ecr-scan-on-push'];

const POLICY = `policies:
  - id: ${POLICY_ID}
    title: Model-serving deployments carry a semantic model version
    severity: high
    message: Deployments must carry a model-version label such as 1.4.2
    match:
      kubernetes: { kinds: [Deployment], labels: { workload: model-serving } }
    assert:
      type: object
      required: [metadata]
      properties:
        metadata:
          type: object
          required: [labels]
          properties:
            labels:
              type: object
              required: [model-version]
`;

async function applyUnsaved(doc: vscode.TextDocument, edit: (e: vscode.WorkspaceEdit) => void): Promise<void> {
  const e = new vscode.WorkspaceEdit();
  edit(e);
  assert.ok(await vscode.workspace.applyEdit(e), 'the edit applies');
  assert.ok(doc.isDirty, 'the config has unsaved changes');
}

const severityOf = (uri: vscode.Uri) => plumblineDiagnostics(uri, ECR)[0]?.severity;

/** Waits until the file's one ECR finding, at its usual range, has `severity`. */
const waitForEcrSeverity = (uri: vscode.Uri, severity: vscode.DiagnosticSeverity) =>
  waitForDiagnostics(
    uri,
    (ds) => ds.length === 1 && ds[0]!.severity === severity && ds[0]!.range.isEqual(new vscode.Range(2, 25, 2, 34)),
    `the ECR finding at severity ${vscode.DiagnosticSeverity[severity]}`,
    ECR,
  );

describe('editing .plumbline.yaml', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  afterEach(revertAndCloseAll);

  it("a severity change in the unsaved config changes the open file's diagnostic", async () => {
    const tf = await open('infra/registry.tf');
    await waitForEcrSeverity(tf.uri, vscode.DiagnosticSeverity.Error);
    const config = await open('.plumbline.yaml');
    await applyUnsaved(config, (e) => e.replace(config.uri, rangeOf(config, 'severity: high'), 'severity: low'));
    await waitForEcrSeverity(tf.uri, vscode.DiagnosticSeverity.Information);
    assert.equal(severityOf(tf.uri), vscode.DiagnosticSeverity.Information);
  });

  it("a custom policy added to the config reports on the open file, at the key that lacks what it requires", async () => {
    const k8s = await open('k8s/serving.yaml');
    await waitForBriefs(k8s.uri, [], [POLICY_ID]);
    const config = await open('.plumbline.yaml');
    await applyUnsaved(config, (e) => e.insert(config.uri, config.positionAt(config.getText().length), POLICY));
    // metadata.labels (line 5) lacks model-version: the finding is on that key.
    const [finding] = await waitForBriefs(k8s.uri, [`${POLICY_ID}@5:3-5:9`], [POLICY_ID]);
    assert.equal(finding!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding!.message, /model-version/);
  });

  it('a config that stops parsing keeps the last valid one in force and shows the error at the spot', async () => {
    const tf = await open('infra/registry.tf');
    const config = await open('.plumbline.yaml');
    await applyUnsaved(config, (e) => e.replace(config.uri, rangeOf(config, 'severity: high'), 'severity: low'));
    await waitForEcrSeverity(tf.uri, vscode.DiagnosticSeverity.Information);
    await waitForBriefs(config.uri, [], CONFIG_ERROR);
    // A second colon on the line: YAML rejects the nested mapping right there.
    await applyUnsaved(config, (e) => e.replace(config.uri, rangeOf(config, 'severity: low'), 'severity: low: high'));
    const [error] = await waitForBriefs(config.uri, ['plumbline-config@5:15-5:16'], CONFIG_ERROR);
    assert.equal(error!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(error!.message, /last valid version of this file stays in force/);
    // The open file keeps its finding, with the severity of the last valid config.
    assert.equal(severityOf(tf.uri), vscode.DiagnosticSeverity.Information);
  });

  it("completes rule ids and hovers them in the config, from Plumbline's own server", async () => {
    const config = await open('.plumbline.yaml');
    await applyUnsaved(config, (e) => e.insert(config.uri, config.positionAt(config.getText().length), '  k8s-pro'));
    const end = config.positionAt(config.getText().length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', config.uri, end);
    const probes = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'k8s-probes');
    assert.ok(probes, 'k8s-probes is offered');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', config.uri, rangeOf(config, 'tf-aws-ecr-tag-immutability').start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /`tf-aws-ecr-tag-immutability`/);
    assert.match(text, /Default severity: high/);
  });
});

describe('editing a policy file (.plumbline/policies/*.yaml)', () => {
  const ENCRYPTION = ['acme-ecr-encryption'];
  afterEach(revertAndCloseAll);

  it('a severity change reaches the open file, and an invalid assert is an error at the spot', async () => {
    const tf = await open('infra/registry.tf');
    const [before] = await waitForBriefs(tf.uri, ['acme-ecr-encryption@1:1-1:39'], ENCRYPTION);
    assert.equal(before!.severity, vscode.DiagnosticSeverity.Information);
    const policy = await open('.plumbline/policies/registry.yaml');
    await applyUnsaved(policy, (e) => e.replace(policy.uri, rangeOf(policy, 'severity: low'), 'severity: high'));
    await waitForDiagnostics(tf.uri, (ds) => ds.length === 1 && ds[0]!.severity === vscode.DiagnosticSeverity.Error, 'the policy finding at high', ENCRYPTION);
    await applyUnsaved(policy, (e) => e.replace(policy.uri, rangeOf(policy, 'required: [encryption_configuration]'), 'type: objekt'));
    const [error] = await waitForBriefs(policy.uri, ['plumbline-config@10:13-10:19'], CONFIG_ERROR);
    assert.match(error!.message, /not a valid JSON Schema/);
    // A policy that cannot be evaluated is skipped; the file's other findings stay.
    await waitForBriefs(tf.uri, [], ENCRYPTION);
    await waitForBriefs(tf.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ECR);
  });
});

describe('the plumbline.severityOverrides setting', () => {
  const settings = () => vscode.workspace.getConfiguration('plumbline');
  afterEach(async () => {
    await settings().update('severityOverrides', undefined, vscode.ConfigurationTarget.Global);
    await revertAndCloseAll();
  });

  it("changes a rule's severity in the open files, and .plumbline.yaml still wins over it", async () => {
    const k8s = await open('k8s/serving.yaml');
    const tf = await open('infra/registry.tf');
    await waitForDiagnostics(k8s.uri, (ds) => ds[0]?.severity === vscode.DiagnosticSeverity.Error, 'the digest finding at its default severity', DIGEST);
    await waitForEcrSeverity(tf.uri, vscode.DiagnosticSeverity.Error);
    const overrides = { 'k8s-image-digest': 'info', 'tf-aws-ecr-scan-on-push': 'info', 'tf-aws-ecr-tag-immutability': 'low' };
    await settings().update('severityOverrides', overrides, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(k8s.uri, (ds) => ds.length === 1 && ds[0]!.severity === vscode.DiagnosticSeverity.Hint, 'the digest finding as a hint (info)', DIGEST);
    // Once the Terraform file shows the new settings (scan-on-push is not in the config)…
    await waitForDiagnostics(tf.uri, (ds) => ds.length === 1 && ds[0]!.severity === vscode.DiagnosticSeverity.Hint, 'scan-on-push as a hint (info)', SCAN);
    // …the rule the workspace's .plumbline.yaml sets to high stays high: the repository's word wins over the user's.
    assert.equal(severityOf(tf.uri), vscode.DiagnosticSeverity.Error);
  });
});
