// What the drift scenarios share: the panel's snapshot, a wait on it, and the CLI of the installed extension.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceRoot } from './helpers';

export interface SnapshotNode {
  label: string;
  description?: string;
  icon: string;
  children?: SnapshotNode[];
  open?: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
}

export interface Snapshot {
  state: string;
  message?: string;
  statusBar?: string;
  tree: SnapshotNode[];
}

/** The panel as a user sees it, every node expanded (`plumbline.drift.snapshot`). */
export const snapshot = () => vscode.commands.executeCommand<Snapshot>('plumbline.drift.snapshot');

/** Every node, depth first. */
export const allNodes = (nodes: readonly SnapshotNode[] = []): SnapshotNode[] => nodes.flatMap((n) => [n, ...allNodes(n.children)]);

export const findNode = (s: Snapshot, label: string) => allNodes(s.tree).find((n) => n.label === label);

/** Polls the panel until `done` holds (the server checks at start and after a restart); fails with what it shows. */
export async function panelWhere(done: (s: Snapshot) => boolean, what: string, timeoutMs = 45_000): Promise<Snapshot> {
  const end = Date.now() + timeoutMs;
  let last: Snapshot | undefined;
  while (Date.now() < end) {
    last = await snapshot();
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the drift panel never showed ${what}; it shows ${JSON.stringify(last, null, 1)}`);
}

/**
 * The installed extension's CLI in a child process, in the workspace folder, with this
 * process's environment. Not spawnSync: the contract servers answer from this very process.
 */
export function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: workspaceRoot().fsPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
