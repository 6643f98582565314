import type { DocumentReport } from '../../worker/report';
import { errorReport, sha256Hex } from '../pool/error-report';
import type { DocumentItem, LoadedJob } from '../ingest/types';
import { THREAD_DEPTH, type DocumentVerifier } from '../pool/verify-pool';
import { Gate } from '../shared/gate';
import { compareFileNames } from '../report/summary';

/**
 * Feeds the documents to the pool a few at a time: enough in flight to keep every verification thread busy while the next
 * ZIP entry is read, few enough that a 10 000-entry archive is never held in memory at once.
 */

export type ProgressFn = (done: number, total: number) => void;

async function checkOne(item: DocumentItem, pool: DocumentVerifier): Promise<DocumentReport> {
  let loaded: LoadedJob;
  try {
    loaded = await item.load();
  } catch (err) {
    // The bytes never arrived (a corrupt or encrypted ZIP entry): nothing was read, so the hash is of nothing.
    return errorReport(item.name, sha256Hex(new Uint8Array(0)), 0, 'UNREADABLE', err instanceof Error ? err.message : String(err));
  }
  try {
    return await pool.verify(loaded.job);
  } finally {
    loaded.dispose();
  }
}

/** Documents whose bytes are held in memory (ZIP entries), per thread: each may be up to 64 MB. */
const IN_MEMORY_PER_THREAD = 2;

/** Reports finished ahead of an earlier document still running, at most: beyond it, no new document starts. */
export const MAX_AHEAD = 4096;

export interface CheckEachOptions {
  onProgress?: ProgressFn;
  /** MAX_AHEAD, smaller in tests. */
  maxAhead?: number;
}

/**
 * Verifies every document and hands each report to `onReport` in file-name order (compareFileNames), as soon as
 * every document before it is done, so the caller can write a province's month as it is verified instead of
 * holding all of it. Reports that finish early wait for the ones before them, but no more than `maxAhead` of them:
 * a document that takes its whole time budget pauses the batch rather than let the waiting reports pile up.
 *
 * Should `onReport` throw (the output became unwritable), no further document is started, and the error is
 * thrown once the documents already running have finished.
 */
export async function checkEach(
  items: DocumentItem[],
  pool: DocumentVerifier,
  onReport: (report: DocumentReport) => void,
  options: CheckEachOptions = {},
): Promise<void> {
  const order = [...items].sort((a, b) => compareFileNames(a.name, b.name));
  const maxAhead = Math.max(1, options.maxAhead ?? MAX_AHEAD);
  const inFlight = Math.max(1, pool.size * THREAD_DEPTH);
  const memory = new Gate(Math.max(1, pool.size * IN_MEMORY_PER_THREAD));
  const finished = new Map<number, DocumentReport>();
  let handed = 0;
  let next = 0;
  let done = 0;
  // Set once onReport throws; an object so that the lanes, reading it after each await, see it change.
  const stop: { error?: unknown; failed: boolean } = { failed: false };
  let paused: (() => void)[] = [];
  const resume = (): void => {
    const wake = paused;
    paused = [];
    for (const w of wake) w();
  };
  const handOn = (): void => {
    let report: DocumentReport | undefined;
    while (!stop.failed && (report = finished.get(handed)) !== undefined) {
      finished.delete(handed++);
      try {
        onReport(report);
      } catch (error) {
        stop.failed = true;
        stop.error = error;
      }
    }
    resume();
  };
  const lane = async (): Promise<void> => {
    while (!stop.failed && next < order.length) {
      // The document at `handed` is running in another lane (it was started and is not finished): it will wake us.
      if (next - handed >= maxAhead) {
        await new Promise<void>((wake) => paused.push(wake));
        continue;
      }
      const index = next++;
      const item = order[index];
      // Enough files in flight to keep every thread fed between two batches of results, but never more ZIP entries
      // read into memory than before: their bytes are held from load() until the report comes back.
      if (item.memoryBytes !== undefined) await memory.enter();
      try {
        finished.set(index, await checkOne(item, pool));
      } finally {
        if (item.memoryBytes !== undefined) memory.leave();
      }
      handOn();
      options.onProgress?.(++done, order.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, order.length) }, lane));
  if (stop.failed) throw stop.error;
}
