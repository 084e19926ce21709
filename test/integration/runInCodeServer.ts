// npm run test:integration [-- <scenario>…]
//
// Runs the integration suite in a real VS Code: code-server (provisioned into
// .vscode-test/ by scripts/provision-editor.mjs) hosts the extension and the
// tests in its Node extension host; headless Chromium, driven by playwright-core,
// opens the workbench with the `payload` URL parameter (extensionDevelopmentPath,
// extensionTestsPath) and reports the result through window.codeAutomationExit.
// One fresh code-server per scenario (test/integration/<scenario>/workspace).
//
// Logs of each run: .vscode-test/runs/<scenario>/ (code-server.log, browser.log).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { buildAll, ROOT, selectScenarios, TESTS_ENTRY, workspaceOf, writeUserSettings } from './suite';

const RUNS_DIR = path.join(ROOT, '.vscode-test', 'runs');
const MARKER = path.join(ROOT, '.vscode-test', 'editor.json');
const STARTUP_TIMEOUT_MS = 60_000; // code-server answering /healthz
const SCENARIO_TIMEOUT_MS = 180_000; // workbench load + all tests of one scenario
const STOP_TIMEOUT_MS = 10_000;
/** Lines the runner (index.ts) prints about itself. */
const MARKER_PREFIX = '[plumbline-integration]';

interface Editor {
  codeServerEntry: string;
  chromium: string;
  codeServer: string;
  vscode: string;
}

interface Result {
  scenario: string;
  ok: boolean;
  seconds: number;
  detail: string;
}

const say = (msg: string) => console.log(`[test:integration] ${msg}`);

// ---------------------------------------------------------------------------
// Processes we started, stopped on every way out (including Ctrl+C).

const groups = new Set<number>();
const browsers = new Set<Browser>();

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

const groupAlive = (pgid: number) => killGroup(pgid, 0 as unknown as NodeJS.Signals);

/** Stops code-server and everything it started (file watcher, extension host, language server). */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  await Promise.race([exited, new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
  // Children may outlive the parent for a moment; wait for the whole group, then force it.
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pgid)) {
    say(`process group ${pgid} did not stop on SIGTERM; sending SIGKILL`);
    killGroup(pgid, 'SIGKILL');
  }
  groups.delete(pgid);
}

process.on('exit', () => {
  for (const pgid of groups) killGroup(pgid, 'SIGKILL'); // last resort, synchronous
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    say(`${signal}: stopping`);
    void (async () => {
      await Promise.allSettled([...browsers].map((b) => b.close()));
      for (const pgid of groups) killGroup(pgid, 'SIGTERM');
      const deadline = Date.now() + 3_000;
      while ([...groups].some(groupAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      process.exit(130); // the 'exit' handler SIGKILLs what is left
    })();
  });
}

// ---------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100)); // readiness poll: there is no event to wait on
  }
  throw new Error(`code-server did not answer /healthz within ${STARTUP_TIMEOUT_MS / 1000} s:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function startCodeServer(editor: Editor, scenario: string, port: number): { child: ChildProcess; logFile: string; runDir: string } {
  const runDir = path.join(RUNS_DIR, scenario);
  rmSync(runDir, { recursive: true, force: true });
  const dirs = { userData: path.join(runDir, 'user-data'), extensions: path.join(runDir, 'extensions'), xdg: path.join(runDir, 'xdg') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const config = path.join(runDir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeUserSettings(dirs.userData);
  const logFile = path.join(runDir, 'code-server.log');
  const log = openSync(logFile, 'w');
  const args = [
    editor.codeServerEntry,
    '--config', config,
    '--extensions-dir', dirs.extensions,
    '--user-data-dir', dirs.userData,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspaceOf(scenario),
  ];
  // detached: the child calls setsid(2), so code-server leads a new session and
  // process group (pgid = pid) that we stop as a whole with kill(-pid).
  const child = spawn(process.execPath, args, {
    cwd: runDir,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      // Keep code-server away from ~/.config/code-server and ~/.local/share/code-server.
      XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
      XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
      XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    },
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error('code-server did not start');
  groups.add(child.pid);
  return { child, logFile, runDir };
}

async function runScenario(editor: Editor, scenario: string): Promise<Result> {
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let summary = '';
  let timer: NodeJS.Timeout | undefined;
  const logs: number[] = []; // file descriptors of this run's logs
  try {
    // The port is free when picked but could be taken before code-server binds it: retry then.
    let port = 0;
    let server: ReturnType<typeof startCodeServer>;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      server = startCodeServer(editor, scenario, port);
      child = server.child;
      try {
        await waitForHealth(port, child, server.logFile);
        break;
      } catch (e) {
        await stopGroup(child);
        child = undefined;
        if (attempt >= 3 || !/EADDRINUSE/.test(tail(server.logFile))) throw e;
        say(`port ${port} was taken; retrying`);
      }
    }

    browser = await chromium.launch({
      executablePath: editor.chromium,
      headless: true,
      chromiumSandbox: false, // --no-sandbox: Chromium's sandbox does not run as root
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    browsers.add(browser);
    const page = await browser.newPage();
    const browserLog = openSync(path.join(server.runDir, 'browser.log'), 'w');
    logs.push(browserLog);
    page.on('console', (m) => writeFileSync(browserLog, `[${m.type()}] ${m.text()}\n`, { flag: 'a' }));
    page.on('pageerror', (e) => writeFileSync(browserLog, `[pageerror] ${e.message}\n`, { flag: 'a' }));

    let resolveExit!: (code: number) => void;
    let rejectExit!: (e: Error) => void;
    const exitCode = new Promise<number>((resolve, reject) => {
      resolveExit = resolve;
      rejectExit = reject;
    });
    exitCode.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
    child.once('exit', (code, signal) => rejectExit(new Error(`code-server exited (${code ?? signal}) during the tests:\n${tail(server.logFile)}`)));
    page.once('crash', () => rejectExit(new Error('the browser page crashed')));
    timer = setTimeout(() => rejectExit(new Error(`no result within ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS);
    // The workbench calls these two when it runs extension tests (see
    // ../shared/docs/real-editor-tests.md); they must exist before it loads.
    // Everything the workbench logs goes to automation.log; from the runner's start
    // line on (test/integration/index.ts), it is the tests' output and is shown here.
    const automationLog = openSync(path.join(server.runDir, 'automation.log'), 'w');
    logs.push(automationLog);
    let testsStarted = false;
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      writeFileSync(automationLog, `[${type}] ${text}\n`);
      for (const line of text.replace(/\n$/, '').split('\n')) {
        if (line.startsWith(MARKER_PREFIX)) {
          testsStarted = true;
          if (/ passing, /.test(line)) summary = line.slice(line.indexOf(': ') + 2);
          continue;
        }
        if (testsStarted) console.log(`  ${type === 'error' ? '!' : '|'} ${line}`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));

    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(TESTS_ENTRY)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspaceOf(scenario))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const code = await exitCode;
    if (code !== 0 && !testsStarted) console.log(`  the tests did not start; the workbench logged:\n${tail(path.join(server.runDir, 'automation.log'))}`);
    return {
      scenario,
      ok: code === 0,
      seconds: elapsed(),
      detail: code === 0 ? summary || 'passed' : `${summary || 'tests failed'} (exit code ${code}; logs in ${path.relative(ROOT, server.runDir)}/)`,
    };
  } catch (e) {
    return { scenario, ok: false, seconds: elapsed(), detail: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
    if (browser) {
      await browser.close().catch(() => undefined);
      browsers.delete(browser);
    }
    if (child) await stopGroup(child);
    logs.forEach((fd) => closeSync(fd)); // after the browser: its last console events write to them
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const selected = selectScenarios(process.argv.slice(2));

  say('building the extension and the tests');
  await buildAll();

  const provision = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'provision-editor.mjs')], { stdio: 'inherit' });
  if (provision.status !== 0) {
    say('the editor could not be provisioned (see above)');
    return 1;
  }
  const editor = JSON.parse(readFileSync(MARKER, 'utf8')) as Editor;
  say(`code-server ${editor.codeServer} (VS Code ${editor.vscode}), ${editor.chromium}; scenarios: ${selected.join(', ')}`);

  const results: Result[] = [];
  for (const scenario of selected) {
    console.log(`\n— ${scenario} (${path.relative(ROOT, workspaceOf(scenario))})`);
    const result = await runScenario(editor, scenario);
    results.push(result);
    console.log(`${result.ok ? 'PASS' : 'FAIL'} ${scenario} in ${result.seconds.toFixed(1)} s: ${result.detail}`);
  }

  const failed = results.filter((r) => !r.ok);
  console.log(`\nScenarios (${((Date.now() - started) / 1000).toFixed(1)} s in all):`);
  for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.scenario.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.ok ? r.detail : r.detail.split('\n')[0]}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
