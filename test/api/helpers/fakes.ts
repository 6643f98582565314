import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BatchReport, DocumentReport } from '../../../worker/report';
import { buildBatchReport, providerName } from '../../../server/report/summary';
import { batchRow } from '../../../server/store/scoped-row';
import { DEFAULT_LIMITS } from '../../../server/shared/config';
import type { FileBlobStore } from '../../../server/store/blobs';
import type { BlobStore } from '../../../server/shared/blob-store';
import type {
  BatchReportStream,
  BatchStatusView,
  JobQueue,
  NewBatch,
  ProviderRow,
  ServiceConfig,
  Store,
  TokenRecord,
  UnitQuery,
  VerifyJob,
} from '../../../server/shared/types';
import type { UnitSummary } from '../../../worker/report';
import type {
  BatchListItem,
  BatchListQuery,
  BatchSummaryView,
  CertificateQuery,
  CertificateRow,
  DocumentQuery,
  DocumentRow,
  Paged,
  UnitMonthSummary,
} from '../../../server/shared/queries';

export const FAKE_MONTH = '2026-11';
import { ALL_CHECKS } from '../../server/helpers/reports';
import { FakeAccounts } from './fake-accounts';

/**
 * In-memory fakes of the service seams, so the API is tested on its own: what it stores, what it enqueues,
 * what it answers for each role. Reports are made up per sha256 (tests set them with `setReport`).
 */

export class FakeQueue implements JobQueue {
  readonly jobs: VerifyJob[] = [];
  /** Each enqueue call's jobs, in order. */
  readonly calls: VerifyJob[][] = [];
  /** Every enqueue throws (Redis down). */
  down = false;
  /** Called at each enqueue, before it is recorded (tests look at the state of things then). */
  onEnqueue: ((jobs: VerifyJob[]) => void) | null = null;
  async enqueue(jobs: VerifyJob[]): Promise<void> {
    if (this.down) throw new Error('redis down');
    this.onEnqueue?.(jobs);
    this.calls.push(jobs);
    this.jobs.push(...jobs);
  }
  async close(): Promise<void> {}
}

export function fakeReport(file: string, sha256: string, unit: string | null): DocumentReport {
  return { file, sha256, size: 1, unit, verdict: 'compliant', checks: { ...ALL_CHECKS }, signatures: [], findings: [] };
}

export class FakeStore extends FakeAccounts implements Store {
  readonly batches = new Map<string, NewBatch>();
  readonly reports = new Map<string, DocumentReport>();
  readonly claims = new Map<string, string>();
  async migrate(): Promise<void> {}
  async close(): Promise<void> {}

  async createBatch(batch: NewBatch): Promise<{ pending: string[] }> {
    this.batches.set(batch.id, batch);
    return { pending: [...new Set(batch.items.map((i) => i.sha256))].filter((s) => !this.reports.has(s)) };
  }
  async saveDocumentReport(sha256: string, report: DocumentReport): Promise<void> {
    this.reports.set(sha256, report);
  }
  /** A report whose unit is the register row's, else the given one. */
  setReport(sha256: string, unit: string | null, file = `${sha256.slice(0, 8)}.pdf`): void {
    this.reports.set(sha256, fakeReport(file, sha256, unit));
  }
  async pendingDocuments(): Promise<string[]> {
    return [];
  }
  async knownDocuments(sha256s: string[]): Promise<string[]> {
    return sha256s.filter((s) => this.reports.has(s));
  }
  async completeFromStoredReport(sha256: string): Promise<boolean> {
    return this.reports.has(sha256);
  }
  /** The batch's rows that are done, made as the SqlStore makes them (register applied, a clerk's scope kept). */
  private docs(batch: NewBatch): DocumentReport[] {
    return batch.items
      .filter((i) => this.reports.has(i.sha256))
      .map((i) => batchRow(this.reports.get(i.sha256) as DocumentReport, { file: i.file, register: i.register, hasRegister: batch.hasRegister }, batch.units ?? null).report);
  }
  /** Uploaded by a clerk of these units (the SqlStore's ownBatch). */
  private own(batch: NewBatch, units: string[] | undefined): boolean {
    return !units || (!!batch.units && batch.units.length > 0 && batch.units.every((u) => units.includes(u)));
  }
  private mine(batch: NewBatch, units: string[] | undefined): DocumentReport[] {
    return this.docs(batch).filter((d) => this.own(batch, units) || (d.unit !== null && !!units?.includes(d.unit)));
  }
  async getBatch(id: string, units?: string[]): Promise<BatchStatusView | null> {
    const b = this.batches.get(id);
    if (!b) return null;
    const done = b.items.filter((i) => this.reports.has(i.sha256)).length;
    const status = done === b.items.length ? 'done' : done ? 'running' : 'queued';
    const view = { id, status, createdAt: new Date(0).toISOString(), source: b.source } as const;
    if (this.own(b, units)) return { ...view, total: b.items.length, done, errors: 0 };
    const mine = this.mine(b, units).length;
    return mine === 0 ? null : { ...view, total: mine, done: mine, errors: 0 };
  }
  private wholeReport(id: string, units?: string[]): BatchReport | null {
    const b = this.batches.get(id);
    if (!b) return null;
    const docs = this.mine(b, units);
    if (!this.own(b, units) && docs.length === 0) return null;
    return buildBatchReport(docs, this.own(b, units) ? b.findings : []);
  }
  async streamBatchReport(id: string, units?: string[]): Promise<BatchReportStream | null> {
    const report = this.wholeReport(id, units);
    if (!report) return null;
    async function* documents(): AsyncGenerator<DocumentReport> {
      yield* report?.documents ?? [];
    }
    return { generatedAt: new Date(report.generatedAt), findings: report.findings ?? [], documents: documents() };
  }
  async getDocument(sha256: string, units?: string[]): Promise<DocumentReport | null> {
    if (!units) return this.reports.get(sha256) ?? null;
    // The clerk's latest row of it: batches in the order they came.
    const rows = [...this.batches.values()].flatMap((b) => this.mine(b, units).filter((d) => d.sha256 === sha256));
    return rows[rows.length - 1] ?? null;
  }
  /** From the report it stands for, as the SqlStore's must equal it (its own tests hold that). */
  async batchSummary(id: string, units?: string[]): Promise<BatchSummaryView | null> {
    const batch = await this.getBatch(id, units);
    const report = this.wholeReport(id, units);
    if (!batch || !report) return null;
    const codes = new Map<string, BatchSummaryView['codes'][number]>();
    const categories = new Map<string, string>();
    for (const d of report.documents) {
      for (const f of d.findings) {
        const seen = codes.get(f.code);
        if (seen) seen.documents += d.findings.find((g) => g.code === f.code) === f ? 1 : 0;
        else codes.set(f.code, { code: f.code, severity: f.severity, documents: 1, message: f.message, messageEn: f.messageEn ?? f.message });
      }
      for (const s of d.signatures) if (s.type !== 'document-timestamp') categories.set(providerName(s), s.ca.category);
    }
    return {
      status: batch.status,
      units: report.units,
      totals: report.totals,
      codes: [...codes.values()],
      providers: Object.entries(report.totals.providers).map(([provider, documents]) => ({ provider, category: categories.get(provider) ?? 'unknown', documents })),
    };
  }
  /** Every document stored, of the query's units: the fake keeps no months. */
  async streamPeriodReport(q: UnitQuery): Promise<BatchReportStream> {
    this.lastUnitQuery = q;
    const all = [...this.reports.values()].filter((d) => !q.units || (d.unit !== null && q.units.includes(d.unit)));
    async function* documents(): AsyncGenerator<DocumentReport> {
      yield* all;
    }
    return { generatedAt: new Date(), findings: [], documents: documents() };
  }
  lastUnitQuery: UnitQuery | null = null;
  async unitSummaries(q: UnitQuery): Promise<UnitSummary[]> {
    this.lastUnitQuery = q;
    const all = [...this.reports.values()].filter((d) => !q.units || (d.unit !== null && q.units.includes(d.unit)));
    return buildBatchReport(all, []).units;
  }
  async providers(q: UnitQuery): Promise<ProviderRow[]> {
    this.lastUnitQuery = q;
    return (q.units ?? ['A', 'B']).map((unit) => ({ unit, provider: 'Ban Cơ yếu Chính phủ', category: 'government', documents: 1 }));
  }
  /** The fake keeps no months: every document is in FAKE_MONTH. */
  async unitMonths(q: UnitQuery): Promise<UnitMonthSummary[]> {
    return (await this.unitSummaries(q)).map((u) => ({ ...u, month: FAKE_MONTH }));
  }
  lastCertificateQuery: CertificateQuery | null = null;
  async certificates(q: CertificateQuery): Promise<CertificateRow[]> {
    this.lastCertificateQuery = q;
    return [];
  }
  async listBatches(q: BatchListQuery): Promise<Paged<BatchListItem>> {
    const visible = [...this.batches.values()].reverse().filter((b) => this.own(b, q.units) || this.mine(b, q.units).length > 0);
    const items = await Promise.all(
      visible.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map(async (b): Promise<BatchListItem> => {
        const view = (await this.getBatch(b.id, q.units))!;
        const docs = this.mine(b, q.units);
        const compliant = docs.filter((d) => d.verdict === 'compliant').length;
        return { ...view, createdBy: b.createdBy, compliant, noncompliant: docs.filter((d) => d.verdict === 'noncompliant').length };
      }),
    );
    return { items, total: visible.length, page: q.page, pageSize: q.pageSize };
  }
  lastDocumentQuery: DocumentQuery | null = null;
  /** Done rows only, filtered by batch, unit and verdict (the SQL store's own tests cover every filter). */
  async documentRows(q: DocumentQuery): Promise<Paged<DocumentRow>> {
    this.lastDocumentQuery = q;
    const rows = [...this.batches.values()]
      .filter((b) => q.batch === undefined || b.id === q.batch)
      .flatMap((b) => this.mine(b, q.units).map((d) => ({ b, d })))
      .filter(({ d }) => (q.unit === undefined || d.unit === q.unit) && (q.verdict === undefined || d.verdict === q.verdict))
      .map(({ b, d }): DocumentRow => ({
        batchId: b.id,
        file: d.file,
        sha256: d.sha256,
        unit: d.unit,
        month: FAKE_MONTH,
        verdict: d.verdict,
        checks: d.checks,
        failedChecks: [],
        findings: [],
        register: null,
        providers: [],
        completedAt: new Date(0).toISOString(),
      }));
    return { items: rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: rows.length, page: q.page, pageSize: q.pageSize };
  }
  async createToken(hash: string, record: Omit<TokenRecord, 'createdAt'>): Promise<TokenRecord> {
    const full = { ...record, createdAt: new Date().toISOString() };
    this.tokens.set(hash, full);
    return full;
  }
  async findToken(hash: string): Promise<TokenRecord | null> {
    return this.tokens.get(hash) ?? null;
  }
  async claimExport(name: string, _fingerprint: string, batchId: string): Promise<boolean> {
    if (this.claims.has(name)) return false;
    this.claims.set(name, batchId);
    return true;
  }
}

export function tempDir(prefix = 'kiemky-api-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(dataDir: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    certsDir: path.join(dataDir, 'certs'),
    revocation: 'offline',
    revocationRefreshHours: 24,
    redisUrl: null,
    databaseUrl: null,
    exportDir: null,
    adminToken: 'kk_admin-from-env',
    concurrency: 2,
    jobsInFlight: 16,
    queuePrefix: 'test',
    exportIntervalSeconds: 1,
    sessionIdleMinutes: 30,
    trustProxy: null,
    limits: { ...DEFAULT_LIMITS },
    ...overrides,
  };
}

/** The app's blob store, failing the nth put of a writer (a disk that fills up mid-upload). */
export function failingBlobs(inner: FileBlobStore, failAt: number, putDelayMs = 10): BlobStore {
  let puts = 0;
  // Each put takes a while, as on a disk that is filling up: the upload spans several of Ingest's group windows,
  // so some documents are handed on (and enqueued) before the put that fails.
  const check = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, putDelayMs));
    if (++puts >= failAt) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  };
  return {
    putFile: (p, o) => inner.putFile(p, o),
    putBuffer: (d) => inner.putBuffer(d),
    has: (s) => inner.has(s),
    pathOf: (s) => inner.pathOf(s),
    writer: () => {
      const w = inner.writer();
      return {
        putBuffer: async (d, s) => (await check(), w.putBuffer(d, s)),
        putFile: async (p, o) => (await check(), w.putFile(p, o)),
        flush: () => w.flush(),
      };
    },
  };
}
