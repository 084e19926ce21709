// npm test — every test, in order, with one summary at the end:
//   1. typecheck            tsc -p . --noEmit
//   2. build                node esbuild.mjs (the LSP and CLI tests run dist/)
//   3. unit + LSP           node scripts/run-tests.mjs (rules, parsers, conformance, LSP over stdio)
//   4. integration          the mocha suite in code-server's extension host (test/integration/)
//   5. UI end-to-end        Playwright on what `npm start` serves (test/e2e/ui.ts)
// Stages 4 and 5 provision the editor into .vscode-test/ if needed.
//
// A failing stage does not stop the later ones (except a failed build, which they
// need), so that one run shows everything; the exit code is non-zero if any failed.
// Each stage stops the processes it started by process group (code-server, the
// browser) on success and failure; on Ctrl+C/SIGTERM this script forwards the
// signal to the running stage, waits for it to clean up, and stops.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;

/** `N passed, M failed` alone on a line: the editor runners' last line. */
const passedFailed = (unit) => (lines) => {
  const last = lines.findLast((l) => /^\d+ passed, \d+ failed$/.test(l));
  if (!last) return undefined;
  const [, passed, failed] = /^(\d+) passed, (\d+) failed$/.exec(last);
  return { passed: Number(passed), failed: Number(failed), unit };
};

const stages = [
  { name: 'typecheck', args: [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit'] },
  { name: 'build', args: ['esbuild.mjs'], required: true },
  {
    name: 'unit + LSP',
    args: ['scripts/run-tests.mjs'],
    // node --test's spec reporter ends with "ℹ pass N" / "ℹ fail M" lines.
    summary: (lines) => {
      const count = (key) => Number(lines.findLast((l) => l.startsWith(`ℹ ${key} `))?.split(' ')[2] ?? NaN);
      const [passed, failed, cancelled] = [count('pass'), count('fail'), count('cancelled')];
      return Number.isNaN(passed) ? undefined : { passed, failed: failed + (cancelled || 0), unit: 'tests' };
    },
  },
  {
    name: 'integration (code-server)',
    args: ['--import', 'tsx', 'test/integration/runInCodeServer.ts'],
    summary: (lines) => {
      const s = passedFailed('scenarios')(lines);
      if (!s) return undefined;
      // Each scenario's line: "PASS diagnostics in 10.0 s: 4 passing, 0 failing, 0 pending".
      let passing = 0;
      let failing = 0;
      for (const l of lines) {
        const m = /^(?:PASS|FAIL) \S+ in [\d.]+ s: (\d+) passing, (\d+) failing/.exec(l);
        if (m) {
          passing += Number(m[1]);
          failing += Number(m[2]);
        }
      }
      return { ...s, extra: `${passing} tests passing, ${failing} failing` };
    },
  },
  { name: 'UI end-to-end (code-server)', args: ['--import', 'tsx', 'test/e2e/ui.ts'], summary: passedFailed('checks') },
];

let current; // the running stage's child process
let interrupted;
const interrupt = (signal, why) => {
  if (interrupted) return;
  interrupted = signal;
  console.log(`\n[test] ${why}: stopping the running stage (it stops its own processes)`);
  // On Ctrl+C the terminal already signalled the stage (same process group); a repeat is harmless.
  current?.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => interrupt(signal, signal));
// `kill <pid of npm>` reaches only npm's `sh -c`, which dies without passing it on:
// notice that the parent is gone (no event for it) and stop as on SIGTERM.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && interrupt('SIGTERM', `the parent process (${parent}) is gone`), 1_000).unref();

function runStage(stage) {
  return new Promise((resolve) => {
    const lines = [];
    let partial = '';
    const child = spawn(node, stage.args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
    current = child;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop();
      lines.push(...parts.map((l) => l.replace(/\r$/, '').trimEnd()));
    });
    child.on('error', (e) => {
      console.error(`[test] ${stage.name} could not start: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      current = undefined;
      if (partial) lines.push(partial.trimEnd());
      resolve({ code: code ?? (signal ? 128 : 1), signal, lines });
    });
  });
}

const started = Date.now();
const results = [];
let blockedBy;
for (const [i, stage] of stages.entries()) {
  if (interrupted || blockedBy) {
    results.push({ stage, status: 'NOT RUN', seconds: 0, detail: interrupted ? `interrupted (${interrupted})` : `${blockedBy} failed` });
    continue;
  }
  console.log(`\n━━ [${i + 1}/${stages.length}] ${stage.name}: node ${stage.args.map((a) => path.relative(ROOT, a) || a).join(' ')}`);
  const t0 = Date.now();
  const { code, signal, lines } = await runStage(stage);
  const seconds = (Date.now() - t0) / 1000;
  if (interrupted) {
    results.push({ stage, status: 'STOPPED', seconds, detail: `interrupted (${interrupted}); exit ${signal ?? code}` });
    continue;
  }
  const counts = stage.summary?.(lines);
  const ok = code === 0 && !signal && (!counts || counts.failed === 0);
  let detail = counts ? `${counts.passed} passed, ${counts.failed} failed (${counts.unit}${counts.extra ? `; ${counts.extra}` : ''})` : '';
  if (!ok && !counts && stage.summary) detail = 'no summary (see its output above)';
  if (!ok) detail += `${detail ? '; ' : ''}exit ${signal ?? code}`;
  results.push({ stage, status: ok ? 'PASS' : 'FAIL', seconds, detail, counts });
  if (!ok && stage.required) blockedBy = stage.name;
}

const total = (Date.now() - started) / 1000;
const failedStages = results.filter((r) => r.status !== 'PASS');
const sum = (unit, key) => results.filter((r) => r.counts?.unit === unit).reduce((n, r) => n + r.counts[key], 0);
console.log(`\n━━ npm test summary (${total.toFixed(1)} s)`);
for (const r of results) {
  console.log(`  ${r.status.padEnd(7)} ${r.stage.name.padEnd(28)} ${r.seconds ? `${r.seconds.toFixed(1).padStart(6)} s` : '        '}  ${r.detail}`.trimEnd());
}
const totals = ['tests', 'scenarios', 'checks']
  .filter((unit) => results.some((r) => r.counts?.unit === unit))
  .map((unit) => `${unit}: ${sum(unit, 'passed')} passed, ${sum(unit, 'failed')} failed`)
  .join('; ');
console.log(totals ? `  ${totals}` : '');
if (interrupted) {
  console.log(`npm test: INTERRUPTED (${interrupted}) after ${total.toFixed(1)} s; ${results.filter((r) => r.status === 'PASS').length} of ${results.length} stages passed before`);
} else if (failedStages.length === 0) {
  console.log(`npm test: all ${results.length} stages passed in ${total.toFixed(1)} s`);
} else {
  console.log(`npm test: FAILED: ${failedStages.map((r) => `${r.stage.name} (${r.status.toLowerCase()})`).join(', ')}; ${results.length - failedStages.length} of ${results.length} stages passed in ${total.toFixed(1)} s`);
}
// Last, the plain closing line CI reads: every test, scenario and check, and a
// failed stage that counted nothing (a broken build) counts as one failure.
const allPassed = results.reduce((n, r) => n + (r.counts?.passed ?? 0), 0);
const allFailed = results.reduce((n, r) => n + (r.counts ? r.counts.failed : r.status === 'PASS' ? 0 : 1), 0);
console.log(`${allPassed} passed, ${allFailed} failed`);
process.exit(interrupted ? 130 : failedStages.length === 0 ? 0 : 1);
