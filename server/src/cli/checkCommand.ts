import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { atLeast, SEVERITIES, type Severity } from '../engine/severity';
import { toolVersion } from '../evidence/build';
import { newFindings, readBaseline, writeBaseline, type Baseline } from './baseline';
import { affectedFiles, gitChangedFiles } from './changed';
import { collectFiles, UsageError } from './files';
import { FORMAT_NAMES, render, type FormatName } from './formats';
import { findingLine } from './formats/text';
import { checkParallel, defaultWorkers } from './parallel';
import type { Report } from './report';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

/** One `--format` value: `name` (to stdout, or to --output) or `name=path`. */
export interface FormatTarget {
  readonly name: FormatName;
  /** Undefined: stdout (or --output). */
  readonly file: string | undefined;
}

/**
 * Reads the `--format` values. Each names a format, optionally with a file
 * (`sarif=out.sarif`). At most one may go to stdout; when none does, the
 * text report goes there, so a CI log always shows what was found.
 */
export function parseFormats(values: readonly string[], output: string | undefined): { stdout: FormatTarget; files: FormatTarget[] } {
  const targets = values.map((v): FormatTarget => {
    const eq = v.indexOf('=');
    const name = (eq < 0 ? v : v.slice(0, eq)) as FormatName;
    const file = eq < 0 ? undefined : v.slice(eq + 1);
    if (!FORMAT_NAMES.includes(name)) throw new UsageError(`unknown --format ${name}: use ${FORMAT_NAMES.join(', ')} (optionally name=file)`);
    if (file === '') throw new UsageError(`--format ${name}= needs a file name after the =`);
    return { name, file };
  });
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) throw new UsageError(`only one format can go to stdout, and ${toStdout.map((t) => t.name).join(' and ')} both do: write the others to files, e.g. --format ${toStdout[1]!.name}=report.${toStdout[1]!.name}`);
  const files = targets.filter((t) => t.file !== undefined);
  const seen = new Set<string>();
  for (const t of [...files, ...(output !== undefined ? [{ file: output }] : [])]) {
    const key = path.resolve(t.file!);
    if (seen.has(key)) throw new UsageError(`two outputs write to ${t.file}: give each format its own file`);
    seen.add(key);
  }
  return { stdout: toStdout[0] ?? { name: 'text', file: undefined }, files };
}

/** Findings that fail the run: not info, and at or above --fail-on. */
export function failing(severity: Severity, failOn: Severity): boolean {
  return severity !== 'info' && atLeast(severity, failOn);
}

/** From this many files on, `check` uses one worker thread per core unless --workers says otherwise. */
const PARALLEL_FROM = 400;

/**
 * `plumbline check`. Exit 0: nothing reaches --fail-on and warnings are
 * within --max-warnings; 1: the gate failed; a UsageError becomes 2 in main.
 */
export async function checkCommand(args: readonly string[], out: Output, err: Output, usage: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      config: { type: 'string' },
      'fail-on': { type: 'string', default: 'high' },
      'max-warnings': { type: 'string' },
      baseline: { type: 'string' },
      'baseline-write': { type: 'string' },
      'changed-since': { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(`${usage}\n`);
    return 0;
  }
  const failOn = values['fail-on'] as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`unknown --fail-on ${failOn}: use ${SEVERITIES.join(', ')}`);
  if (values.workers !== undefined && !(/^\d+$/.test(values.workers) && Number(values.workers) >= 1))
    throw new UsageError(`--workers takes a whole number of at least 1, not ${values.workers}`);
  const maxWarnings = values['max-warnings'] === undefined ? undefined : Number(values['max-warnings']);
  if (maxWarnings !== undefined && !(/^\d+$/.test(values['max-warnings']!) && Number.isSafeInteger(maxWarnings)))
    throw new UsageError(`--max-warnings takes a whole number of at least 0, not ${values['max-warnings']}`);
  if (values.output !== undefined && (values.output === '' || isDir(values.output))) throw new UsageError(`--output needs a file name, not ${values.output || 'an empty one'}`);
  const formats = parseFormats(values.format ?? [], values.output);
  if (values.config !== undefined && !existsSync(values.config)) throw new UsageError(`no such config file: ${values.config}`);
  // Read the baseline before analysing: a bad one is a usage error, not a wasted run.
  const baseline: Baseline | undefined = values.baseline !== undefined ? readBaseline(values.baseline) : undefined;

  const cwd = process.cwd();
  const paths = positionals.length ? positionals : ['.'];
  let files = collectFiles(paths);
  if (values['changed-since'] !== undefined) files = affectedFiles(files, await gitChangedFiles(values['changed-since'], cwd));
  const roots = [...new Set([cwd, ...paths.filter(isDir).map((p) => path.resolve(p))])];
  // Threads pay off on large repositories; a few files are analysed faster in this one.
  const workers = values.workers !== undefined ? Number(values.workers) : files.length >= PARALLEL_FROM ? defaultWorkers() : 1;
  // On a terminal, text findings appear as each module or batch is done; the summary follows at the end.
  const textOnTerminal = formats.stdout.name === 'text' && values.output === undefined && !!out.isTTY;
  const colour = textOnTerminal && !process.env.NO_COLOR;
  const stream = textOnTerminal && !baseline;
  const full = await checkParallel(files, roots, cwd, values.config, {
    workers,
    ...(stream ? { onReport: (partial: Report) => partial.findings.forEach((f) => out.write(`${findingLine(f, colour)}\n`)) } : {}),
  });
  for (const f of full.failures) err.write(`plumbline: rule ${f.ruleId} failed on ${f.file}: ${f.error.split('\n')[0]}\n`);

  let report: Report = full;
  let baselined = 0;
  if (baseline) {
    const { fresh, matched } = newFindings(full.findings, baseline);
    report = { ...full, findings: fresh };
    baselined = matched;
  }
  const ctx = { report, failOn, version: toolVersion(), baselined, cwd, colour: false };
  for (const t of formats.files) write(t.file!, render(t.name, ctx), t.name);
  const main = render(formats.stdout.name, { ...ctx, colour, summaryOnly: stream });
  if (values.output !== undefined) write(values.output, main, formats.stdout.name);
  else out.write(main);
  for (const t of [...formats.files, ...(values.output !== undefined ? [{ name: formats.stdout.name, file: values.output }] : [])])
    err.write(`plumbline: ${t.name} report written to ${t.file}\n`);

  if (values['baseline-write'] !== undefined) {
    writeBaseline(values['baseline-write'], full.findings);
    err.write(`plumbline: baseline of ${full.findings.length} finding(s) written to ${values['baseline-write']}; check with --baseline ${values['baseline-write']} to see only new ones.\n`);
    // Writing a baseline accepts what it records: the gate has nothing left to judge.
    return 0;
  }
  const blocking = report.findings.filter((f) => failing(f.severity, failOn)).length;
  const warnings = report.findings.filter((f) => f.severity !== 'info' && !failing(f.severity, failOn)).length;
  if (maxWarnings !== undefined && warnings > maxWarnings)
    err.write(`plumbline: ${warnings} warning(s) (findings below --fail-on ${failOn}, info excluded) exceed --max-warnings ${maxWarnings}\n`);
  return blocking > 0 || (maxWarnings !== undefined && warnings > maxWarnings) ? 1 : 0;
}

function write(file: string, text: string, format: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write the ${format} report to ${file}: ${(e as Error).message}`);
  }
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
