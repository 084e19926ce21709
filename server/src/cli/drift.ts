import * as path from 'node:path';
import { driftHost, driftSources } from '../drift/host';
import { DriftService, ago, describeChange, isDrift } from '../drift/service';
import type { DriftReport } from '../protocol';
import type { DriftSourceKind, DriftStack } from '../drift/types';
import { LanguageService, toPath } from '../service/languageService';
import { DEFAULT_SETTINGS } from '../settings';

export interface DriftOptions {
  readonly source: DriftSourceKind;
  /** Root module directories (Terraform sources) or manifest folders (kubernetes, argocd), absolute. */
  readonly roots: readonly string[];
  readonly cwd: string;
  readonly terraformPath: string;
  /** The kubeconfig context of the kubernetes source (default: its current context). */
  readonly kubernetesContext?: string;
  readonly timeoutSeconds: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Look for root modules under `roots` and check those the source applies
   * to (as the panel does), instead of checking each root as one module.
   */
  readonly discover?: boolean;
}

/**
 * `plumbline drift`: the panel's check, headless, for scheduled drift jobs in
 * pipelines. The CLI is run by the user, so the workspace counts as trusted
 * (it may run terraform); tokens come from the environment and Terraform's
 * credential files (no editor SecretStorage here).
 */
export async function runDrift(options: DriftOptions): Promise<DriftReport> {
  const service = await LanguageService.create({ roots: [options.cwd] });
  const base = driftHost(service, {
    env: options.env,
    trusted: () => true,
    secret: async () => undefined,
    timeoutMs: () => options.timeoutSeconds * 1000,
    // Kubernetes and Argo CD check a folder as a whole: the folders named are those.
    roots: () => (options.source === 'kubernetes' || options.source === 'argocd' ? options.roots : [options.cwd]),
  });
  const host = {
    ...base,
    moduleDirs: options.discover ? () => [...new Set(options.roots.flatMap((r) => base.moduleDirs(r)))] : () => options.roots,
    checkAll: !options.discover,
  };
  const settings = {
    ...DEFAULT_SETTINGS.drift,
    sources: [options.source],
    terraformPath: options.terraformPath,
    kubernetesContext: options.kubernetesContext ?? '',
    timeoutSeconds: options.timeoutSeconds,
  };
  const drift = new DriftService(host, driftSources(service, settings));
  const report = await drift.refresh();
  drift.dispose();
  return report;
}

/** 0 in sync, 1 drift found, 2 a stack could not be checked. */
export function driftExitCode(report: DriftReport): number {
  const stacks = report.sources.flatMap((s) => s.stacks);
  if (stacks.length === 0 || stacks.some((s) => s.status === 'error')) return 2;
  return report.driftCount > 0 ? 1 : 0;
}

/** The JSON shape: stacks with resources; declarations as file (relative to cwd) and 0-based range. */
export function formatDriftJson(report: DriftReport, cwd: string): string {
  const stacks = report.sources.flatMap((s) =>
    s.stacks.map((st) => ({
      source: st.source,
      name: st.name,
      root: rel(cwd, st.root),
      status: st.status,
      ...(st.checkedAt ? { checkedAt: st.checkedAt } : {}),
      origin: st.origin,
      ...(st.link ? { link: st.link } : {}),
      ...(st.summary ? { summary: st.summary } : {}),
      ...(st.problem ? { problem: st.problem } : {}),
      resources: st.resources.map((r) => ({
        address: r.address,
        status: r.status,
        ...(r.key !== undefined ? { key: r.key } : {}),
        changes: r.changes,
        ...(r.message ? { message: r.message } : {}),
        ...(r.declaration ? { file: rel(cwd, toPath(r.declaration.uri)), range: r.declaration.range } : {}),
      })),
    })),
  );
  return JSON.stringify({ version: 1, driftCount: report.driftCount, stacks }, null, 2);
}

export function formatDriftText(report: DriftReport, cwd: string, color: boolean, now = new Date()): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const source of report.sources)
    for (const st of source.stacks) {
      lines.push(paint('1', `${st.name} (${source.label})`) + `  ${stackLine(st, now)}`);
      if (st.problem) lines.push(`  ${paint(st.status === 'error' ? '31' : '33', st.problem.message)}${st.problem.hint ? `\n  ${st.problem.hint}` : ''}`);
      for (const r of st.resources) {
        if (!isDrift(r.status)) continue;
        const at = r.declaration ? `${rel(cwd, toPath(r.declaration.uri))}:${r.declaration.range.start.line + 1}:${r.declaration.range.start.character + 1}` : '(not in code)';
        lines.push(`  ${at}  ${paint(r.status === 'drifted' ? '33' : '31', r.status)}  ${r.address}${r.message && !r.changes.length ? ` — ${r.message}` : ''}`);
        for (const c of r.changes) lines.push(`      ${describeChange(c, source.kind)}`);
      }
    }
  const stacks = report.sources.flatMap((s) => s.stacks);
  lines.push(
    stacks.length === 0
      ? 'No stack checked.'
      : `${report.driftCount} drifted resource${report.driftCount === 1 ? '' : 's'} in ${stacks.length} stack${stacks.length === 1 ? '' : 's'}${stacks.some((s) => s.status === 'error') ? '; some could not be checked' : ''}.`,
  );
  return lines.join('\n');
}

function stackLine(st: DriftStack, now: Date): string {
  const drifted = st.resources.filter((r) => isDrift(r.status)).length;
  const when = st.checkedAt ? `checked ${ago(st.checkedAt, now)}` : '';
  if (st.status === 'error') return 'error';
  return [drifted ? `${drifted} drifted of ${st.resources.length}` : `in sync (${st.resources.length} resources)`, when].filter(Boolean).join(' · ');
}

function rel(cwd: string, p: string): string {
  return path.relative(cwd, p).split(path.sep).join('/') || '.';
}
