import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RULE_LIST_REQUEST, type RuleSummary } from '../../../server/src/protocol';

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : d.code === undefined ? '' : String(d.code));

/** Rule ids of the Plumbline diagnostics under the cursor of the active editor. */
function rulesAtCursor(known: ReadonlySet<string>): string[] {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return [];
  const at = editor.selection.active;
  const ids = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.source === 'plumbline' && d.range.contains(at))
    .map(codeOf)
    .filter((id) => known.has(id));
  return [...new Set(ids)];
}

/**
 * "Plumbline: Show Rule Documentation": a quick pick of every built-in rule
 * (id and title), opening the chosen docs/rules/<id>.md shipped with the
 * extension in the Markdown preview. With the cursor on a Plumbline
 * diagnostic it opens that rule's page directly (several rules there: a pick
 * of those). A rule id passed as argument opens that page. Returns the URI
 * of the page opened.
 */
export function registerShowRuleDocs(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('plumbline.showRuleDocs', async (ruleId?: unknown): Promise<vscode.Uri | undefined> => {
    const c = client();
    const rules = c ? await c.sendRequest<RuleSummary[]>(RULE_LIST_REQUEST) : [];
    const known = new Set(rules.map((r) => r.id));
    let id = typeof ruleId === 'string' ? ruleId : undefined;
    if (id === undefined) {
      const here = rulesAtCursor(known);
      if (here.length === 1) id = here[0];
      else {
        const candidates = here.length > 1 ? rules.filter((r) => here.includes(r.id)) : rules;
        const picked = await vscode.window.showQuickPick(
          candidates.map((r) => ({ label: r.id, description: `${r.domain} · ${r.severity}`, detail: r.title, id: r.id })),
          { title: 'Plumbline: rule documentation', placeHolder: 'Search rules by id or title', matchOnDescription: true, matchOnDetail: true },
        );
        id = picked?.id;
      }
    }
    if (!id) return undefined;
    const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${id}.md`);
    try {
      await vscode.workspace.fs.stat(page);
    } catch {
      void vscode.window.showWarningMessage(`Plumbline: there is no documentation page for "${id}".`);
      return undefined;
    }
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return page;
  });
}
