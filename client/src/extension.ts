import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerFixAllWorkspace } from './commands/fixAllWorkspace';
import { registerShowFindings } from './commands/showFindings';
import { createLanguageClient } from './languageClient';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Plumbline', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('plumbline.restartServer', async () => {
      await client?.restart();
    }),
    registerFixAllWorkspace(() => client),
    registerShowFindings(),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
