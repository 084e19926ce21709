// The extension activates by itself in a workspace that contains Terraform files
// (activation event workspaceContains:**/*.tf). The extension host runs the tests
// only after such eager activations have finished, so no waiting is needed.
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, open, revertAndCloseAll, waitForBriefs } from '../helpers';

describe('activation in a Terraform workspace', () => {
  after(revertAndCloseAll);

  it('is active before any file is opened', () => {
    assert.deepEqual(
      vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath),
      [],
      'no file is open yet',
    );
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.equal(extension.isActive, true, `${EXTENSION_ID} activated on workspaceContains:**/*.tf`);
  });

  it('its language server reports on the .tf file once it is opened', async () => {
    const doc = await open('infra/registry.tf');
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ['tf-aws-ecr-tag-immutability']);
  });
});
