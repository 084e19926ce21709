import * as vscode from 'vscode';
import type { DriftReport } from '../../../server/src/protocol';
import { statusBarModel, type StatusBarModel } from './model';
import { DRIFT_VIEW_ID } from './treeView';

/**
 * The workspace's drift count in the status bar: "$(sync~spin) Drift" while
 * a check runs, "$(warning) 3 drifted", "$(check) No drift"; hidden when no
 * source found a stack. A click focuses the panel.
 */
export class DriftStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('plumbline.drift', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Plumbline Drift';
    // Every view gets a `<id>.focus` command from VS Code.
    this.item.command = `${DRIFT_VIEW_ID}.focus`;
  }

  private current: StatusBarModel | undefined;

  update(report: DriftReport | undefined, busy: boolean): void {
    this.current = statusBarModel(report, busy);
    if (!this.current) {
      this.item.hide();
      return;
    }
    this.item.text = this.current.text;
    this.item.tooltip = this.current.tooltip;
    this.item.show();
  }

  /** What it shows now, undefined when hidden (the snapshot command reports it). */
  get text(): string | undefined {
    return this.current?.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
