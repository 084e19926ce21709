import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { collectFiles } from '../cli/files';
import { checkWith, type Report } from '../cli/report';
import { listSuppressionsWith, type SuppressionEntry } from '../cli/suppressions';
import { runDrift } from '../cli/drift';
import { isDrift } from '../drift/service';
import type { DriftSourceKind } from '../drift/types';
import { SEVERITIES, atLeast, type Severity } from '../engine/severity';
import type { DriftReport } from '../protocol';
import { LanguageService, toPath, toUri } from '../service/languageService';
import { collectAppliedConfig, configFileRows, configHashOf, emptyApplied } from './configFiles';
import { readGitSource } from './git';
import { collectRuleVariants, folderName, ruleSetOf, type RuleVariants } from './ruleSet';
import { EVIDENCE_SCHEMA, type Evidence, type EvidenceDrift, type EvidenceSuppressions, type SeverityCounts } from './types';

export interface EvidenceOptions {
  /** Files and folders to analyse, relative to `cwd` or absolute. */
  readonly paths: readonly string[];
  /** The directory paths in the report are relative to; also where the git repository is looked for. */
  readonly cwd: string;
  /** Roots config files are inherited from (as `plumbline check` passes them). */
  readonly roots: readonly string[];
  /** A config file applied first, under those of the tree (`--config`). */
  readonly configFile?: string;
  /** The drift source to check; none when undefined (see defaultDriftSource). */
  readonly driftSource?: DriftSourceKind;
  readonly now?: Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For the `terraform` drift source. */
  readonly terraformPath?: string;
  readonly timeoutSeconds?: number;
}

/**
 * `plumbline report`: analyses the paths with the engine `plumbline check`
 * uses (one language service, so findings and suppression statuses come
 * from the same analysis), records the configuration and rule set that
 * produced them, and checks drift when a source is given.
 */
export async function buildEvidence(options: EvidenceOptions): Promise<Evidence> {
  const now = options.now ?? new Date();
  const configFile = options.configFile ? path.resolve(options.cwd, options.configFile) : undefined;
  const service = await LanguageService.create({ roots: options.roots, now: () => now, ...(configFile ? { configFile } : {}) });
  const absolute = options.paths.map((p) => path.resolve(options.cwd, p));
  const drift = options.driftSource
    ? driftEvidence(
        await runDrift({
          source: options.driftSource,
          roots: absolute.filter(isDirectory),
          cwd: options.cwd,
          terraformPath: options.terraformPath ?? 'terraform',
          timeoutSeconds: options.timeoutSeconds ?? 120,
          env: options.env,
          discover: true,
        }),
        options.cwd,
      )
    : null;
  return collectEvidence(service, {
    cwd: options.cwd,
    paths: absolute,
    groups: [{ files: collectFiles(absolute), prepare: async () => () => undefined }],
    ...(configFile ? { configFile } : {}),
    drift,
    now,
  });
}

/**
 * The editor's "Export Evidence Report": every workspace folder through the
 * server's own service, each under its folder's settings (`prepare` reads
 * them and returns what puts them in force, or undefined where Plumbline is
 * disabled), open buffers included, with the drift report the server
 * already holds. Runs no drift check.
 */
export async function workspaceEvidence(
  service: LanguageService,
  prepare: (root: string) => Promise<(() => void) | undefined>,
  driftReport: DriftReport | undefined,
  now: Date = new Date(),
): Promise<Evidence> {
  const roots = [...service.roots()];
  const cwd = commonParent(roots);
  const groups = roots.map((root) => {
    const under = (uri: string) => toPath(uri).startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    const files = [...new Set([...collectFiles([root]), ...service.openDocuments().filter(under).map(toPath)])].sort();
    return { files, prepare: () => prepare(root) };
  });
  const drift = driftReport && driftReport.sources.length > 0 ? driftEvidence(driftReport, cwd) : null;
  return collectEvidence(service, { cwd, paths: roots, groups, drift, now });
}

interface CollectInput {
  readonly cwd: string;
  readonly paths: readonly string[];
  /**
   * Files grouped by the settings they need. `prepare` resolves to what puts
   * the group's settings in force (undefined: skip the group); that runs
   * right before the group is analysed, without yielding in between, so no
   * other request can change the settings meanwhile.
   */
  readonly groups: readonly { readonly files: readonly string[]; readonly prepare: () => Promise<(() => void) | undefined> }[];
  readonly configFile?: string;
  readonly drift: EvidenceDrift | null;
  readonly now: Date;
}

async function collectEvidence(service: LanguageService, input: CollectInput): Promise<Evidence> {
  const { cwd } = input;
  const rel = (file: string) => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const findings: Report['findings'] = [];
  const failures: Report['failures'] = [];
  const suppressions: SuppressionEntry[] = [];
  const applied = emptyApplied();
  const variants: RuleVariants = new Map();
  let fileCount = 0;
  for (const group of input.groups) {
    const useSettings = await group.prepare();
    if (!useSettings) continue;
    useSettings();
    const report = checkWith(service, group.files, cwd, input.configFile);
    findings.push(...report.findings);
    failures.push(...report.failures);
    suppressions.push(...listSuppressionsWith(service, group.files, cwd));
    fileCount += report.fileCount;
    for (const file of group.files) {
      const uri = toUri(file);
      collectAppliedConfig(service, uri, input.configFile, applied);
      collectRuleVariants(service, uri, folderName(cwd, path.dirname(file)), variants);
    }
  }
  const configFiles = configFileRows(service, applied, rel);
  const bySeverity = countSeverities(findings.map((f) => f.severity));
  const suppressionSection = suppressionsOf(suppressions);
  return {
    schema: EVIDENCE_SCHEMA,
    generatedAt: input.now.toISOString(),
    tool: { name: 'plumbline', version: toolVersion() },
    source: readGitSource(cwd) ?? null,
    scope: { folder: path.basename(cwd), paths: input.paths.map(rel), fileCount },
    config: { files: configFiles, presets: [...applied.presets].sort(), configHash: configHashOf(configFiles) },
    rules: ruleSetOf(variants),
    findings: {
      total: findings.length,
      bySeverity,
      list: findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.file, range: f.range })),
      ruleFailures: failures.map((f) => ({ ruleId: f.ruleId, file: f.file, error: f.error.split('\n')[0] ?? '' })),
    },
    suppressions: suppressionSection,
    drift: input.drift,
    verdict: {
      findings: findings.length,
      bySeverity,
      highOrAbove: findings.some((f) => atLeast(f.severity, 'high')),
      expiredSuppressions: suppressionSection.byStatus.expired,
      invalidSuppressions: suppressionSection.byStatus.invalid,
      driftCount: input.drift ? input.drift.driftCount : null,
    },
  };
}

/**
 * The CLI's drift source when `--drift` is not given: `state` when a
 * root module (a folder with .tf files) under the paths has a local
 * terraform.tfstate, since that check is offline and runs nothing; else
 * none. Running terraform or asking HCP Terraform is never implied.
 */
export function defaultDriftSource(paths: readonly string[], cwd: string): DriftSourceKind | undefined {
  const dirs = paths.map((p) => path.resolve(cwd, p)).filter(isDirectory);
  return dirs.some((d) => hasStateFile(d, 0)) ? 'state' : undefined;
}

function hasStateFile(dir: string, depth: number): boolean {
  if (existsSync(path.join(dir, 'terraform.tfstate'))) return true;
  if (depth > 8) return false;
  return collectDirs(dir).some((d) => hasStateFile(d, depth + 1));
}

function collectDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/** The drift report as evidence: per stack, the drifted resources with their changed paths; paths relative to `cwd`. */
export function driftEvidence(report: DriftReport, cwd: string): EvidenceDrift {
  const rel = (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';
  return {
    sources: report.sources.map((s) => ({ kind: s.kind, label: s.label, ...(s.fetchedAt ? { fetchedAt: s.fetchedAt } : {}), ...(s.problem ? { problem: s.problem } : {}) })),
    driftCount: report.driftCount,
    stacks: report.sources.flatMap((s) =>
      s.stacks.map((st) => ({
        name: st.name,
        source: st.source,
        root: rel(st.root),
        status: st.status,
        ...(st.checkedAt ? { checkedAt: st.checkedAt } : {}),
        origin: st.origin,
        ...(st.link ? { link: st.link } : {}),
        ...(st.problem ? { problem: st.problem } : {}),
        resourceCount: st.resources.length,
        drifted: st.resources
          .filter((r) => isDrift(r.status))
          .map((r) => ({
            address: r.address,
            status: r.status,
            changes: r.changes,
            ...(r.message ? { message: r.message } : {}),
            ...(r.declaration ? { file: rel(toPath(r.declaration.uri)), line: r.declaration.range.start.line + 1 } : {}),
          })),
      })),
    ),
  };
}

function suppressionsOf(entries: readonly SuppressionEntry[]): EvidenceSuppressions {
  const byStatus = { active: 0, unused: 0, expired: 0, invalid: 0 };
  for (const e of entries) byStatus[e.status]++;
  return { total: entries.length, byStatus, list: entries.map((e) => ({ ...e })) };
}

function countSeverities(severities: readonly Severity[]): SeverityCounts {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const s of severities) out[s]++;
  return out;
}

/** The name of the exported file: plumbline-evidence-YYYY-MM-DD.html. */
export function evidenceFileName(e: Evidence, ext: 'html' | 'json' = 'html'): string {
  return `plumbline-evidence-${e.generatedAt.slice(0, 10)}.${ext}`;
}

let version: string | undefined;

/**
 * The extension's version from its package.json: the nearest one named
 * "plumbline" above this module (dist/ in the bundle, server/src/evidence/
 * when run from source).
 */
export function toolVersion(): string {
  if (version !== undefined) return version;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'plumbline' && typeof pkg.version === 'string') return (version = pkg.version);
    } catch {
      // no package.json here, or not JSON: look further up
    }
    dir = path.dirname(dir);
  }
  return (version = 'unknown');
}

/** The deepest folder holding every root (the root itself when there is one). */
function commonParent(roots: readonly string[]): string {
  if (roots.length === 0) return process.cwd();
  let common = roots[0]!;
  for (const r of roots.slice(1)) while (!(r === common || r.startsWith(common.endsWith(path.sep) ? common : common + path.sep))) common = path.dirname(common);
  return common;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
