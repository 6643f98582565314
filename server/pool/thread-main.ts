import { parentPort, workerData } from 'node:worker_threads';
import {
  PROGRESS_RUNNING,
  PROGRESS_STARTED,
  progressStamp,
  type JobBatch,
  type JobMessage,
  type JobResult,
  type VerifyFn,
  type ThreadData,
} from './protocol';
import { ReadBuffers } from './read-buffers';
import { runJobToJson } from './run-job';
import { createVerifier } from './verifier';

/**
 * A verification thread: loads the trust store once, then verifies the jobs the pool sends, in order, and sends
 * the results back in batches. A trust store that fails to load fails every job with its reason, rather than
 * crash-looping the pool.
 */

/** Results sent at once at most; fewer when the queue runs dry or the oldest has waited FLUSH_MS. */
const FLUSH_RESULTS = 24;
const FLUSH_MS = 50;

const init = workerData as ThreadData;
const progress = new Int32Array(init.progress);
let verify: VerifyFn | null = null;
let loadError = '';
function loadVerifier(): void {
  try {
    verify = createVerifier(init.certsDir, init.revocation, init.keepFacts === true);
    loadError = '';
  } catch (err) {
    // A store that no longer loads stops this thread's verifications (each gets INTERNAL), never judges with the old one.
    verify = null;
    loadError = err instanceof Error ? err.message : String(err);
  }
}
loadVerifier();

const reader = new ReadBuffers();
const queue: JobMessage[] = [];
let draining = false;

async function runOne(job: JobMessage): Promise<JobResult> {
  if (!verify) return { id: job.id, error: `trust store: ${loadError}` };
  try {
    return { id: job.id, ...(await runJobToJson(verify, job, init, reader)) };
  } catch (err) {
    return { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
}

async function drain(send: (results: JobResult[]) => void): Promise<void> {
  draining = true;
  let pending: JobResult[] = [];
  let oldest = 0;
  while (queue.length > 0) {
    const job = queue.shift()!;
    // Published before the job starts: should it never end, the pool blames this job and no other.
    Atomics.store(progress, PROGRESS_STARTED, progressStamp(Date.now(), init.epoch));
    Atomics.store(progress, PROGRESS_RUNNING, job.id | 0);
    const result = await runOne(job);
    Atomics.store(progress, PROGRESS_RUNNING, 0);
    if (pending.length === 0) oldest = Date.now();
    pending.push(result);
    if (queue.length === 0 || pending.length >= FLUSH_RESULTS || Date.now() - oldest >= FLUSH_MS) {
      send(pending);
      pending = [];
      // The pool's next jobs arrive as messages, and messages are only read between tasks: yield to let them in.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (pending.length > 0) send(pending);
  draining = false;
}

const port = parentPort;
if (port) {
  const send = (results: JobResult[]): void => port.postMessage({ results });
  port.on('message', (batch: JobBatch) => {
    // Messages arrive in order, so every job sent after the pool changed its registry is verified with it.
    if (batch.registry !== undefined) init.registry = batch.registry ?? undefined;
    if (batch.reloadTrust) loadVerifier();
    queue.push(...batch.jobs);
    if (!draining) void drain(send);
  });
}
