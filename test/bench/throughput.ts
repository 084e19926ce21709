// npm run bench:cli: files/s, MB/s and peak RSS of `plumbline check` on a
// generated repository (test/bench/workspace.ts), in this thread and on one
// worker thread per core. Each configuration runs as its own process, timed
// from spawn to exit; peak RSS is the process's (worker threads included).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { collectFiles } from '../../server/src/cli/files';
import { RECYCLE_BYTES } from '../../server/src/cli/parallel';
import { generateWorkspace, type WorkspaceStats } from './workspace';

const REPO = path.resolve(__dirname, '..', '..');
const DIST = path.join(REPO, 'dist');
const TF = Number(process.env.THROUGHPUT_TF ?? 2000);
const YAML = Number(process.env.THROUGHPUT_YAML ?? 2000);

export interface Run {
  readonly name: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly files: number;
  readonly megabytes: number;
  readonly filesPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly peakRssMb: number | undefined;
  /** User + system CPU seconds of the process (all its threads): steadier than wall time on a busy machine. */
  readonly cpuSeconds: number | undefined;
  readonly findings: number | undefined;
  /** Set when the process printed no report (a crash, a missing bundle): its times measure nothing. */
  readonly error?: string;
}

/** Runs `node args…` in `cwd`; wall time from spawn to exit, peak RSS from GNU time when present, else /proc polling. */
export async function measureProcess(args: readonly string[], cwd: string): Promise<{ code: number | null; seconds: number; peakRssMb?: number; cpuSeconds?: number; stdout: string; stderr: string }> {
  const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
  const rssFile = path.join(os.tmpdir(), `plumbline-rss-${process.pid}-${Date.now()}.txt`);
  const [cmd, argv] = gnuTime ? ['/usr/bin/time', ['-o', rssFile, '-v', process.execPath, ...args]] : [process.execPath, [...args]];
  const start = performance.now();
  const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polled = 0;
  const poll = gnuTime
    ? undefined
    : setInterval(() => {
        try {
          const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
          if (kb > polled) polled = kb;
        } catch {
          // exited
        }
      }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - start) / 1000;
  if (poll) clearInterval(poll);
  let peakRssMb: number | undefined = polled ? polled / 1024 : undefined;
  let cpuSeconds: number | undefined;
  if (gnuTime && existsSync(rssFile)) {
    const report = readFileSync(rssFile, 'utf8');
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1]);
    if (kb) peakRssMb = kb / 1024;
    const user = Number(/User time \(seconds\): ([\d.]+)/.exec(report)?.[1]);
    const system = Number(/System time \(seconds\): ([\d.]+)/.exec(report)?.[1]);
    if (Number.isFinite(user + system)) cpuSeconds = user + system;
    rmSync(rssFile, { force: true });
  }
  return { code, seconds, ...(peakRssMb !== undefined ? { peakRssMb } : {}), ...(cpuSeconds !== undefined ? { cpuSeconds } : {}), stdout, stderr };
}

/** A runner of checkParallel built from source beside a copy of the bundled worker (dist/cli-worker.js). */
async function bundleRunner(into: string): Promise<string> {
  mkdirSync(into, { recursive: true });
  for (const f of ['cli-worker.js', 'web-tree-sitter.wasm', 'tree-sitter-terraform.wasm']) {
    if (!existsSync(path.join(DIST, f))) throw new Error(`dist/${f} is missing: run npm run build first (npm run bench:cli does)`);
    copyFileSync(path.join(DIST, f), path.join(into, f));
  }
  const out = path.join(into, 'check-parallel.js');
  await build({
    entryPoints: [path.join(__dirname, 'checkParallelMain.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  });
  return out;
}

function row(name: string, command: string, r: Awaited<ReturnType<typeof measureProcess>>, ws: { files: number; bytes: number }): Run {
  let findings: number | undefined;
  try {
    findings = (JSON.parse(r.stdout) as { results: unknown[] }).results.length;
  } catch {
    findings = undefined;
  }
  const failed = findings === undefined || (r.code !== 0 && r.code !== 1);
  return {
    name,
    command,
    exitCode: r.code,
    seconds: r.seconds,
    files: ws.files,
    megabytes: ws.bytes / 1e6,
    filesPerSecond: failed ? NaN : ws.files / r.seconds,
    megabytesPerSecond: failed ? NaN : ws.bytes / 1e6 / r.seconds,
    peakRssMb: r.peakRssMb,
    cpuSeconds: r.cpuSeconds,
    findings,
    ...(failed ? { error: (r.stderr.trim().split('\n')[0] ?? '') || `exit ${r.code} and no JSON report on stdout` } : {}),
  };
}

/** The files `check` analyses under `dir`, and their total size. */
export function analysedFiles(dir: string): { files: number; bytes: number } {
  const files = collectFiles([dir]);
  return { files: files.length, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

export function printTable(title: string, rows: readonly Run[]): void {
  const fmt = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
  console.log(`\n${title}\n`);
  console.log('| configuration | exit | files | MB | seconds | files/s | MB/s | CPU s | peak RSS MB | findings |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.exitCode} | ${r.files} | ${fmt(r.megabytes, 2)} | ${fmt(r.seconds, 2)} | ${fmt(r.filesPerSecond, 0)} | ${fmt(r.megabytesPerSecond, 2)} | ${fmt(r.cpuSeconds, 2)} | ${fmt(r.peakRssMb, 0)} | ${r.findings ?? '—'} |`,
    );
  for (const r of rows.filter((x) => x.error)) console.log(`\n${r.name} FAILED, its times measure nothing: ${r.error}`);
}

export function appendResults(file: string, entry: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
  writeFileSync(file, `${JSON.stringify([...previous, entry], null, 2)}\n`);
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'plumbline-throughput-'));
  try {
    const workspace = path.join(tmp, 'repo');
    const stats: WorkspaceStats = generateWorkspace(workspace, { terraformFiles: TF, yamlFiles: YAML });
    const ws = analysedFiles(workspace);
    const cores = os.availableParallelism();
    console.log(
      `workspace: ${stats.terraformFiles} .tf, ${stats.yamlFiles} YAML, ${stats.otherFiles} tfvars/config; ${ws.files} files analysed, ${(ws.bytes / 1e6).toFixed(2)} MB; ${stats.terraformModules} Terraform modules; ${cores} cores`,
    );
    const runner = await bundleRunner(path.join(tmp, 'bin'));
    const cliHelp = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), '--help'], { encoding: 'utf8' }).stdout;
    const cliHasWorkers = cliHelp.includes('--workers');
    const rows: Run[] = [];
    const run = async (name: string, args: string[], command: string) => {
      const r = await measureProcess(args, workspace);
      if (r.code !== 0 && r.code !== 1) console.error(`${name}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`);
      rows.push(row(name, command, r, ws));
      console.log(`  ${name}: ${r.seconds.toFixed(2)} s`);
    };
    const cli = (workers?: number) => [path.join(DIST, 'cli.js'), 'check', '.', '--format', 'json', ...(workers ? ['--workers', String(workers)] : [])];
    await run('dist/cli.js check (in-process check)', cli(), 'node dist/cli.js check . --format json');
    if (cliHasWorkers) {
      await run('dist/cli.js --workers 1', cli(1), 'node dist/cli.js check . --format json --workers 1');
      await run(`dist/cli.js --workers ${cores}`, cli(cores), `node dist/cli.js check . --format json --workers ${cores}`);
    } else {
      // Until main.ts takes --workers: checkParallel from a bundle beside dist/cli-worker.js.
      await run('checkParallel, 1 worker (this thread)', [runner, '.', '1'], 'check-parallel.js . 1');
      await run('checkParallel, 1 worker, no recycling', [runner, '.', '1', 'Infinity'], 'check-parallel.js . 1 Infinity');
      await run(`checkParallel, ${cores} workers`, [runner, '.', String(cores)], `check-parallel.js . ${cores}`);
      if (cores < 4) await run('checkParallel, 4 workers', [runner, '.', '4'], 'check-parallel.js . 4');
    }
    // The fixed cost of a worker thread: one unit in this thread, and the same unit on one worker.
    const single = path.relative(workspace, stats.sampleYaml);
    const oneFile = { files: 1, bytes: statSync(stats.sampleYaml).size };
    const tiny: Run[] = [];
    for (const [name, workers] of [['1 file, this thread', '1'], ['1 file, one worker thread', '2']] as const) {
      const r = await measureProcess([runner, single, workers], workspace);
      tiny.push(row(name, `check-parallel.js ${single} ${workers}`, r, oneFile));
    }
    printTable(`plumbline check throughput (node ${process.version}, ${cores} cores, load average ${os.loadavg()[0]!.toFixed(1)}, service recycled every ${RECYCLE_BYTES / 1024} KB)`, rows);
    printTable('worker thread start-up cost', tiny);
    const results = path.join(__dirname, 'results', 'throughput.json');
    appendResults(results, {
      date: new Date().toISOString(),
      node: process.version,
      cores,
      cpu: os.cpus()[0]?.model,
      workspace: { ...ws, terraformFiles: stats.terraformFiles, yamlFiles: stats.yamlFiles, otherFiles: stats.otherFiles, terraformModules: stats.terraformModules },
      recycleBytes: RECYCLE_BYTES,
      loadAverage: os.loadavg()[0],
      rows,
      startup: tiny,
    });
    console.log(`\nresults appended to ${path.relative(process.cwd(), results)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module)
  void main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
