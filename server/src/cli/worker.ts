// The worker thread of `checkParallel` (bundled as dist/cli-worker.js): it
// takes one unit at a time from the main thread and answers with its report.
import { parentPort, workerData } from 'node:worker_threads';
import { UnitRunner, type FromWorker, type ToWorker, type WorkerInit } from './parallel';

const runner = new UnitRunner(workerData as WorkerInit);
// The main thread sends the next unit only after this one's answer, so runs never overlap.
// A throw here (the service cannot be created) is a worker error: checkParallel rejects with it.
parentPort!.on('message', (message: ToWorker) => {
  void runner.run(message.unit).then((report) => parentPort!.postMessage({ id: message.id, report } satisfies FromWorker));
});
