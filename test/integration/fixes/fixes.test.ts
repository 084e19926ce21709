// Quick fixes as a user applies them: ask the editor for the code actions at a
// diagnostic, apply the fix, and the diagnostic goes away. Suppressions: the
// "Suppress … until" action inserts a directive, the finding disappears, and
// hovering the directive tells its reason and expiry.
import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { open, plumblineDiagnostics, quickFixesAt, revertAndCloseAll, waitForBriefs } from '../helpers';

const ECR = ['tf-aws-ecr-tag-immutability'];
const ESCALATION = ['k8s-allow-privilege-escalation'];

/** The first quick fix at `diagnostic` that satisfies `want`. */
async function quickFix(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic, want: (a: vscode.CodeAction) => boolean): Promise<vscode.CodeAction | undefined> {
  return (await quickFixesAt(doc, diagnostic.range, want)).find(want);
}

async function applyAction(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" carries an edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), `"${action.title}" applies`);
}

describe('quick fixes and suppressions in the editor', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  afterEach(revertAndCloseAll);

  it('the quick fix on a Terraform finding clears it', async () => {
    const doc = await open('infra/registry.tf');
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ECR);
    const [diagnostic] = plumblineDiagnostics(doc.uri, ECR);
    const fix = await quickFix(doc, diagnostic!, (a) => a.title === 'Set image_tag_mutability = "IMMUTABLE"');
    assert.ok(fix, 'the quick fix is offered');
    await applyAction(fix);
    await waitForBriefs(doc.uri, [], ECR);
    assert.match(doc.getText(), /image_tag_mutability = "IMMUTABLE"/);
  });

  it('the quick fix on a Kubernetes finding clears it', async () => {
    const doc = await open('k8s/trainer-pod.yaml');
    await waitForBriefs(doc.uri, ['k8s-allow-privilege-escalation@11:35-11:39'], ESCALATION);
    const [diagnostic] = plumblineDiagnostics(doc.uri, ESCALATION);
    const fix = await quickFix(doc, diagnostic!, (a) => a.title.includes('allowPrivilegeEscalation'));
    assert.ok(fix, 'the quick fix is offered');
    await applyAction(fix);
    await waitForBriefs(doc.uri, [], ESCALATION);
    assert.match(doc.getText(), /allowPrivilegeEscalation: false/);
  });

  it('suppressing a finding hides it, and the directive hovers with its reason and expiry', async () => {
    const doc = await open('infra/registry.tf');
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ECR);
    const [diagnostic] = plumblineDiagnostics(doc.uri, ECR);
    const suppress = await quickFix(doc, diagnostic!, (a) => a.title.startsWith('Suppress tf-aws-ecr-tag-immutability'));
    assert.ok(suppress, 'a suppression action is offered');
    await applyAction(suppress);
    await waitForBriefs(doc.uri, [], ECR);
    const line = doc.getText().split(/\r?\n/).findIndex((l) => l.includes('plumbline:ignore'));
    assert.ok(line >= 0, 'the directive was inserted');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 6));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /tf-aws-ecr-tag-immutability/);
    assert.match(text, /expires/i);
    assert.match(text, /days? left/i);
  });
});
