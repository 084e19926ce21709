import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EVIDENCE_REPORT_REQUEST, type EvidenceReportResult } from '../../../server/src/protocol';

/**
 * "Plumbline: Export Evidence Report": the server builds the report of the
 * workspace folders (one self-contained HTML page, see docs/evidence.md);
 * the user picks where to save it (the first workspace folder by default),
 * and may open it afterwards. Nothing leaves the machine.
 */
export function registerExportEvidence(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('plumbline.exportEvidence', async (): Promise<vscode.Uri | undefined> => {
    const c = client();
    if (!c) return undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Plumbline: building the evidence report…' },
      () => c.sendRequest<EvidenceReportResult>(EVIDENCE_REPORT_REQUEST, {}),
    );
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Save Plumbline Evidence Report',
      saveLabel: 'Save Report',
      filters: { 'HTML report': ['html'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, result.fileName) } : {}),
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.html));
    const summary = `${result.findings} finding${result.findings === 1 ? '' : 's'}${result.highOrAbove ? ', some high or critical' : ''}`;
    void vscode.window.showInformationMessage(`Plumbline: evidence report saved (${summary}).`, 'Open').then(async (choice) => {
      if (choice !== 'Open') return;
      // A browser renders the page; where none can be opened (a remote host), show it in the editor.
      const opened = await vscode.env.openExternal(target).then(
        (ok) => ok,
        () => false,
      );
      if (!opened) await vscode.commands.executeCommand('vscode.open', target);
    });
    return target;
  });
}
