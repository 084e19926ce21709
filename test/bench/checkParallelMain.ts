// `plumbline check <dir> --workers N` until main.ts takes --workers: the bench
// bundles this file beside dist/cli-worker.js (test/bench/throughput.ts) so
// the workers run from the bundle, as they will under the CLI.
// Usage: node check-parallel.js <dir> <workers> [recycleBytes]
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { collectFiles } from '../../server/src/cli/files';
import { checkParallel } from '../../server/src/cli/parallel';

async function main(): Promise<void> {
  const [dir, workers, recycle] = process.argv.slice(2);
  if (!dir || !workers) throw new Error('usage: check-parallel.js <dir> <workers> [recycleBytes]');
  const cwd = process.cwd();
  const files = collectFiles([dir]);
  let units = 0;
  const roots = statSync(dir).isDirectory() ? [cwd, path.resolve(dir)] : [cwd];
  const report = await checkParallel(files, roots, cwd, undefined, {
    workers: Number(workers),
    onReport: () => units++,
    ...(recycle ? { recycleBytes: Number(recycle) } : {}),
  });
  // The whole report as JSON, as --format json prints it (the CLI's formatter adds rule metadata).
  process.stdout.write(`${JSON.stringify({ version: 1, results: report.findings, failures: report.failures, summary: { files: report.fileCount, units } })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`check-parallel: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
