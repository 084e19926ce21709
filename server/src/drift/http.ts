import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import * as https from 'node:https';
import { DriftError, type DriftErrorCode } from './types';

/**
 * A small HTTPS client for the drift sources' JSON APIs (HCP Terraform now;
 * the Kubernetes API and Argo CD later). Built on node:https rather than
 * fetch so a test (or a private deployment) can pass its own CA.
 *
 * Every failure becomes a DriftError whose message names the host and the
 * path, never the token: the Authorization header is built here and appears
 * in no message, log line or error.
 */

export interface RequestOptions {
  readonly method?: string;
  /** Extra headers; `Authorization` is set from `token`, never from here. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Sent as `Authorization: <authScheme> <token>`. */
  readonly token?: string;
  readonly authScheme?: string;
  readonly signal?: AbortSignal;
  /** Limit for the whole call, retries and waits included; a server that sends headers and then stalls is cut off too. */
  readonly timeoutMs: number;
  /** Certificate authorities to trust instead of the bundled ones (tests, private installations). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** A client certificate (PEM) to present, with its private key (`key`); for mutual TLS (Kubernetes client certificates). */
  readonly cert?: string | Buffer;
  /** The client certificate's private key (PEM). Never appears in a message. */
  readonly key?: string | Buffer;
  /**
   * Accept any server certificate. Only for a configuration that asks for it
   * explicitly (a kubeconfig's `insecure-skip-tls-verify: true`), which the
   * caller must surface as a warning; nothing here turns it on by itself.
   */
  readonly insecureSkipTlsVerify?: boolean;
  /** Retries after a 429 (default 3). */
  readonly maxRetries?: number;
  /** First backoff delay when a 429 gives no usable Retry-After (default 500 ms; doubled per retry, with jitter). */
  readonly backoffBaseMs?: number;
  /** The longest Retry-After honoured (default 30 s); a longer one is cut to this. */
  readonly maxRetryAfterMs?: number;
  /** Response bodies above this size are refused (default 20 MB). */
  readonly maxBytes?: number;
  /**
   * Connect to this address instead of the URL's host, while still
   * verifying the certificate for, and sending `Host:` as, the URL's host.
   * For tests that stand a local server in for a public hostname.
   */
  readonly connectTo?: { readonly host: string; readonly port: number };
  /** How to wait between retries (tests record the delays instead of sleeping). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The parsed body; null for an empty body (204). */
  readonly body: T;
}

/** A DriftError from an HTTP exchange, with the status when the server answered. */
export class HttpError extends DriftError {
  constructor(
    code: DriftErrorCode,
    message: string,
    hint: string | undefined,
    /** The HTTP status, when there was a response. */
    readonly status?: number,
    /** For a failed TLS handshake: Node's error code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_TLS_CERT_ALTNAME_INVALID` …). */
    readonly tlsCode?: string,
  ) {
    super(code, message, hint);
    this.name = 'HttpError';
  }
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;

/** Sends a request and parses the JSON answer; a 2xx resolves, anything else throws an HttpError. */
export async function requestJson<T = unknown>(url: string | URL, options: RequestOptions): Promise<JsonResponse<T>> {
  const target = typeof url === 'string' ? safeUrl(url) : url;
  if (target.protocol !== 'https:') {
    throw new HttpError('not-configured', `Refusing to send a request over ${target.protocol.replace(':', '')} to ${target.host}: only https is used.`, 'Use an https:// address.');
  }
  const method = (options.method ?? 'GET').toUpperCase();
  const where = `${method} ${target.host}${target.pathname}${target.search}`;
  const deadline = Date.now() + options.timeoutMs;
  const maxRetries = options.maxRetries ?? 3;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal, where);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeoutError(where, options.timeoutMs);
    const res = await exchange(target, method, where, options, remaining);
    if (res.status === 429 && attempt < maxRetries) {
      const wait = retryDelay(res.headers['retry-after'], attempt, options);
      if (Date.now() + wait >= deadline) {
        throw new HttpError('rate-limited', `${where} was rate limited (429) and the wait would pass the time limit.`, 'Wait a moment and refresh; the API limits requests per user, not per token.', 429);
      }
      await sleep(wait, options.signal).catch(() => throwIfAborted(options.signal, where));
      continue;
    }
    return interpret<T>(res, where, options.token);
  }
}

interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function exchange(target: URL, method: string, where: string, options: RequestOptions, timeoutMs: number): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json', ...withoutAuthorization(options.headers) };
    if (options.token) headers.Authorization = `${options.authScheme ?? 'Bearer'} ${options.token}`;
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const connect = options.connectTo;
    if (connect) headers.Host = target.host;
    const isIp = /^[\d.]+$|^\[/.test(target.hostname);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    let settled = false;
    const finish = (err: Error | undefined, value?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const req = https.request(
      {
        method,
        protocol: 'https:',
        host: connect?.host ?? target.hostname.replace(/^\[|\]$/g, ''),
        port: connect?.port ?? (target.port ? Number(target.port) : 443),
        path: `${target.pathname}${target.search}`,
        headers,
        ...(options.ca !== undefined ? { ca: options.ca as string | Buffer | (string | Buffer)[] } : {}),
        ...(options.cert !== undefined ? { cert: options.cert } : {}),
        ...(options.key !== undefined ? { key: options.key } : {}),
        ...(options.insecureSkipTlsVerify === true ? { rejectUnauthorized: false } : {}),
        ...(connect && !isIp ? { servername: target.hostname } : {}),
        // No connection reuse: each exchange is short and a pooled socket would outlive a test's server.
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            finish(new HttpError('malformed', `${where} answered with more than ${Math.round(maxBytes / 1024 / 1024)} MB; the response was not read.`, undefined, res.statusCode));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => finish(networkError(where, e)));
        res.on('close', () => {
          if (!res.complete) finish(new HttpError('network', `${where}: the connection closed before the response was complete.`, 'Try again; check the network (proxy, VPN) if it keeps happening.'));
        });
      },
    );
    const timer = setTimeout(() => finish(timeoutError(where, options.timeoutMs)), timeoutMs);
    const onAbort = () => finish(cancelledError(where));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish(networkError(where, e)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function interpret<T>(res: RawResponse, where: string, token: string | undefined): JsonResponse<T> {
  const { status } = res;
  if (status >= 200 && status < 300) {
    const text = res.body.toString('utf8');
    if (text.trim() === '') return { status, headers: res.headers, body: null as T };
    try {
      return { status, headers: res.headers, body: JSON.parse(text) as T };
    } catch {
      throw new HttpError('malformed', `${where} answered ${status} with a body that is not JSON.`, 'The server or a proxy in between returned something else (an HTML error page?); check the hostname.', status);
    }
  }
  const detail = redact(errorDetail(res.body), token);
  const said = `${status}${res.statusText ? ` ${res.statusText}` : ''}${detail ? ` (${detail})` : ''}`;
  const [code, hint] = classify(status);
  if (status >= 300 && status < 400) {
    const to = typeof res.headers.location === 'string' ? ` to ${safeHost(res.headers.location)}` : '';
    throw new HttpError('server', `${where} answered with a redirect${to} (${status}); redirects are not followed so the token stays with this host.`, 'Use the hostname the service answers on directly.', status);
  }
  throw new HttpError(code, `${where} answered ${said}.`, hint, status);
}

function classify(status: number): [DriftErrorCode, string | undefined] {
  if (status === 401) return ['auth', 'The token is missing, expired or revoked: sign in again.'];
  if (status === 403) return ['auth', 'The token has no permission for this resource.'];
  if (status === 404) return ['not-found', 'Check the name, and that the token may see it (some services answer 404 instead of 403).'];
  if (status === 409) return ['conflict', 'The resource is busy (an operation is already running); try again when it ends.'];
  if (status === 429) return ['rate-limited', 'Too many requests: wait a moment and refresh.'];
  if (status >= 500) return ['server', 'The service had a problem; try again later.'];
  return ['failed', undefined];
}

/** The `errors[].title/detail` of a JSON:API error body, or a message field; short, one line. */
function errorDetail(body: Buffer): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return '';
  }
  const parts: string[] = [];
  if (typeof parsed === 'object' && parsed !== null) {
    const p = parsed as Record<string, unknown>;
    if (Array.isArray(p.errors)) {
      for (const e of p.errors.slice(0, 3)) {
        if (typeof e === 'string') parts.push(e);
        else if (typeof e === 'object' && e !== null) {
          const { title, detail } = e as Record<string, unknown>;
          parts.push([title, detail].filter((x): x is string => typeof x === 'string' && x !== '').join(': '));
        }
      }
    } else if (typeof p.message === 'string') parts.push(p.message);
  }
  const text = parts.filter(Boolean).join('; ').replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Server text is shown to the user; a server that echoes the credential must not leak it. */
function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('***') : text;
}

/** Retry-After (seconds or an HTTP date, capped), else exponential backoff with jitter. */
export function retryDelay(retryAfter: string | string[] | undefined, attempt: number, options: Pick<RequestOptions, 'backoffBaseMs' | 'maxRetryAfterMs'> = {}): number {
  const cap = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const value = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (value !== undefined && value.trim() !== '') {
    const v = value.trim();
    if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, cap);
    const at = Date.parse(v);
    if (!Number.isNaN(at)) return Math.min(Math.max(0, at - Date.now()), cap);
  }
  const base = (options.backoffBaseMs ?? DEFAULT_BACKOFF_MS) * 2 ** attempt;
  // Full jitter in the upper half: spreads retries of parallel requests without ever waiting less than half the step.
  return Math.round(base / 2 + Math.random() * (base / 2));
}

function withoutAuthorization(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'authorization') out[k] = v;
  return out;
}

function safeUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new HttpError('not-configured', 'The request address is not a valid URL.', undefined);
  }
}

function safeHost(location: string): string {
  try {
    return new URL(location).host || 'another path';
  } catch {
    return 'another address';
  }
}

function timeoutError(where: string, timeoutMs: number): HttpError {
  return new HttpError('timeout', `${where} did not answer within ${formatMs(timeoutMs)}.`, 'Check the hostname and the network (proxy, VPN), or raise the time limit.');
}

function cancelledError(where: string): HttpError {
  return new HttpError('cancelled', `${where} was cancelled.`, undefined);
}

function networkError(where: string, e: Error & { code?: string }): HttpError {
  const code = e.code ? ` (${e.code})` : '';
  const tls = /CERT|SSL|TLS|SELF_SIGNED|VERIFY|ALTNAME|ISSUER/i.test(e.code ?? e.message);
  return new HttpError(
    'network',
    `${where} failed: ${tls ? 'the server certificate is not trusted' : 'could not connect'}${code}.`,
    tls ? 'A proxy or private installation needs its CA: set NODE_EXTRA_CA_CERTS to the CA file.' : 'Check the hostname and the network (proxy, VPN, firewall).',
    undefined,
    tls ? (e.code ?? 'TLS') : undefined,
  );
}

function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw cancelledError(where);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
