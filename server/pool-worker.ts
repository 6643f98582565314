import { parentPort, workerData } from 'node:worker_threads';
import type { JobMessage, ResultMessage, VerifyFn, WorkerInit } from './pool-protocol';
import { ReadBuffers } from './read-buffers';
import { runJobToJson } from './run-job';
import { createVerifier } from './verifier';

/**
 * A verification thread: loads the trust store once, then verifies one job at a time as the pool sends them.
 * A trust store that fails to load fails every job with its reason, rather than crash-looping the pool.
 */

const init = workerData as WorkerInit;
let verify: VerifyFn | null = null;
let loadError = '';
try {
  verify = createVerifier(init.certsDir);
} catch (err) {
  loadError = err instanceof Error ? err.message : String(err);
}

const reader = new ReadBuffers();
const port = parentPort;
if (port) {
  port.on('message', (job: JobMessage) => {
    const reply = (message: ResultMessage): void => port.postMessage(message);
    if (!verify) {
      reply({ id: job.id, error: `trust store: ${loadError}` });
      return;
    }
    runJobToJson(verify, job, init, reader).then(
      (reportJson) => reply({ id: job.id, reportJson }),
      (err: unknown) => reply({ id: job.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
