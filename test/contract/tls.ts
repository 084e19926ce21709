import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestTls {
  /** The test CA's certificate: pass it as `ca`, or point NODE_EXTRA_CA_CERTS at `caFile`. */
  readonly caPem: string;
  readonly caFile: string;
  /** The server certificate (signed by the CA) and its private key. */
  readonly certPem: string;
  readonly keyPem: string;
  /** With `clientCommonName`: a client certificate signed by the same CA (extendedKeyUsage clientAuth), and its key. */
  readonly clientCertPem?: string;
  readonly clientKeyPem?: string;
  readonly dir: string;
  dispose(): Promise<void>;
}

export interface TestTlsOptions {
  /** Extra DNS names for the server certificate, besides `localhost` (e.g. `app.terraform.io` for a routed test). */
  readonly dnsNames?: readonly string[];
  /** Also make a client certificate with this CN (a Kubernetes user name), e.g. for mutual TLS. */
  readonly clientCommonName?: string;
}

/**
 * A throw-away CA and a server certificate for 127.0.0.1, made with the
 * `openssl` CLI in a temp directory at test time, so no key material is
 * committed and nothing expires in the repository. P-256 keys keep it fast.
 */
export async function createTestTls(options: TestTlsOptions = {}): Promise<TestTls> {
  const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-tls-'));
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await run('openssl', [
      'req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2',
      '-subj', '/CN=Plumbline test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1']);
    const names = ['IP:127.0.0.1', 'DNS:localhost', ...(options.dnsNames ?? []).map((n) => `DNS:${n}`)];
    await writeFile(
      file('server.ext'),
      [`subjectAltName=${names.join(',')}`, 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', ''].join('\n'),
    );
    await run('openssl', [
      'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext'),
    ]);
    const [caPem, certPem, keyPem] = await Promise.all(['ca.pem', 'server.pem', 'server.key'].map((n) => readFile(file(n), 'utf8')));
    const client = options.clientCommonName !== undefined ? await clientCertificate(options.clientCommonName, file) : {};
    return { caPem, caFile: file('ca.pem'), certPem, keyPem, ...client, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function clientCertificate(commonName: string, file: (name: string) => string): Promise<{ clientCertPem: string; clientKeyPem: string }> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', ...ec, '-keyout', file('client.key'), '-out', file('client.csr'), '-subj', `/CN=${commonName}`]);
  await writeFile(file('client.ext'), ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', ''].join('\n'));
  await run('openssl', [
    'x509', '-req', '-in', file('client.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('client.pem'), '-days', '2', '-extfile', file('client.ext'),
  ]);
  const [clientCertPem, clientKeyPem] = await Promise.all(['client.pem', 'client.key'].map((n) => readFile(file(n), 'utf8')));
  return { clientCertPem, clientKeyPem };
}
