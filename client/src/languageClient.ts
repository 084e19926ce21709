import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CACHE_DIR_ENV, CODE_CACHE_ENV } from '../../server/src/bootstrap/cacheDirectory';
import { TRUST_CHANGED_NOTIFICATION, type InitializationOptions, type TrustParams } from '../../server/src/protocol';

/** The files Plumbline analyses (any language id: Terraform may be plaintext without another extension). */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', pattern: '**/*.tf' },
  { scheme: 'file', pattern: '**/*.tfvars' },
  { scheme: 'file', pattern: '**/*.{yaml,yml}' },
];

/** Starts the bundled language server over IPC. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // The server keeps its V8 code cache (a faster start) in this extension's own per-user storage.
  // The debug server runs with other V8 flags (--nolazy), which would refuse that cache and replace it: none there.
  const cacheDir = context.globalStorageUri.scheme === 'file' ? { [CACHE_DIR_ENV]: context.globalStorageUri.fsPath } : {};
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: cacheDir } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'], env: { [CODE_CACHE_ENV]: 'off' } } },
  };
  // A function: a restart after trust was granted must start the server trusted.
  const initializationOptions = (): InitializationOptions => ({
    docsBase: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules').toString() + '/',
    // Code actions carry plumbline.codeActionApplied (registered by walkthrough.ts).
    codeActionCommand: true,
    trusted: vscode.workspace.isTrusted,
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    middleware: {
      // Plumbline completes only its own config; other YAML (and a space typed in it) costs no request.
      provideCompletionItem: (document, position, context, token, next) =>
        document.uri.path.endsWith('/.plumbline.yaml') ? next(document, position, context, token) : undefined,
    },
    outputChannel: output,
    initializationOptions,
    synchronize: {
      // Companions in unopened files of a module, and .gitlab-ci.yml includes, are read from disk.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{tf,tfvars,tfvars.json}'),
        vscode.workspace.createFileSystemWatcher('**/.gitlab-ci.{yml,yaml}'),
        // Configuration and policies: a change on disk re-analyses the open documents under them
        // (open buffers of these files are documents of the selector above, so unsaved edits count too).
        vscode.workspace.createFileSystemWatcher('**/.plumbline.yaml'),
        vscode.workspace.createFileSystemWatcher('**/.plumbline/policies/*.{yaml,yml}'),
      ],
    },
  };
  const client = new LanguageClient('plumbline', 'Plumbline', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // A stopped server learns it from initializationOptions when it starts again.
      if (client.state === State.Stopped) return;
      const params: TrustParams = { trusted: true };
      client.sendNotification(TRUST_CHANGED_NOTIFICATION, params).catch((e: unknown) => output.warn(`Could not tell the server about workspace trust: ${String(e)}`));
    }),
  );
  return client;
}
