import * as path from 'node:path';
import type { Range } from '../model/location';
import type { DriftReport, DriftSourceReport } from '../protocol';
import { parseAddress } from './address';
import { findManifest, manifestDeclaration, type Manifest } from './manifests';
import { ModuleDirectory, declarationOf, type ModuleFiles, type ReadText } from './mapping';
import { problemOf } from './util';
import {
  DriftError,
  type AttributeChange,
  type DriftContext,
  type DriftProblem,
  type DriftSource,
  type DriftSourceKind,
  type DriftStack,
  type ResourceDrift,
} from './types';

export const SOURCE_LABELS: Readonly<Record<DriftSourceKind, string>> = {
  state: 'Terraform state',
  terraform: 'Terraform CLI',
  hcp: 'HCP Terraform',
  kubernetes: 'Kubernetes',
  argocd: 'Argo CD',
};

/** What the service needs from its host: the workspace's files (open buffers first) and the environment. */
export interface DriftHost {
  /** Workspace folders (file system paths). */
  roots(): readonly string[];
  /** Directories under a workspace folder that hold `.tf` files (candidate root modules). */
  moduleDirs(root: string): readonly string[];
  files: ModuleFiles;
  read: ReadText;
  env: Readonly<Record<string, string | undefined>>;
  /** The Kubernetes manifests under a workspace folder (maps Kubernetes and Argo CD results to YAML). */
  manifests?: (root: string) => readonly Manifest[];
  /** Forgets what the host listed from disk; called when a check starts. */
  invalidate?: () => void;
  trusted(): boolean;
  secret(key: string): Promise<string | undefined>;
  timeoutMs(): number;
  now?: () => Date;
  log?: (message: string) => void;
  /**
   * Check every directory `moduleDirs` names, even where a source says it
   * does not apply (the CLI, whose paths are the root modules the user
   * named: "no terraform.tfstate here" is then an error, not silence).
   */
  checkAll?: boolean;
}

/**
 * Runs the enabled drift sources over the root modules of the workspace,
 * maps every reported address to the block that declares it, and keeps the
 * last report. A failed check replaces that stack's earlier result with the
 * error (a stale result is never shown as fresh); other stacks and sources
 * keep theirs. Checks of one source never overlap: a refresh while one runs
 * cancels it.
 */
export class DriftService {
  private readonly reports = new Map<DriftSourceKind, DriftSourceReport>();
  private running = new Map<DriftSourceKind, AbortController>();
  private listeners: ((report: DriftReport) => void)[] = [];

  constructor(
    private readonly host: DriftHost,
    private sources: readonly DriftSource[],
  ) {}

  /** Replaces the enabled sources (a settings change); reports of removed sources are dropped. */
  setSources(sources: readonly DriftSource[]): void {
    this.sources = sources;
    for (const kind of [...this.reports.keys()]) if (!sources.some((s) => s.kind === kind)) this.reports.delete(kind);
    for (const [kind, c] of this.running) if (!sources.some((s) => s.kind === kind)) c.abort();
    this.emit();
  }

  /** Whether any stack holds a drifted, missing or unmanaged resource (cheap: no mapping), e.g. before computing diagnostics. */
  hasDrift(): boolean {
    for (const r of this.reports.values()) for (const st of r.stacks) if (st.resources.some((x) => isDrift(x.status))) return true;
    return false;
  }

  onChange(listener: (report: DriftReport) => void): void {
    this.listeners.push(listener);
  }

  /**
   * The last results, with every declaration mapped against the current text
   * (open buffers included), so ranges follow edits made since the check.
   */
  report(): DriftReport {
    const directories = new Map<string, ModuleDirectory>();
    const manifests = new Map<string, readonly Manifest[]>();
    const remap = (stack: DriftStack): DriftStack => {
      if (stack.source === 'kubernetes' || stack.source === 'argocd') {
        let ms = manifests.get(stack.root);
        if (!ms) manifests.set(stack.root, (ms = this.host.manifests?.(stack.root) ?? []));
        return { ...stack, resources: stack.resources.map((r) => locateObject(r, ms!)) };
      }
      let modules = directories.get(stack.root);
      if (!modules) directories.set(stack.root, (modules = new ModuleDirectory(stack.root, this.host.files, this.host.read)));
      return { ...stack, resources: stack.resources.map((r) => locate(r, modules!)) };
    };
    const sources = this.sources.map((s) => {
      const r = this.reports.get(s.kind);
      return r ? { ...r, stacks: r.stacks.map(remap) } : { kind: s.kind, label: SOURCE_LABELS[s.kind], stacks: [] };
    });
    const driftCount = sources.reduce((n, s) => n + s.stacks.reduce((m, st) => m + st.resources.filter((r) => isDrift(r.status)).length, 0), 0);
    return { sources, driftCount, refreshing: this.running.size > 0 };
  }

  /** Checks every enabled source (or one) again; resolves with the new report. */
  async refresh(kind?: DriftSourceKind): Promise<DriftReport> {
    const chosen = this.sources.filter((s) => !kind || s.kind === kind);
    await Promise.all(chosen.map((s) => this.refreshSource(s)));
    return this.report();
  }

  /** Cancels every running check (shutdown). */
  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.listeners = [];
  }

  private async refreshSource(source: DriftSource): Promise<void> {
    this.running.get(source.kind)?.abort();
    const controller = new AbortController();
    this.running.set(source.kind, controller);
    this.emit();
    try {
      const report = await this.check(source, controller.signal);
      if (controller.signal.aborted) return; // superseded
      this.reports.set(source.kind, report);
    } finally {
      if (this.running.get(source.kind) === controller) this.running.delete(source.kind);
      this.emit();
    }
  }

  private async check(source: DriftSource, signal: AbortSignal): Promise<DriftSourceReport> {
    this.host.invalidate?.();
    const label = SOURCE_LABELS[source.kind];
    const now = this.host.now ?? (() => new Date());
    const candidates = this.host
      .roots()
      .flatMap((r) => (source.scope === 'workspace' ? [r] : this.host.moduleDirs(r)).map((dir) => ({ workspace: r, dir })));
    const roots: { workspace: string; dir: string }[] = [];
    for (const c of candidates) {
      try {
        if (this.host.checkAll || (await source.applies(c.dir))) roots.push(c);
      } catch (e) {
        this.host.log?.(`drift: ${label} could not inspect ${c.dir}: ${(e as Error).message}`);
      }
    }
    const stacks: DriftStack[] = [];
    let signedOut = false;
    // Two root modules at a time: enough to overlap network waits without flooding an API.
    for (let i = 0; i < roots.length; i += 2) {
      const batch = await Promise.all(
        roots.slice(i, i + 2).map(async ({ workspace, dir }) => {
          const result = await this.checkRoot(source, dir, signal);
          // A token Plumbline can store (HCP, Argo CD) is missing or refused: the panel offers "Sign in".
          if ((source.kind === 'hcp' || source.kind === 'argocd') && result.some((s) => s.problem?.code === 'auth')) signedOut = true;
          return result.map((s) => this.finish(s, workspace));
        }),
      );
      stacks.push(...batch.flat());
    }
    const problem: DriftProblem | undefined =
      roots.length === 0 ? { code: 'not-configured', message: NOTHING_TO_CHECK[source.kind] } : undefined;
    return { kind: source.kind, label, stacks, fetchedAt: now().toISOString(), ...(problem ? { problem } : {}), ...(signedOut ? { signedOut } : {}) };
  }

  /** One root module, under the time limit; any failure becomes an error stack. */
  private async checkRoot(source: DriftSource, root: string, outer: AbortSignal): Promise<DriftStack[]> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    outer.addEventListener('abort', abort);
    const timeoutMs = this.host.timeoutMs();
    const timer = setTimeout(abort, timeoutMs);
    const ctx: DriftContext = {
      root,
      signal: controller.signal,
      env: this.host.env,
      trusted: this.host.trusted(),
      secret: (key) => this.host.secret(key),
      timeoutMs,
      now: this.host.now ?? (() => new Date()),
      ...(this.host.log ? { log: this.host.log } : {}),
    };
    try {
      return await source.check(ctx);
    } catch (e) {
      const problem: DriftProblem =
        e instanceof DriftError
          ? problemOf(e)
          : controller.signal.aborted && !outer.aborted
            ? { code: 'timeout', message: `The check did not finish within ${Math.round(timeoutMs / 1000)} s.`, hint: 'Raise plumbline.drift.timeoutSeconds, or check the network.' }
            : { code: 'failed', message: `The ${SOURCE_LABELS[source.kind]} check failed: ${(e as Error).message ?? String(e)}` };
      this.host.log?.(`drift: ${SOURCE_LABELS[source.kind]} on ${root}: ${problem.message}`);
      return [{ id: `${source.kind}:${root}`, source: source.kind, name: path.basename(root), root, status: 'error', origin: SOURCE_LABELS[source.kind], resources: [], problem }];
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', abort);
    }
  }

  /** Names the stack relative to its workspace folder and maps each address to its declaration. */
  private finish(stack: DriftStack, workspace: string): DriftStack {
    const rel = path.relative(workspace, stack.root) || path.basename(stack.root);
    // HCP workspaces, clusters and Argo CD applications are named by the source; root modules by their folder.
    const name = stack.source === 'state' || stack.source === 'terraform' ? rel.split(path.sep).join('/') : stack.name;
    return { ...stack, name };
  }

  private emit(): void {
    const report = this.report();
    for (const l of this.listeners) l(report);
  }
}

/** The resource with its declaration found in the current text (none when the code no longer declares it). */
function locate(r: ResourceDrift, modules: ModuleDirectory): ResourceDrift {
  const address = parseAddress(r.address);
  const block = address && modules.blockOf(address);
  const { declaration: _old, ...rest } = r;
  return block ? { ...rest, declaration: declarationOf(block, r.changes.map((c) => c.path)) } : rest;
}

/** A Kubernetes object with the YAML document and keys that declare it. */
function locateObject(r: ResourceDrift, manifests: readonly Manifest[]): ResourceDrift {
  const m = r.object && findManifest(manifests, r.object);
  const { declaration: _old, ...rest } = r;
  return m ? { ...rest, declaration: manifestDeclaration(m, r.changes.map((c) => c.path)) } : rest;
}

const NOTHING_TO_CHECK: Readonly<Record<DriftSourceKind, string>> = {
  state: 'No root module with a local terraform.tfstate in the workspace.',
  terraform: 'No initialised root module (a folder with .tf files and a .terraform directory) in the workspace.',
  hcp: 'No root module with a cloud {} block or backend "remote" in the workspace.',
  kubernetes: 'No Kubernetes manifests in the workspace, or no kubeconfig (KUBECONFIG or ~/.kube/config).',
  argocd: 'No Argo CD server configured (ARGOCD_SERVER, or Plumbline: Sign in to Argo CD).',
};

export function isDrift(status: ResourceDrift['status']): boolean {
  return status === 'drifted' || status === 'missing' || status === 'unmanaged';
}

// ---- diagnostics ---------------------------------------------------------------------

export interface DriftDiagnostic {
  readonly range: Range;
  readonly message: string;
  /** The stack and resource, for the panel link. */
  readonly address: string;
  readonly source: DriftSourceKind;
}

/**
 * One diagnostic per changed attribute (on the attribute the code writes, or
 * the block header), and one on the header of a missing resource: "live
 * value of `versioning_configuration[0].status` is Suspended; code declares
 * Enabled (HCP Terraform assessment, 2 h ago)".
 */
export function driftDiagnostics(report: DriftReport, uri: string, now: Date = new Date()): DriftDiagnostic[] {
  const out: DriftDiagnostic[] = [];
  for (const source of report.sources)
    for (const stack of source.stacks)
      for (const r of stack.resources) {
        const decl = r.declaration;
        if (!decl || decl.uri !== uri || !isDrift(r.status)) continue;
        const when = `${source.label}${stack.checkedAt ? `, ${ago(stack.checkedAt, now)}` : ''}`;
        const instance = r.key !== undefined ? ` (instance ${JSON.stringify(r.key)})` : '';
        const base = { address: r.address, source: source.kind };
        if (r.status === 'drifted' && r.changes.length) {
          for (const c of r.changes)
            out.push({ ...base, range: decl.attributes?.[c.path] ?? decl.range, message: `Drift${instance}: ${describeChange(c, source.kind)} (${when}).` });
        } else {
          const what = r.status === 'missing' ? 'is declared but does not exist' : r.status === 'unmanaged' ? 'is no longer declared' : 'has drifted';
          out.push({ ...base, range: decl.range, message: `Drift: ${r.address} ${what}${r.message ? ` — ${r.message}` : ''} (${when}).` });
        }
      }
  return out;
}

/** Drifted and missing resources declared in `uri`, for the code lens above their blocks. */
export function driftLenses(report: DriftReport, uri: string): { at: Range; status: 'drifted' | 'missing'; checkedAt?: string }[] {
  return report.sources.flatMap((s) =>
    s.stacks.flatMap((st) =>
      st.resources.flatMap((r) =>
        r.declaration?.uri === uri && (r.status === 'drifted' || r.status === 'missing')
          ? [{ at: r.declaration.range, status: r.status, ...(st.checkedAt ? { checkedAt: st.checkedAt } : {}) }]
          : [],
      ),
    ),
  );
}

export function describeChange(c: AttributeChange, source: DriftSourceKind): string {
  const liveSide = source === 'state' ? 'recorded' : 'live';
  const codeSide = source === 'state' || source === 'kubernetes' || source === 'argocd' ? 'code declares' : 'Terraform last applied';
  if (c.sensitive) return `${liveSide} value of \`${c.path}\` differs (sensitive)`;
  if (c.live === undefined) return `\`${c.path}\` is not set ${source === 'state' ? 'in the recorded state' : 'live'}; ${codeSide} ${show(c.declared)}`;
  if (c.declared === undefined) return `${liveSide} value of \`${c.path}\` is ${show(c.live)}; ${source === 'state' ? 'the code does not set it' : 'it was not set'}`;
  return `${liveSide} value of \`${c.path}\` is ${show(c.live)}; ${codeSide} ${show(c.declared)}${c.changedBy ? ` (changed by ${c.changedBy})` : ''}`;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export function ago(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** Candidate root modules: directories with `.tf` files, skipping `.terraform`, `.git`, `node_modules` and hidden folders. */
export function findModuleDirs(root: string, readDir: (dir: string) => string[] | undefined, isDir: (p: string) => boolean, maxDirs = 5000): string[] {
  const out: string[] = [];
  const queue = [root];
  let seen = 0;
  while (queue.length && seen < maxDirs) {
    const dir = queue.shift()!;
    seen++;
    const names = readDir(dir) ?? [];
    if (names.some((n) => n.endsWith('.tf'))) out.push(dir);
    for (const n of names.sort()) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = path.join(dir, n);
      if (!/\.(tf|tfvars|json|ya?ml|md|tfstate|hcl|backup)$/.test(n) && isDir(p)) queue.push(p);
    }
  }
  return out;
}
