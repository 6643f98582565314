import { logLine } from '../shared/log-line';
import { VerifyPool, type DocumentVerifier, type RevocationSettings } from '../pool/verify-pool';
import { JOBS_PER_THREAD } from '../shared/config';
import type { JobQueue, Store, VerifyJob } from '../shared/types';
import type { BlobStore } from '../shared/blob-store';
import { asVerifyJob, processJob } from './processor';
import { followUnits } from './follow-units';
import { followTrust } from './follow-trust';

/**
 * The queue without Redis: `kiemky serve` verifies its own uploads on a VerifyPool of every core. Same jobs, same
 * processJob, same dedupe by sha256 as BullMQ. Nothing is kept in memory that the Store does not also know: after
 * a crash the reconciler, at the next start, enqueues the rows still pending.
 */

export interface InProcessQueueOptions {
  blobs: BlobStore;
  store: Store;
  /** Default: a VerifyPool of `concurrency` threads on `certsDir`, owned (and closed) by the queue. */
  verifier?: DocumentVerifier;
  certsDir?: string;
  /** Threads of the default VerifyPool. */
  concurrency?: number;
  /** Online revocation for the default VerifyPool. */
  revocation?: RevocationSettings;
  /**
   * Jobs running at once (verifying, waiting for a thread, or storing their report); default the verifier's size ×
   * JOBS_PER_THREAD. More than the threads, so the threads go on while reports are written, and reports finishing
   * together are stored in one transaction.
   */
  jobsInFlight?: number;
  /** Tries of a job whose report could not be stored; then it is left to the reconciler. Default 5. */
  attempts?: number;
  backoffMs?: number;
  log?: (message: string) => void;
}

export class InProcessQueue implements JobQueue {
  private readonly verifier: DocumentVerifier;
  private readonly ownsVerifier: boolean;
  private readonly waiting: VerifyJob[] = [];
  /** Waiting or running, by sha256: what enqueue must not duplicate. */
  private readonly queued = new Set<string>();
  private running = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  /** Attempt number of a job waiting for its retry. */
  private readonly attemptOf = new Map<string, number>();
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly inFlight: number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: InProcessQueueOptions) {
    if (options.verifier) {
      this.verifier = options.verifier;
      this.ownsVerifier = false;
    } else {
      if (!options.certsDir) throw new Error('InProcessQueue needs a verifier or a certsDir');
      this.verifier = new VerifyPool({ certsDir: options.certsDir, jobs: options.concurrency, keepFacts: true, ...(options.revocation ? { revocation: options.revocation } : {}) });
      this.ownsVerifier = true;
    }
    // Documents are verified with the unit registry the store holds now (PUT /api/admin/units, UNITS_FILE).
    this.verifier = followUnits(this.verifier, options.store, (m) => this.log(m));
    // …and with the trust store the certs folder holds now (a root withdrawn, a CRL dropped in).
    if (options.certsDir) this.verifier = followTrust(this.verifier, options.certsDir, (m) => this.log(m));
    this.inFlight = Math.max(this.verifier.size, options.jobsInFlight ?? this.verifier.size * JOBS_PER_THREAD);
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.log = options.log ?? ((m) => process.stderr.write(logLine('queue', m)));
  }

  async enqueue(jobs: VerifyJob[]): Promise<void> {
    if (this.closed) throw new Error('queue closed');
    for (const j of jobs) {
      const job = asVerifyJob(j);
      if (this.queued.has(job.sha256)) continue;
      this.queued.add(job.sha256);
      this.waiting.push(job);
    }
    this.pump();
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.queued.size;
  }

  /** Resolves when nothing is waiting, running or about to be retried. */
  idle(): Promise<void> {
    if (this.queued.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Takes no more jobs and waits for the running ones; the waiting ones stay pending in the Store. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const job of this.waiting.splice(0)) this.queued.delete(job.sha256);
    while (this.running > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    // Jobs that were waiting for a retry are dropped with the timers: the Store still has them pending.
    this.queued.clear();
    this.attemptOf.clear();
    if (this.ownsVerifier) await this.verifier.close();
    this.settle();
  }

  /**
   * Keeps `inFlight` jobs running: the pool is never idle, and memory stays bounded (a job waiting for a thread
   * holds only its blob's path; the rest wait here as a sha256 and a name).
   */
  private pump(): void {
    while (!this.closed && this.running < this.inFlight && this.waiting.length > 0) {
      const job = this.waiting.shift() as VerifyJob;
      const attempt = this.attemptOf.get(job.sha256) ?? 1;
      this.attemptOf.delete(job.sha256);
      this.running++;
      void this.run(job, attempt);
    }
  }

  private async run(job: VerifyJob, attempt: number): Promise<void> {
    let retry = false;
    try {
      await processJob(job, { blobs: this.options.blobs, store: this.options.store, verifier: this.verifier });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      retry = attempt < this.attempts && !this.closed;
      this.log(`${job.fileName} (${job.sha256}): attempt ${attempt} failed: ${message}${retry ? '' : '; left to the reconciler'}`);
    }
    this.running--;
    if (retry) {
      // Off the pool while it waits, so the other documents go on; still in `queued`, so it is not duplicated.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.closed) {
          this.queued.delete(job.sha256);
          this.settle();
          return;
        }
        // Back in line (first), so the retry, too, waits for a free thread.
        this.waiting.unshift(job);
        this.attemptOf.set(job.sha256, attempt + 1);
        this.pump();
      }, this.backoffMs * 2 ** (attempt - 1));
      this.timers.add(timer);
    } else {
      this.queued.delete(job.sha256);
    }
    this.pump();
    this.settle();
  }

  /** Wakes idle() callers once nothing is queued, and close() once nothing runs. */
  private settle(): void {
    if (this.queued.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    if (this.running === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }
}
