import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { logLine } from '../shared/log-line';
import type { JobQueue, ServiceConfig, VerifyJob } from '../shared/types';
import { asVerifyJob, processJob, type ProcessorDeps } from './processor';

/**
 * The queue on Redis (BullMQ): the API enqueues, any number of `kiemky worker` processes on any machines verify.
 * Redis holds only work in flight; the truth (which documents are still pending) is in the Store, and the
 * reconciler re-enqueues from there, so a job lost with Redis costs a re-verification, never a document.
 *
 * BullMQ loads the `ioredis` driver itself from the connection options below (it is an optional peer of bullmq 6).
 */

export const QUEUE_NAME = 'kiemky-verify';
const JOB_NAME = 'verify';

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1_000;

export type BullQueueConfig = Pick<ServiceConfig, 'queuePrefix'> & { redisUrl: string };

export interface BullQueueOptions {
  attempts?: number;
  /** First retry delay; each next one doubles (exponential backoff). */
  backoffMs?: number;
  log?: (message: string) => void;
}

/**
 * ioredis settings for a connection that must outlive a Redis restart: commands wait for the reconnection instead
 * of failing (BullMQ requires that of a worker's blocking connection), and reconnection is retried forever at a
 * capped interval rather than ioredis's default growing one, so workers are back within seconds of Redis.
 */
export function redisConnection(redisUrl: string): ConnectionOptions {
  return {
    url: redisUrl,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(250 * times, 2_000),
    // A failover makes the old primary read-only: reconnect to find the new one instead of failing every write.
    reconnectOnError: (err: Error) => err.message.startsWith('READONLY'),
  };
}

const defaultLog = (message: string): void => {
  process.stderr.write(logLine('queue', message));
};

export class BullQueue implements JobQueue {
  readonly queue: Queue;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(cfg: BullQueueConfig, options: BullQueueOptions = {}) {
    this.attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.queue = new Queue(QUEUE_NAME, { connection: redisConnection(cfg.redisUrl), prefix: cfg.queuePrefix });
    const log = options.log ?? defaultLog;
    // An EventEmitter 'error' without a listener would throw and take the process down on a Redis blip.
    this.queue.on('error', (err: Error) => log(`queue connection: ${err.message}`));
  }

  /**
   * jobId = sha256: BullMQ ignores an add whose id is waiting, active or delayed, so the same document in two
   * batches (or re-enqueued by the reconciler) is verified once. Finished jobs are removed at once, so a later
   * re-enqueue (a document whose report was lost, a new trust store) is not blocked by an old completed id.
   */
  async enqueue(jobs: VerifyJob[]): Promise<void> {
    const seen = new Set<string>();
    const bulk = [];
    for (const j of jobs) {
      const job = asVerifyJob(j);
      if (seen.has(job.sha256)) continue;
      seen.add(job.sha256);
      bulk.push({
        name: JOB_NAME,
        data: job,
        opts: {
          jobId: job.sha256,
          attempts: this.attempts,
          backoff: { type: 'exponential', delay: this.backoffMs },
          removeOnComplete: true,
          // A job out of attempts is dropped too: its rows are still pending in the Store and the reconciler
          // enqueues it again later (after the database or the disk that made it fail is back).
          removeOnFail: true,
        },
      });
    }
    // In slices: one addBulk is one MULTI, and 10 000 documents in one transaction would stall Redis for others.
    for (let i = 0; i < bulk.length; i += 500) await this.queue.addBulk(bulk.slice(i, i + 500));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface BullWorkerOptions {
  /** How often a worker looks for jobs whose worker died (lock expired). Default 30 s; tests use ~1 s. */
  stalledIntervalMs?: number;
  /** A job's lock lifetime, renewed at half of it while the job runs. Default 30 s. */
  lockDurationMs?: number;
  /** Stalls a job survives before it fails (then the reconciler takes over). At least 2. Default 3. */
  maxStalledCount?: number;
  log?: (message: string) => void;
}

/**
 * `jobsInFlight` is the BullMQ worker's concurrency: jobs held active at once, more than the verifier's threads (the
 * rest wait in its queue). Their locks are all renewed by the worker's one timer (every lockDuration / 2), whether
 * a job is being verified or waiting for a thread, so a job stalls only when its process stops — not when it waits
 * behind slow documents.
 */
export type BullWorkerConfig = Pick<ServiceConfig, 'queuePrefix' | 'jobsInFlight'> & { redisUrl: string };

export interface BullWorkerHandle {
  readonly worker: Worker;
  /** Stops taking jobs, lets the running ones finish and be acknowledged, then disconnects. */
  close(): Promise<void>;
}

export async function startBullWorker(cfg: BullWorkerConfig, deps: ProcessorDeps, options: BullWorkerOptions = {}): Promise<BullWorkerHandle> {
  const log = options.log ?? defaultLog;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      await processJob(asVerifyJob(job.data), deps);
    },
    {
      connection: redisConnection(cfg.redisUrl),
      prefix: cfg.queuePrefix,
      concurrency: cfg.jobsInFlight,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      lockDuration: options.lockDurationMs ?? 30_000,
      // A killed worker stalls its jobs once; a job that itself kills workers is given a few tries, then failed
      // (and left to the reconciler) instead of taking the fleet down one worker at a time forever.
      maxStalledCount: Math.max(2, options.maxStalledCount ?? 3),
      autorun: false,
    },
  );
  worker.on('error', (err: Error) => log(`worker: ${err.message}`));
  worker.on('failed', (job: Job | undefined, err: Error) => {
    log(`job ${job?.id ?? '?'} (${(job?.data as Partial<VerifyJob> | undefined)?.fileName ?? '?'}) failed, attempt ${job?.attemptsMade ?? '?'}: ${err.message}`);
  });
  // run() resolves only when the worker closes; its rejection (a fatal start error) is logged, not left unhandled.
  const running = worker.run().catch((err: unknown) => log(`worker stopped: ${err instanceof Error ? err.message : String(err)}`));
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      await running;
    },
  };
}
