import { Gatherer } from '../shared/gather';
import type { JobQueue, Store, VerifyJob } from '../shared/types';
import type { IngestedItem } from './ingest';

/**
 * Enqueues an upload's documents while the rest of it is still being stored (Ingest's onDurable), so the workers
 * verify the first documents of a month while its last ones are being written.
 *
 * Safe because a job needs only its blob, never its batch row: a document verified before its batch exists has its
 * report in the Store, and createBatch completes the batch's rows from it. Documents the Store already knows are not
 * enqueued (createBatch completes them too). If the upload fails after this (a disk error, the database down), the
 * jobs still verify their documents, and the client's retry finds them verified. One enqueue at a time; what comes
 * meanwhile goes with the next one.
 */
export class EarlyEnqueue {
  private readonly seen = new Set<string>();
  private readonly enqueued = new Set<string>();
  /** Size 1: each enqueue starts as soon as the one before it ends, with whatever came meanwhile. */
  private readonly sends = new Gatherer<VerifyJob>((jobs) => this.send(jobs), { size: 1, delayMs: 0 });

  constructor(
    private readonly store: Pick<Store, 'knownDocuments'>,
    private readonly queue: JobQueue,
    private readonly log: (message: string, err?: unknown) => void,
  ) {}

  offer(items: IngestedItem[]): void {
    for (const item of items) {
      if (this.seen.has(item.sha256)) continue;
      this.seen.add(item.sha256);
      // The first name a document is seen under is the one its job carries, as jobsFor does.
      this.sends.add({ sha256: item.sha256, fileName: item.file });
    }
  }

  private async send(jobs: VerifyJob[]): Promise<void> {
    try {
      const known = new Set(await this.store.knownDocuments(jobs.map((j) => j.sha256)));
      const fresh = jobs.filter((j) => !known.has(j.sha256));
      if (fresh.length > 0) await this.queue.enqueue(fresh);
      for (const j of fresh) this.enqueued.add(j.sha256);
    } catch (err) {
      // No more early jobs: the enqueue after createBatch takes every pending document not enqueued here.
      this.sends.cancel();
      this.log('early enqueue failed; the documents are enqueued with the batch', err);
    }
  }

  /** Stops taking documents, waits for the enqueue under way; the sha256s enqueued (so not to enqueue again). */
  async settle(): Promise<ReadonlySet<string>> {
    this.sends.cancel();
    await this.sends.settled();
    return this.enqueued;
  }
}
