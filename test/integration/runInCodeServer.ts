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
import { closeSync, openSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import {
  closeBrowser,
  EDITOR_DIR,
  installShutdownHandlers,
  isShuttingDown,
  launchBrowser,
  provisionEditor,
  startCodeServer,
  tail,
  type CodeServer,
  type Editor,
} from '../../scripts/editor/codeServer';
import { buildAll, ROOT, selectScenarios, TESTS_ENTRY, workspaceOf } from './suite';

const RUNS_DIR = path.join(EDITOR_DIR, 'runs');
const SCENARIO_TIMEOUT_MS = 180_000; // workbench load + all tests of one scenario
/** Lines the runner (index.ts) prints about itself. */
const MARKER_PREFIX = '[plumbline-integration]';

interface Result {
  scenario: string;
  ok: boolean;
  seconds: number;
  detail: string;
}

const say = (msg: string) => console.log(`[test:integration] ${msg}`);

// code-server and the browser are stopped on every way out, Ctrl+C included.
installShutdownHandlers('test:integration');

async function runScenario(editor: Editor, scenario: string): Promise<Result> {
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let summary = '';
  let timer: NodeJS.Timeout | undefined;
  const logs: number[] = []; // file descriptors of this run's logs
  try {
    // The extension under development is loaded from the payload URL, not installed.
    server = await startCodeServer({ editor, workspace: workspaceOf(scenario), runDir: path.join(RUNS_DIR, scenario) });
    const { port, runDir, logFile } = server;
    browser = await launchBrowser(editor);
    const page = await browser.newPage();
    const browserLog = openSync(path.join(runDir, 'browser.log'), 'w');
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
    void server.exited.then(({ code, signal }) => rejectExit(new Error(`code-server exited (${code ?? signal}) during the tests:\n${tail(logFile)}`)));
    page.once('crash', () => rejectExit(new Error('the browser page crashed')));
    timer = setTimeout(() => rejectExit(new Error(`no result within ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS);
    // The workbench calls these two when it runs extension tests (see
    // ../shared/docs/real-editor-tests.md); they must exist before it loads.
    // Everything the workbench logs goes to automation.log; from the runner's start
    // line on (test/integration/index.ts), it is the tests' output and is shown here.
    const automationLog = openSync(path.join(runDir, 'automation.log'), 'w');
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
    if (code !== 0 && !testsStarted) console.log(`  the tests did not start; the workbench logged:\n${tail(path.join(runDir, 'automation.log'))}`);
    return {
      scenario,
      ok: code === 0,
      seconds: elapsed(),
      detail: code === 0 ? summary || 'passed' : `${summary || 'tests failed'} (exit code ${code}; logs in ${path.relative(ROOT, runDir)}/)`,
    };
  } catch (e) {
    return { scenario, ok: false, seconds: elapsed(), detail: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
    if (browser) await closeBrowser(browser);
    if (server) await server.stop();
    logs.forEach((fd) => closeSync(fd)); // after the browser: its last console events write to them
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const selected = selectScenarios(process.argv.slice(2));

  say('building the extension and the tests');
  await buildAll();

  const editor = provisionEditor();
  say(`code-server ${editor.codeServer} (VS Code ${editor.vscode}), ${editor.chromium}; scenarios: ${selected.join(', ')}`);

  const results: Result[] = [];
  for (const scenario of selected) {
    if (isShuttingDown()) break; // a signal: the handler stops everything and exits
    console.log(`\n— ${scenario} (${path.relative(ROOT, workspaceOf(scenario))})`);
    const result = await runScenario(editor, scenario);
    results.push(result);
    console.log(`${result.ok ? 'PASS' : 'FAIL'} ${scenario} in ${result.seconds.toFixed(1)} s: ${result.detail}`);
  }

  if (isShuttingDown()) return 130; // no summary: the run was cut short
  const failed = results.filter((r) => !r.ok);
  console.log(`\nScenarios (${((Date.now() - started) / 1000).toFixed(1)} s in all):`);
  for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.scenario.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.ok ? r.detail : r.detail.split('\n')[0]}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => isShuttingDown() || process.exit(code), // on a signal, the handler exits once all is stopped
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
