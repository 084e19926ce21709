// npm run bench: per-edit latency of the bundled server over stdio, and
// @cdktf/hcl2json parsing the same Terraform text in the same run.
import { parse as hcl2json } from '@cdktf/hcl2json';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../lsp/client';
import { kubernetesDocuments, terraformOfLines } from './generate';

const EDITS = Number(process.env.BENCH_EDITS ?? 60);
const HCL2JSON_RUNS = Number(process.env.BENCH_HCL2JSON_RUNS ?? 15);

interface Row {
  name: string;
  lines: number;
  bytes: number;
  openMs: number;
  editP50Ms: number;
  editP95Ms: number;
  hcl2jsonMs?: number;
  ratio?: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(client: LspClient, dir: string, name: string, file: string, text: string): Promise<Row> {
  const uri = pathToFileURL(path.join(dir, file)).toString();
  const lines = text.split('\n');
  const t0 = performance.now();
  await client.open(uri, text);
  const openMs = performance.now() - t0;
  // One-line edits in the middle of the file: retype a value, alternating two texts.
  const target = lines.findIndex((l, i) => i > lines.length / 2 && /(status|image_tag_mutability|memory|cpu)\s*[:=]/.test(l));
  const line = lines[target]!;
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const replacement = i % 2 === 0 ? line.replace(/"?[A-Za-z0-9]+"?\s*$/, (m) => m.replace(/[A-Za-z0-9]+/, (w) => `${w}x`)) : line;
    const start = performance.now();
    const version = await client.change(uri, [
      { range: { start: { line: target, character: 0 }, end: { line: target, character: lines[target]!.length } }, text: replacement },
    ]);
    lines[target] = replacement;
    await client.diagnostics(uri, version);
    times.push(performance.now() - start);
  }
  return {
    name,
    lines: text.split('\n').length,
    bytes: Buffer.byteLength(text),
    openMs,
    editP50Ms: percentile(times.slice(5), 50),
    editP95Ms: percentile(times.slice(5), 95),
  };
}

async function hcl2jsonMs(text: string): Promise<number> {
  await hcl2json('warmup.tf', 'a = 1\n'); // initialisation is not parse time
  const times: number[] = [];
  for (let i = 0; i < HCL2JSON_RUNS; i++) {
    const t = performance.now();
    await hcl2json('bench.tf', text);
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
}

async function main(): Promise<void> {
  const dir = path.join(os.tmpdir(), `plumbline-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const cases = [
    { name: 'terraform small', file: 'small.tf', text: terraformOfLines(50) },
    { name: 'terraform medium', file: 'medium/main.tf', text: terraformOfLines(500) },
    { name: 'terraform large', file: 'large/main.tf', text: terraformOfLines(5000) },
    { name: 'kubernetes 50 docs', file: 'k8s.yaml', text: kubernetesDocuments(50) },
  ];
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it exits.
  const profileDir = process.env.BENCH_CPU_PROF;
  const client = await LspClient.start(dir, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : []);
  const rows: Row[] = [];
  try {
    // BENCH_ONLY=<text>: only the cases whose name contains it (for profiling one case).
    for (const c of cases.filter((x) => !process.env.BENCH_ONLY || x.name.includes(process.env.BENCH_ONLY))) {
      const row = await measure(client, dir, c.name, c.file, c.text);
      if (c.file.endsWith('.tf')) {
        row.hcl2jsonMs = await hcl2jsonMs(c.text);
        row.ratio = row.editP50Ms / row.hcl2jsonMs;
      }
      rows.push(row);
    }
  } finally {
    await client.stop();
  }
  const cold = process.env.BENCH_ONLY ? undefined : await coldStart(dir);
  const fmt = (n: number | undefined, d = 2) => (n === undefined ? '—' : n.toFixed(d));
  console.log(`\nPlumbline bench (${EDITS} one-line edits per file, node ${process.version}, ${os.cpus().length} cores)\n`);
  console.log('| file | lines | open→diagnostics ms | edit p50 ms | edit p95 ms | hcl2json parse ms | ours p50 / hcl2json |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.name} | ${r.lines} | ${fmt(r.openMs)} | ${fmt(r.editP50Ms)} | ${fmt(r.editP95Ms)} | ${fmt(r.hcl2jsonMs)} | ${fmt(r.ratio, 3)} |`);

  if (cold) {
    console.log(`\nCold start, server spawn to first diagnostics of an open 66-line file, median of ${cold.runs} starts each:`);
    console.log(`  with the V8 code cache (every start after the first): ${fmt(cold.medianMs)} ms (min ${fmt(cold.minMs)}, max ${fmt(cold.maxMs)})`);
    console.log(`  empty code cache (first start after an install or update): ${fmt(cold.emptyCache.medianMs)} ms (min ${fmt(cold.emptyCache.minMs)}, max ${fmt(cold.emptyCache.maxMs)})`);
  }

  const resultsDir = path.join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const latest = path.join(resultsDir, 'latest.json');
  if (existsSync(latest)) {
    const previous = JSON.parse(readFileSync(latest, 'utf8')) as { rows: Row[] };
    console.log('\nChange against the previous run (edit p50):');
    for (const r of rows) {
      const p = previous.rows.find((x) => x.name === r.name);
      if (p) console.log(`  ${r.name}: ${fmt(p.editP50Ms)} → ${fmt(r.editP50Ms)} ms (${(((r.editP50Ms - p.editP50Ms) / p.editP50Ms) * 100).toFixed(0)}%)`);
    }
    writeFileSync(path.join(resultsDir, 'previous.json'), readFileSync(latest));
  }
  if (previousCold(latest) !== undefined && cold) console.log(`  cold start (code cache written): ${fmt(previousCold(latest))} → ${fmt(cold.medianMs)} ms`);
  writeFileSync(latest, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, ...(cold ? { coldStart: cold } : {}) }, null, 2));
  console.log(`\nresults: ${path.relative(process.cwd(), latest)}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);

interface ColdStats {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * Server start (process spawn) to the first diagnostics of a file opened right after initialize, median of
 * several starts, measured twice: with the V8 code cache the server writes (every start but the first after an
 * install or update: `medianMs`), and with an empty one (that first start: `emptyCache`). Each series has its
 * own cache directory (PLUMBLINE_CACHE_DIR), so what ~/.cache holds does not change the result; the two
 * series alternate, so a change in the machine's load touches both alike.
 */
async function coldStart(dir: string): Promise<ColdStats & { emptyCache: ColdStats }> {
  const uri = pathToFileURL(path.join(dir, 'cold.tf')).toString();
  const text = terraformOfLines(50);
  const savedCacheDir = process.env.PLUMBLINE_CACHE_DIR;
  const start = async (cacheDir: string): Promise<number> => {
    process.env.PLUMBLINE_CACHE_DIR = cacheDir; // the server inherits this process's environment
    const t0 = performance.now();
    const client = await LspClient.start(dir);
    try {
      await client.open(uri, text); // resolves with the file's first diagnostics
      return performance.now() - t0;
    } finally {
      await client.stop(); // the first start with a cache directory writes the cache as it exits
    }
  };
  // mkdtemp makes each directory 0700 and ours, as the server requires of a cache directory.
  const cacheDirs: string[] = [];
  const newCacheDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'plumbline-bench-cache-'));
    cacheDirs.push(d);
    return d;
  };
  const warmDir = newCacheDir();
  const warm: number[] = [];
  const empty: number[] = [];
  try {
    await start(warmDir); // writes the cache the warm starts use
    for (let i = 0; i < COLD_RUNS; i++) {
      empty.push(await start(newCacheDir()));
      warm.push(await start(warmDir));
    }
  } finally {
    if (savedCacheDir === undefined) delete process.env.PLUMBLINE_CACHE_DIR;
    else process.env.PLUMBLINE_CACHE_DIR = savedCacheDir;
    cacheDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
  const stats = (times: number[]): ColdStats => ({ runs: times.length, medianMs: percentile(times, 50), minMs: Math.min(...times), maxMs: Math.max(...times) });
  return { ...stats(warm), emptyCache: stats(empty) };
}

function previousCold(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { coldStart?: { medianMs: number } }).coldStart?.medianMs;
}

