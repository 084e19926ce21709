import * as vscode from 'vscode';
import { CODE_ACTION_APPLIED_COMMAND, type CodeActionAppliedKind, type DriftReport } from '../../server/src/protocol';

/**
 * The walkthrough's steps complete on context keys this module sets when the
 * real event happens (package.json `contributes.walkthroughs`, completionEvents
 * `onContext:<key>`). The keys live for the window: a new window starts over,
 * but a step VS Code has already marked done stays done.
 */
export const WALKTHROUGH_KEYS = {
  workspaceOpened: 'plumbline.walkthrough.workspaceOpened',
  findingSeen: 'plumbline.walkthrough.findingSeen',
  fixApplied: 'plumbline.walkthrough.fixApplied',
  suppressionAdded: 'plumbline.walkthrough.suppressionAdded',
  policyWritten: 'plumbline.walkthrough.policyWritten',
  driftConnected: 'plumbline.walkthrough.driftConnected',
} as const;

export type WalkthroughStep = keyof typeof WALKTHROUGH_KEYS;
export type WalkthroughState = Record<WalkthroughStep, boolean>;

/** Files that make a folder one Plumbline analyses (Kubernetes YAML is checked by content below). */
const GOVERNED_GLOBS = ['**/*.tf', '**/*.tfvars', '.github/workflows/*.yml', '.github/workflows/*.yaml', '**/.gitlab-ci.yml', '**/.plumbline.yaml'];
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/.terraform/**}';

/** A saved `.plumbline.yaml` or `.plumbline/policies/*.yaml` that declares at least one policy with an id. */
export function declaresPolicy(fsPath: string, text: string): boolean {
  const p = fsPath.replace(/\\/g, '/');
  if (!/(^|\/)\.plumbline\.yaml$/.test(p) && !/(^|\/)\.plumbline\/policies\/[^/]+\.ya?ml$/.test(p)) return false;
  const at = text.search(/^policies:/m);
  if (at < 0) return false;
  // The first entry of the list (flow or block style) names an id.
  return /^\s*-\s*(\{\s*)?id:\s*['"]?[a-z0-9]/m.test(text.slice(at)) || /^\s+id:\s*['"]?[a-z0-9]/m.test(text.slice(at));
}

/** Stacks a drift source checked successfully. */
export function connectedStacks(report: DriftReport): number {
  return report.sources.reduce((n, s) => n + s.stacks.filter((st) => st.status === 'in-sync' || st.status === 'drifted').length, 0);
}

export class Walkthrough implements vscode.Disposable {
  private readonly state: WalkthroughState = {
    workspaceOpened: false,
    findingSeen: false,
    fixApplied: false,
    suppressionAdded: false,
    policyWritten: false,
    driftConnected: false,
  };
  private readonly disposables: vscode.Disposable[] = [];
  private diagnosticsListener: vscode.Disposable | undefined;

  constructor() {
    this.disposables.push(
      vscode.commands.registerCommand(CODE_ACTION_APPLIED_COMMAND, (kind: CodeActionAppliedKind) =>
        this.complete(kind === 'suppression' ? 'suppressionAdded' : 'fixApplied'),
      ),
      // A diagnostics aid: which steps this window has seen happen (also used by the integration tests).
      vscode.commands.registerCommand('plumbline.walkthrough.state', (quiet?: boolean): WalkthroughState => {
        const snapshot = { ...this.state };
        if (quiet !== true) {
          const lines = (Object.keys(snapshot) as WalkthroughStep[]).map((k) => `${k}: ${snapshot[k] ? 'done' : 'not yet'}`);
          void vscode.window.showInformationMessage(`Plumbline walkthrough in this window — ${lines.join(' · ')}`);
        }
        return snapshot;
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (!this.state.policyWritten && declaresPolicy(doc.uri.fsPath, doc.getText())) this.complete('policyWritten');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.checkWorkspace()),
    );
    this.diagnosticsListener = vscode.languages.onDidChangeDiagnostics((e) => this.onDiagnostics(e.uris));
    void this.checkWorkspace();
  }

  private complete(step: WalkthroughStep): void {
    if (step === 'findingSeen') {
      this.diagnosticsListener?.dispose();
      this.diagnosticsListener = undefined;
    }
    if (this.state[step]) return;
    this.state[step] = true;
    void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[step], true);
  }

  /** "Connect a drift source": a source checked a stack (in sync or drifted; a failed check does not count). */
  driftReported(report: DriftReport): void {
    if (!this.state.driftConnected && connectedStacks(report) > 0) this.complete('driftConnected');
  }

  /** "See a finding": Plumbline diagnostics on a document open in the editor. */
  private onDiagnostics(uris: readonly vscode.Uri[]): void {
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const seen = uris.some((u) => open.has(u.toString()) && vscode.languages.getDiagnostics(u).some((d) => d.source === 'plumbline'));
    if (seen) this.complete('findingSeen');
  }

  /** "Open a workspace": a folder holding Terraform, pipelines, a Plumbline config, or Kubernetes manifests. */
  private async checkWorkspace(): Promise<void> {
    if (this.state.workspaceOpened || !vscode.workspace.workspaceFolders?.length) return;
    // One search per pattern: globs do not nest braces.
    for (const glob of GOVERNED_GLOBS) {
      if ((await vscode.workspace.findFiles(glob, EXCLUDE_GLOB, 1)).length > 0) return this.complete('workspaceOpened');
    }
    for (const uri of await vscode.workspace.findFiles('**/*.{yaml,yml}', EXCLUDE_GLOB, 50)) {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        if (/^apiVersion:/m.test(text) && /^kind:/m.test(text)) return this.complete('workspaceOpened');
      } catch {
        // unreadable: not a manifest we can use
      }
    }
  }

  dispose(): void {
    this.diagnosticsListener?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
