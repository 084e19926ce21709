// Authoring: a pre-approved template inserted from the completion list yields
// a file with no findings, and the code lens above a non-compliant block
// counts its findings by severity.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { atLeast, type Severity } from '../../../server/src/engine/severity';
import { fileUri, open, revertAndCloseAll, waitForBriefs, waitForDiagnostics } from '../helpers';

const severityOf = (d: vscode.Diagnostic): Severity =>
  ((d as unknown as { data?: { severity?: Severity } }).data?.severity ??
    (d.severity === vscode.DiagnosticSeverity.Error ? 'high' : d.severity === vscode.DiagnosticSeverity.Warning ? 'medium' : d.severity === vscode.DiagnosticSeverity.Information ? 'low' : 'info'));

describe('authoring with templates and code lenses', () => {
  const created = fileUri('infra/new-registry.tf');
  before(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await revertAndCloseAll();
    await vscode.workspace.fs.delete(created).then(undefined, () => undefined);
  });

  it('a snippet inserted from the completion list passes every rule', async () => {
    await vscode.workspace.fs.writeFile(created, new Uint8Array());
    const doc = await open('infra/new-registry.tf');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 0), undefined);
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'pl-ecr-model-repo');
    assert.ok(item, `the completion list offers pl-ecr-model-repo (got ${list.items.length} items)`);
    const snippet = item.insertText instanceof vscode.SnippetString ? item.insertText : new vscode.SnippetString(String(item.insertText ?? ''));
    assert.ok(await vscode.window.activeTextEditor!.insertSnippet(snippet), 'the snippet is inserted');
    assert.match(doc.getText(), /aws_ecr_repository/);
    // The lens is computed from the server's analysis of the current text: it is the proof that the
    // template was analysed (a compliant file publishes no diagnostic to wait for).
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.length > 0 && titles.every((t) => t.startsWith('Plumbline: compliant (')), titles.join(' | '));
    const serious = await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => atLeast(severityOf(d), 'low')), 'no finding at or above low');
    assert.deepEqual(serious.filter((d) => atLeast(severityOf(d), 'low')).map((d) => d.code), []);
  });

  it('the code lens above a non-compliant block counts its findings', async () => {
    const doc = await open('infra/registry.tf');
    await waitForBriefs(doc.uri, ['tf-aws-ecr-tag-immutability@3:26-3:35'], ['tf-aws-ecr-tag-immutability']);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => `${l.range.start.line + 1}: ${l.command?.title ?? ''}`);
    assert.ok(titles.some((t) => /^1: Plumbline: .*1 high/.test(t)), titles.join(' | '));
    assert.equal(lenses.find((l) => l.range.start.line === 0)?.command?.command, 'plumbline.showFindings');
  });
});
