/**
 * The drift panel as plain data: what the tree, the status bar and the
 * welcome views show for a DriftReport. No `vscode` import, so the unit tests
 * run it in plain Node; treeView.ts and statusBar.ts only translate it.
 */
import type {
  AttributeChange,
  DriftReport,
  DriftSourceReport,
  DriftStack,
  ResourceDrift,
  ResourceDriftStatus,
} from '../../../server/src/protocol';

type JsonValue = AttributeChange['declared'];
type Range = NonNullable<ResourceDrift['declaration']>['range'];

/** The `plumbline.drift.state` context key the welcome views switch on. */
export type DriftPanelState = 'loading' | 'empty' | 'signedOut' | 'error' | 'ready';

/** A codicon id and an optional theme colour id. */
export interface NodeIcon {
  readonly id: string;
  readonly color?: string;
}

/** Where a click on a node goes: a range in a workspace file (LSP positions, 0-based). */
export interface OpenTarget {
  readonly uri: string;
  readonly range: Range;
}

export type DriftNodeKind = 'source' | 'stack' | 'resource' | 'inSyncGroup' | 'attribute' | 'message';

export interface DriftNode {
  /** Stable across refreshes, so the tree keeps what the user expanded. */
  readonly id: string;
  readonly kind: DriftNodeKind;
  readonly label: string;
  readonly description?: string;
  /** Markdown; user-supplied text in it is escaped. */
  readonly tooltip?: string;
  readonly icon: NodeIcon;
  readonly collapsed: boolean;
  /** For menus (`viewItem == …`). */
  readonly contextValue: string;
  readonly children: readonly DriftNode[];
  /** The declaration a click opens (resources and attributes). */
  readonly open?: OpenTarget;
  /** A command a click runs instead (the "Sign in" row of a signed-out source). */
  readonly command?: string;
  /** The source a node belongs to (refresh one source from its row). */
  readonly source: DriftSourceReport['kind'];
}

/** The panel as JSON, for tests: what a user sees with every node expanded. */
export interface DriftSnapshotNode {
  readonly label: string;
  readonly description?: string;
  /** `codicon` or `codicon colour`. */
  readonly icon: string;
  readonly children?: readonly DriftSnapshotNode[];
  /** The declaration a click opens (only with `withTargets`: integration tests click through it). */
  readonly open?: OpenTarget;
}

export interface StatusBarModel {
  readonly text: string;
  readonly tooltip: string;
}

// Theme colours: the list colours adapt to every theme, testing.iconPassed is the green tick of the test explorer.
const WARNING = 'list.warningForeground';
const ERROR = 'list.errorForeground';
const PASSED = 'testing.iconPassed';

/** Statuses that count as drift (the report's driftCount counts the same). */
const DRIFT_STATUSES: readonly ResourceDriftStatus[] = ['drifted', 'missing', 'unmanaged'];

const SOURCE_ICONS: Record<DriftSourceReport['kind'], string> = { state: 'file-binary', terraform: 'terminal', hcp: 'cloud', kubernetes: 'server-environment', argocd: 'git-merge' };

const RESOURCE_ICONS: Record<ResourceDriftStatus, NodeIcon> = {
  drifted: { id: 'warning', color: WARNING },
  missing: { id: 'diff-removed', color: ERROR },
  unmanaged: { id: 'circle-slash', color: ERROR },
  'in-sync': { id: 'pass', color: PASSED },
  unknown: { id: 'question' },
  error: { id: 'error', color: ERROR },
};

const STATUS_WORDS: Record<ResourceDriftStatus, string> = {
  drifted: 'drifted',
  missing: 'missing live',
  unmanaged: 'not in code',
  'in-sync': 'in sync',
  unknown: 'not compared',
  error: 'failed',
};

// ---------------------------------------------------------------------------
// Text helpers

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "5 min ago", "2 h ago", "3 days ago". A time in the future
 * (another machine's clock) reads "just now"; an unreadable one gives
 * undefined.
 */
export function relativeTime(when: string | Date, now: Date): string | undefined {
  const then = typeof when === 'string' ? Date.parse(when) : when.getTime();
  if (Number.isNaN(then)) return undefined;
  const elapsed = now.getTime() - then;
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A value as one short line: strings quoted, objects as `{ key: value }`,
 * cut at `max` characters with an ellipsis. The walk stops as soon as the
 * budget is spent, so a 50 kB policy document costs no more than a string.
 * `undefined` (the attribute is not set on that side) reads `absent`.
 */
export function renderValue(value: JsonValue | undefined, max = 32, absent = '(not set)'): string {
  if (value === undefined) return absent;
  const limit = Math.max(max, 2);
  let out = '';
  const write = (s: string): boolean => {
    out += s;
    return out.length <= limit;
  };
  const walk = (v: JsonValue): boolean => {
    if (v === null || typeof v !== 'object') return write(typeof v === 'string' ? JSON.stringify(v) : String(v));
    if (Array.isArray(v)) {
      if (!write('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !write(', ')) || !walk(v[i])) return false;
      return write(']');
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return write('{}');
    if (!write('{ ')) return false;
    for (let i = 0; i < entries.length; i++) {
      const [key, item] = entries[i];
      if (i > 0 && !write(', ')) return false;
      if (!write(`${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: `) || !walk(item)) return false;
    }
    return write(' }');
  };
  walk(value);
  return out.length <= limit ? out : `${out.slice(0, limit - 1)}…`;
}

/** `declared → live` for one changed attribute; sensitive values never show, whatever the server sent. */
export function renderChange(change: AttributeChange, max = 32): string {
  const side = (v: JsonValue | undefined, absent: string) => (v !== undefined && change.sensitive ? '(sensitive)' : renderValue(v, max, absent));
  return `${side(change.declared, '(not set)')} → ${side(change.live, '(absent)')}`;
}

/** `versioning_configuration[0].status` → `versioning_configuration`; `tags.owner` → `tags`. */
export function firstPathSegment(path: string): string {
  const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(path);
  if (quoted) return quoted[1];
  return path.split(/[.[]/, 1)[0];
}

/** `https://app.terraform.io/` → `app.terraform.io`; undefined when it is not a host name (with an optional port). */
export function normalizeHostname(input: string): string | undefined {
  const host = input
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/.test(host) ? host : undefined;
}

/** Escapes text for a Markdown tooltip (names and messages come from state files and remote APIs). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

// ---------------------------------------------------------------------------
// Report → panel state

const stackCount = (report: DriftReport) => report.sources.reduce((n, s) => n + s.stacks.length, 0);

/**
 * Which welcome view the panel shows. Any stack means the tree has something
 * to show (a signed-out HCP source then shows as a row with "Sign in"). With
 * no stack: still fetching, a source waiting for a token, a source that
 * failed, or nothing that applies to this workspace.
 */
export function panelState(report: DriftReport | undefined): DriftPanelState {
  if (!report) return 'loading';
  if (stackCount(report) > 0) return 'ready';
  if (report.refreshing) return 'loading';
  if (report.sources.some((s) => s.signedOut)) return 'signedOut';
  if (report.sources.some((s) => s.problem && s.problem.code !== 'not-configured')) return 'error';
  return 'empty';
}

/** The message above the welcome view in the error state: each failing source, with its hint. */
export function panelMessage(report: DriftReport | undefined): string | undefined {
  if (!report || panelState(report) !== 'error') return undefined;
  const lines = report.sources
    .filter((s) => s.problem && s.problem.code !== 'not-configured')
    .map((s) => `${s.label}: ${s.problem!.message}${s.problem!.hint ? ` ${s.problem!.hint}` : ''}`);
  return lines.join('\n');
}

interface Counts {
  drifted: number;
  missing: number;
  unmanaged: number;
  inSync: number;
  unknown: number;
  error: number;
}

function countResources(resources: readonly ResourceDrift[]): Counts {
  const counts: Counts = { drifted: 0, missing: 0, unmanaged: 0, inSync: 0, unknown: 0, error: 0 };
  for (const r of resources) {
    if (r.status === 'in-sync') counts.inSync++;
    else counts[r.status]++;
  }
  return counts;
}

/** Resources in drift and in total; a source that gave only counts (HCP summary) is taken at its word. */
function stackTotals(stack: DriftStack): { drift: number; total: number } {
  if (stack.resources.length === 0 && stack.summary) {
    return { drift: stack.summary.drifted, total: stack.summary.drifted + (stack.summary.undrifted ?? 0) };
  }
  return { drift: stack.resources.filter((r) => DRIFT_STATUSES.includes(r.status)).length, total: stack.resources.length };
}

function sourceDescription(source: DriftSourceReport): string {
  if (source.stacks.length === 0) {
    if (source.signedOut) return 'signed out';
    return source.problem?.message ?? 'nothing to check';
  }
  const counts = countResources(source.stacks.flatMap((s) => s.resources));
  for (const stack of source.stacks) if (stack.resources.length === 0 && stack.summary) counts.drifted += stack.summary.drifted;
  const failed = source.stacks.filter((s) => s.status === 'error').length;
  const parts = [
    counts.drifted > 0 ? `${counts.drifted} drifted` : '',
    counts.missing > 0 ? `${counts.missing} missing` : '',
    counts.unmanaged > 0 ? `${counts.unmanaged} unmanaged` : '',
    failed > 0 ? `${failed} failed` : '',
  ].filter(Boolean);
  if (parts.length === 0) parts.push('in sync');
  if (source.signedOut) parts.push('signed out');
  return parts.join(' · ');
}

function sourceIcon(source: DriftSourceReport): NodeIcon {
  const id = SOURCE_ICONS[source.kind] ?? 'cloud';
  if (source.problem && !source.signedOut && source.stacks.length === 0) return { id, color: ERROR };
  if (source.stacks.some((s) => s.status === 'drifted' || s.status === 'error')) return { id, color: WARNING };
  return { id };
}

function stackIcon(stack: DriftStack): NodeIcon {
  switch (stack.status) {
    case 'drifted':
      return { id: 'warning', color: WARNING };
    case 'in-sync':
      return { id: 'pass', color: PASSED };
    case 'error':
      return { id: 'error', color: ERROR };
    default:
      return { id: 'question' };
  }
}

function stackDescription(stack: DriftStack, now: Date): string {
  const { drift, total } = stackTotals(stack);
  let what: string;
  if (stack.status === 'error') what = stack.problem?.message ?? 'check failed';
  else if (drift > 0) what = `${drift} drifted of ${total}`;
  else if (stack.status === 'unknown') what = 'not compared';
  else if (total === 0) what = 'no resources';
  else what = total === 1 ? '1 in sync' : `all ${total} in sync`;
  const checked = stack.checkedAt ? relativeTime(stack.checkedAt, now) : undefined;
  return checked ? `${what} · checked ${checked}` : what;
}

const isWebLink = (link: string) => /^https?:\/\/[^\s]+$/i.test(link);
const markdownUrl = (link: string) => link.replace(/\(/g, '%28').replace(/\)/g, '%29');

function stackTooltip(stack: DriftStack, now: Date): string {
  const lines = [`**${escapeMarkdown(stack.name)}**`, '', escapeMarkdown(stack.origin)];
  if (stack.checkedAt) {
    const ago = relativeTime(stack.checkedAt, now);
    lines.push('', `Checked ${escapeMarkdown(stack.checkedAt)}${ago ? ` (${ago})` : ''}`);
  }
  if (stack.summary) {
    lines.push('', `${escapeMarkdown(plural(stack.summary.drifted, 'resource'))} drifted` + (stack.summary.undrifted !== undefined ? `, ${stack.summary.undrifted} not` : ''));
  }
  if (stack.problem) {
    lines.push('', `$(error) ${escapeMarkdown(stack.problem.message)}`);
    if (stack.problem.hint) lines.push('', escapeMarkdown(stack.problem.hint));
  }
  if (stack.link && isWebLink(stack.link)) lines.push('', `[Open the drift details](${markdownUrl(stack.link)})`);
  return lines.join('\n');
}

function messageNode(id: string, source: DriftSourceReport['kind'], label: string, icon: NodeIcon, tooltip?: string, command?: string): DriftNode {
  return { id, kind: 'message', label, tooltip, icon, collapsed: false, contextValue: command ? 'driftAction' : 'driftMessage', children: [], command, source };
}

function attributeNode(parentId: string, resource: ResourceDrift, change: AttributeChange, source: DriftSourceReport['kind']): DriftNode {
  const declaration = resource.declaration;
  const range = declaration ? (declaration.attributes?.[change.path] ?? declaration.attributes?.[firstPathSegment(change.path)] ?? declaration.range) : undefined;
  const full = (v: JsonValue | undefined, absent: string) => {
    if (v !== undefined && change.sensitive) return '(sensitive)';
    if (v === undefined) return absent;
    const text = JSON.stringify(v, null, 2);
    return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
  };
  const tooltip = [
    `**${escapeMarkdown(change.path)}**`,
    '',
    'Declared:',
    '```json',
    full(change.declared, '(not set)'),
    '```',
    'Live:',
    '```json',
    full(change.live, '(absent)'),
    '```',
    ...(change.sensitive ? ['', 'Terraform marks this value sensitive; it is not shown.'] : []),
  ].join('\n');
  return {
    id: `${parentId}/attr:${change.path}`,
    kind: 'attribute',
    label: change.path,
    description: renderChange(change),
    tooltip,
    icon: { id: 'symbol-field' },
    collapsed: false,
    contextValue: range ? 'driftAttribute.declared' : 'driftAttribute',
    children: [],
    open: declaration && range ? { uri: declaration.uri, range } : undefined,
    source,
  };
}

function resourceNode(stackId: string, resource: ResourceDrift, source: DriftSourceReport['kind']): DriftNode {
  const id = `${stackId}/res:${resource.address}`;
  const children: DriftNode[] = resource.changes.map((c) => attributeNode(id, resource, c, source));
  // Without attribute paths (the streamed CLI output, a failed comparison) the message is all there is to expand.
  if (children.length === 0 && resource.message && resource.status !== 'in-sync') {
    children.push(messageNode(`${id}/message`, source, resource.message, { id: 'info' }));
  }
  let description = STATUS_WORDS[resource.status] ?? resource.status;
  if (resource.status === 'drifted' && resource.changes.length > 0) description += ` · ${plural(resource.changes.length, 'attribute')}`;
  const tooltip = [
    `**${escapeMarkdown(resource.address)}** — ${escapeMarkdown(description)}`,
    ...(resource.message ? ['', escapeMarkdown(resource.message)] : []),
    '',
    resource.declaration ? 'Click to open the declaration.' : resource.status === 'unmanaged' ? 'No longer declared in the code.' : 'Its declaration was not found in the workspace.',
  ].join('\n');
  return {
    id,
    kind: 'resource',
    label: resource.address,
    description,
    tooltip,
    icon: RESOURCE_ICONS[resource.status] ?? { id: 'question' },
    collapsed: true,
    contextValue: `driftResource.${resource.status}${resource.declaration ? '.declared' : ''}`,
    children,
    open: resource.declaration ? { uri: resource.declaration.uri, range: resource.declaration.range } : undefined,
    source,
  };
}

function stackNode(stack: DriftStack, source: DriftSourceReport['kind'], now: Date): DriftNode {
  const id = `stack:${stack.id}`;
  const standOut = stack.resources.filter((r) => r.status !== 'in-sync');
  const inSync = stack.resources.filter((r) => r.status === 'in-sync');
  const children: DriftNode[] = [];
  if (stack.problem) {
    const icon = stack.status === 'error' ? { id: 'error', color: ERROR } : { id: 'warning', color: WARNING };
    const label = stack.status === 'error' ? (stack.problem.hint ?? stack.problem.message) : stack.problem.message;
    children.push(messageNode(`${id}/problem`, source, label, icon, escapeMarkdown([stack.problem.message, stack.problem.hint].filter(Boolean).join(' '))));
  }
  children.push(...standOut.map((r) => resourceNode(id, r, source)));
  if (inSync.length > 0) {
    children.push({
      id: `${id}/in-sync`,
      kind: 'inSyncGroup',
      label: `${inSync.length} in sync`,
      icon: { id: 'pass', color: PASSED },
      collapsed: true,
      contextValue: 'driftInSyncGroup',
      children: inSync.map((r) => resourceNode(id, r, source)),
      source,
    });
  }
  return {
    id,
    kind: 'stack',
    label: stack.name,
    description: stackDescription(stack, now),
    tooltip: stackTooltip(stack, now),
    icon: stackIcon(stack),
    // Open what needs attention; a stack with nothing drifted stays one line.
    collapsed: standOut.length === 0 && stack.status !== 'error',
    contextValue: stack.link && isWebLink(stack.link) ? 'driftStack.linked' : 'driftStack',
    children,
    source,
  };
}

function sourceNode(source: DriftSourceReport, now: Date): DriftNode {
  const id = `source:${source.kind}`;
  const children: DriftNode[] = source.stacks.map((s) => stackNode(s, source.kind, now));
  if (source.signedOut) {
    const argo = source.kind === 'argocd';
    children.push(
      messageNode(
        `${id}/sign-in`,
        source.kind,
        argo ? 'Sign in to Argo CD…' : 'Sign in to HCP Terraform…',
        { id: 'sign-in' },
        argo ? 'Store the Argo CD server and a token in VS Code’s secret storage.' : 'Store an API token for the host in VS Code’s secret storage.',
        argo ? 'plumbline.drift.signInArgoCd' : 'plumbline.drift.signInHcp',
      ),
    );
  } else if (source.problem && source.stacks.length === 0 && source.problem.hint) {
    children.push(messageNode(`${id}/hint`, source.kind, source.problem.hint, { id: 'lightbulb' }, escapeMarkdown(source.problem.message)));
  }
  const fetched = source.fetchedAt ? relativeTime(source.fetchedAt, now) : undefined;
  const tooltip = [
    `**${escapeMarkdown(source.label)}** — ${escapeMarkdown(sourceDescription(source))}`,
    ...(source.problem ? ['', escapeMarkdown(source.problem.message), ...(source.problem.hint ? ['', escapeMarkdown(source.problem.hint)] : [])] : []),
    ...(fetched ? ['', `Last checked ${fetched}`] : []),
  ].join('\n');
  return {
    id,
    kind: 'source',
    label: source.label,
    description: sourceDescription(source),
    tooltip,
    icon: sourceIcon(source),
    collapsed: false,
    contextValue: 'driftSource',
    children,
    source: source.kind,
  };
}

/** The tree's top level: one node per source, or nothing while a welcome view explains the state. */
export function reportToNodes(report: DriftReport | undefined, now: Date): DriftNode[] {
  if (!report || panelState(report) !== 'ready') return [];
  return report.sources.map((s) => sourceNode(s, now));
}

export function snapshotNodes(nodes: readonly DriftNode[], withTargets = false): DriftSnapshotNode[] {
  return nodes.map((n) => ({
    label: n.label,
    ...(n.description !== undefined ? { description: n.description } : {}),
    icon: n.icon.color ? `${n.icon.id} ${n.icon.color}` : n.icon.id,
    ...(n.children.length > 0 ? { children: snapshotNodes(n.children, withTargets) } : {}),
    ...(withTargets && n.open ? { open: n.open } : {}),
  }));
}

/** The status bar item; undefined hides it (no source has a stack, so there is nothing to count). */
export function statusBarModel(report: DriftReport | undefined, busy: boolean): StatusBarModel | undefined {
  if (!report || stackCount(report) === 0) return undefined;
  const lines = report.sources
    .filter((s) => s.stacks.length > 0 || s.problem)
    .map((s) => `${s.label}: ${sourceDescription(s)}`);
  const tooltip = ['Plumbline drift', ...lines].join('\n');
  if (busy || report.refreshing) return { text: '$(sync~spin) Drift', tooltip: `${tooltip}\nChecking…` };
  if (report.driftCount > 0) return { text: `$(warning) ${report.driftCount} drifted`, tooltip };
  const failed = report.sources.reduce((n, s) => n + s.stacks.filter((st) => st.status === 'error').length, 0);
  // "No drift" would be a claim the failed checks cannot back.
  if (failed > 0) return { text: `$(error) Drift: ${failed} failed`, tooltip };
  return { text: '$(check) No drift', tooltip };
}

/**
 * Light shape check of a report from the wire: the server is ours, but a
 * malformed payload must leave the panel as it was rather than throw inside
 * a tree provider.
 */
export function readDriftReport(value: unknown): DriftReport | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value) || !Array.isArray(value.sources) || typeof value.driftCount !== 'number') return undefined;
  for (const source of value.sources) {
    if (!isObject(source) || typeof source.kind !== 'string' || typeof source.label !== 'string' || !Array.isArray(source.stacks)) return undefined;
    for (const stack of source.stacks) {
      if (!isObject(stack) || typeof stack.id !== 'string' || typeof stack.name !== 'string' || !Array.isArray(stack.resources)) return undefined;
      for (const r of stack.resources) {
        if (!isObject(r) || typeof r.address !== 'string' || typeof r.status !== 'string' || !Array.isArray(r.changes)) return undefined;
      }
    }
  }
  return { ...(value as unknown as DriftReport), refreshing: value.refreshing === true };
}

/** `plumbline.drift.autoRefreshMinutes` as a timer period; undefined (no timer) for 0, a negative number or a wrong type. At least a minute. */
export function autoRefreshPeriodMs(minutes: unknown): number | undefined {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) return undefined;
  return Math.max(1, minutes) * MINUTE;
}
