import type { ByteSource } from '../../worker/source';
import type { DocumentReport } from '../../worker/report';
import type { UnitRegistry, VerifyOptions } from '../../worker/verify';

/** What the verification pool and its threads say to each other, and the one function they run. */

/** verifyDocument with its trust store already bound: what a thread holds once it has loaded the store. */
export type VerifyFn = (source: ByteSource, options: VerifyOptions) => Promise<DocumentReport>;

/** A document to verify: a file on disk, or bytes already in memory (a ZIP entry). */
export type Job =
  | { fileName: string; path: string }
  | {
      fileName: string;
      data: Buffer;
      /** Known when the bytes were hashed while they were read; saves hashing them again for an error report. */
      sha256?: string;
    };

/** `online`: fetch CRLs and OCSP responses named by the certificates, cached in `cacheDir` (server/pool/revocation). */
export interface RevocationSettings {
  mode: 'online' | 'offline';
  cacheDir: string;
  /** Per source; default 5 s. */
  timeoutMs?: number;
}

export interface ThreadInit {
  certsDir: string;
  /** Absent or offline: only the revocation data the documents and the trust store carry. */
  revocation?: RevocationSettings;
  /** Keep each document's facts record with its report (the service: to judge them again later). */
  keepFacts?: boolean;
  registry?: UnitRegistry;
  timeBudgetMs: number;
}

/** A job on its way to a thread: a buffer travels as a transferred Uint8Array. */
export type JobMessage = { id: number; fileName: string; path: string } | { id: number; fileName: string; data: Uint8Array };

/**
 * A report travels as JSON text: structured-cloning the nested report cost the thread a fifth of a document's time,
 * while the main thread, which parses it, is mostly idle.
 */
export type JobResult = { id: number; reportJson: string; factsJson?: string } | { id: number; error: string };

/**
 * Jobs and results travel in batches, in the order the thread runs them: a message per document each way woke the
 * other thread two thousand times for a folder of two thousand, on cores the verification needed.
 */
export interface JobBatch {
  jobs: JobMessage[];
  /** A new unit registry for this batch's jobs and every later one (null: none); absent: unchanged. */
  registry?: UnitRegistry | null;
  /** The certs folder changed: load the trust store again before this batch's jobs. */
  reloadTrust?: true;
}
export interface ResultBatch {
  results: JobResult[];
}

/**
 * What a thread publishes in shared memory, readable while it is stuck in a job: the id of the job it is running
 * (as an Int32, `id | 0`; 0 between jobs, an id the pool never hands out) and when that job started, in
 * milliseconds after `epoch`. A thread holding results it has not sent yet can then still be told apart from the
 * job that hangs it.
 */
export const PROGRESS_RUNNING = 0;
export const PROGRESS_STARTED = 1;
export const PROGRESS_SLOTS = 2;

/**
 * Milliseconds since `epoch` as an Int32 slot holds them: modulo 2^32. A service process's thread lives for months, longer
 * than 2^31 ms (24.8 days); differences of two such stamps stay right for any span shorter than that.
 */
export function progressStamp(now: number, epoch: number): number {
  return (now - epoch) | 0;
}

/** Milliseconds from stamp `started` to stamp `now`, across the wrap. */
export function progressElapsed(nowStamp: number, started: number): number {
  return (nowStamp - started) | 0;
}

/** A thread's workerData. */
export interface ThreadData extends ThreadInit {
  /** PROGRESS_SLOTS Int32 slots. */
  progress: SharedArrayBuffer;
  /** Date.now() when the thread was started; PROGRESS_STARTED counts from it. */
  epoch: number;
}
