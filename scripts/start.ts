// npm start — Plumbline in a real VS Code, in the browser: builds and packages
// plumbline.vsix, provisions code-server if needed (scripts/provision-editor.mjs),
// installs the VSIX into a dedicated extensions dir and serves the examples/
// workspace on http://127.0.0.1:8484 (PORT overrides it; the next free port is
// used when it is taken), without authentication, on loopback only.
// Serves until Ctrl+C (or SIGTERM/SIGHUP), then stops code-server's whole process
// group. Everything of a run lives in .vscode-test/start/ (emptied on each start).
//
// Without a browser: npm run start:cli (scripts/start-cli.mjs) runs the CLI instead.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EDITOR_DIR, EditorError, installShutdownHandlers, isShuttingDown, ROOT, startPlumbline, stopAll, tail } from './editor/codeServer';

const DEFAULT_PORT = 8484;
const RUN_DIR = path.join(EDITOR_DIR, 'start');
/** Which process serves from RUN_DIR: a second `npm start` must not empty it under the first. */
const OWNER = path.join(EDITOR_DIR, 'start.json');

const say = (msg: string) => console.log(`[start] ${msg}`);

function requestedPort(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new EditorError(`PORT must be a port number (1–65535), not "${raw}"`);
  return port;
}

function claimRunDir(): void {
  if (existsSync(OWNER)) {
    try {
      const owner = JSON.parse(readFileSync(OWNER, 'utf8')) as { pid: number; url?: string };
      process.kill(owner.pid, 0); // throws when that process is gone
      throw new EditorError(`npm start is already running (pid ${owner.pid})${owner.url ? ` at ${owner.url}` : ''}; stop it first (Ctrl+C in its terminal)`);
    } catch (e) {
      if (e instanceof EditorError) throw e;
      // A stale record: its process is gone.
    }
  }
  writeFileSync(OWNER, JSON.stringify({ pid: process.pid }) + '\n');
  process.on('exit', () => {
    try {
      if ((JSON.parse(readFileSync(OWNER, 'utf8')) as { pid: number }).pid === process.pid) rmSync(OWNER, { force: true });
    } catch {
      // already gone
    }
  });
}

async function main(): Promise<number> {
  const port = requestedPort();
  claimRunDir();
  const { editor, server } = await startPlumbline({ runDir: RUN_DIR, port, browser: false, log: say });
  writeFileSync(OWNER, JSON.stringify({ pid: process.pid, pgid: server.pgid, url: server.url }) + '\n');
  if (server.port !== port) say(`port ${port} is in use; using ${server.port}`);

  const rel = (p: string) => path.relative(ROOT, p);
  console.log(
    [
      '',
      `  Plumbline is running in VS Code ${editor.vscode} (code-server ${editor.codeServer}) on ${rel(server.workspace)}/. Open:`,
      '',
      `      ${server.url}`,
      '',
      `  Open a file, e.g. terraform/registry.tf (Ctrl+P), to see the findings; View → Problems lists them.`,
      `  From another machine: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>, then open the URL there.`,
      `  Extension: ${rel(server.extensionsDir)}/; log: ${rel(server.logFile)} (process group ${server.pgid}).`,
      `  Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );

  // Serves until a signal (handled by installShutdownHandlers) or until code-server dies.
  const { code, signal } = await server.exited;
  if (isShuttingDown()) return new Promise<number>(() => undefined); // the signal handler exits
  console.error(`[start] code-server exited unexpectedly (${code ?? signal}):\n${tail(server.logFile)}`);
  await server.stop(); // whatever it left in its group
  return 1;
}

// Ctrl+C is how this is meant to end: a clean stop exits 0.
installShutdownHandlers('start', () => 0);

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(`[start] error: ${e instanceof Error ? e.message : e}`);
    await stopAll();
    process.exit(1);
  },
);
