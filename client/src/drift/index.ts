import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  DRIFT_CHANGED_NOTIFICATION,
  DRIFT_LIST_REQUEST,
  DRIFT_REFRESH_REQUEST,
  SECRET_REQUEST,
  type DriftRefreshParams,
  type DriftReport,
  type DriftSourceKind,
  type SecretResult,
} from '../../../server/src/protocol';
import { registerArgoCdCommands } from './argocd';
import { registerChooseContext } from './kubernetes';
import { registerDriftCommands, type DriftActions, type DriftPanelSnapshot } from './commands';
import { autoRefreshPeriodMs, panelMessage, panelState, readDriftReport, type DriftNode, type DriftPanelState } from './model';
import { DriftStatusBar } from './statusBar';
import { DRIFT_VIEW_ID, DriftTreeProvider } from './treeView';

/** Context key the welcome views (package.json `viewsWelcome`) switch on. */
export const DRIFT_STATE_KEY = 'plumbline.drift.state';
const AUTO_REFRESH_SETTING = 'plumbline.drift.autoRefreshMinutes';
const UNREADABLE = 'the server sent a drift report Plumbline cannot read';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Holds the last report and shows it: tree, status bar, activity-bar badge,
 * welcome state, and a progress bar in the view while a check runs (ours or
 * one the server started).
 */
class DriftPanel implements DriftActions, vscode.Disposable {
  private report: DriftReport | undefined;
  /** Why the report could not be loaded at all (the list request failed). */
  private failure: string | undefined;
  private inFlight: Promise<DriftReport | undefined> | undefined;
  /** Bumped by every report received; a list answer older than a notification is dropped. */
  private generation = 0;
  private endServerProgress: (() => void) | undefined;
  private state: DriftPanelState | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly tree: DriftTreeProvider,
    private readonly view: vscode.TreeView<DriftNode>,
    private readonly statusBar: DriftStatusBar,
    private readonly onReport?: (report: DriftReport) => void,
  ) {
    this.render();
  }

  show(report: DriftReport): void {
    this.generation++;
    this.report = report;
    this.failure = undefined;
    this.render();
    this.onReport?.(report);
  }

  /** The report as the server holds it, without fetching (on start and after a server restart). */
  async list(): Promise<void> {
    const c = this.client();
    if (!c) return;
    const generation = this.generation;
    try {
      const report = readDriftReport(await c.sendRequest(DRIFT_LIST_REQUEST));
      if (generation !== this.generation) return;
      if (report) this.show(report);
      else this.fail(`Plumbline: ${UNREADABLE}.`);
    } catch (e) {
      if (generation === this.generation) this.fail(`Plumbline could not load the drift report: ${messageOf(e)}`);
    }
  }

  refresh(source?: DriftSourceKind, quiet = false): Promise<DriftReport | undefined> {
    if (this.inFlight) return this.inFlight;
    const c = this.client();
    if (!c || c.state === State.Stopped) {
      if (!quiet) void vscode.window.showWarningMessage('Plumbline: the language server is not running, so drift cannot be checked.');
      return Promise.resolve(undefined);
    }
    const params: DriftRefreshParams = source ? { source } : {};
    const run = async (): Promise<DriftReport | undefined> => {
      try {
        const answer = await vscode.window.withProgress({ location: { viewId: DRIFT_VIEW_ID } }, () => c.sendRequest(DRIFT_REFRESH_REQUEST, params));
        const report = readDriftReport(answer);
        if (!report) throw new Error(UNREADABLE);
        this.show(report);
        return report;
      } catch (e) {
        if (!quiet) void vscode.window.showErrorMessage(`Plumbline: the drift check failed: ${messageOf(e)}`);
        return undefined;
      } finally {
        this.inFlight = undefined;
        this.render();
      }
    };
    this.inFlight = run();
    this.render();
    return this.inFlight;
  }

  snapshot(): DriftPanelSnapshot {
    return { state: this.currentState(), message: this.view.message, statusBar: this.statusBar.text, tree: this.tree.snapshot() };
  }

  private fail(message: string): void {
    this.failure = message;
    this.render();
  }

  private currentState(): DriftPanelState {
    const state = panelState(this.report);
    if (state === 'ready') return state;
    if (this.inFlight) return 'loading';
    return this.failure ? 'error' : state;
  }

  private render(): void {
    const state = this.currentState();
    if (state !== this.state) {
      this.state = state;
      void vscode.commands.executeCommand('setContext', DRIFT_STATE_KEY, state);
    }
    this.tree.update(this.report);
    this.view.message = state === 'error' ? (this.failure ?? panelMessage(this.report)) : undefined;
    const count = this.report?.driftCount ?? 0;
    this.view.badge = count > 0 ? { value: count, tooltip: `${count} resource${count === 1 ? '' : 's'} drifted` } : undefined;
    this.statusBar.update(this.report, this.inFlight !== undefined);
    this.syncServerProgress();
  }

  /** A check the server runs on its own (another window's refresh, its own schedule) also shows progress. */
  private syncServerProgress(): void {
    const busy = this.report?.refreshing === true && !this.inFlight;
    if (busy && !this.endServerProgress) {
      let end!: () => void;
      const done = new Promise<void>((resolve) => (end = resolve));
      this.endServerProgress = end;
      void vscode.window.withProgress({ location: { viewId: DRIFT_VIEW_ID } }, () => done);
    } else if (!busy && this.endServerProgress) {
      this.endServerProgress();
      this.endServerProgress = undefined;
    }
  }

  dispose(): void {
    this.endServerProgress?.();
  }
}

/** Re-arms a timer from `plumbline.drift.autoRefreshMinutes` (0, the default: off). */
class AutoRefresh implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listener: vscode.Disposable;

  constructor(private readonly tick: () => void) {
    this.arm();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(AUTO_REFRESH_SETTING)) this.arm();
    });
  }

  private arm(): void {
    if (this.timer) clearInterval(this.timer);
    const period = autoRefreshPeriodMs(vscode.workspace.getConfiguration().get<unknown>(AUTO_REFRESH_SETTING, 0));
    this.timer = period === undefined ? undefined : setInterval(this.tick, period);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.listener.dispose();
  }
}

/** Keeps "checked 5 min ago" true while the panel is on screen. */
function keepTimesFresh(tree: DriftTreeProvider, view: vscode.TreeView<DriftNode>): vscode.Disposable {
  const timer = setInterval(() => {
    if (view.visible) tree.rebuild();
  }, 60_000);
  const listener = view.onDidChangeVisibility((e) => {
    if (e.visible) tree.rebuild();
  });
  return new vscode.Disposable(() => {
    clearInterval(timer);
    listener.dispose();
  });
}

/** Answers the server's SECRET_REQUEST from SecretStorage (the value goes to the server only, never to a log). */
async function readSecret(secrets: vscode.SecretStorage, params: unknown): Promise<SecretResult> {
  const key = typeof params === 'object' && params !== null ? (params as { key?: unknown }).key : undefined;
  if (typeof key !== 'string' || key === '') return {};
  const value = await secrets.get(key);
  return value === undefined ? {} : { value };
}

/**
 * The drift panel: tree view, status bar item, commands, the server's
 * notification and secret requests, auto-refresh. Call it before the client
 * starts: the handlers wait in the client until the connection exists, and
 * the report is listed each time the server (re)starts.
 */
export function registerDrift(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
  /** Told of every report shown (the walkthrough's "connect a drift source" step). */
  onReport?: (report: DriftReport) => void,
): vscode.Disposable {
  const tree = new DriftTreeProvider();
  const view = vscode.window.createTreeView(DRIFT_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new DriftStatusBar();
  const panel = new DriftPanel(client, tree, view, statusBar, onReport);
  const disposables: vscode.Disposable[] = [
    tree,
    view,
    statusBar,
    panel,
    ...registerDriftCommands(context, panel),
    ...registerArgoCdCommands(context, panel),
    registerChooseContext(client, panel),
    new AutoRefresh(() => void panel.refresh(undefined, true)),
    keepTimesFresh(tree, view),
  ];
  const c = client();
  if (c) {
    disposables.push(
      c.onNotification(DRIFT_CHANGED_NOTIFICATION, (params: unknown) => {
        const report = readDriftReport(params);
        if (report) panel.show(report);
      }),
      c.onRequest(SECRET_REQUEST, (params: unknown) => readSecret(context.secrets, params)),
      c.onDidChangeState((e) => {
        if (e.newState === State.Running) void panel.list();
      }),
    );
    if (c.state === State.Running) void panel.list();
  }
  return vscode.Disposable.from(...disposables);
}
