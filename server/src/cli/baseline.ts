import { readFileSync, writeFileSync } from 'node:fs';
import type { ReportFinding } from './report';
import { UsageError } from './files';

/**
 * A baseline: the findings a repository already had when it adopted
 * Plumbline, recorded by fingerprint so that `--baseline` reports only new
 * ones. The file is JSON, sorted, one entry per finding, with the rule, file
 * and message beside each fingerprint so a reviewer can read what is being
 * accepted. Only the fingerprint is matched (it already covers rule and file).
 */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly ruleId: string;
  readonly file: string;
  readonly fingerprint: string;
  readonly message: string;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly tool: 'plumbline';
  readonly findings: readonly BaselineEntry[];
}

export function baselineOf(findings: readonly ReportFinding[]): Baseline {
  const entries = findings.map((f) => ({ ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint, message: f.message }));
  entries.sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint) || cmp(a.message, b.message));
  return { version: BASELINE_VERSION, tool: 'plumbline', findings: entries };
}

export function writeBaseline(file: string, findings: readonly ReportFinding[]): void {
  try {
    writeFileSync(file, `${JSON.stringify(baselineOf(findings), null, 2)}\n`);
  } catch (e) {
    throw new UsageError(`cannot write the baseline ${file}: ${(e as Error).message}`);
  }
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `no such baseline file: ${file} (create one with --baseline-write ${file})` : `cannot read the baseline ${file}: ${(e as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the baseline ${file} is not valid JSON (${(e as Error).message}); write it again with --baseline-write ${file}`);
  }
  const problem = shapeProblem(data);
  if (problem) throw new UsageError(`the baseline ${file} is not a Plumbline baseline: ${problem}; write it again with --baseline-write ${file}`);
  return data as Baseline;
}

function shapeProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'it is not a JSON object';
  const o = data as Record<string, unknown>;
  if (o.version !== BASELINE_VERSION) return `its version is ${JSON.stringify(o.version)}, this Plumbline reads version ${BASELINE_VERSION}`;
  if (!Array.isArray(o.findings)) return '"findings" is not an array';
  const bad = o.findings.findIndex(
    (e: unknown) => typeof e !== 'object' || e === null || typeof (e as BaselineEntry).fingerprint !== 'string' || typeof (e as BaselineEntry).ruleId !== 'string' || typeof (e as BaselineEntry).file !== 'string',
  );
  return bad >= 0 ? `findings[${bad}] lacks a string ruleId, file or fingerprint` : undefined;
}

/**
 * The findings the baseline does not account for. Matching counts: a
 * fingerprint recorded twice accepts two findings with it, a third is new.
 */
export function newFindings<F extends ReportFinding>(findings: readonly F[], baseline: Baseline): { fresh: F[]; matched: number } {
  const left = new Map<string, number>();
  for (const e of baseline.findings) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + 1);
  const fresh: F[] = [];
  let matched = 0;
  for (const f of findings) {
    const n = left.get(f.fingerprint) ?? 0;
    if (n > 0) {
      left.set(f.fingerprint, n - 1);
      matched++;
    } else fresh.push(f);
  }
  return { fresh, matched };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
