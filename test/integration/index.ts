// Entry point the extension host loads as extensionTestsPath (after bundling to
// out/integration/index.js). The same file serves both hosts: code-server driven
// by Playwright (runInCodeServer.ts) and desktop VS Code (runInDesktop.ts).
//
// Each scenario is a folder test/integration/<scenario>/ with a workspace/ that
// the editor opens and *.test.ts files bundled to out/integration/<scenario>/.
// The scenario to run is the one whose workspace is open.
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

function currentScenario(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder || path.basename(folder) !== 'workspace') {
    throw new Error(`open test/integration/<scenario>/workspace to run the integration tests (workspace: ${folder ?? 'none'})`);
  }
  return path.basename(path.dirname(folder));
}

export function run(): Promise<void> {
  const scenario = currentScenario();
  const dir = path.join(__dirname, scenario);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
  if (files.length === 0) return Promise.reject(new Error(`no compiled tests in ${dir}`));

  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  for (const f of files) mocha.addFile(path.join(dir, f));
  // The drivers show the extension host's output from this line on.
  console.log(`[plumbline-integration] ${scenario}: running ${files.join(', ')}`);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
        // One machine-readable line for the drivers' summary.
        console.log(`[plumbline-integration] ${scenario}: ${passes} passing, ${failed} failing, ${pending} pending`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed in scenario ${scenario}`));
        else if (passes === 0) reject(new Error(`no test ran in scenario ${scenario}`));
        else resolve();
      });
    } catch (e) {
      reject(e);
    }
  });
}
