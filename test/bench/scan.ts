// The language server's workspace scan ("Plumbline: Analyse Workspace") on
// the generated repository of test/bench/workspace.ts, over stdio as an
// editor drives it: time to the first diagnostics of a file opened as the
// scan starts, time for the whole scan, MB/s, the $/progress notifications,
// and the server's resident memory after the scan.
// Run: npm run build && tsx test/bench/scan.ts (SCAN_CPU_PROF=<dir> writes
// and summarises a CPU profile of the server).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import { ANALYZE_WORKSPACE_REQUEST, type AnalyzeWorkspaceResult } from '../../server/src/protocol';
import { SERVER } from '../lsp/client';
import { analysedFiles, appendResults } from './throughput';
import { generateWorkspace } from './workspace';

const TF = Number(process.env.THROUGHPUT_TF ?? 2000);
const YAML = Number(process.env.THROUGHPUT_YAML ?? 2000);

export interface ScanResult {
  readonly files: number;
  readonly megabytes: number;
  readonly scannedFiles: number;
  readonly findings: number;
  readonly firstDiagnosticsOfOpenFileMs: number;
  /** When the first diagnostics of a file the scan analysed arrived (results stream in). */
  readonly firstScanDiagnosticsMs: number;
  readonly scanSeconds: number;
  readonly filesPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly progress: { begin: number; report: number; end: number; lastMessage: string | undefined };
  /** Files with diagnostics published by the time 25%, 50% and 75% of the scan time had passed. */
  readonly publishedAt: readonly number[];
  readonly rssAfterScanMb: number;
  readonly rssAfterIdleMb: number;
  readonly peakRssMb: number;
}

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

export async function measureScan(workspace: string, openFile: string, nodeArgs: readonly string[] = []): Promise<ScanResult> {
  const ws = analysedFiles(workspace);
  const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const progress = { begin: 0, report: 0, end: 0, lastMessage: undefined as string | undefined };
  const published = new Map<string, number>(); // uri → time of its first diagnostics
  let start = 0;
  const openUri = pathToFileURL(openFile).toString();
  let openResolve: (ms: number) => void = () => undefined;
  const openDiagnostics = new Promise<number>((resolve) => (openResolve = resolve));
  // An editor that shows progress says so at initialize and answers the server's request to create it.
  connection.onRequest(WorkDoneProgressCreateRequest.method, () => null);
  connection.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => {
    if (p.value.kind === 'begin' || p.value.kind === 'report' || p.value.kind === 'end') progress[p.value.kind]++;
    if (p.value.message) progress.lastMessage = p.value.message;
  });
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const now = performance.now() - start;
    if (p.uri === openUri && p.version === 1) openResolve(now);
    else if (!published.has(p.uri)) published.set(p.uri, now);
  });
  connection.listen();
  try {
    const rootUri = pathToFileURL(workspace).toString();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(workspace) }],
      capabilities: { window: { workDoneProgress: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    start = performance.now();
    // The user runs "Analyse Workspace" and, while it runs, opens a file.
    const scan = connection.sendRequest(ANALYZE_WORKSPACE_REQUEST) as Promise<AnalyzeWorkspaceResult>;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: openUri, languageId: 'terraform', version: 1, text: readFileSync(openFile, 'utf8') },
    });
    const result = await scan;
    const scanMs = performance.now() - start;
    const openMs = await openDiagnostics;
    const after = memoryOf(child.pid!);
    await new Promise((r) => setTimeout(r, 3000)); // idle: what the editor lives with afterwards
    const idle = memoryOf(child.pid!);
    const times = [...published.values()];
    return {
      files: ws.files,
      megabytes: ws.bytes / 1e6,
      scannedFiles: result.files,
      findings: result.findings,
      firstDiagnosticsOfOpenFileMs: openMs,
      firstScanDiagnosticsMs: Math.min(...times),
      scanSeconds: scanMs / 1000,
      filesPerSecond: result.files / (scanMs / 1000),
      megabytesPerSecond: ws.bytes / 1e6 / (scanMs / 1000),
      progress,
      publishedAt: [0.25, 0.5, 0.75].map((q) => times.filter((t) => t <= q * scanMs).length),
      rssAfterScanMb: after.rss,
      rssAfterIdleMb: idle.rss,
      peakRssMb: idle.hwm,
    };
  } catch (e) {
    throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr.join('').slice(0, 4000)}`);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    await exited;
    connection.dispose();
  }
}

/** Self time by function in a V8 CPU profile, the `top` heaviest. */
export function hotSpots(profileFile: string, top = 25): { fn: string; selfMs: number; percent: number }[] {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, selfMs: us / 1000, percent: (us / total) * 100 }));
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'plumbline-scan-'));
  try {
    const workspace = path.join(tmp, 'repo');
    const stats = generateWorkspace(workspace, { terraformFiles: TF, yamlFiles: YAML });
    const profileDir = process.env.SCAN_CPU_PROF ? path.resolve(process.env.SCAN_CPU_PROF) : undefined;
    // Source maps make the profile name our files, not the bundle's lines.
    const nodeArgs = profileDir ? ['--enable-source-maps', '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const r = await measureScan(workspace, stats.sampleTerraform, nodeArgs);
    console.log(`\nPlumbline workspace scan over stdio (node ${process.version}, ${os.availableParallelism()} cores)\n`);
    console.log('| files | MB | scan s | files/s | MB/s | open file → diagnostics ms | first scan diagnostics ms | published at 25/50/75% | $/progress begin/report/end | RSS after scan MB | RSS idle MB | peak RSS MB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${r.scannedFiles} | ${r.megabytes.toFixed(2)} | ${r.scanSeconds.toFixed(2)} | ${r.filesPerSecond.toFixed(0)} | ${r.megabytesPerSecond.toFixed(2)} | ${r.firstDiagnosticsOfOpenFileMs.toFixed(0)} | ${r.firstScanDiagnosticsMs.toFixed(0)} | ${r.publishedAt.join('/')} | ${r.progress.begin}/${r.progress.report}/${r.progress.end} | ${r.rssAfterScanMb.toFixed(0)} | ${r.rssAfterIdleMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} |`,
    );
    console.log(`targets: ≥ 5 MB/s (${r.megabytesPerSecond >= 5 ? 'met' : 'missed'}), < 200 MB resident after the scan (${r.rssAfterScanMb < 200 ? 'met' : 'missed'})`);
    appendResults(path.join(__dirname, 'results', 'scan.json'), {
      date: new Date().toISOString(),
      node: process.version,
      cores: os.availableParallelism(),
      loadAverage: os.loadavg()[0],
      cpuProfiled: !!profileDir,
      ...r,
    });
    if (profileDir) {
      const latest = readdirSync(profileDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(profileDir, f))
        .sort()
        .at(-1);
      if (latest) {
        console.log(`\nhot spots (self time) in ${latest}:`);
        for (const h of hotSpots(latest)) console.log(`  ${h.percent.toFixed(1).padStart(5)}%  ${h.selfMs.toFixed(0).padStart(6)} ms  ${h.fn}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module)
  void main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
