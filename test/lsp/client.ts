import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ExitNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '..', '..', 'dist', 'server.js');

/**
 * Speaks LSP over stdio to the bundled server, the way any editor would.
 * Waits are on published diagnostics, never on timers.
 */
export class LspClient {
  private readonly waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly listeners = new Set<(p: PublishDiagnosticsParams) => void>();
  readonly stderr: string[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.set(p.uri, p);
      this.listeners.forEach((l) => l(p));
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i]!;
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
  }

  /** `nodeArgs` go to the server's node (the bench passes `--cpu-prof` with BENCH_CPU_PROF). */
  static async start(rootPath: string, nodeArgs: readonly string[] = []): Promise<LspClient> {
    const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (d: Buffer) => client.stderr.push(d.toString()));
    connection.listen();
    const rootUri = pathToFileURL(rootPath).toString();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootPath) }],
      capabilities: {},
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Calls `listener` for every publishDiagnostics (jsonrpc keeps one handler per method: use this). */
  onPublish(listener: (p: PublishDiagnosticsParams) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves with the next diagnostics published for `uri` (for `version`, if given). */
  diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    const last = this.published.get(uri);
    if (version !== undefined && last?.version === version) return Promise.resolve(last);
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  /** Resolves with the first diagnostics for `uri` (already published or next) that satisfy `predicate`. */
  diagnosticsMatching(uri: string, predicate: (d: Diagnostic[]) => boolean): Promise<PublishDiagnosticsParams> {
    const last = this.published.get(uri);
    if (last && predicate(last.diagnostics)) return Promise.resolve(last);
    return new Promise((resolve) => {
      const sub = this.onPublish((p) => {
        if (p.uri === uri && predicate(p.diagnostics)) {
          sub.dispose();
          resolve(p);
        }
      });
    });
  }

  async open(uri: string, text: string, languageId = 'plaintext'): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const published = this.diagnostics(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return (await published).diagnostics;
  }

  /** Sends an edit and returns the version it created (await `diagnostics(uri, version)` for its result). */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  /**
   * Sends several full-text edits in one write to the server's stdin, so they
   * arrive together, as when a user types faster than the server analyses.
   * Returns the versions created.
   */
  changeAllAtOnce(uri: string, texts: readonly string[]): number[] {
    const versions: number[] = [];
    let payload = '';
    for (const text of texts) {
      const version = (this.versions.get(uri) ?? 1) + 1;
      this.versions.set(uri, version);
      versions.push(version);
      const body = JSON.stringify({
        jsonrpc: '2.0',
        method: DidChangeTextDocumentNotification.method,
        params: { textDocument: { uri, version }, contentChanges: [{ text }] },
      });
      payload += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    }
    this.process.stdin!.write(payload);
    return versions;
  }

  /** Any request, by method name (code actions, hover, Plumbline's own requests). */
  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  isRunning(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.isRunning()) {
      const exited = new Promise((r) => this.process.once('exit', r));
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
      await exited;
    }
    this.connection.dispose();
  }
}
