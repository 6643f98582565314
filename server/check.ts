import type { DocumentReport } from '../worker/report';
import { errorReport, sha256Hex } from './error-report';
import type { DocumentItem, LoadedJob } from './input/types';
import type { DocumentVerifier } from './pool';
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

export async function checkAll(items: DocumentItem[], pool: DocumentVerifier, onProgress?: ProgressFn): Promise<DocumentReport[]> {
  const reports: DocumentReport[] = new Array<DocumentReport>(items.length);
  const inFlight = Math.max(1, pool.size * 2);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      reports[index] = await checkOne(items[index], pool);
      onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, lane));
  return reports.sort((a, b) => compareFileNames(a.file, b.file));
}
