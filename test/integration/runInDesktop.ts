// npm run test:desktop [-- <scenario>…]
//
// The same integration suite in desktop VS Code, through @vscode/test-electron:
// VSCODE_EXECUTABLE=/usr/share/code/code (the Electron binary) runs an installed build; without it a build is
// downloaded once (VSCODE_VERSION, default "stable"; at least 1.99, the engine the
// extension declares) into .vscode-test/vscode-*. On Linux
// without a display, run it under a virtual one: xvfb-run -a npm run test:desktop.
//
// Not part of CI here: CI reaches only the npm registry and Debian's packages, so
// it cannot download VS Code; it runs the suite in code-server (runInCodeServer.ts).
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildAll, ROOT, selectScenarios, TESTS_ENTRY, workspaceOf, writeUserSettings } from './suite';

const RUNS_DIR = path.join(ROOT, '.vscode-test', 'desktop-runs');

async function main(): Promise<number> {
  const selected = selectScenarios(process.argv.slice(2));
  console.log('[test:desktop] building the extension and the tests');
  await buildAll();
  let executable = process.env.VSCODE_EXECUTABLE;
  if (!executable) {
    const version = process.env.VSCODE_VERSION ?? 'stable';
    try {
      executable = await downloadAndUnzipVSCode(version); // cached in .vscode-test/vscode-*
    } catch (e) {
      console.error(`[test:desktop] could not download VS Code ${version}: ${e instanceof Error ? e.message : e}`);
      console.error('[test:desktop] set VSCODE_EXECUTABLE to an installed VS Code executable (the Electron binary, e.g. /usr/share/code/code, not the /usr/bin/code launcher), or use npm run test:integration (code-server)');
      return 1;
    }
  }
  console.log(`[test:desktop] VS Code: ${executable}; scenarios: ${selected.join(', ')}`);

  const results: { scenario: string; ok: boolean; seconds: number; detail: string }[] = [];
  for (const scenario of selected) {
    console.log(`\n— ${scenario} (${path.relative(ROOT, workspaceOf(scenario))})`);
    const runDir = path.join(RUNS_DIR, scenario);
    rmSync(runDir, { recursive: true, force: true });
    const userData = path.join(runDir, 'user-data');
    writeUserSettings(userData);
    const started = Date.now();
    let ok = false;
    let detail = 'passed';
    try {
      const code = await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: TESTS_ENTRY,
        launchArgs: [
          workspaceOf(scenario),
          '--user-data-dir', userData,
          '--extensions-dir', path.join(runDir, 'extensions'),
          '--disable-extensions', // other extensions only; the one under development still loads
          '--disable-telemetry',
        ],
      });
      ok = code === 0;
      if (!ok) detail = `exit code ${code}`;
    } catch (e) {
      detail = e instanceof Error ? e.message : String(e);
    }
    const seconds = (Date.now() - started) / 1000;
    results.push({ scenario, ok, seconds, detail });
    console.log(`${ok ? 'PASS' : 'FAIL'} ${scenario} in ${seconds.toFixed(1)} s: ${detail}`);
  }

  const failed = results.filter((r) => !r.ok).length;
  console.log('\nScenarios:');
  for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.scenario.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.detail}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
