import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LanguageService, toPath, toUri } from '../service/languageService';
import { ANALYSIS_FAILURE_ID } from '../engine/finding';
import { checkWith, compareFindings, type Report } from './report';

/**
 * What one worker analyses at a time. A Terraform module (the `.tf` files of
 * one directory) is one unit because the service evaluates a module as a
 * whole; other files go in small batches. `config` is the `--config` file's
 * own problems, reported once.
 */
export type Unit = { readonly kind: 'module' | 'files'; readonly files: readonly string[] } | { readonly kind: 'config'; readonly files: readonly [] };

export interface ParallelOptions {
  /** Worker threads; 1 analyses in the calling thread, with no worker at all. */
  readonly workers: number;
  /** Called with each unit's report as soon as it is done (streaming output), in completion order. */
  readonly onReport?: (partial: Report) => void;
  /**
   * Each thread replaces its LanguageService with a fresh one after analysing
   * this many bytes of source (see RECYCLE_BYTES); by default Infinity: one
   * service per thread, which forgets each unit's files once it is done.
   */
  readonly recycleBytes?: number;
}

/** What a worker needs to build its own LanguageService. */
export interface WorkerInit {
  readonly roots: readonly string[];
  readonly cwd: string;
  readonly configFile?: string;
  readonly recycleBytes: number;
}

export type ToWorker = { readonly id: number; readonly unit: Unit };
export type FromWorker = { readonly id: number; readonly report: Report };

/** Non-Terraform files per unit: enough to keep message overhead small, few enough to balance the load. */
const FILE_BATCH = 8;

/**
 * A thread may start a fresh LanguageService after analysing this much
 * source. By default it never does: after each unit the service forgets what
 * it read from disk (`forgetClosed`), which bounds memory by the largest unit
 * without paying for a new service (about 0.3 s: its config schema is
 * compiled anew). A finite value remains available for experiments.
 */
export const RECYCLE_BYTES = Infinity;

/**
 * `check` spread over worker threads: each worker holds its own
 * LanguageService and takes the next unit when it is free (a queue, not a
 * static split, so one large module does not hold up a whole share). The
 * result equals `check`'s: same findings in the same order, same failures.
 */
export async function checkParallel(
  files: readonly string[],
  roots: readonly string[],
  cwd: string,
  configFile: string | undefined,
  options: ParallelOptions,
): Promise<Report> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be a whole number of at least 1, not ${options.workers}`);
  const units = partition(files, configFile);
  const parts: (Report | undefined)[] = new Array(units.length);
  const done = (id: number, report: Report) => {
    parts[id] = report;
    options.onReport?.(report);
  };
  const init: WorkerInit = { roots: [...roots], cwd, ...(configFile ? { configFile } : {}), recycleBytes: options.recycleBytes ?? RECYCLE_BYTES };
  if (options.workers === 1) await inThisThread(units, init, done);
  else if (units.length > 0) await inWorkers(units, init, Math.min(options.workers, units.length), done);
  return mergeReports(parts.map((p) => p!), files, cwd);
}

/** Every file of `files` in exactly one unit, in the order of `files`. */
export function partition(files: readonly string[], configFile?: string): Unit[] {
  const modules = new Map<string, string[]>();
  const units: Unit[] = [];
  let batch: string[] = [];
  for (const file of files) {
    if (file.endsWith('.tf')) {
      const dir = path.dirname(file);
      const members = modules.get(dir);
      if (members) members.push(file);
      else {
        const fresh = [file];
        modules.set(dir, fresh);
        units.push({ kind: 'module', files: fresh });
      }
      continue;
    }
    batch.push(file);
    if (batch.length === FILE_BATCH) {
      units.push({ kind: 'files', files: batch });
      batch = [];
    }
  }
  if (batch.length > 0) units.push({ kind: 'files', files: batch });
  // check() reports a --config file's own problems when the file is not among those checked.
  if (configFile && !files.some((f) => toUri(f) === toUri(path.resolve(configFile)))) units.push({ kind: 'config', files: [] });
  return units;
}

/**
 * One unit's report, never a throw: when the analysis itself throws (not a
 * rule: the engine records those), a batch is retried file by file so the
 * failure lands on the file that caused it, and a module's failure is
 * recorded on its first file.
 */
export function checkUnit(service: LanguageService, unit: Unit, cwd: string, configFile?: string): Report {
  try {
    return checkWith(service, unit.files, cwd, unit.kind === 'config' ? configFile : undefined);
  } catch (e) {
    if (unit.kind === 'files' && unit.files.length > 1) return mergeReports(unit.files.map((f) => checkUnit(service, { kind: 'files', files: [f] }, cwd)), unit.files, cwd);
    const what = unit.kind === 'module' ? `the Terraform module ${relative(cwd, path.dirname(unit.files[0]!))}` : unit.kind === 'config' ? `the config file ${configFile}` : 'the file';
    const error = `analysing ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    return {
      fileCount: unit.files.length,
      findings: [],
      suppressed: [],
      failures: [{ ruleId: ANALYSIS_FAILURE_ID, error, file: relative(cwd, unit.files[0] ?? configFile ?? cwd) }],
    };
  }
}

/**
 * The reports of disjoint sets of `files` as one, as `check` over all of
 * them would give: every array concatenated (so a field added to Report
 * later is carried too), the config file's problems first, then the
 * findings and suppressed findings in `compareFindings` order; rule
 * failures once per rule and error (on the first file in the order of
 * `files`, as `check` keeps them), every analysis failure.
 */
export function mergeReports(parts: readonly Report[], files: readonly string[], cwd: string): Report {
  const order = new Map(files.map((f, i) => [relative(cwd, f), i]));
  const at = (file: string) => order.get(file) ?? -1;
  const arrays = new Map<string, unknown[]>();
  const configProblems: Report['findings'] = [];
  let fileCount = 0;
  for (const part of parts) {
    fileCount += part.fileCount;
    for (const [key, value] of Object.entries(part)) {
      if (!Array.isArray(value)) continue;
      // Only a config unit has no files of its own; its findings are the config file's problems.
      if (key === 'findings' && part.fileCount === 0) configProblems.push(...(value as Report['findings']));
      else {
        const into = arrays.get(key) ?? [];
        for (const item of value as unknown[]) into.push(item);
        arrays.set(key, into);
      }
    }
  }
  const merged = { ...Object.fromEntries(arrays), fileCount } as unknown as Report;
  const findings = [...configProblems, ...(merged.findings ?? []).sort(compareFindings)];
  const suppressed = (merged.suppressed ?? []).sort(compareFindings);
  const failures = (merged.failures ?? []).sort((a, b) => at(a.file) - at(b.file));
  const unique = failures.filter((f, i) => f.ruleId === ANALYSIS_FAILURE_ID || failures.findIndex((x) => x.ruleId === f.ruleId && x.error === f.error) === i);
  return { ...merged, findings, suppressed, failures: unique };
}

/** A file's path as a report names it (relative to `cwd`, forward slashes). */
function relative(cwd: string, file: string): string {
  return path.relative(cwd, toPath(toUri(file))).split(path.sep).join('/');
}

/** The analysis of one thread: units in, reports out, on a LanguageService renewed every `recycleBytes` of source. */
export class UnitRunner {
  private service: Promise<LanguageService> | undefined;
  private bytes = 0;
  /** How many services this runner has created (the bench reports it). */
  services = 0;

  constructor(private readonly init: WorkerInit) {}

  async run(unit: Unit): Promise<Report> {
    if (!this.service || this.bytes >= this.init.recycleBytes) {
      const { roots, configFile } = this.init;
      this.service = LanguageService.create({ roots, ...(configFile ? { configFile } : {}) });
      this.bytes = 0;
      this.services++;
    }
    const service = await this.service;
    const report = checkUnit(service, unit, this.init.cwd, this.init.configFile);
    for (const file of unit.files) this.bytes += sizeOf(file);
    // Memory stays bounded by the largest unit: nothing read for this one is kept.
    service.forgetClosed();
    return report;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The worker loop, run in this thread (workers = 1): simpler to debug, and no thread to start. */
async function inThisThread(units: readonly Unit[], init: WorkerInit, done: (id: number, report: Report) => void): Promise<void> {
  const runner = new UnitRunner(init);
  for (const [id, unit] of units.entries()) done(id, await runner.run(unit));
}

/**
 * How to start a worker: `cli-worker.js` beside the bundle (`dist/cli.js`),
 * or `worker.ts` beside this file when running from source under tsx.
 */
export function workerScript(): { file: string; start: (init: WorkerInit) => Worker } {
  if (__filename.endsWith('.ts')) {
    const file = path.join(__dirname, 'worker.ts');
    // Node 20 loads a worker's entry file through the ESM loader, which the hooks of
    // --import tsx do not reach in a worker (ERR_UNKNOWN_FILE_EXTENSION); a CommonJS
    // bootstrap that installs tsx's require hook first, then requires the entry, works.
    const boot = `require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
    return { file, start: (workerData) => new Worker(boot, { eval: true, workerData }) };
  }
  const file = path.join(__dirname, 'cli-worker.js');
  return { file, start: (workerData) => new Worker(file, { workerData }) };
}

function inWorkers(units: readonly Unit[], init: WorkerInit, count: number, done: (id: number, report: Report) => void): Promise<void> {
  const { file, start } = workerScript();
  if (!existsSync(file)) return Promise.reject(new Error(`the worker script ${file} is missing: rebuild with npm run build (esbuild.mjs writes dist/cli-worker.js beside dist/cli.js)`));
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let over = false;
    const pool: Worker[] = [];
    const end = (error?: Error) => {
      if (over) return;
      over = true;
      // terminate() also ends workers that are mid-unit; wait for all before settling.
      void Promise.all(pool.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve()));
    };
    const feed = (worker: Worker, busy: { id: number }) => {
      if (next >= units.length) return;
      busy.id = next++;
      worker.postMessage({ id: busy.id, unit: units[busy.id]! } satisfies ToWorker);
    };
    for (let i = 0; i < count; i++) {
      const worker = start(init);
      const busy = { id: -1 };
      pool.push(worker);
      worker.on('message', (m: FromWorker) => {
        if (over) return;
        done(m.id, m.report);
        busy.id = -1;
        if (++finished === units.length) end();
        else feed(worker, busy);
      });
      const where = () => (busy.id >= 0 ? ` while analysing ${describe(units[busy.id]!, init)}` : '');
      worker.on('error', (e) => end(new Error(`a worker thread crashed${where()}: ${e.message}`, { cause: e })));
      worker.on('exit', (code) => end(new Error(`a worker thread exited with code ${code}${where()}; nothing was reported for the files it had not finished`)));
      feed(worker, busy);
    }
  });
}

function describe(unit: Unit, init: WorkerInit): string {
  if (unit.kind === 'config') return `the config file ${init.configFile}`;
  const first = relative(init.cwd, unit.files[0]!);
  return unit.kind === 'module' ? `the Terraform module ${path.posix.dirname(first)}` : unit.files.length > 1 ? `${first} and ${unit.files.length - 1} more files` : first;
}

/** The default worker count: one per core the process may use. */
export function defaultWorkers(): number {
  return os.availableParallelism();
}
