import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { SERVER } from '../lsp/client';

export interface SessionOptions {
  /** The workspace folder. */
  readonly root: string;
  /** `initializationOptions.trusted`. */
  readonly trusted: boolean;
  /** The server's environment (added to a copy of this process's, minus keys set to undefined). */
  readonly env?: Record<string, string | undefined>;
  /** The `plumbline` settings section the server reads through workspace/configuration (none: the server's defaults). */
  readonly settings?: Record<string, unknown>;
  /** Answers to `plumbline/secret` requests, by key. */
  readonly secrets?: Record<string, string>;
}

/**
 * The bundled server over stdio, started the way an editor starts it but
 * with the workspace trust and environment a test chooses. Everything the
 * server writes (stdout: every LSP message, stderr) is kept verbatim, so a
 * test can search all of it; notifications are also kept parsed.
 */
export class LspSession {
  /** Every byte the server wrote to stdout (all LSP messages) and stderr. */
  stdout = '';
  stderr = '';
  readonly notifications: { method: string; params: unknown }[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: SessionOptions): Promise<LspSession> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new LspSession(child, connection);
    child.stdout!.on('data', (d: Buffer) => (session.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (session.stderr += d.toString()));
    connection.onNotification((method: string, params: unknown) => {
      session.notifications.push({ method, params });
      session.listeners.forEach((l) => l());
    });
    connection.onRequest((method: string, params: unknown) => {
      if (method === 'workspace/configuration') {
        const items = (params as { items?: unknown[] })?.items ?? [];
        return items.map(() => options.settings ?? null);
      }
      if (method === 'plumbline/secret') return { value: options.secrets?.[(params as { key: string }).key] };
      return null; // client/registerCapability, window/workDoneProgress/create, workspace/codeLens/refresh
    });
    connection.listen();
    const rootUri = pathToFileURL(options.root).toString();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(options.root) }],
      capabilities: options.settings ? { workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } } } : {},
      initializationOptions: { trusted: options.trusted },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** Everything the server has said so far, as one text. */
  everything(): string {
    return `${this.stdout}\n${this.stderr}`;
  }

  /** The `window/logMessage` texts so far. */
  logMessages(): string[] {
    return this.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String((n.params as { message?: unknown }).message));
  }

  /** Resolves with the first notification (already received or next) that satisfies `predicate`. */
  waitFor<P>(method: string, predicate: (params: P) => boolean = () => true): Promise<P> {
    const find = () => this.notifications.find((n) => n.method === method && predicate(n.params as P))?.params as P | undefined;
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const listener = () => {
        const found = find();
        if (found === undefined) return;
        this.listeners.delete(listener);
        resolve(found);
      };
      this.listeners.add(listener);
    });
  }

  async open(file: string, text: string): Promise<string> {
    const uri = pathToFileURL(file).toString();
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text } });
    return uri;
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((r) => this.process.once('exit', r));
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
      await exited;
    }
    this.connection.dispose();
  }
}
