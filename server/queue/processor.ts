import { isSha256Hex } from '../store/blobs';
import { errorReport } from '../pool/error-report';
import type { DocumentVerifier } from '../pool/verify-pool';
import type { FactsStore, Store, VerifyJob } from '../shared/types';
import { factsOf } from '../pool/facts-channel';
import { judgedWithKey } from '../pool/rejudge';
import type { BlobStore } from '../shared/blob-store';

/**
 * One verification job, whichever queue carried it: read the blob, verify it, store the report. Every outcome
 * of the document itself (unreadable, not a PDF, hung, crashed the core, over its time or memory budget) becomes a
 * report, so the batch rows always complete; only a failure to store (the database down) throws, and the queue
 * retries it. A report the database refuses for what it holds (a value PostgreSQL cannot store, a report too large)
 * would be refused on every retry: an error report saying so is stored in its place.
 *
 * The reconciler's jobs (skipIfVerified) look for a stored report first: a job that finished between the
 * reconciler's look at the pending rows and its enqueue is forgotten by the queue, so the enqueue makes a new job
 * for a document already verified. That one only completes the rows still waiting for it, if any.
 */

export interface ProcessorDeps {
  blobs: BlobStore;
  store: Store;
  verifier: DocumentVerifier;
}

/** The store's facts side, when it has one (SqlStore does; the tests' fakes of Store do not). */
export function factsStoreOf(store: Store): FactsStore | null {
  const s = store as Store & Partial<FactsStore>;
  return typeof s.saveFacts === 'function' && typeof s.factsPage === 'function' ? (s as Store & FactsStore) : null;
}

/** A job's data comes from Redis: check its shape before a sha256 becomes a path. */
export function asVerifyJob(data: unknown): VerifyJob {
  const d = data as Partial<VerifyJob> | null;
  if (!d || typeof d.sha256 !== 'string' || !isSha256Hex(d.sha256)) throw new Error(`bad verify job: ${JSON.stringify(data)}`);
  const job: VerifyJob = { sha256: d.sha256, fileName: typeof d.fileName === 'string' && d.fileName ? d.fileName : d.sha256 };
  if (d.skipIfVerified === true) job.skipIfVerified = true;
  return job;
}

export async function processJob(job: VerifyJob, deps: ProcessorDeps): Promise<void> {
  const { sha256, fileName } = job;
  if (job.skipIfVerified && (await deps.store.completeFromStoredReport(sha256))) return;
  let report;
  if (!(await deps.blobs.has(sha256))) {
    // Blobs are written before any job names them, so this is a lost disk or a wrong DATA_DIR on this worker:
    // an error report completes the rows (and says so) instead of a job retried forever.
    report = errorReport(fileName, sha256, 0, 'UNREADABLE', `no stored file for sha256 ${sha256}`);
  } else {
    report = await deps.verifier.verify({ fileName, path: deps.blobs.pathOf(sha256) });
    if (report.sha256 !== sha256) {
      // The bytes on disk are not the ones named (bit rot, a hand-edited store): their report would be filed
      // under another document's hash.
      report = errorReport(fileName, sha256, report.size, 'UNREADABLE', `stored file does not match its sha256 (${report.sha256})`);
    }
  }
  try {
    await deps.store.saveDocumentReport(sha256, report);
  } catch (err) {
    if (!refusedForItsContent(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    // Should this small report fail too, the database itself is the problem: the original error is retried.
    await deps.store.saveDocumentReport(sha256, errorReport(report.file, sha256, report.size, 'INTERNAL', `the report could not be stored: ${reason}`)).catch(() => {
      throw err;
    });
    return;
  }
  // The facts after the report (and only with the report they were judged into): a crash in between leaves a report
  // that cannot be judged again until its document is verified again, never facts without a report.
  const facts = factsOf(report);
  const factsStore = factsStoreOf(deps.store);
  if (facts && factsStore) {
    const w = report.judgedWith;
    await factsStore.saveFacts(sha256, facts, w ? new Date(w.at) : new Date(), report, w ? judgedWithKey(w) : null);
  }
}

/**
 * A save that fails because of the report, and would fail the same way every time: PostgreSQL's data exceptions
 * (SQLSTATE class 22, e.g. 22P05 for a NUL character in a text) and program limits (class 54), or a report too
 * large to serialize (RangeError). Connection and server failures are anything else, and pass.
 */
export function refusedForItsContent(err: unknown): boolean {
  if (err instanceof RangeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}
