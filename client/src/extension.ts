import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerAnalyzeWorkspace } from './commands/analyzeWorkspace';
import { registerCreateConfig } from './commands/createConfig';
import { registerExportEvidence } from './commands/exportEvidence';
import { registerFixAllWorkspace } from './commands/fixAllWorkspace';
import { registerShowFindings } from './commands/showFindings';
import { registerShowRuleDocs } from './commands/showRuleDocs';
import { registerDrift } from './drift';
import { createLanguageClient } from './languageClient';
import { Walkthrough } from './walkthrough';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Plumbline', { log: true });
  context.subscriptions.push(output);
  // Before the client starts, so the first diagnostics and code actions are seen.
  const walkthrough = new Walkthrough();
  context.subscriptions.push(walkthrough);
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('plumbline.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('plumbline.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#plumbline.gettingStarted`, false),
    ),
    registerFixAllWorkspace(() => client),
    registerAnalyzeWorkspace(() => client),
    registerExportEvidence(() => client),
    registerShowRuleDocs(context, () => client),
    registerCreateConfig(),
    registerShowFindings(),
    // Before start: its notification and secret handlers wait in the client for the connection.
    registerDrift(context, () => client, (report) => walkthrough.driftReported(report)),
  );
  // The palette's `when` clauses: commands that need the running extension.
  void vscode.commands.executeCommand('setContext', 'plumbline.active', true);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
