import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FIX_ALL_WORKSPACE_REQUEST, type FixAllWorkspaceResult } from '../../../server/src/protocol';

/**
 * "Plumbline: Fix All Safe Problems in Workspace": the server computes the
 * verified safe fixes of every file; the edit needs confirmation, so VS Code
 * shows its refactoring preview before anything changes.
 */
export function registerFixAllWorkspace(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('plumbline.fixAllWorkspace', async () => {
    const c = client();
    if (!c) return;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Plumbline: computing safe fixes…' },
      () => c.sendRequest<FixAllWorkspaceResult>(FIX_ALL_WORKSPACE_REQUEST),
    );
    if (!result.edit || result.fixes === 0) {
      void vscode.window.showInformationMessage('Plumbline: no safe fixes to apply in this workspace.');
      return;
    }
    const edit = await c.protocol2CodeConverter.asWorkspaceEdit(result.edit as Parameters<typeof c.protocol2CodeConverter.asWorkspaceEdit>[0]);
    if (edit) await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  });
}
