import * as vscode from 'vscode';

/** One finding as a code lens passes it (see server/src/features/codeLens.ts). */
interface LensFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/**
 * The command behind the code lens: the block's findings in a quick pick;
 * picking one selects its range in the editor.
 */
export function registerShowFindings(): vscode.Disposable {
  return vscode.commands.registerCommand('plumbline.showFindings', async (uri: string, label: string, findings: readonly LensFinding[]) => {
    if (!findings?.length) {
      void vscode.window.showInformationMessage(`Plumbline: ${label} is compliant with every rule that ran on it.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      findings.map((f) => ({
        label: `$(warning) ${f.ruleId}`,
        description: `${f.severity} · line ${f.range.start.line + 1}`,
        detail: f.message,
        finding: f,
      })),
      { title: `Plumbline: ${label}`, matchOnDetail: true, placeHolder: 'Go to a finding' },
    );
    if (!picked) return;
    const r = picked.finding.range;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
}
