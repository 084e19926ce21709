import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What every contract server shares: HTTPS on 127.0.0.1 (port 0), the
 * sockets it must close on stop, and replies scripted per `METHOD /path`
 * (query ignored) that take precedence over the server's own routing. The
 * subclasses answer the documented shapes of one API.
 */
export abstract class ContractServer<R> {
  private readonly scripted = new Map<string, R[]>();
  private readonly fixed = new Map<string, R>();
  private readonly sockets = new Set<Socket>();
  private server: https.Server | undefined;

  /** Starts listening; `tls` holds the certificate and, for client certificates, `ca`/`requestCert`. */
  protected async listen(tls: https.ServerOptions): Promise<void> {
    const server = https.createServer(tls, (req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): void;

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** `127.0.0.1:<port>`, as a host setting (cloud block hostname, ARGOCD_SERVER) takes it. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Answers the next requests for `METHOD /path` (query ignored) with these replies, in order, then as usual. */
  script(key: string, ...replies: R[]): void {
    this.scripted.set(key, [...(this.scripted.get(key) ?? []), ...replies]);
  }

  /** Answers every request for `METHOD /path` with this reply. */
  always(key: string, r: R): void {
    this.fixed.set(key, r);
  }

  /** The scripted reply for a request, if any (consumed when it was one of `script`'s). */
  protected scriptedReply(key: string): R | undefined {
    return this.scripted.get(key)?.shift() ?? this.fixed.get(key);
  }

  /** Forgets the scripted replies (subclasses also forget the requests they recorded). */
  reset(): void {
    this.scripted.clear();
    this.fixed.clear();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

/** A request as a recording contract server saw it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent (query decoded for readability). */
  readonly path: string;
  /** Whether an Authorization header came with it. */
  readonly authorization: boolean;
  /** The Host header. */
  readonly host: string;
}

/** A contract server that records every request it receives (the HCP and Argo CD ones). */
export abstract class RecordingContractServer<R> extends ContractServer<R> {
  readonly requests: RecordedRequest[] = [];

  override reset(): void {
    super.reset();
    this.requests.length = 0;
  }

  /** Records the request and drains its body; returns its URL, method and scripted reply, if any. */
  protected receive(req: IncomingMessage): { url: URL; method: string; scripted: R | undefined } {
    const url = new URL(req.url ?? '/', 'https://contract.invalid');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: decodeURIComponent(`${url.pathname}${url.search}`), authorization: req.headers.authorization !== undefined, host: req.headers.host ?? '' });
    req.resume();
    return { url, method, scripted: this.scriptedReply(`${method} ${url.pathname}`) };
  }
}

