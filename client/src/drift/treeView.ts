import * as vscode from 'vscode';
import type { DriftReport } from '../../../server/src/protocol';
import { reportToNodes, snapshotNodes, type DriftNode, type DriftSnapshotNode } from './model';

export const DRIFT_VIEW_ID = 'plumbline.drift';
export const OPEN_DECLARATION_COMMAND = 'plumbline.drift.openDeclaration';

/**
 * The drift tree: sources → stacks → resources → changed attributes, built
 * by model.ts from the last report. The nodes are rebuilt whole on every
 * change (a report is small) and rendered again each minute so "checked
 * 5 min ago" stays true.
 */
export class DriftTreeProvider implements vscode.TreeDataProvider<DriftNode> {
  private readonly changed = new vscode.EventEmitter<DriftNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private report: DriftReport | undefined;
  private roots: DriftNode[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  update(report: DriftReport | undefined): void {
    this.report = report;
    this.rebuild();
  }

  /** Re-renders the relative times. */
  rebuild(): void {
    this.roots = reportToNodes(this.report, this.now());
    this.changed.fire(undefined);
  }

  snapshot(): DriftSnapshotNode[] {
    return snapshotNodes(this.roots, true);
  }

  getChildren(node?: DriftNode): DriftNode[] {
    return node ? [...node.children] : this.roots;
  }

  getTreeItem(node: DriftNode): vscode.TreeItem {
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.collapsed
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.tooltip) {
      const tooltip = new vscode.MarkdownString(node.tooltip, true);
      tooltip.isTrusted = false;
      item.tooltip = tooltip;
    }
    if (node.open) item.command = { command: OPEN_DECLARATION_COMMAND, title: 'Open Declaration', arguments: [node] };
    else if (node.command) item.command = { command: node.command, title: node.label };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
