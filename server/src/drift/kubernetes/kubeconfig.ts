import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFile as fsReadFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { DriftError } from '../types';

/**
 * The kubeconfig, read the way `kubectl` reads it: the files `KUBECONFIG`
 * lists (`:`-separated, `;` on Windows), or `~/.kube/config`, merged so the
 * first file that names a cluster, user or context (or sets
 * `current-context`) wins; relative file paths resolved against the
 * directory of the file that wrote them.
 *
 * Nothing here logs or puts into a message a token, a key, or the output of
 * an exec plugin: messages name files, contexts and fields only.
 */

export type ReadFile = (file: string) => Promise<string | Buffer>;
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface KubeconfigOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: ReadFile;
  /** For the `KUBECONFIG` separator and the home directory (default: this process's platform). */
  readonly platform?: NodeJS.Platform;
}

type Fields = { readonly [key: string]: unknown };

/** An entry of `clusters`, `users` or `contexts`, with the file it came from. */
export interface Located {
  readonly name: string;
  readonly fields: Fields;
  readonly file: string;
}

export interface Kubeconfig {
  /** The files that were read, in merge order. */
  readonly files: readonly string[];
  readonly currentContext?: string;
  /** The file that set `current-context`. */
  readonly currentContextFile?: string;
  readonly clusters: ReadonlyMap<string, Located>;
  readonly users: ReadonlyMap<string, Located>;
  readonly contexts: ReadonlyMap<string, Located>;
}

export interface ExecConfig {
  readonly apiVersion: 'client.authentication.k8s.io/v1' | 'client.authentication.k8s.io/v1beta1';
  /** The command as written; `resolved` is what is spawned. */
  readonly command: string;
  readonly resolved: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly interactiveMode?: string;
  readonly provideClusterInfo: boolean;
  readonly installHint?: string;
}

export interface KubeCluster {
  readonly name: string;
  /** `https://host:port[/prefix]`. */
  readonly server: string;
  /** The CA bundle (PEM) to verify the server with; absent: the system's CAs. */
  readonly ca?: Buffer;
  /** Where the CA came from, for messages: a file path or `certificate-authority-data`. */
  readonly caFrom?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
}

export interface KubeUser {
  readonly name: string;
  readonly token?: string;
  /** Where the token comes from, for messages (`token`, `tokenFile /path`). */
  readonly tokenFrom?: string;
  readonly clientCert?: Buffer;
  readonly clientKey?: Buffer;
  readonly exec?: ExecConfig;
}

/** A context resolved to its cluster and user, file contents read (exec not yet run). */
export interface KubeTarget {
  readonly context: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  readonly cluster: KubeCluster;
  readonly user: KubeUser;
  /** The kubeconfig file that defines the context. */
  readonly file: string;
}

/** What authenticates the requests of one check. */
export interface KubeCredentials {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** How, in words safe to log: `token from the kubeconfig`, `exec plugin aws`. */
  readonly via: string;
}

const SETUP_HINT = 'Point KUBECONFIG at your kubeconfig (or create ~/.kube/config), e.g. with your cloud CLI\'s "get credentials" command; `kubectl config view` shows what kubectl reads.';

/** The kubeconfig files kubectl would read, in order. */
export function kubeconfigPaths(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string[] {
  const sep = platform === 'win32' ? ';' : ':';
  const list = env.KUBECONFIG;
  if (list !== undefined && list.trim() !== '') {
    const seen = new Set<string>();
    return list.split(sep).map((p) => p.trim()).filter((p) => p !== '' && !seen.has(p) && (seen.add(p), true));
  }
  const home = env.HOME || (platform === 'win32' ? env.USERPROFILE || (env.HOMEDRIVE && env.HOMEPATH ? `${env.HOMEDRIVE}${env.HOMEPATH}` : undefined) : undefined);
  if (!home) return [];
  const p = platform === 'win32' ? path.win32 : path.posix;
  return [p.join(home, '.kube', 'config')];
}

/** Reads and merges the kubeconfig files; files that do not exist are skipped, as kubectl does. */
export async function loadKubeconfig(options: KubeconfigOptions): Promise<Kubeconfig> {
  const readFile = options.readFile ?? fsReadFile;
  const files = kubeconfigPaths(options.env, options.platform);
  const read: string[] = [];
  const clusters = new Map<string, Located>();
  const users = new Map<string, Located>();
  const contexts = new Map<string, Located>();
  let currentContext: string | undefined;
  let currentContextFile: string | undefined;
  for (const file of files) {
    let text: string;
    try {
      text = (await readFile(file)).toString();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new DriftError('not-configured', `Plumbline could not read the kubeconfig ${file} (${code ?? 'read error'}).`, 'Check the file\'s permissions, or the paths in KUBECONFIG.');
    }
    read.push(file);
    const doc = parseKubeconfig(text, file);
    if (currentContext === undefined && typeof doc['current-context'] === 'string' && doc['current-context'] !== '') {
      currentContext = doc['current-context'];
      currentContextFile = file;
    }
    mergeNamed(clusters, doc.clusters, 'cluster', file);
    mergeNamed(users, doc.users, 'user', file);
    mergeNamed(contexts, doc.contexts, 'context', file);
  }
  return { files: read, ...(currentContext !== undefined ? { currentContext, currentContextFile } : {}), clusters, users, contexts };
}

function parseKubeconfig(text: string, file: string): Fields {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : parseYamlText(text, { prettyErrors: false });
  } catch (e) {
    // The parser's message quotes the offending line, which may hold a token: give the line number only.
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new DriftError('malformed', `The kubeconfig ${file} is not valid YAML${line ? ` (line ${line})` : ''}.`, '`kubectl config view` shows the same problem; fix or remove that file.');
  }
  if (doc === null || doc === undefined) return {};
  if (!isFields(doc)) throw new DriftError('malformed', `The kubeconfig ${file} is not a mapping of clusters, users and contexts.`, SETUP_HINT);
  return doc;
}

function mergeNamed(into: Map<string, Located>, list: unknown, field: 'cluster' | 'user' | 'context', file: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new DriftError('malformed', `The kubeconfig ${file} has ${field}s that are not a list.`, SETUP_HINT);
  for (const item of list) {
    if (!isFields(item) || typeof item.name !== 'string' || item.name === '') continue;
    if (into.has(item.name)) continue; // the first file that names it wins
    const fields = item[field];
    into.set(item.name, { name: item.name, fields: isFields(fields) ? fields : {}, file });
  }
}

/** The context to use: the one chosen in the panel, else `current-context`. */
export function chooseContext(config: Kubeconfig, chosen?: string): Located {
  if (config.files.length === 0) {
    throw new DriftError('not-configured', 'No kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist).', SETUP_HINT);
  }
  const names = [...config.contexts.keys()];
  const available = names.length ? ` Contexts: ${names.join(', ')}.` : '';
  const name = chosen || config.currentContext;
  if (!name) {
    throw new DriftError('not-configured', `The kubeconfig sets no current-context and no context is chosen.${available}`, 'Choose a context in the drift panel, or run `kubectl config use-context <name>`.');
  }
  const found = config.contexts.get(name);
  if (!found) {
    throw new DriftError(
      'not-configured',
      `The kubeconfig has no context "${name}"${chosen ? ' (chosen in the panel)' : ' (its current-context)'}.${available}`,
      chosen ? 'Choose another context in the drift panel.' : 'Run `kubectl config use-context <name>`, or choose a context in the drift panel.',
    );
  }
  return found;
}

/** Resolves a context to its cluster and user, reading the CA, certificate, key and token files it names. */
export async function resolveTarget(config: Kubeconfig, context: Located, options: Pick<KubeconfigOptions, 'readFile'> = {}): Promise<KubeTarget> {
  const readFile = options.readFile ?? fsReadFile;
  const clusterName = text(context.fields.cluster);
  const userName = text(context.fields.user);
  const namespace = text(context.fields.namespace) || 'default';
  if (!clusterName) throw new DriftError('not-configured', `Context "${context.name}" in ${context.file} names no cluster.`, 'Add `cluster:` to the context (`kubectl config set-context`).');
  const cluster = config.clusters.get(clusterName);
  if (!cluster) throw new DriftError('not-configured', `Context "${context.name}" uses cluster "${clusterName}", which no kubeconfig file defines.`, 'Check the clusters in your kubeconfig files (`kubectl config get-clusters`).');
  const user = userName ? config.users.get(userName) : undefined;
  if (userName && !user) throw new DriftError('not-configured', `Context "${context.name}" uses user "${userName}", which no kubeconfig file defines.`, 'Check the users in your kubeconfig files (`kubectl config view`).');
  return {
    context: context.name,
    namespace,
    cluster: await resolveCluster(cluster, readFile),
    user: user ? await resolveUser(user, readFile) : { name: '' },
    file: context.file,
  };
}

async function resolveCluster(c: Located, readFile: ReadFile): Promise<KubeCluster> {
  const server = text(c.fields.server);
  if (!server) throw new DriftError('not-configured', `Cluster "${c.name}" in ${c.file} has no server address.`, 'Set `server: https://…` for the cluster.');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new DriftError('not-configured', `Cluster "${c.name}" in ${c.file} has a server address that is not a URL.`, 'Set `server: https://host:port` for the cluster.');
  }
  if (url.protocol !== 'https:') {
    throw new DriftError('not-configured', `Cluster "${c.name}" is served over ${url.protocol.replace(':', '')}; Plumbline sends credentials only over https.`, 'Use the cluster\'s https:// address.');
  }
  const insecure = c.fields['insecure-skip-tls-verify'] === true;
  const caData = text(c.fields['certificate-authority-data']);
  const caFile = text(c.fields['certificate-authority']);
  if (insecure && (caData || caFile)) {
    // kubectl refuses the same combination; guessing which one was meant would be worse.
    throw new DriftError('not-configured', `Cluster "${c.name}" in ${c.file} sets both a certificate authority and insecure-skip-tls-verify.`, 'Remove one of them: kubectl refuses this combination too.');
  }
  const tlsServerName = text(c.fields['tls-server-name']);
  const base = { name: c.name, server: server.replace(/\/+$/, ''), insecureSkipTlsVerify: insecure, ...(tlsServerName ? { tlsServerName } : {}) };
  if (caData) return { ...base, ca: decodeData(caData, `certificate-authority-data of cluster "${c.name}"`, c.file), caFrom: `certificate-authority-data of cluster "${c.name}"` };
  if (caFile) {
    const file = relativeTo(c.file, caFile);
    return { ...base, ca: await readNamed(readFile, file, `certificate-authority of cluster "${c.name}"`), caFrom: file };
  }
  return base;
}

async function resolveUser(u: Located, readFile: ReadFile): Promise<KubeUser> {
  const f = u.fields;
  if (f['auth-provider'] !== undefined) {
    throw new DriftError('not-configured', `User "${u.name}" in ${u.file} uses an auth-provider, which kubectl no longer supports.`, 'Switch the user to an exec credential plugin (e.g. kubelogin, gke-gcloud-auth-plugin).');
  }
  if (f.username !== undefined || f.password !== undefined) {
    if (!text(f.token) && !text(f.tokenFile) && f.exec === undefined && f['client-certificate'] === undefined && f['client-certificate-data'] === undefined) {
      throw new DriftError('not-configured', `User "${u.name}" in ${u.file} uses basic authentication (username and password), which Plumbline does not send.`, 'Use a token, a client certificate or an exec plugin for this user.');
    }
  }
  let out: { -readonly [K in keyof KubeUser]: KubeUser[K] } = { name: u.name };
  const token = text(f.token);
  const tokenFile = text(f.tokenFile);
  if (token) out = { ...out, token, tokenFrom: `the token of user "${u.name}"` };
  else if (tokenFile) {
    const file = relativeTo(u.file, tokenFile);
    const t = (await readNamed(readFile, file, `tokenFile of user "${u.name}"`)).toString('utf8').trim();
    if (!t) throw new DriftError('auth', `The tokenFile ${file} of user "${u.name}" is empty.`, 'Refresh the token, or fix the path.');
    out = { ...out, token: t, tokenFrom: `the tokenFile ${file}` };
  }
  const certData = text(f['client-certificate-data']);
  const certFile = text(f['client-certificate']);
  const keyData = text(f['client-key-data']);
  const keyFile = text(f['client-key']);
  if (certData) out.clientCert = decodeData(certData, `client-certificate-data of user "${u.name}"`, u.file);
  else if (certFile) out.clientCert = await readNamed(readFile, relativeTo(u.file, certFile), `client-certificate of user "${u.name}"`);
  if (keyData) out.clientKey = decodeData(keyData, `client-key-data of user "${u.name}"`, u.file);
  else if (keyFile) out.clientKey = await readNamed(readFile, relativeTo(u.file, keyFile), `client-key of user "${u.name}"`);
  if ((out.clientCert === undefined) !== (out.clientKey === undefined)) {
    throw new DriftError('not-configured', `User "${u.name}" in ${u.file} has a client ${out.clientCert ? 'certificate without a key' : 'key without a certificate'}.`, 'Set both client-certificate(-data) and client-key(-data).');
  }
  if (f.exec !== undefined) out.exec = parseExec(f.exec, u);
  return out;
}

function parseExec(raw: unknown, u: Located): ExecConfig {
  const where = `the exec plugin of user "${u.name}" in ${u.file}`;
  if (!isFields(raw)) throw new DriftError('malformed', `${cap(where)} is not a mapping.`, 'See `kubectl config view` and the plugin\'s install instructions.');
  const apiVersion = raw.apiVersion;
  if (apiVersion !== 'client.authentication.k8s.io/v1' && apiVersion !== 'client.authentication.k8s.io/v1beta1') {
    throw new DriftError(
      'not-configured',
      `${cap(where)} asks for ${typeof apiVersion === 'string' ? apiVersion : 'no apiVersion'}; Plumbline speaks client.authentication.k8s.io/v1 and v1beta1.`,
      'Update the plugin entry (your cloud CLI\'s "get credentials" command writes a current one).',
    );
  }
  const command = text(raw.command);
  if (!command) throw new DriftError('not-configured', `${cap(where)} names no command.`, 'Set `command:` in the exec entry.');
  // As client-go does: a relative path with a separator is relative to the kubeconfig; a bare name is looked up on PATH.
  const resolved = !path.isAbsolute(command) && /[\\/]/.test(command) ? path.resolve(path.dirname(u.file), command) : command;
  const args = Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [];
  const env = Array.isArray(raw.env)
    ? raw.env.flatMap((e) => (isFields(e) && typeof e.name === 'string' && typeof e.value === 'string' ? [{ name: e.name, value: e.value }] : []))
    : [];
  const interactiveMode = text(raw.interactiveMode);
  const installHint = text(raw.installHint);
  return {
    apiVersion,
    command,
    resolved,
    args,
    env,
    ...(interactiveMode ? { interactiveMode } : {}),
    provideClusterInfo: raw.provideClusterInfo === true,
    ...(installHint ? { installHint } : {}),
  };
}

// ---- credentials ---------------------------------------------------------------

export interface CredentialOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly trusted: boolean;
  readonly signal: AbortSignal;
  /** Time left for the whole check; the plugin gets at most this (and at most `execTimeoutMs`). */
  readonly remainingMs: () => number;
  readonly spawn?: SpawnFn;
  /** Limit for one exec plugin run (default 60 s, as kubectl allows interactive plugins no less). */
  readonly execTimeoutMs?: number;
}

/** The credentials of a target, running its exec plugin if it has one (trusted workspaces only). */
export async function credentialsFor(target: KubeTarget, options: CredentialOptions): Promise<KubeCredentials> {
  const u = target.user;
  const cert = u.clientCert && u.clientKey ? { cert: u.clientCert, key: u.clientKey } : {};
  if (u.exec && !u.token) {
    if (!options.trusted) {
      throw new DriftError(
        'untrusted',
        `Context "${target.context}" gets its credentials from an exec plugin (${path.basename(u.exec.command)}); Plumbline runs no program in an untrusted workspace.`,
        'Trust the workspace (Workspaces: Manage Workspace Trust) to check drift with this context, or choose a context that uses a token or a client certificate.',
      );
    }
    const status = await runExecPlugin(u.exec, target, options);
    return {
      ...cert,
      ...(status.token ? { token: status.token } : {}),
      ...(status.cert && status.key ? { cert: status.cert, key: status.key } : {}),
      via: `the exec plugin ${path.basename(u.exec.command)}`,
    };
  }
  if (u.token) return { ...cert, token: u.token, via: u.tokenFrom ?? 'the kubeconfig token' };
  if (cert.cert) return { ...cert, via: `the client certificate of user "${u.name}"` };
  return { via: 'no credentials (anonymous)' };
}

interface ExecStatus {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

const EXEC_OUTPUT_LIMIT = 1024 * 1024;

/** Runs an exec credential plugin (no shell) and reads its ExecCredential. */
export function runExecPlugin(exec: ExecConfig, target: KubeTarget, options: CredentialOptions): Promise<ExecStatus> {
  const name = path.basename(exec.command);
  const where = `The exec plugin ${name} (user "${target.user.name}")`;
  if (exec.interactiveMode === 'Always') {
    return Promise.reject(new DriftError('not-configured', `${where} needs a terminal (interactiveMode: Always); Plumbline cannot answer its prompts.`, `Run \`kubectl --context ${target.context} get ns\` in a terminal first, or set interactiveMode to IfAvailable or Never.`));
  }
  const remaining = Math.min(options.remainingMs(), options.execTimeoutMs ?? 60_000);
  if (remaining <= 0) return Promise.reject(new DriftError('timeout', `${where} was not started: the check had no time left.`, 'Raise plumbline.drift.timeoutSeconds.'));
  const info = {
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo
        ? {
            cluster: {
              server: target.cluster.server,
              ...(target.cluster.tlsServerName ? { 'tls-server-name': target.cluster.tlsServerName } : {}),
              ...(target.cluster.ca ? { 'certificate-authority-data': target.cluster.ca.toString('base64') } : {}),
              ...(target.cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
            },
          }
        : {}),
    },
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  for (const e of exec.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
  const spawn = options.spawn ?? ((c, a, o) => nodeSpawn(c, [...a], o));

  return new Promise<ExecStatus>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(exec.resolved, exec.args, { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    } catch (e) {
      reject(startError(exec, where, e as NodeJS.ErrnoException));
      return;
    }
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    const finish = (err: DriftError | undefined, value?: ExecStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (err) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(err);
      } else resolve(value!);
    };
    const timer = setTimeout(() => finish(new DriftError('timeout', `${where} did not finish within ${Math.round(remaining / 100) / 10} s.`, `Run \`kubectl --context ${target.context} get ns\` in a terminal to see what the plugin waits for (a browser sign-in?).`)), remaining);
    const onAbort = () => finish(new DriftError('cancelled', `${where} was cancelled.`));
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    child.stdout?.on('data', (c: Buffer) => {
      size += c.length;
      if (size > EXEC_OUTPUT_LIMIT) finish(new DriftError('malformed', `${where} printed more than 1 MB; it is not an ExecCredential.`, 'Check the exec entry\'s command and args.'));
      else out.push(c);
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-4096);
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish(startError(exec, where, e)));
    child.on('close', (code) => {
      if (code !== 0) {
        const said = scrub(stderr);
        finish(new DriftError('auth', `${where} failed (exit code ${code ?? 'none'})${said ? `: ${said}` : ''}.`, `Run \`kubectl --context ${target.context} get ns\` in a terminal: the plugin may need you to sign in again.`));
        return;
      }
      try {
        finish(undefined, parseExecCredential(Buffer.concat(out).toString('utf8'), exec, where));
      } catch (e) {
        finish(e as DriftError);
      }
    });
  });
}

function parseExecCredential(output: string, exec: ExecConfig, where: string): ExecStatus {
  let doc: unknown;
  try {
    doc = JSON.parse(output);
  } catch {
    // Never quote the output: it is meant to hold a credential.
    throw new DriftError('malformed', `${where} did not print an ExecCredential as JSON.`, 'Check the exec entry\'s command and args; run the plugin in a terminal to see its output.');
  }
  if (!isFields(doc) || doc.kind !== 'ExecCredential') throw new DriftError('malformed', `${where} printed JSON that is not an ExecCredential.`, 'Check the exec entry\'s command and args.');
  if (doc.apiVersion !== exec.apiVersion) {
    throw new DriftError('malformed', `${where} answered with apiVersion ${typeof doc.apiVersion === 'string' ? doc.apiVersion : '(none)'}, but the kubeconfig asks for ${exec.apiVersion}.`, 'Make the exec entry\'s apiVersion match the plugin\'s version.');
  }
  const status = isFields(doc.status) ? doc.status : {};
  const token = text(status.token);
  const certData = text(status.clientCertificateData);
  const keyData = text(status.clientKeyData);
  if (!token && !(certData && keyData)) {
    throw new DriftError('auth', `${where} gave neither a token nor a client certificate and key.`, 'Sign in again with the tool behind the plugin, then refresh.');
  }
  return { ...(token ? { token } : {}), ...(certData && keyData ? { cert: Buffer.from(certData, 'utf8'), key: Buffer.from(keyData, 'utf8') } : {}) };
}

function startError(exec: ExecConfig, where: string, e: NodeJS.ErrnoException): DriftError {
  if (e.code === 'ENOENT') {
    return new DriftError('not-configured', `${where} could not be started: ${exec.command} was not found.`, exec.installHint ?? 'Install the plugin, or put it on the PATH VS Code was started with.');
  }
  return new DriftError('failed', `${where} could not be started (${e.code ?? 'error'}).`, 'Check that the command exists and is executable.');
}

/** A plugin's complaint, shortened, with anything token-like blanked (it should not print one there, but may). */
function scrub(stderr: string): string {
  const line = stderr.replace(/\s+/g, ' ').trim().replace(/[A-Za-z0-9+/=_\-.]{24,}/g, '***');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

// ---- helpers -----------------------------------------------------------------------

function relativeTo(kubeconfigFile: string, p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(path.dirname(kubeconfigFile), p);
}

async function readNamed(readFile: ReadFile, file: string, what: string): Promise<Buffer> {
  try {
    const content = await readFile(file);
    return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  } catch (e) {
    throw new DriftError('not-configured', `Plumbline could not read ${file}, the ${what} (${(e as NodeJS.ErrnoException).code ?? 'read error'}).`, 'Relative paths in a kubeconfig are relative to the kubeconfig file\'s folder; check that the file exists.');
  }
}

function decodeData(b64: string, what: string, file: string): Buffer {
  const clean = b64.replace(/\s+/g, '');
  const buf = Buffer.from(clean, 'base64');
  if (buf.length === 0 || !/^[A-Za-z0-9+/]+=*$/.test(clean)) throw new DriftError('malformed', `The ${what} in ${file} is not base64.`, 'Copy the value again (it is the base64 of a PEM file).');
  return buf;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
