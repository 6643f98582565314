import type { DocumentReport } from '../../../worker/report';
import { FakeAccounts } from '../../api/helpers/fake-accounts';
import type { BatchStatusView, NewBatch, Store } from '../../../server/shared/types';

/**
 * The part of the Store the queue uses, in memory: batches of rows waiting for a sha256, reports stored once per
 * sha256. It also counts every saveDocumentReport call, which the real Store need not do, so tests can tell how
 * many times a document was verified.
 */
export class FakeStore extends FakeAccounts implements Store {
  readonly reports = new Map<string, DocumentReport>();
  readonly saves = new Map<string, number>();
  private readonly batches = new Map<string, { batch: NewBatch; createdAt: string; seq: number }>();
  private seq = 0;
  /** Throw on the next n saves (a database outage). */
  failNextSaves = 0;

  async migrate(): Promise<void> {}
  async close(): Promise<void> {}

  async createBatch(batch: NewBatch): Promise<{ pending: string[] }> {
    this.batches.set(batch.id, { batch, createdAt: new Date().toISOString(), seq: this.seq++ });
    return { pending: [...new Set(batch.items.map((i) => i.sha256))].filter((s) => !this.reports.has(s)) };
  }

  async saveDocumentReport(sha256: string, report: DocumentReport): Promise<void> {
    if (this.failNextSaves > 0) {
      this.failNextSaves--;
      throw new Error('database unavailable');
    }
    this.saves.set(sha256, (this.saves.get(sha256) ?? 0) + 1);
    if (!this.reports.has(sha256)) this.reports.set(sha256, report);
  }

  async knownDocuments(sha256s: string[]): Promise<string[]> {
    return sha256s.filter((s) => this.reports.has(s));
  }

  /** Rows complete by sha256 here, so a stored report is all it takes. */
  async completeFromStoredReport(sha256: string): Promise<boolean> {
    return this.reports.has(sha256);
  }

  async pendingDocuments(limit: number): Promise<string[]> {
    const out: string[] = [];
    const sorted = [...this.batches.values()].sort((a, b) => a.seq - b.seq);
    for (const { batch } of sorted) {
      for (const item of batch.items) {
        if (!this.reports.has(item.sha256) && !out.includes(item.sha256)) out.push(item.sha256);
      }
    }
    return out.slice(0, limit);
  }

  async getBatch(id: string): Promise<BatchStatusView | null> {
    const b = this.batches.get(id);
    if (!b) return null;
    const done = b.batch.items.filter((i) => this.reports.has(i.sha256));
    const errors = done.filter((i) => this.reports.get(i.sha256)?.verdict === 'error').length;
    const status = done.length === b.batch.items.length ? 'done' : done.length > 0 ? 'running' : 'queued';
    return { id, status, total: b.batch.items.length, done: done.length, errors, createdAt: b.createdAt, source: b.batch.source };
  }

  private unused(): never {
    throw new Error('not used by the queue');
  }
  streamBatchReport(): never {
    return this.unused();
  }
  getDocument(): never {
    return this.unused();
  }
  unitsOfDocument(): never {
    return this.unused();
  }
  streamPeriodReport(): never {
    return this.unused();
  }
  unitSummaries(): never {
    return this.unused();
  }
  providers(): never {
    return this.unused();
  }
  unitMonths(): never {
    return this.unused();
  }
  certificates(): never {
    return this.unused();
  }
  listBatches(): never {
    return this.unused();
  }
  documentRows(): never {
    return this.unused();
  }
  batchSummary(): never {
    return this.unused();
  }
  createToken(): never {
    return this.unused();
  }
  findToken(): never {
    return this.unused();
  }
  claimExport(): never {
    return this.unused();
  }
}
