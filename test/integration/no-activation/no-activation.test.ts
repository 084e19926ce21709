// A workspace with nothing Plumbline analyses (a README.md only) does not
// activate the extension. The extension host runs the tests only after the
// workspaceContains activations have been decided, so the check is final.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../helpers';

describe('no activation in an unrelated workspace', () => {
  it('the workspace has no Terraform or YAML file', async () => {
    assert.deepEqual(await vscode.workspace.findFiles('**/*.{tf,tfvars,yaml,yml}'), []);
    assert.equal((await vscode.workspace.findFiles('README.md')).length, 1, 'the README is found, so search works');
  });

  it('the extension is installed but not active', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.equal(extension.isActive, false);
  });
});
