import * as path from 'node:path';
import type { Directive, DirectiveStatus } from '../suppressions';
import { LanguageService, toPath, toUri } from '../service/languageService';

/** One row of the suppression inventory; `file` is relative to the current directory, `line` 1-based. */
export interface SuppressionEntry {
  readonly file: string;
  readonly line: number;
  readonly rules: readonly string[];
  readonly reason: string | null;
  readonly expires: string | null;
  readonly status: DirectiveStatus;
  /** What is wrong, for an invalid directive. */
  readonly problems?: readonly string[];
}

/** Every directive in the files, through the same analysis as `check` (so statuses agree with the editor). */
export async function listSuppressions(files: readonly string[], roots: readonly string[], cwd: string): Promise<SuppressionEntry[]> {
  return listSuppressionsWith(await LanguageService.create({ roots }), files, cwd);
}

/** `listSuppressions` with a service the caller holds. Synchronous. */
export function listSuppressionsWith(service: LanguageService, files: readonly string[], cwd: string): SuppressionEntry[] {
  const uris = files.map(toUri);
  const results = service.analyzeMany(uris);
  const rel = (uri: string) => path.relative(cwd, toPath(uri)).split(path.sep).join('/');
  const entries = uris.flatMap((uri) => (results.get(uri)?.directives ?? []).map((d) => entry(rel(uri), d)));
  return entries.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function entry(file: string, d: Directive): SuppressionEntry {
  return {
    file,
    line: d.range.start.line + 1,
    rules: d.rules.map((r) => r.id),
    reason: d.reason ?? null,
    expires: d.expires ?? null,
    status: d.status,
    ...(d.status === 'invalid' ? { problems: d.problems.map((p) => p.message) } : {}),
  };
}

export function formatSuppressionsJson(entries: readonly SuppressionEntry[]): string {
  return JSON.stringify({ version: 1, suppressions: entries }, null, 2);
}

/** An aligned table; an invalid directive's problems follow on indented lines. */
export function formatSuppressionsText(entries: readonly SuppressionEntry[]): string {
  if (entries.length === 0) return 'No suppression directives found.';
  const header = ['LOCATION', 'STATUS', 'EXPIRES', 'RULES', 'REASON'];
  const rows = entries.map((e) => [`${e.file}:${e.line}`, e.status, e.expires ?? '-', e.rules.join(',') || '-', e.reason ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header)];
  entries.forEach((e, i) => {
    out.push(line(rows[i]!));
    for (const p of e.problems ?? []) out.push(`    ${p}`);
  });
  const counts = (['active', 'unused', 'expired', 'invalid'] as const).map((s) => [s, entries.filter((e) => e.status === s).length] as const).filter(([, n]) => n > 0);
  out.push('', `${entries.length} directive(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.`);
  return out.join('\n');
}
