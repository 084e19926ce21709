// npm run test:e2e — the UI end-to-end test: what a user sees after `npm start`.
//
// It starts exactly what `npm start` serves (startPlumbline in
// scripts/editor/codeServer.ts: the production build packaged as plumbline.vsix,
// installed with `code-server --install-extension`, code-server on 127.0.0.1 with
// examples/), opens the workbench in headless Chromium through playwright-core and
// acts as a user: Quick Open on terraform/registry.tf, the squiggle and the code lens,
// its hover, the Problems panel. Screenshots of those states go to test-results/e2e/ (git-ignored).
//
// Every wait is on DOM state, bounded by a timeout that fails the check.
// Prints one line per check and `N passed, M failed` last; exits non-zero on failure.
// Logs: .vscode-test/runs/e2e/ (code-server.log, install-extension.log, browser.log).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { SEVERITIES } from '../../server/src/engine/severity';
import {
  closeBrowser,
  EDITOR_DIR,
  EXAMPLES,
  installedExtensions,
  installShutdownHandlers,
  isShuttingDown,
  launchBrowser,
  ROOT,
  startPlumbline,
  stopAll,
  type Plumbline,
} from '../../scripts/editor/codeServer';

const RUN_DIR = path.join(EDITOR_DIR, 'runs', 'e2e');
const SHOTS_DIR = path.join(ROOT, 'test-results', 'e2e');
const WORKBENCH_TIMEOUT_MS = 90_000; // first load of the workbench, extension host and language server
const UI_TIMEOUT_MS = 30_000; // any other UI state
const RUN_TIMEOUT_MS = 300_000; // the whole test, a guard against a hang anywhere

/**
 * The finding this test looks for, as test/lsp/server.test.ts expects it on examples/.
 * The Problems panel must also show every other finding `plumbline check` reports on the file.
 */
const FILE = 'terraform/registry.tf';
const RULE = 'tf-aws-ecr-tag-immutability';
const LINE = 12;
const COLUMN = 26;
const FLAGGED_LINE_TEXT = 'image_tag_mutability = "MUTABLE"';
/** The block around LINE (its header line and its closing line), whose code lens counts its findings. */
const BLOCK = { first: 10, last: 13 };

interface Finding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  range: { start: { line: number; character: number } };
}

const say = (msg: string) => console.log(`[test:e2e] ${msg}`);
installShutdownHandlers('test:e2e');

// ---------------------------------------------------------------------------
// State shared by the checks

let plumbline: Plumbline | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let expected: Finding[] = []; // everything plumbline check reports on FILE
let target: Finding | undefined; // RULE at LINE:COLUMN, one of them
const screenshots: string[] = [];

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
};
const thePage = () => need(page, 'the browser page');

async function screenshot(name: string): Promise<void> {
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await thePage().screenshot({ path: file });
  screenshots.push(path.relative(ROOT, file));
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** What `plumbline check` (the same engine, dist/cli.js) reports for FILE: the messages to look for. */
function findingsFromCli(): Finding[] {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', path.dirname(path.join(EXAMPLES, FILE)), '--format', 'json'], {
    cwd: EXAMPLES,
    encoding: 'utf8',
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`plumbline check failed (${r.status ?? r.signal}): ${r.stderr}`);
  const { results } = JSON.parse(r.stdout) as { results: Finding[] };
  return results.filter((f) => f.file === FILE);
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * Runs in the page: the box of the error squiggle on the line showing `text`, or null. The line
 * and the squiggle are measured in the same turn, so in the same layout (lines move while the
 * editor fills in). Self-contained, as Playwright sends its source to the page.
 */
const squiggleOnLineInPage = (text: string): Box | null => {
  const line = Array.from(document.querySelectorAll('.monaco-editor .view-line')).find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(text));
  if (!line) return null;
  const { top, height } = line.getBoundingClientRect();
  const squiggle = Array.from(document.querySelectorAll('.monaco-editor .squiggly-error')).find((sq) => Math.abs(sq.getBoundingClientRect().top - top) < height / 2);
  if (!squiggle) return null;
  const r = squiggle.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
};

/** The box of the error squiggle on the line showing `text`, if there is one. */
const squiggleOnLine = async (text: string): Promise<Box | undefined> => (await thePage().evaluate(squiggleOnLineInPage, text)) ?? undefined;
const squiggleOnFlaggedLine = () => squiggleOnLine(FLAGGED_LINE_TEXT);

/** Waits (on every animation frame, in the page) for an error squiggle on the line showing `text`. */
async function waitForSquiggleOnLine(text: string): Promise<void> {
  await thePage().waitForFunction(squiggleOnLineInPage, text, { timeout: UI_TIMEOUT_MS });
}

/**
 * Repeats a gesture until `shown` is visible, as a user repeats one the editor did not answer:
 * `act`, wait up to 5 s, `undo`, again, until UI_TIMEOUT_MS has passed.
 */
async function repeatUntilVisible(shown: Locator, act: () => Promise<void>, undo: () => Promise<void>): Promise<Locator> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    await act();
    try {
      await shown.waitFor({ timeout: Math.max(1, Math.min(5_000, deadline - Date.now())) });
      return shown;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await undo();
    }
  }
}

/**
 * Rests the mouse on `spot` until the editor shows a hover containing `hasText`, and returns
 * that hover. Lines move while the editor fills in (a code lens arriving pushes the lines below
 * it down), so a hover that does not come, or comes for what is now under the mouse instead,
 * is answered as a user would: move away, find the spot again, rest on it again.
 */
function hoverOn(spot: () => Promise<Box | undefined>, hasText: string, what: string): Promise<Locator> {
  const p = thePage();
  return repeatUntilVisible(
    p.locator('.monaco-hover:not(.hidden)', { hasText }).first(),
    async () => {
      const box = need(await spot(), what);
      // The text layer lies above the squiggle layer: move the mouse over the spot, as a user does.
      await p.mouse.move(box.x + 1, box.y + box.height / 2);
      await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    },
    async () => {
      await p.keyboard.press('Escape');
      await p.mouse.move(5, 450); // away from the editor, so that any other hover goes
    },
  );
}

// ---------------------------------------------------------------------------
// The checks, in order; each one needs the ones before it.

const checks: { name: string; run: () => Promise<void> }[] = [
  {
    name: 'npm start: plumbline.vsix packaged, installed into code-server, examples/ served',
    async run() {
      plumbline = await startPlumbline({ runDir: RUN_DIR, browser: true, log: (m) => console.log(`      ${m}`) });
      const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      const installed = installedExtensions(plumbline.server.extensionsDir);
      assert(
        installed.length === 1 && installed[0] === `plumbline.plumbline-${version}`,
        `expected exactly plumbline.plumbline-${version} in ${plumbline.server.extensionsDir}, found [${installed.join(', ')}]`,
      );
      expected = findingsFromCli();
      const brief = (f: Finding) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.character + 1}`;
      target = expected.find((f) => brief(f) === `${RULE}@${LINE}:${COLUMN}`);
      assert(target, `plumbline check reports [${expected.map(brief).join(', ')}] on examples/${FILE}; this test needs ${RULE}@${LINE}:${COLUMN}`);
    },
  },
  {
    name: 'the workbench opens examples/ in the browser',
    async run() {
      const { server, editor } = need(plumbline, 'code-server');
      browser = await launchBrowser(editor);
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const log = openSync(path.join(RUN_DIR, 'browser.log'), 'w');
      let open = true;
      const write = (line: string) => open && writeFileSync(log, `${line}\n`);
      page.on('console', (m) => write(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => write(`[pageerror] ${e.message}`));
      page.once('close', () => {
        open = false;
        closeSync(log);
      });
      await page.goto(server.url);
      // The Explorer lists the workspace's folders once the workbench is connected to code-server.
      await page
        .locator('.explorer-folders-view .monaco-list-row', { hasText: path.dirname(FILE) })
        .first()
        .waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    },
  },
  {
    name: `Quick Open (Ctrl+P) opens ${FILE}`,
    async run() {
      const p = thePage();
      await p.keyboard.press('Control+P');
      const input = p.locator('.quick-input-box input');
      await input.waitFor({ timeout: UI_TIMEOUT_MS });
      await input.fill(path.basename(FILE));
      // Rows are labelled "registry.tf terraform, file results".
      const row = p.locator(`.quick-input-list .monaco-list-row[aria-label^="${path.basename(FILE)} ${path.dirname(FILE)}"]`);
      await row.first().waitFor({ timeout: UI_TIMEOUT_MS });
      await p.keyboard.press('Enter');
      await p.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
      await p.locator('.tabs-container .tab.active', { hasText: path.basename(FILE) }).waitFor({ timeout: UI_TIMEOUT_MS });
      await p.locator('.monaco-editor .view-line', { hasText: FLAGGED_LINE_TEXT }).waitFor({ timeout: UI_TIMEOUT_MS });
    },
  },
  {
    name: `a red squiggle marks line ${LINE} (${FLAGGED_LINE_TEXT}), and the code lens above its block counts the findings`,
    async run() {
      const p = thePage();
      assert(need(target, 'the finding').severity === 'high', `${RULE} is ${target?.severity}, expected high (an error squiggle)`);
      await waitForSquiggleOnLine(FLAGGED_LINE_TEXT);
      // The code lens above the block counts what `plumbline check` finds in it, by severity.
      const inBlock = expected.filter((f) => f.range.start.line + 1 >= BLOCK.first && f.range.start.line + 1 <= BLOCK.last);
      const counts = SEVERITIES.map((sev) => [sev, inBlock.filter((f) => f.severity === sev).length] as const).filter(([, n]) => n > 0);
      const lens = `Plumbline: ${counts.map(([sev, n]) => `${n} ${sev}`).join(' · ')}`;
      await p.locator('.monaco-editor .codelens-decoration', { hasText: lens }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      need(await squiggleOnFlaggedLine(), `an error squiggle on line ${LINE}`);
      await screenshot('01-registry-tf-squiggle');
    },
  },
  {
    name: 'hovering the squiggle shows the message and the rule code, linked to the installed rule page',
    async run() {
      const hover = await hoverOn(squiggleOnFlaggedLine, RULE, `an error squiggle on line ${LINE}`);
      const text = norm(await hover.textContent());
      const { message } = need(target, 'the finding');
      assert(text.includes(norm(message)), `the hover says "${text}", expected the message "${message}"`);
      assert(text.includes('plumbline'), `the hover does not name the source plumbline: "${text}"`);
      const href = (await hover.locator('a.code-link', { hasText: RULE }).first().getAttribute('href')) ?? '';
      assert(
        href.includes('/extensions/plumbline.plumbline-') && href.endsWith(`/docs/rules/${RULE}.md`),
        `the rule code links to ${href}, expected the rule page inside the installed extension`,
      );
      await screenshot('02-registry-tf-hover');
    },
  },
  {
    name: `the Problems panel (Ctrl+Shift+M) lists ${RULE} and every other finding plumbline check reports on the file: message, source, code, position`,
    async run() {
      const p = thePage();
      await p.keyboard.press('Escape');
      await p.mouse.move(5, 450); // away from the editor, so that the hover goes
      await p.locator('.monaco-hover:not(.hidden)', { hasText: RULE }).waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
      await p.keyboard.press('Control+Shift+M');
      const panel = p.locator('.markers-panel');
      await panel.locator('.monaco-list-row .marker-code', { hasText: RULE }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      const fileRow = panel.locator('.monaco-list-row', { has: p.locator('.resource-label-container', { hasText: path.basename(FILE) }) });
      assert((await fileRow.count()) === 1, `expected one ${path.basename(FILE)} row in the Problems panel, found ${await fileRow.count()}`);
      const badge = norm(await fileRow.locator('.monaco-count-badge').textContent());
      assert(badge === String(expected.length), `the ${path.basename(FILE)} row counts ${badge} problem(s), expected ${expected.length}`);
      // The panel is a tree: a file's row (level 1), then its problems (level 2). Keep FILE's.
      const rows = await panel.locator('.monaco-list-row').evaluateAll((els, file) => {
        let inFile = false;
        return els
          .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
          .flatMap((el) => {
            if (el.getAttribute('aria-level') === '1') {
              inFile = (el.querySelector('.resource-label-container [aria-label]')?.getAttribute('aria-label') ?? '').endsWith(`/${file}`);
              return [];
            }
            if (!inFile) return [];
            return [
              {
                message: el.querySelector('.marker-message')?.textContent ?? '',
                source: el.querySelector('.marker-source')?.textContent ?? '',
                code: el.querySelector('.marker-code')?.textContent ?? '',
                position: el.querySelector('.marker-line')?.textContent ?? '',
              },
            ];
          });
      }, FILE);
      const want = expected.map((f) => ({
        message: norm(f.message),
        source: 'plumbline',
        code: f.ruleId,
        position: `[Ln ${f.range.start.line + 1}, Col ${f.range.start.character + 1}]`,
      }));
      const got = rows.map((r) => ({ message: norm(r.message), source: norm(r.source), code: norm(r.code), position: norm(r.position) }));
      // The panel orders by severity, then position: compare as sets.
      const sorted = (xs: typeof want) => xs.map((x) => JSON.stringify(x)).sort();
      assert(
        JSON.stringify(sorted(got)) === JSON.stringify(sorted(want)),
        `the Problems panel shows ${JSON.stringify(got, null, 1)}\nexpected (plumbline check) ${JSON.stringify(want, null, 1)}`,
      );
      await screenshot('03-problems-panel');
    },
  },
  {
    name: 'the quick-fix menu (Ctrl+.) on the flagged line offers the repair',
    async run() {
      const p = thePage();
      await p.keyboard.press('Control+Shift+M'); // close the Problems panel again
      const line = p.locator('.monaco-editor .view-line', { hasText: FLAGGED_LINE_TEXT });
      await line.click({ position: { x: 5, y: 5 } });
      await p.keyboard.press('End');
      // The editor shows no menu when its code-action request was cancelled (the providers for
      // the file changed meanwhile, as when an extension activates): a user presses Ctrl+. again.
      await repeatUntilVisible(
        p.locator('.action-widget', { hasText: 'IMMUTABLE' }).first(),
        () => p.keyboard.press('Control+.'),
        () => p.keyboard.press('Escape'),
      );
      await screenshot('04-quick-fix');
      await p.keyboard.press('Escape');
    },
  },
  {
    name: 'the Plumbline drift panel lists the drifted resources `plumbline drift` reports on examples/terraform, and a click opens the declaration',
    async run() {
      const p = thePage();
      const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'drift', 'terraform', '--format', 'json'], { cwd: EXAMPLES, encoding: 'utf8' });
      assert(cli.status === 1, `plumbline drift exits ${cli.status}, expected 1 (drift found): ${cli.stderr}`);
      const { stacks } = JSON.parse(cli.stdout) as { stacks: { resources: { address: string; status: string; file?: string }[] }[] };
      const drifted = stacks[0]!.resources.filter((r) => r.status === 'drifted' || r.status === 'missing' || r.status === 'unmanaged');
      assert(drifted.length > 0, 'plumbline drift reports no drifted resource on examples/terraform');
      // The drift-count badge sits over the icon: click through it, as a user's click lands on the item.
      await p.locator('.activitybar .action-item a[aria-label^="Plumbline"]').first().click({ force: true });
      const tree = p.locator('.pane', { hasText: 'Drift' });
      for (const r of drifted)
        await tree.locator('.monaco-list-row', { hasText: r.address }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      const versioning = drifted.find((r) => r.address === 'aws_s3_bucket_versioning.datasets') ?? drifted.find((r) => r.file)!;
      await tree.locator('.monaco-list-row', { hasText: versioning.address }).first().click();
      await p.locator('.tabs-container .tab.active', { hasText: path.basename(versioning.file!) }).waitFor({ timeout: UI_TIMEOUT_MS });
      // Expanded, the resource lists its changed attributes (declared → live) beside its declaration.
      await tree.locator('.monaco-list-row', { hasText: versioning.address }).first().locator('.monaco-tl-twistie').click();
      await tree.locator('.monaco-list-row', { hasText: 'versioning_configuration[0].status' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot('05-drift-panel');
    },
  },
  {
    name: 'a wrong value in .plumbline.yaml is flagged at the key as you type, with what is allowed',
    async run() {
      const p = thePage();
      await p.keyboard.press('Control+P');
      const input = p.locator('.quick-input-box input');
      await input.waitFor({ timeout: UI_TIMEOUT_MS });
      await input.fill('.plumbline.yaml');
      await p.locator('.quick-input-list .monaco-list-row[aria-label^=".plumbline.yaml"]').first().waitFor({ timeout: UI_TIMEOUT_MS });
      await p.keyboard.press('Enter');
      await p.locator('.tabs-container .tab.active', { hasText: '.plumbline.yaml' }).waitFor({ timeout: UI_TIMEOUT_MS });
      // The first policy's `severity: high`: double-click the value and type one that is not a severity (never saved).
      const value = p.locator('.monaco-editor .view-line', { hasText: 'severity: high' }).first().locator('span span', { hasText: /^high$/ });
      await value.first().dblclick();
      await p.keyboard.type('urgent');
      const line = p.locator('.monaco-editor .view-line', { hasText: 'severity: urgent' });
      await line.waitFor({ timeout: UI_TIMEOUT_MS });
      await waitForSquiggleOnLine('severity: urgent');
      // Hover the value: the diagnostic names the allowed severities.
      await hoverOn(async () => (await line.locator('span span', { hasText: /^urgent$/ }).first().boundingBox()) ?? undefined, 'critical', 'the typed value');
      // The hover fades in: the picture is taken once it is opaque.
      await p.waitForFunction(
        () => Array.from(document.querySelectorAll('.monaco-hover:not(.hidden)')).some((h) => getComputedStyle(h.closest('.monaco-hover-content, .monaco-hover') ?? h).opacity === '1' && (h.textContent ?? '').includes('critical')),
        undefined,
        { timeout: UI_TIMEOUT_MS },
      );
      await screenshot('06-config-validation');
      await p.keyboard.press('Escape');
      await p.mouse.move(5, 450);
      await line.click();
      await p.keyboard.press('Control+Z');
      await p.locator('.monaco-editor .view-line', { hasText: 'severity: high' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    },
  },
];

// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  rmSync(SHOTS_DIR, { recursive: true, force: true });
  mkdirSync(SHOTS_DIR, { recursive: true });
  const guard = setTimeout(() => {
    console.error(`[test:e2e] no result within ${RUN_TIMEOUT_MS / 1000} s; stopping`);
    void stopAll().finally(() => process.exit(1));
  }, RUN_TIMEOUT_MS);

  let passed = 0;
  let failed = 0;
  let blocked = false;
  try {
    for (const [i, check] of checks.entries()) {
      if (isShuttingDown()) break; // a signal: the handler stops everything and exits
      if (blocked) {
        failed++;
        console.log(`FAIL  ${check.name} (not run: an earlier check failed)`);
        continue;
      }
      const t0 = Date.now();
      try {
        await check.run();
        passed++;
        console.log(`PASS  ${check.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (e) {
        if (isShuttingDown()) break; // the signal closed the browser under the check: not a failure of it
        failed++;
        blocked = true;
        console.log(`FAIL  ${check.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n      ${(e instanceof Error ? e.message : String(e)).replace(/\n/g, '\n      ')}`);
        if (page) await screenshot(`failure-${String(i + 1).padStart(2, '0')}`).catch(() => undefined);
      }
    }
  } finally {
    clearTimeout(guard);
    if (browser) await closeBrowser(browser);
    if (plumbline) await plumbline.server.stop();
  }

  if (isShuttingDown()) return 130; // no summary: the run was cut short
  say(`${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${path.relative(ROOT, RUN_DIR)}/`);
  if (screenshots.length > 0) say(`screenshots:\n${screenshots.map((s) => `  ${s}`).join('\n')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => isShuttingDown() || process.exit(code), // on a signal, the handler exits once all is stopped
  async (e) => {
    console.error(e instanceof Error ? e.message : e);
    await stopAll();
    process.exit(1);
  },
);
