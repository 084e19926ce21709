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
