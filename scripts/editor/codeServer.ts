// One home for running the real editor: code-server (provisioned into
// .vscode-test/ by scripts/provision-editor.mjs) and headless Chromium driven by
// playwright-core. Used by `npm start` (scripts/start.ts), the integration driver
// (test/integration/runInCodeServer.ts) and the UI end-to-end test (test/e2e/).
// See ../shared/docs/real-editor-tests.md for the facts behind each option.
//
// Every code-server runs in its own session and process group (pgid = its pid)
// and is stopped as a whole: code-server's file watcher, extension host and the
// language server it forks would outlive a kill of the parent alone. The groups
// and browsers started here are stopped on every way out: stop(), a signal
// (installShutdownHandlers), or process exit (SIGKILL, synchronous, last resort).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EDITOR_DIR = path.join(ROOT, '.vscode-test');
export const EDITOR_MARKER = path.join(EDITOR_DIR, 'editor.json');
export const VSIX = path.join(ROOT, 'plumbline.vsix');
export const EXAMPLES = path.join(ROOT, 'examples');
export const HOST = '127.0.0.1';

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 20;

/** What scripts/provision-editor.mjs records in .vscode-test/editor.json. */
export interface Editor {
  codeServerEntry: string;
  chromium?: string;
  codeServer: string;
  vscode: string;
}

export class EditorError extends Error {}

// ---------------------------------------------------------------------------
// Preparing: provisioning and packaging

/**
 * Provisions the editor if needed (a second of checks once done) and returns what
 * was installed. `browser: false` skips Chromium (npm start: the user brings a browser).
 */
export function provisionEditor({ browser = true }: { browser?: boolean } = {}): Editor {
  const args = [path.join(ROOT, 'scripts', 'provision-editor.mjs'), ...(browser ? [] : ['--no-chromium'])];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new EditorError('the editor could not be provisioned (see above)');
  const editor = JSON.parse(readFileSync(EDITOR_MARKER, 'utf8')) as Editor;
  if (browser && !editor.chromium) throw new EditorError(`${EDITOR_MARKER} records no Chromium`);
  return editor;
}

/** `npm run package`: the production build and plumbline.vsix, as users install it. */
export function packageVsix(): string {
  rmSync(VSIX, { force: true });
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (r.status !== 0 || !existsSync(VSIX)) {
    throw new EditorError(`npm run package failed (${r.error?.message ?? r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return VSIX;
}

/** User settings of every editor started here (a fresh user-data-dir each time). */
export const EDITOR_SETTINGS: Record<string, unknown> = {
  'files.autoSave': 'off', // the editing scenario is about unsaved buffers
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never', // workspaces sit inside this repository: no prompt about it
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

export function writeUserSettings(userDataDir: string, settings: Record<string, unknown> = EDITOR_SETTINGS): void {
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

// ---------------------------------------------------------------------------
// Processes started here, and stopping them

const groups = new Map<number, ChildProcess>();
const browsers = new Set<Browser>();

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/**
 * Whether any process of the group is still running. Zombies do not count: an
 * orphan is reparented to PID 1, and where PID 1 does not reap (some container
 * inits) a dead process would otherwise keep its group "alive" forever.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  return groupMembers(pgid).some((m) => m.state !== 'Z');
}

/** The processes of a process group, from /proc (Linux). */
export function groupMembers(pgid: number): { pid: number; state: string }[] {
  const members: { pid: number; state: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), state: fields[0] });
  }
  return members;
}

const until = async (done: () => boolean, deadline: number) => {
  // Polls process state: the kernel offers no event for "a process group is empty".
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return done();
};

/** Stops a process group started here: SIGTERM, then SIGKILL what is left after a grace period. */
export async function stopGroup(child: ChildProcess, graceMs = STOP_TIMEOUT_MS): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  signalGroup(pgid, 'SIGTERM');
  if (!(await until(() => !groupAlive(pgid), Date.now() + graceMs))) {
    console.error(`[editor] process group ${pgid} did not stop on SIGTERM; sending SIGKILL`);
    signalGroup(pgid, 'SIGKILL');
    await until(() => !groupAlive(pgid), Date.now() + 2_000);
  }
  groups.delete(pgid);
}

export async function closeBrowser(browser: Browser): Promise<void> {
  await browser.close().catch(() => undefined);
  browsers.delete(browser);
}

/** Stops every browser and process group started here (on a signal, or at the end). */
export async function stopAll(graceMs = 5_000): Promise<void> {
  await Promise.allSettled([...browsers].map(closeBrowser));
  await Promise.allSettled([...groups.values()].map((child) => stopGroup(child, graceMs)));
}

process.on('exit', () => {
  for (const pgid of groups.keys()) signalGroup(pgid, 'SIGKILL'); // last resort: 'exit' handlers are synchronous
});

let shuttingDown = false;

/**
 * On SIGINT (Ctrl+C), SIGTERM or SIGHUP: stop everything started here, then exit
 * with `exitCode(signal)` (default 128 + signal number). Repeated signals during
 * the stop are ignored (Ctrl+C under npm delivers SIGINT twice: from the terminal
 * and forwarded by npm); the stop is bounded, and SIGKILLs what does not stop.
 *
 * Also when the parent process goes away: `kill <pid of npm>` makes npm signal
 * only its `sh -c` child, which dies without passing the signal on, and this
 * process would serve on as an orphan. A once-a-second check of the parent pid
 * (there is no portable parent-death event) treats that as SIGTERM.
 */
export function installShutdownHandlers(label: string, exitCode: (signal: NodeJS.Signals) => number = (s) => (s === 'SIGINT' ? 130 : s === 'SIGHUP' ? 129 : 143)): void {
  const shutdown = (signal: NodeJS.Signals, why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    clearInterval(watchdog);
    console.log(`\n[${label}] ${why}: stopping${groups.size ? ` code-server (process group ${[...groups.keys()].join(', ')})` : ''}`);
    void stopAll().finally(() => process.exit(exitCode(signal)));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal, signal));
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) shutdown('SIGTERM', `the parent process (${parent}) is gone`);
  }, 1_000);
  watchdog.unref();
}

export const isShuttingDown = () => shuttingDown;

// ---------------------------------------------------------------------------
// Ports and readiness

/** Whether `port` can be bound on 127.0.0.1 now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A port the system considers free now (it could be taken before use: callers retry). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const exitedEarly = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Resolves when code-server answers GET /healthz; rejects if it exits or the time runs out. */
export async function waitForHealth(port: number, child: ChildProcess, logFile: string, timeoutMs = HEALTH_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitedEarly(child)) throw new EditorError(`code-server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${tail(logFile)}`);
    try {
      const res = await fetch(`http://${HOST}:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100)); // readiness poll: there is no event to wait on
  }
  throw new EditorError(`code-server did not answer /healthz within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

// ---------------------------------------------------------------------------
// code-server

export interface StartOptions {
  editor: Editor;
  /** The folder the workbench opens. */
  workspace: string;
  /** Emptied, then holds the config, user data, logs (code-server.log) and, by default, the extensions. */
  runDir: string;
  /** Where extensions live; default `<runDir>/extensions`. */
  extensionsDir?: string;
  /** A .vsix to install into the extensions dir first (`code-server --install-extension`). */
  installVsix?: string;
  /**
   * The port to use, or the first one to try: when taken, the next free one up to
   * port + 19 is used. Without it, any free port.
   */
  port?: number;
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT/?folder=<workspace> */
  url: string;
  baseUrl: string;
  workspace: string;
  runDir: string;
  logFile: string;
  extensionsDir: string;
  child: ChildProcess;
  /** The process group (= code-server's pid). */
  pgid: number;
  /** Resolves when code-server exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the whole process group. */
  stop(): Promise<void>;
}

interface Layout {
  config: string;
  userData: string;
  extensions: string;
  env: NodeJS.ProcessEnv;
}

function prepareRunDir(opts: StartOptions): Layout {
  rmSync(opts.runDir, { recursive: true, force: true });
  const xdg = path.join(opts.runDir, 'xdg');
  const layout: Layout = {
    config: path.join(opts.runDir, 'config.yaml'),
    userData: path.join(opts.runDir, 'user-data'),
    extensions: opts.extensionsDir ?? path.join(opts.runDir, 'extensions'),
    env: {
      ...process.env,
      // Keep code-server away from ~/.config/code-server and ~/.local/share/code-server.
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      XDG_CACHE_HOME: path.join(xdg, 'cache'),
    },
  };
  for (const d of [layout.userData, layout.extensions, xdg]) mkdirSync(d, { recursive: true });
  writeFileSync(layout.config, 'auth: none\ncert: false\n');
  writeUserSettings(layout.userData, opts.settings ?? EDITOR_SETTINGS);
  return layout;
}

const commonArgs = (layout: Layout) => ['--config', layout.config, '--extensions-dir', layout.extensions, '--user-data-dir', layout.userData];

/** `code-server --install-extension x.vsix` into the run's extensions dir. */
function installExtension(editor: Editor, layout: Layout, vsix: string, runDir: string): void {
  const r = spawnSync(process.execPath, [editor.codeServerEntry, ...commonArgs(layout), '--force', '--install-extension', vsix], {
    cwd: runDir,
    env: layout.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  writeFileSync(path.join(runDir, 'install-extension.log'), `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0 || !/successfully installed/.test(r.stdout ?? '')) {
    throw new EditorError(`code-server --install-extension ${path.relative(ROOT, vsix)} failed (${r.error?.message ?? r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}

/** Folders in the extensions dir that hold an installed extension, e.g. plumbline.plumbline-0.1.0. */
export function installedExtensions(extensionsDir: string): string[] {
  try {
    const list = JSON.parse(readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8')) as { relativeLocation?: string }[];
    return list.map((e) => e.relativeLocation ?? '').filter((d) => d && existsSync(path.join(extensionsDir, d, 'package.json')));
  } catch {
    return [];
  }
}

function spawnCodeServer(editor: Editor, opts: StartOptions, layout: Layout, port: number, logFile: string): ChildProcess {
  const log = openSync(logFile, 'w');
  const args = [
    editor.codeServerEntry,
    ...commonArgs(layout),
    '--auth', 'none',
    '--bind-addr', `${HOST}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    opts.workspace,
  ];
  // detached: the child calls setsid(2), so code-server leads a new session and
  // process group (pgid = pid), out of reach of the terminal's Ctrl+C, which we
  // stop as a whole with kill(-pgid).
  const child = spawn(process.execPath, args, { cwd: opts.runDir, detached: true, stdio: ['ignore', log, log], env: layout.env });
  closeSync(log);
  if (child.pid === undefined) throw new EditorError('code-server did not start');
  groups.set(child.pid, child);
  return child;
}

/**
 * Starts code-server on 127.0.0.1 with `workspace`, optionally with a .vsix
 * installed first, and resolves once it answers /healthz.
 */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  if (shuttingDown) throw new EditorError('shutting down');
  const layout = prepareRunDir(opts);
  if (opts.installVsix) installExtension(opts.editor, layout, opts.installVsix, opts.runDir);
  const logFile = path.join(opts.runDir, 'code-server.log');

  let candidate = opts.port;
  for (let attempt = 1; ; attempt++) {
    let port: number;
    if (candidate === undefined) port = await freePort();
    else {
      // A fixed port: this one if free, else the next free one.
      port = candidate;
      while (!(await portIsFree(port))) {
        if (port - opts.port! >= PORT_ATTEMPTS - 1) throw new EditorError(`ports ${opts.port}–${port} on ${HOST} are all in use; set another PORT`);
        port++;
      }
    }
    const child = spawnCodeServer(opts.editor, opts, layout, port, logFile);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (exitedEarly(child)) resolve({ code: child.exitCode, signal: child.signalCode as NodeJS.Signals | null });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    try {
      await waitForHealth(port, child, logFile);
    } catch (e) {
      await stopGroup(child);
      // Taken between the check and code-server's bind: try again.
      if (attempt < PORT_ATTEMPTS && /EADDRINUSE/.test(tail(logFile)) && !shuttingDown) {
        if (candidate !== undefined) candidate = port + 1;
        continue;
      }
      throw e;
    }
    const baseUrl = `http://${HOST}:${port}`;
    return {
      port,
      baseUrl,
      url: `${baseUrl}/?folder=${encodeURIComponent(opts.workspace)}`,
      workspace: opts.workspace,
      runDir: opts.runDir,
      logFile,
      extensionsDir: layout.extensions,
      child,
      pgid: child.pid!,
      exited,
      stop: () => stopGroup(child),
    };
  }
}

// ---------------------------------------------------------------------------
// What `npm start` serves

export interface Plumbline {
  editor: Editor;
  server: CodeServer;
  vsix: string;
}

/**
 * What `npm start` serves, and what the UI test checks: the production build
 * packaged as plumbline.vsix, installed with `code-server --install-extension`
 * into the run's own extensions dir, and code-server on 127.0.0.1 with examples/.
 */
export async function startPlumbline(opts: { runDir: string; port?: number; browser?: boolean; log?: (msg: string) => void }): Promise<Plumbline> {
  const log = opts.log ?? (() => undefined);
  let t0 = Date.now();
  const took = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  log('packaging plumbline.vsix (npm run package: production build + vsce)');
  const vsix = packageVsix();
  log(`packaged ${path.relative(ROOT, vsix)} in ${took()}`);
  const editor = provisionEditor({ browser: opts.browser ?? false });
  t0 = Date.now();
  log(`starting code-server ${editor.codeServer} (VS Code ${editor.vscode}) on ${path.relative(ROOT, EXAMPLES)}/ with ${path.relative(ROOT, vsix)} installed`);
  const server = await startCodeServer({ editor, workspace: EXAMPLES, runDir: opts.runDir, installVsix: vsix, port: opts.port });
  log(`code-server answers on ${server.baseUrl} (${took()}; process group ${server.pgid})`);
  return { editor, server, vsix };
}

// ---------------------------------------------------------------------------
// Browser

/** Headless Chromium (Debian's, or CHROMIUM_PATH) with the flags the doc lists. */
export async function launchBrowser(editor: Editor): Promise<Browser> {
  if (shuttingDown) throw new EditorError('shutting down');
  const executablePath = process.env.CHROMIUM_PATH || editor.chromium;
  if (!executablePath) throw new EditorError('no Chromium: run npm run editor:provision');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: false, // --no-sandbox: Chromium's sandbox does not run as root
    // Our own handlers stop code-server first and close the browser; Playwright's
    // would exit the process (130) as soon as the browser is closed.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  browsers.add(browser);
  return browser;
}
