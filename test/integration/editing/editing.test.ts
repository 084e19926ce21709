// Diagnostics follow the unsaved buffer: a WorkspaceEdit that fixes or introduces
// a violation changes them without the file being saved.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { open, rangeOf, revertAndCloseAll, waitForBriefs } from '../helpers';

// The rules these edits are about (see Rules in ../helpers).
const ECR = ['tf-aws-ecr-tag-immutability'];
const DIGEST = ['k8s-image-digest'];

async function applyUnsaved(doc: vscode.TextDocument, edit: (e: vscode.WorkspaceEdit) => void): Promise<void> {
  const e = new vscode.WorkspaceEdit();
  edit(e);
  assert.ok(await vscode.workspace.applyEdit(e), 'the edit applies');
  assert.ok(doc.isDirty, 'the document has unsaved changes');
}

function assertNotSaved(doc: vscode.TextDocument, onDisk: string): void {
  assert.ok(doc.isDirty, 'still unsaved');
  assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), onDisk, 'the file on disk is untouched');
  assert.notEqual(doc.getText(), onDisk);
}

describe('editing an unsaved document', () => {
  before(async () => {
    // A user's auto-save would write the buffer; these tests are about the buffer alone.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  afterEach(revertAndCloseAll);

  it('fixing a Terraform value clears its diagnostic', async () => {
    const doc = await open('infra/registry.tf');
    const onDisk = doc.getText();
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ECR);
    await applyUnsaved(doc, (e) => e.replace(doc.uri, rangeOf(doc, '"MUTABLE"'), '"IMMUTABLE"'));
    await waitForBriefs(doc.uri, [], ECR);
    assertNotSaved(doc, onDisk);
  });

  it('a violation typed into the buffer appears at its range', async () => {
    const doc = await open('infra/registry.tf');
    const onDisk = doc.getText();
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ECR);
    await applyUnsaved(doc, (e) =>
      e.insert(doc.uri, doc.positionAt(onDisk.length), '\nresource "aws_ecr_repository" "batch" {\n  image_tag_mutability = "MUTABLE"\n}\n'),
    );
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35', 'tf-aws-ecr-tag-immutability@7:26-7:35'], ECR);
    assertNotSaved(doc, onDisk);
  });

  it('pinning a Kubernetes image by digest clears its diagnostic', async () => {
    const doc = await open('k8s/scorer-pod.yaml');
    const onDisk = doc.getText();
    await waitForBriefs(doc.uri, ['k8s-image-digest@10:14-10:46'], DIGEST);
    const digest = `@sha256:${'4c7e0d2b9a1f3e5d'.repeat(4)}`;
    await applyUnsaved(doc, (e) => e.insert(doc.uri, rangeOf(doc, 'registry.acme.io/ml/scorer:1.2.0').end, digest));
    await waitForBriefs(doc.uri, [], DIGEST);
    assertNotSaved(doc, onDisk);
  });
});
