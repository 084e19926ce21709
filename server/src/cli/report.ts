import * as path from 'node:path';
import type { Finding } from '../engine/finding';
import type { RuleFailure } from '../engine/run';
import type { Directive } from '../suppressions';
import { LanguageService, toPath, toUri } from '../service/languageService';
import { fingerprintFindings, type ParsedFile } from './fingerprint';
import { suppressedFindings } from './suppressed';

/** A finding as the CLI reports it: `file` relative to `cwd`, and its fingerprint (see fingerprint.ts). */
export interface ReportFinding extends Finding {
  readonly file: string;
  readonly fingerprint: string;
}

/** The in-source directive that hides a finding: what SARIF exports under `suppressions`. */
export interface SuppressionInfo {
  /** 1-based line of the directive. */
  readonly line: number;
  readonly reason: string | null;
  readonly expires: string | null;
}

export interface SuppressedFinding extends ReportFinding {
  readonly suppression: SuppressionInfo;
}

/**
 * The outcome of a check. Every per-file datum is an array, and nothing in a
 * Report refers to another file, so the reports of disjoint sets of files
 * merge by concatenating each array, summing `fileCount` and sorting the
 * findings (and suppressed findings) with `compareFindings`.
 */
export interface Report {
  readonly fileCount: number;
  /** Sorted with `compareFindings`; `file` is relative to `cwd`. */
  readonly findings: ReportFinding[];
  readonly failures: (RuleFailure & { file: string })[];
  /** Findings an active `plumbline:ignore` directive hides, with its reason and expiry; sorted like `findings`. */
  readonly suppressed: SuppressedFinding[];
}

/** File, then position, then rule id, then fingerprint: a total order, the same whichever way the files were split. */
export function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    cmp(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Analyses files on disk with the same engine the editor uses. */
export async function check(files: readonly string[], roots: readonly string[], cwd: string, configFile?: string): Promise<Report> {
  const service = await LanguageService.create({ roots, ...(configFile ? { configFile } : {}) });
  return checkWith(service, files, cwd, configFile);
}

/** `check` with a service the caller holds (the editor's, with its settings and open buffers). Synchronous. */
export function checkWith(service: LanguageService, files: readonly string[], cwd: string, configFile?: string): Report {
  const uris = files.map(toUri);
  const results = service.analyzeMany(uris);
  const rel = (uri: string) => path.relative(cwd, toPath(uri)).split(path.sep).join('/');
  const findings: ReportFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const failures: Report['failures'] = [];
  for (const uri of uris) {
    const r = results.get(uri);
    if (!r) continue;
    const file = rel(uri);
    const parsed = parsedFile(service, uri);
    const prints = fingerprintFindings(file, r.findings, parsed);
    findings.push(...r.findings.map((f, i) => ({ ...f, file, fingerprint: prints[i]! })));
    suppressed.push(...withSuppressions(service, uri, file, r.directives, parsed));
    for (const fail of r.failures) if (!failures.some((x) => x.ruleId === fail.ruleId && x.error === fail.error)) failures.push({ ...fail, file });
  }
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  // Problems of a --config file outside the checked paths are findings too: a broken policy must be seen.
  const configUri = configFile ? toUri(path.resolve(configFile)) : undefined;
  if (configUri && !uris.includes(configUri)) {
    const problems = service.baseConfigProblems();
    const file = rel(configUri);
    const prints = fingerprintFindings(file, problems, parsedFile(service, configUri));
    findings.unshift(...problems.map((f, i) => ({ ...f, file, fingerprint: prints[i]! })));
  }
  return { fileCount: files.length, findings, failures, suppressed };
}

/** The model the fingerprints anchor to: HCL blocks or YAML documents, else the bare text. */
function parsedFile(service: LanguageService, uri: string): ParsedFile | undefined {
  const kind = service.kindOf(uri);
  if (kind === 'terraform' || (kind === 'terraform-vars' && !uri.endsWith('.json'))) {
    const hcl = service.hclFile(uri);
    return hcl ? { hcl } : undefined;
  }
  if (kind === 'github-actions' || kind === 'gitlab-ci' || kind === 'yaml' || /\.ya?ml$/.test(uri)) {
    const yaml = service.yamlFile(uri, kind === 'other' ? 'yaml' : kind);
    return yaml ? { yaml } : undefined;
  }
  const text = service.text(uri);
  return text === undefined ? undefined : { text };
}

function withSuppressions(service: LanguageService, uri: string, file: string, directives: readonly Directive[], parsed: ParsedFile | undefined): SuppressedFinding[] {
  const hidden = suppressedFindings(service, uri, directives);
  if (hidden.length === 0) return [];
  const prints = fingerprintFindings(file, hidden.map((h) => h.finding), parsed);
  return hidden.map(({ finding, directive }, i) => ({
    ...finding,
    file,
    fingerprint: prints[i]!,
    suppression: { line: directive.range.start.line + 1, reason: directive.reason ?? null, expires: directive.expires ?? null },
  }));
}
