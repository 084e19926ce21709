import * as vscode from 'vscode';
import { hcpSecretKey, type DriftReport, type DriftSourceKind } from '../../../server/src/protocol';
import { normalizeHostname, type DriftNode, type DriftPanelState, type DriftSnapshotNode, type OpenTarget } from './model';
import { OPEN_DECLARATION_COMMAND } from './treeView';

export const DRIFT_COMMANDS = {
  refresh: 'plumbline.drift.refresh',
  signInHcp: 'plumbline.drift.signInHcp',
  signOutHcp: 'plumbline.drift.signOutHcp',
  openDeclaration: OPEN_DECLARATION_COMMAND,
  configure: 'plumbline.drift.configure',
  openDocs: 'plumbline.drift.openDocs',
  snapshot: 'plumbline.drift.snapshot',
} as const;

/** What `plumbline.drift.snapshot` returns: the panel as a user sees it. */
export interface DriftPanelSnapshot {
  readonly state: DriftPanelState;
  /** The message above the tree (error state), if any. */
  readonly message?: string;
  /** The status bar text; undefined when the item is hidden. */
  readonly statusBar?: string;
  readonly tree: readonly DriftSnapshotNode[];
}

/** What the commands need from the panel (index.ts implements it). */
export interface DriftActions {
  /** Fetches again; a second call while one runs joins it. `quiet`: no pop-up on failure (the timer). */
  refresh(source?: DriftSourceKind, quiet?: boolean): Promise<DriftReport | undefined>;
  snapshot(): DriftPanelSnapshot;
}

/**
 * SecretStorage cannot list its keys, so the hosts signed in from VS Code
 * are remembered here (host names only, never a token) for "Sign Out".
 */
export const HCP_HOSTS_KEY = 'plumbline.drift.hcpHostnames';
const DEFAULT_HCP_HOST = 'app.terraform.io';
const SOURCE_KINDS: readonly string[] = ['state', 'terraform', 'hcp', 'kubernetes', 'argocd'];

function storedHosts(context: vscode.ExtensionContext): string[] {
  const hosts = context.globalState.get<unknown>(HCP_HOSTS_KEY);
  return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string') : [];
}

/** The source to refresh: a kind passed by a caller, or the source row the inline action was pressed on. */
function sourceOf(arg: unknown): DriftSourceKind | undefined {
  if (typeof arg === 'string') return SOURCE_KINDS.includes(arg) ? (arg as DriftSourceKind) : undefined;
  if (typeof arg === 'object' && arg !== null && (arg as DriftNode).kind === 'source') return sourceOf((arg as DriftNode).source);
  return undefined;
}

function openTargetOf(arg: unknown): OpenTarget | undefined {
  const open = typeof arg === 'object' && arg !== null ? (arg as Partial<DriftNode>).open : undefined;
  return open && typeof open.uri === 'string' && typeof open.range?.start?.line === 'number' ? open : undefined;
}

async function signIn(context: vscode.ExtensionContext, actions: DriftActions, hostArg: unknown): Promise<boolean> {
  let hostname = typeof hostArg === 'string' ? normalizeHostname(hostArg) : undefined;
  if (!hostname) {
    const input = await vscode.window.showInputBox({
      title: 'Sign in to HCP Terraform (1/2)',
      prompt: 'Host name of HCP Terraform, or of your Terraform Enterprise',
      value: DEFAULT_HCP_HOST,
      ignoreFocusOut: true,
      validateInput: (v) => (normalizeHostname(v) ? undefined : 'Enter a host name such as app.terraform.io'),
    });
    hostname = input === undefined ? undefined : normalizeHostname(input);
    if (!hostname) return false;
  }
  const token = await vscode.window.showInputBox({
    title: 'Sign in to HCP Terraform (2/2)',
    prompt: `API token for ${hostname} (create one under User Settings → Tokens). Organization tokens cannot read drift details; use a user token or a team token.`,
    placeHolder: 'Paste the token',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Paste a token' : /\s/.test(v.trim()) ? 'A token has no spaces' : undefined),
  });
  if (!token?.trim()) return false;
  await context.secrets.store(hcpSecretKey(hostname), token.trim());
  const hosts = storedHosts(context);
  if (!hosts.includes(hostname)) await context.globalState.update(HCP_HOSTS_KEY, [...hosts, hostname]);
  await actions.refresh('hcp');
  return true;
}

async function signOut(context: vscode.ExtensionContext, actions: DriftActions, hostArg: unknown): Promise<boolean> {
  const hosts = storedHosts(context);
  let hostname = typeof hostArg === 'string' ? normalizeHostname(hostArg) : undefined;
  if (!hostname) {
    if (hosts.length === 0) {
      void vscode.window.showInformationMessage(
        'Plumbline holds no HCP Terraform token. Tokens in TF_TOKEN_* variables or in the Terraform CLI credentials file are managed outside VS Code.',
      );
      return false;
    }
    const picked = await vscode.window.showQuickPick(
      hosts.map((h) => ({ label: h })),
      { title: 'Sign out of HCP Terraform', placeHolder: 'The host whose token Plumbline forgets' },
    );
    hostname = picked?.label;
    if (!hostname) return false;
  }
  await context.secrets.delete(hcpSecretKey(hostname));
  await context.globalState.update(
    HCP_HOSTS_KEY,
    hosts.filter((h) => h !== hostname),
  );
  await actions.refresh('hcp');
  return true;
}

async function openDeclaration(arg: unknown): Promise<vscode.Uri | undefined> {
  const target = openTargetOf(arg);
  if (!target) {
    const label = typeof arg === 'object' && arg !== null ? (arg as Partial<DriftNode>).label : undefined;
    void vscode.window.showInformationMessage(`Plumbline: no declaration of ${label ?? 'this resource'} was found in the workspace.`);
    return undefined;
  }
  const { start, end } = target.range;
  const uri = vscode.Uri.parse(target.uri);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(start.line, start.character, end.line, end.character), preview: true });
  return uri;
}

/** The drift panel's commands (package.json declares them with their menus). */
export function registerDriftCommands(context: vscode.ExtensionContext, actions: DriftActions): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(DRIFT_COMMANDS.refresh, (arg?: unknown) => actions.refresh(sourceOf(arg))),
    vscode.commands.registerCommand(DRIFT_COMMANDS.signInHcp, (host?: unknown) => signIn(context, actions, host)),
    vscode.commands.registerCommand(DRIFT_COMMANDS.signOutHcp, (host?: unknown) => signOut(context, actions, host)),
    vscode.commands.registerCommand(DRIFT_COMMANDS.openDeclaration, openDeclaration),
    vscode.commands.registerCommand(DRIFT_COMMANDS.configure, () => vscode.commands.executeCommand('workbench.action.openSettings', 'plumbline.drift')),
    vscode.commands.registerCommand(DRIFT_COMMANDS.openDocs, async () => {
      const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'drift.md');
      await vscode.commands.executeCommand('markdown.showPreview', page);
      return page;
    }),
    vscode.commands.registerCommand(DRIFT_COMMANDS.snapshot, () => actions.snapshot()),
  ];
}
