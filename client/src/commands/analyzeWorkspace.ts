import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ANALYZE_WORKSPACE_REQUEST, type AnalyzeWorkspaceResult } from '../../../server/src/protocol';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** The summary line shown after "Analyse Workspace". */
export function summarize(r: AnalyzeWorkspaceResult): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const disabled = r.disabledFolders > 0 ? ` (${plural(r.disabledFolders, 'folder')} with plumbline.enable off skipped)` : '';
  if (r.findings === 0) return `Plumbline: ${plural(r.files, 'file')} analysed, no findings${disabled}.`;
  const counts = SEVERITIES.filter((s) => (r.bySeverity[s] ?? 0) > 0).map((s) => `${r.bySeverity[s]} ${s}`);
  return `Plumbline: ${plural(r.findings, 'finding')} (${counts.join(' · ')}) in ${r.filesWithFindings} of ${plural(r.files, 'file')}${disabled}. See the Problems panel.`;
}

/**
 * "Plumbline: Analyse Workspace": the server analyses every governed file
 * under the workspace folders and publishes their diagnostics (progress
 * shows in the status bar through LSP work-done progress); a message sums
 * it up. Returns the counts (for tests and other extensions).
 */
export function registerAnalyzeWorkspace(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('plumbline.analyzeWorkspace', async (): Promise<AnalyzeWorkspaceResult | undefined> => {
    const c = client();
    if (!c) return undefined;
    const result = await c.sendRequest<AnalyzeWorkspaceResult>(ANALYZE_WORKSPACE_REQUEST);
    const message = summarize(result);
    if (result.findings > 0) {
      void vscode.window.showInformationMessage(message, 'Open Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    } else void vscode.window.showInformationMessage(message);
    return result;
  });
}
