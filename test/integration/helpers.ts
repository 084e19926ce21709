// Shared by the integration suites; runs inside the VS Code extension host.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'plumbline.plumbline';

/** How long to wait for an event before failing the test (a guard, never a delay). */
export const EVENT_TIMEOUT_MS = 30_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need a workspace folder');
  return folder.uri;
}

export const fileUri = (rel: string) => vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));

/** Opens a workspace file in an editor, as a user would. */
export async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export const codeOf = (d: vscode.Diagnostic): string =>
  typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);

/** `code@line:col-line:col`, 1-based, end exclusive: the notation of the LSP and rule tests. */
export const brief = (d: vscode.Diagnostic) =>
  `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;

/**
 * The rules a scenario is about. The catalog grows (issue 4 brought it to 101
 * rules) and the same lines break several rules at once, so each test names the
 * rules it checks and sees only their findings: exact codes and ranges for those,
 * whatever other rules add. Without it: every Plumbline diagnostic.
 */
export type Rules = readonly string[] | undefined;

/** Plumbline's diagnostics on a file (of `rules`, when given), in document order. */
export function plumblineDiagnostics(uri: vscode.Uri, rules?: Rules): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'plumbline' && (!rules || rules.includes(codeOf(d))))
    .sort((a, b) => a.range.start.compareTo(b.range.start) || codeOf(a).localeCompare(codeOf(b)));
}

export const briefs = (uri: vscode.Uri, rules?: Rules) => plumblineDiagnostics(uri, rules).map(brief);

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Resolves with Plumbline's diagnostics on `uri` (of `rules`, when given) as soon as
 * `done` holds for them: checked now, then on every `onDidChangeDiagnostics` event
 * for that file. Rejects after EVENT_TIMEOUT_MS with what the file has instead.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  done: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  rules?: Rules,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = () => {
      settled = true;
      subscription.dispose();
      clearTimeout(timer);
    };
    const check = () => {
      if (settled) return;
      const diagnostics = plumblineDiagnostics(uri, rules);
      if (done(diagnostics)) {
        finish();
        resolve(diagnostics);
      }
    };
    // Subscribe before the first check so that no event falls in between.
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      if (settled) return;
      finish();
      const inScope = rules ? `of ${rules.join(', ')} ` : '';
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} ${inScope}on ${vscode.workspace.asRelativePath(uri)}; ` +
            `its Plumbline diagnostics are [${briefs(uri, rules).join(', ')}]` +
            (rules ? ` (all rules: [${briefs(uri).join(', ')}])` : ''),
        ),
      );
    }, timeoutMs);
    check();
  });
}

/** Waits until the file's diagnostics (of `rules`, when given) are exactly `expected` (see `brief`). */
export const waitForBriefs = (uri: vscode.Uri, expected: readonly string[], rules?: Rules, timeoutMs?: number) =>
  waitForDiagnostics(uri, (ds) => sameList(ds.map(brief), expected), `exactly [${expected.join(', ')}]`, rules, timeoutMs);

/** The range of the only occurrence of `text` in the document. */
export function rangeOf(doc: vscode.TextDocument, text: string): vscode.Range {
  const content = doc.getText();
  const at = content.indexOf(text);
  if (at < 0 || content.indexOf(text, at + 1) >= 0) throw new Error(`expected exactly one "${text}" in ${path.basename(doc.fileName)}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
}

/**
 * The quick fixes the editor offers for `range` (as the light bulb would list them), asked
 * again until one satisfies `want` or the guard expires. The editor answers with none, or
 * rejects with "Canceled", when it abandoned the request: the language client drops an answer
 * that arrives after a cancellation, and VS Code cancels a pending code-action request when
 * the code-action providers for the file change while it runs (as when an extension activates:
 * seen right after the built-in JSON and TypeScript support started, following a settings
 * write). The light bulb simply asks again; so does this.
 */
export async function quickFixesAt(
  doc: vscode.TextDocument,
  range: vscode.Range,
  want: (a: vscode.CodeAction) => boolean = () => true,
): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS;
  for (;;) {
    let offered: vscode.CodeAction[] = [];
    try {
      offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, vscode.CodeActionKind.QuickFix.value);
    } catch (e) {
      if (!(e instanceof Error && e.name === 'Canceled')) throw e;
    }
    if (offered.some(want) || Date.now() > deadline) return offered;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reverts every modified document and closes all editors, so each test starts clean. */
export async function revertAndCloseAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
