import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestTls, type TestTls } from '../../../test/contract/tls';
import { HttpError, requestJson, retryDelay, type RequestOptions } from './http';

const TOKEN = 'secret-token-abcdef0123456789';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let tls: TestTls;
let server: https.Server;
let handler: Handler;
let seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
const sockets = new Set<Socket>();
let base: string;

before(async () => {
  tls = await createTestTls({ dnsNames: ['api.example.test'] });
  server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const s of sockets) s.destroy();
  await closed;
  await tls.dispose();
});

beforeEach(() => {
  seen = [];
  handler = (_req, res) => json(res, 200, { ok: true });
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function opts(extra: Partial<RequestOptions> = {}): RequestOptions {
  return { token: TOKEN, timeoutMs: 2000, ca: tls.caPem, backoffBaseMs: 5, ...extra };
}

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof HttpError, `expected an HttpError, got ${String(e)}`);
    assert.ok(!e.message.includes(TOKEN) && !(e.hint ?? '').includes(TOKEN), 'the token leaked into the error');
    assert.ok(!/authorization|bearer/i.test(e.message), 'the error mentions the Authorization header');
    return e;
  }
  assert.fail('expected the request to fail');
}

describe('requestJson', () => {
  it('sends the bearer token and parses the JSON answer', async () => {
    handler = (_req, res) => json(res, 200, { data: { id: 'x' } });
    const res = await requestJson(`${base}/api/v2/thing?a=1`, opts({ headers: { 'Content-Type': 'application/vnd.api+json' } }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { data: { id: 'x' } });
    assert.equal(seen[0]!.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen[0]!.headers['content-type'], 'application/vnd.api+json');
    assert.equal(seen[0]!.url, '/api/v2/thing?a=1');
  });

  it('sends a method and a body, and reads an empty answer as null', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const res = await requestJson(`${base}/x`, opts({ method: 'post', body: '{"a":1}' }));
    assert.equal(res.body, null);
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.body, '{"a":1}');
  });

  it('sets Authorization only from the token, never from extra headers', async () => {
    await requestJson(`${base}/x`, opts({ token: undefined, headers: { Authorization: 'Bearer smuggled' } }));
    assert.equal(seen[0]!.headers.authorization, undefined);
  });

  it('refuses a URL that is not https, without connecting', async () => {
    const e = await failure(requestJson(`http://127.0.0.1:1/x`, opts()));
    assert.equal(e.code, 'not-configured');
    assert.match(e.message, /only https/);
    assert.equal(seen.length, 0);
  });

  const statuses: [number, string, RegExp][] = [
    [401, 'auth', /token is missing, expired or revoked/],
    [403, 'auth', /no permission/],
    [404, 'not-found', /may see it/],
    [409, 'conflict', /already running/],
    [500, 'server', /try again later/],
    [503, 'server', /try again later/],
    [422, 'failed', /^$/],
  ];
  for (const [status, code, hint] of statuses) {
    it(`maps ${status} to '${code}', naming host and path`, async () => {
      handler = (_req, res) => json(res, status, { errors: [{ status: String(status), title: 'nope', detail: 'some detail' }] });
      const e = await failure(requestJson(`${base}/api/v2/workspaces/ws-1`, opts()));
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.ok(e.message.includes(`GET 127.0.0.1:${new URL(base).port}/api/v2/workspaces/ws-1`), e.message);
      assert.match(e.message, new RegExp(`answered ${status}.*nope: some detail`));
      assert.match(e.hint ?? '', hint);
    });
  }

  it('redacts the token when a server echoes it', async () => {
    handler = (_req, res) => json(res, 400, { errors: [{ title: 'bad token', detail: `token ${TOKEN} is wrong` }] });
    const e = await failure(requestJson(`${base}/x`, opts()));
    assert.match(e.message, /token \*\*\* is wrong/);
  });

  it('does not follow a redirect (the token would go along)', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { Location: 'https://evil.example/collect' });
      res.end();
    };
    const e = await failure(requestJson(`${base}/x`, opts()));
    assert.equal(e.code, 'server');
    assert.match(e.message, /redirect to evil\.example.*not followed/);
    assert.equal(seen.length, 1);
  });

  it('reads a body that is not JSON as malformed', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>proxy login</html>');
    };
    const e = await failure(requestJson(`${base}/x`, opts()));
    assert.equal(e.code, 'malformed');
    assert.match(e.message, /not JSON/);
    assert.match(e.hint ?? '', /hostname/);
  });

  it('refuses a body above the size cap', async () => {
    handler = (_req, res) => json(res, 200, { big: 'x'.repeat(5000) });
    const e = await failure(requestJson(`${base}/x`, opts({ maxBytes: 1024 })));
    assert.equal(e.code, 'malformed');
    assert.match(e.message, /more than/);
  });

  it('times out on a server that never answers', async () => {
    handler = () => undefined;
    const started = Date.now();
    const e = await failure(requestJson(`${base}/slow`, opts({ timeoutMs: 150 })));
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /did not answer within 150 ms/);
    assert.ok(Date.now() - started < 1500);
  });

  it('times out on a server that sends headers and then stalls', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"data":');
    };
    const e = await failure(requestJson(`${base}/stall`, opts({ timeoutMs: 150 })));
    assert.equal(e.code, 'timeout');
  });

  it('is cancelled by its signal, before and during the request', async () => {
    const early = new AbortController();
    early.abort();
    assert.equal((await failure(requestJson(`${base}/x`, opts({ signal: early.signal })))).code, 'cancelled');
    handler = () => undefined;
    const late = new AbortController();
    setImmediate(() => late.abort());
    const e = await failure(requestJson(`${base}/x`, opts({ signal: late.signal })));
    assert.equal(e.code, 'cancelled');
  });

  it('reports a refused connection and an untrusted certificate as network errors', async () => {
    const probe = https.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await failure(requestJson(`https://127.0.0.1:${port}/x`, opts()));
    assert.equal(refused.code, 'network');
    assert.match(refused.message, /could not connect/);

    const untrusted = await failure(requestJson(`${base}/x`, opts({ ca: undefined })));
    assert.equal(untrusted.code, 'network');
    assert.match(untrusted.message, /certificate is not trusted/);
    assert.match(untrusted.hint ?? '', /NODE_EXTRA_CA_CERTS/);
  });

  it('can connect elsewhere while verifying and addressing the URL host', async () => {
    const port = Number(new URL(base).port);
    await requestJson('https://api.example.test/ping', opts({ connectTo: { host: '127.0.0.1', port } }));
    assert.equal(seen[0]!.headers.host, 'api.example.test');
  });

  describe('429', () => {
    function rateLimitThenOk(times: number, headers: Record<string, string> = {}): void {
      let n = 0;
      handler = (_req, res) => (n++ < times ? json(res, 429, { errors: [{ status: 429, title: 'Too many requests' }] }, headers) : json(res, 200, { ok: n }));
    }

    it('honours Retry-After in seconds, then succeeds', async () => {
      rateLimitThenOk(1, { 'Retry-After': '2' });
      const waits: number[] = [];
      const res = await requestJson(`${base}/x`, opts({ timeoutMs: 10_000, sleep: async (ms) => void waits.push(ms) }));
      assert.deepEqual(res.body, { ok: 2 });
      assert.deepEqual(waits, [2000]);
    });

    it('honours Retry-After as an HTTP date, capped', async () => {
      rateLimitThenOk(1, { 'Retry-After': new Date(Date.now() + 3600_000).toUTCString() });
      const waits: number[] = [];
      await requestJson(`${base}/x`, opts({ maxRetryAfterMs: 700, sleep: async (ms) => void waits.push(ms) }));
      assert.deepEqual(waits, [700]);
    });

    it('backs off exponentially without Retry-After, then gives up', async () => {
      rateLimitThenOk(100);
      const waits: number[] = [];
      const e = await failure(requestJson(`${base}/x`, opts({ backoffBaseMs: 100, sleep: async (ms) => void waits.push(ms) })));
      assert.equal(e.code, 'rate-limited');
      assert.equal(e.status, 429);
      assert.equal(seen.length, 4, 'one request and three retries');
      assert.equal(waits.length, 3);
      waits.forEach((w, i) => assert.ok(w >= 50 * 2 ** i && w <= 100 * 2 ** i, `wait ${i} was ${w}`));
    });

    it('retries for real with a small base delay', async () => {
      rateLimitThenOk(2);
      const res = await requestJson(`${base}/x`, opts({ backoffBaseMs: 5 }));
      assert.deepEqual(res.body, { ok: 3 });
    });

    it('stops when the wait would pass the time limit', async () => {
      rateLimitThenOk(1, { 'Retry-After': '20' });
      const e = await failure(requestJson(`${base}/x`, opts({ timeoutMs: 1000 })));
      assert.equal(e.code, 'rate-limited');
      assert.match(e.message, /time limit/);
    });
  });

  it('verifies the server unless insecureSkipTlsVerify is passed explicitly, and names the TLS failure', async () => {
    const refused = await failure(requestJson(`${base}/x`, opts({ ca: undefined })));
    assert.equal(refused.code, 'network');
    assert.ok(refused.tlsCode, 'a TLS failure carries its code');
    assert.equal(seen.length, 0);
    const res = await requestJson(`${base}/x`, opts({ ca: undefined, insecureSkipTlsVerify: true }));
    assert.equal(res.status, 200);
    // false is the same as leaving it out
    await failure(requestJson(`${base}/x`, opts({ ca: undefined, insecureSkipTlsVerify: false })));
  });

  it('gives no tlsCode to a plain connection failure', async () => {
    const e = await failure(requestJson('https://127.0.0.1:1/x', opts()));
    assert.equal(e.code, 'network');
    assert.equal(e.tlsCode, undefined);
  });
});

describe('retryDelay', () => {
  it('reads seconds, dates and garbage', () => {
    assert.equal(retryDelay('3', 0), 3000);
    assert.equal(retryDelay(['1'], 0), 1000);
    assert.equal(retryDelay('120', 0, { maxRetryAfterMs: 5000 }), 5000);
    assert.equal(retryDelay(new Date(Date.now() - 10_000).toUTCString(), 0), 0);
    const fallback = retryDelay('soon', 2, { backoffBaseMs: 10 });
    assert.ok(fallback >= 20 && fallback <= 40, String(fallback));
  });
});
