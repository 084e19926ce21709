// What both hosts share: the scenarios, the paths, the user settings (defined in
// scripts/editor/codeServer.ts, with the rest of the code-server set-up), and the
// build of what the integration tests need: the extension (dist/, via esbuild.mjs)
// and the tests themselves, bundled to out/integration/ as CommonJS that the
// extension host can require: index.js (the runner) and <scenario>/<name>.test.js.
// `vscode` and `mocha` stay external (the host provides the first; the second
// resolves from node_modules/).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SUITE_DIR = path.join(ROOT, 'test', 'integration');
export const OUT_DIR = path.join(ROOT, 'out', 'integration');
export const TESTS_ENTRY = path.join(OUT_DIR, 'index.js');

/** Scenarios: folders of test/integration/ that hold a workspace/ folder. */
export function scenarios(): string[] {
  return readdirSync(SUITE_DIR)
    .filter((name) => existsSync(path.join(SUITE_DIR, name, 'workspace')) && statSync(path.join(SUITE_DIR, name)).isDirectory())
    .sort();
}

export const workspaceOf = (scenario: string) => path.join(SUITE_DIR, scenario, 'workspace');

/** Picks scenarios from command-line arguments (all when none); unknown names are an error. */
export function selectScenarios(args: string[]): string[] {
  const all = scenarios();
  const unknown = args.filter((a) => !all.includes(a));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
  return args.length > 0 ? all.filter((s) => args.includes(s)) : all;
}

export async function buildAll(): Promise<void> {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`building the extension (node esbuild.mjs) failed with ${r.status ?? r.signal}`);

  const entryPoints: Record<string, string> = { index: path.join(SUITE_DIR, 'index.ts') };
  for (const scenario of scenarios()) {
    for (const f of readdirSync(path.join(SUITE_DIR, scenario))) {
      if (f.endsWith('.test.ts')) entryPoints[`${scenario}/${f.slice(0, -'.ts'.length)}`] = path.join(SUITE_DIR, scenario, f);
    }
  }
  rmSync(OUT_DIR, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** The user settings of every test editor: one definition, shared with code-server runs. */
export { writeUserSettings } from '../../scripts/editor/codeServer';
