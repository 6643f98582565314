import type { DocumentReport } from '../worker/report';
import { errorReport, sha256Hex } from './error-report';
import type { DocumentItem, LoadedJob } from './input/types';
import { JOBS_PER_THREAD, type DocumentVerifier } from './pool';
import { Gate } from './gate';
import { compareFileNames } from './report/summary';

/**
 * Feeds the documents to the pool a few at a time: enough in flight to keep every worker busy while the next
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

export async function checkAll(items: DocumentItem[], pool: DocumentVerifier, onProgress?: ProgressFn): Promise<DocumentReport[]> {
  const reports: DocumentReport[] = new Array<DocumentReport>(items.length);
  const inFlight = Math.max(1, pool.size * JOBS_PER_THREAD);
  const memory = new Gate(Math.max(1, pool.size * IN_MEMORY_PER_THREAD));
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      // Enough files in flight to keep every worker fed between two batches of results, but never more ZIP entries
      // read into memory than before: their bytes are held from load() until the report comes back.
      if (item.memoryBytes !== undefined) await memory.enter();
      try {
        reports[index] = await checkOne(item, pool);
      } finally {
        if (item.memoryBytes !== undefined) memory.leave();
      }
      onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, lane));
  return reports.sort((a, b) => compareFileNames(a.file, b.file));
}
