import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DriftError } from '../types';
import { chooseContext, credentialsFor, kubeconfigPaths, loadKubeconfig, resolveTarget, type CredentialOptions } from './kubeconfig';

const EXEC_TOKEN = 'exec-plugin-token-Qm9vZ2llV29vZ2llMTIz';
const STATIC_TOKEN = 'static-token-abcdef0123456789';

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'plumbline-kubeconfig-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(rel: string, text: string): Promise<string> {
  const p = path.join(dir, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, text);
  return p;
}

function credOptions(extra: Partial<CredentialOptions> = {}): CredentialOptions {
  return { env: { PATH: process.env.PATH }, trusted: true, signal: new AbortController().signal, remainingMs: () => 10_000, ...extra };
}

async function refusal(p: Promise<unknown>, code: string): Promise<DriftError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DriftError, `expected a DriftError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail('expected a refusal');
}

describe('kubeconfigPaths', () => {
  it('splits KUBECONFIG on ":" (";" on Windows), skipping empty and repeated entries', () => {
    assert.deepEqual(kubeconfigPaths({ KUBECONFIG: '/a/config::/b/config:/a/config', HOME: '/home/u' }, 'linux'), ['/a/config', '/b/config']);
    assert.deepEqual(kubeconfigPaths({ KUBECONFIG: 'C:\\k\\a;C:\\k\\b' }, 'win32'), ['C:\\k\\a', 'C:\\k\\b']);
  });

  it('falls back to ~/.kube/config from HOME (USERPROFILE on Windows)', () => {
    assert.deepEqual(kubeconfigPaths({ HOME: '/home/u' }, 'linux'), ['/home/u/.kube/config']);
    assert.deepEqual(kubeconfigPaths({ USERPROFILE: 'C:\\Users\\u' }, 'win32'), ['C:\\Users\\u\\.kube\\config']);
    assert.deepEqual(kubeconfigPaths({}, 'linux'), []);
  });
});

describe('loadKubeconfig', () => {
  it('merges several files: the first file that names an entry or sets current-context wins', async () => {
    const a = await write(
      'merge/a.yaml',
      ['apiVersion: v1', 'kind: Config', 'current-context: dev', 'clusters:', '- name: c1', '  cluster: {server: "https://a.example:6443"}', 'users:', '- name: u1', '  user: {token: from-a}', 'contexts:', '- name: dev', '  context: {cluster: c1, user: u1, namespace: team-a}', ''].join('\n'),
    );
    const b = await write(
      'merge/b.yaml',
      ['current-context: prod', 'clusters:', '- name: c1', '  cluster: {server: "https://b.example:6443"}', '- name: c2', '  cluster: {server: "https://c2.example"}', 'users:', '- name: u2', '  user: {token: from-b}', 'contexts:', '- name: prod', '  context: {cluster: c2, user: u2}', ''].join('\n'),
    );
    const missing = path.join(dir, 'merge/does-not-exist.yaml');
    const config = await loadKubeconfig({ env: { KUBECONFIG: [a, missing, b].join(':') }, platform: 'linux' });
    assert.deepEqual(config.files, [a, b]);
    assert.equal(config.currentContext, 'dev');
    assert.equal(config.clusters.get('c1')!.fields.server, 'https://a.example:6443');
    assert.equal(config.clusters.get('c2')!.file, b);
    assert.deepEqual([...config.contexts.keys()].sort(), ['dev', 'prod']);

    const dev = await resolveTarget(config, chooseContext(config));
    assert.equal(dev.context, 'dev');
    assert.equal(dev.namespace, 'team-a');
    assert.equal(dev.user.token, 'from-a');
    // The context chosen in the panel wins over current-context; no namespace means `default`.
    const prod = await resolveTarget(config, chooseContext(config, 'prod'));
    assert.equal(prod.cluster.server, 'https://c2.example');
    assert.equal(prod.namespace, 'default');
  });

  it('reads ~/.kube/config from the HOME in the environment', async () => {
    const home = path.join(dir, 'home');
    await write('home/.kube/config', 'current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: "https://h.example"}\n');
    const config = await loadKubeconfig({ env: { HOME: home }, platform: 'linux' });
    assert.deepEqual(config.files, [path.join(home, '.kube', 'config')]);
  });

  it('says which contexts exist when the chosen one does not, and when there is no kubeconfig', async () => {
    const a = await write('ctx/a.yaml', 'contexts:\n- name: one\n  context: {cluster: c}\n- name: two\n  context: {cluster: c}\n');
    const config = await loadKubeconfig({ env: { KUBECONFIG: a }, platform: 'linux' });
    const e = await refusal(Promise.resolve().then(() => chooseContext(config, 'three')), 'not-configured');
    assert.match(e.message, /no context "three" \(chosen in the panel\)\. Contexts: one, two\./);
    await refusal(Promise.resolve().then(() => chooseContext(config)), 'not-configured');
    const none = await loadKubeconfig({ env: { KUBECONFIG: path.join(dir, 'nothing-here') }, platform: 'linux' });
    const e2 = await refusal(Promise.resolve().then(() => chooseContext(none)), 'not-configured');
    assert.match(e2.message, /No kubeconfig found/);
  });

  it('resolves relative certificate, key and token files against the kubeconfig file\'s folder', async () => {
    await write('rel/certs/ca.pem', 'CA PEM');
    await write('rel/certs/client.pem', 'CLIENT CERT');
    await write('rel/certs/client.key', 'CLIENT KEY');
    await write('rel/token', `${STATIC_TOKEN}\n`);
    const file = await write(
      'rel/sub/../config',
      [
        'current-context: c',
        'clusters:',
        '- name: k',
        '  cluster: {server: "https://k.example/", certificate-authority: certs/ca.pem}',
        'users:',
        '- name: u',
        '  user: {client-certificate: certs/client.pem, client-key: ./certs/client.key, tokenFile: token}',
        'contexts:',
        '- name: c',
        '  context: {cluster: k, user: u}',
        '',
      ].join('\n'),
    );
    const config = await loadKubeconfig({ env: { KUBECONFIG: file }, platform: 'linux' });
    const t = await resolveTarget(config, chooseContext(config));
    assert.equal(t.cluster.server, 'https://k.example');
    assert.equal(t.cluster.ca!.toString(), 'CA PEM');
    assert.equal(t.cluster.caFrom, path.join(dir, 'rel/certs/ca.pem'));
    assert.equal(t.user.clientCert!.toString(), 'CLIENT CERT');
    assert.equal(t.user.clientKey!.toString(), 'CLIENT KEY');
    assert.equal(t.user.token, STATIC_TOKEN);
    const creds = await credentialsFor(t, credOptions());
    assert.equal(creds.token, STATIC_TOKEN);
    assert.ok(!creds.via.includes(STATIC_TOKEN));
  });

  it('decodes -data fields, keeps insecure-skip-tls-verify only when set, and refuses it beside a CA', async () => {
    const data = Buffer.from('CA DATA').toString('base64');
    const file = await write(
      'data/config',
      [
        'clusters:',
        `- {name: a, cluster: {server: "https://a.example", certificate-authority-data: ${data}}}`,
        '- {name: b, cluster: {server: "https://b.example", insecure-skip-tls-verify: true}}',
        `- {name: c, cluster: {server: "https://c.example", insecure-skip-tls-verify: true, certificate-authority-data: ${data}}}`,
        '- {name: d, cluster: {server: "http://d.example"}}',
        'contexts:',
        '- {name: a, context: {cluster: a}}',
        '- {name: b, context: {cluster: b}}',
        '- {name: c, context: {cluster: c}}',
        '- {name: d, context: {cluster: d}}',
        '',
      ].join('\n'),
    );
    const config = await loadKubeconfig({ env: { KUBECONFIG: file }, platform: 'linux' });
    const a = await resolveTarget(config, chooseContext(config, 'a'));
    assert.equal(a.cluster.ca!.toString(), 'CA DATA');
    assert.equal(a.cluster.insecureSkipTlsVerify, false);
    const b = await resolveTarget(config, chooseContext(config, 'b'));
    assert.equal(b.cluster.insecureSkipTlsVerify, true);
    assert.equal(b.cluster.ca, undefined);
    await refusal(resolveTarget(config, chooseContext(config, 'c')), 'not-configured');
    const e = await refusal(resolveTarget(config, chooseContext(config, 'd')), 'not-configured');
    assert.match(e.message, /only over https/);
  });

  it('reports a broken file by line, without quoting it (it may hold a token)', async () => {
    const file = await write('bad/config', `users:\n- name: u\n  user: {token: ${STATIC_TOKEN}\n  oops: [\n`);
    const e = await refusal(loadKubeconfig({ env: { KUBECONFIG: file }, platform: 'linux' }), 'malformed');
    assert.ok(!e.message.includes(STATIC_TOKEN));
  });
});

describe('exec credential plugins', () => {
  let plugin: string;

  before(async () => {
    // A stand-in plugin: prints an ExecCredential of the apiVersion KUBERNETES_EXEC_INFO asks for,
    // and records what it was given (arguments, an env entry from the kubeconfig, the exec info).
    plugin = await write(
      'plugins/fake-auth.js',
      [
        `#!${process.execPath}`,
        "const fs = require('node:fs');",
        'const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);',
        "if (process.argv.includes('--fail')) { process.stderr.write('token expired: please sign in again\\n'); process.exit(3); }",
        "if (process.argv.includes('--hang')) setInterval(() => {}, 1000);",
        "else if (process.argv.includes('--garbage')) process.stdout.write('not json ' + process.env.SECRET_ARG);",
        'else {',
        "  fs.writeFileSync(process.env.RECORD, JSON.stringify({ argv: process.argv.slice(2), region: process.env.AWS_REGION, info }));",
        `  process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: '${EXEC_TOKEN}', expirationTimestamp: '2099-01-01T00:00:00Z' } }));`,
        '}',
        '',
      ].join('\n'),
    );
    await chmod(plugin, 0o755);
  });

  async function execConfig(name: string, apiVersion: string, args: string[], extra = ''): Promise<string> {
    return write(
      `exec-${name}/config`,
      [
        'current-context: c',
        'clusters:',
        `- {name: k, cluster: {server: "https://k.example:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')}}}`,
        'users:',
        '- name: u',
        '  user:',
        '    exec:',
        `      apiVersion: ${apiVersion}`,
        '      command: ../plugins/fake-auth.js',
        `      args: [${args.map((a) => JSON.stringify(a)).join(', ')}]`,
        '      env: [{name: AWS_REGION, value: eu-west-1}]',
        '      interactiveMode: Never',
        '      provideClusterInfo: true',
        extra,
        'contexts:',
        '- {name: c, context: {cluster: k, user: u}}',
        '',
      ].join('\n'),
    );
  }

  for (const apiVersion of ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']) {
    it(`runs the plugin without a shell and reads status.token (${apiVersion.split('/')[1]})`, async () => {
      const record = path.join(dir, `record-${apiVersion.split('/')[1]}.json`);
      const file = await execConfig(apiVersion.split('/')[1]!, apiVersion, ['eks', 'get-token', '--cluster-name', 'x; rm -rf /']);
      const config = await loadKubeconfig({ env: { KUBECONFIG: file }, platform: 'linux' });
      const target = await resolveTarget(config, chooseContext(config));
      assert.equal(target.user.exec!.resolved, plugin);
      const creds = await credentialsFor(target, credOptions({ env: { PATH: process.env.PATH, RECORD: record } }));
      assert.equal(creds.token, EXEC_TOKEN);
      assert.equal(creds.via, 'the exec plugin fake-auth.js');
      const seen = JSON.parse(await (await import('node:fs/promises')).readFile(record, 'utf8')) as { argv: string[]; region: string; info: { apiVersion: string; kind: string; spec: { interactive: boolean; cluster?: { server: string } } } };
      assert.deepEqual(seen.argv, ['eks', 'get-token', '--cluster-name', 'x; rm -rf /']);
      assert.equal(seen.region, 'eu-west-1');
      assert.equal(seen.info.apiVersion, apiVersion);
      assert.equal(seen.info.kind, 'ExecCredential');
      assert.equal(seen.info.spec.interactive, false);
      assert.equal(seen.info.spec.cluster!.server, 'https://k.example:6443');
    });
  }

  it('is refused in an untrusted workspace, before anything is spawned', async () => {
    const file = await execConfig('untrusted', 'client.authentication.k8s.io/v1', []);
    const config = await loadKubeconfig({ env: { KUBECONFIG: file }, platform: 'linux' });
    const target = await resolveTarget(config, chooseContext(config));
    let spawned = 0;
    const e = await refusal(
      credentialsFor(target, credOptions({ trusted: false, spawn: () => { spawned++; throw new Error('must not spawn'); } })),
      'untrusted',
    );
    assert.equal(spawned, 0);
    assert.match(e.hint!, /Trust the workspace/);
  });

  it('reports a failing plugin with its complaint, a non-JSON answer without quoting it, and a hung one as a timeout', async () => {
    const failing = await execConfig('fail', 'client.authentication.k8s.io/v1', ['--fail']);
    let config = await loadKubeconfig({ env: { KUBECONFIG: failing }, platform: 'linux' });
    const e1 = await refusal(credentialsFor(await resolveTarget(config, chooseContext(config)), credOptions()), 'auth');
    assert.match(e1.message, /exit code 3\): token expired: please sign in again/);

    const garbage = await execConfig('garbage', 'client.authentication.k8s.io/v1', ['--garbage']);
    config = await loadKubeconfig({ env: { KUBECONFIG: garbage }, platform: 'linux' });
    const e2 = await refusal(credentialsFor(await resolveTarget(config, chooseContext(config)), credOptions({ env: { SECRET_ARG: 'leaky-value-123' } })), 'malformed');
    assert.ok(!e2.message.includes('leaky-value-123'));

    const hanging = await execConfig('hang', 'client.authentication.k8s.io/v1', ['--hang']);
    config = await loadKubeconfig({ env: { KUBECONFIG: hanging }, platform: 'linux' });
    await refusal(credentialsFor(await resolveTarget(config, chooseContext(config)), credOptions({ execTimeoutMs: 300 })), 'timeout');
  });

  it('names the install hint when the command does not exist', async () => {
    const file = await write(
      'exec-missing/config',
      'current-context: c\nclusters:\n- {name: k, cluster: {server: "https://k.example"}}\nusers:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: plumbline-no-such-plugin, installHint: "brew install no-such-plugin"}\ncontexts:\n- {name: c, context: {cluster: k, user: u}}\n',
    );
    const config = await loadKubeconfig({ env: { KUBECONFIG: file }, platform: 'linux' });
    const e = await refusal(credentialsFor(await resolveTarget(config, chooseContext(config)), credOptions()), 'not-configured');
    assert.equal(e.hint, 'brew install no-such-plugin');
  });
});
