import type { BatchReport, DocumentReport, Finding, UnitSummary } from '../../worker/report';
import type { RegisterRow } from '../register/table';

/**
 * The service's seams (issue 4). The API, the queue workers and the export pull meet only here, so each side can
 * run on its own machine: bytes in the blob store, state in the Store (PostgreSQL or embedded PGlite, one schema),
 * work in the JobQueue (BullMQ on Redis, or in-process).
 */

export interface ServiceConfig {
  port: number;
  /** Blobs (content-addressed uploads), the embedded database, temporary files. */
  dataDir: string;
  certsDir: string;
  redisUrl: string | null;
  databaseUrl: string | null;
  exportDir: string | null;
  adminToken: string | null;
  /** Verifications at once per worker process (BullMQ concurrency / in-process threads). */
  concurrency: number;
  /** Redis key prefix for BullMQ (tests use their own). */
  queuePrefix: string;
  /** Seconds between export-folder scans. */
  exportIntervalSeconds: number;
  limits: UploadLimits;
}

export interface UploadLimits {
  /** Largest single uploaded file (PDF, ZIP or register). */
  maxFileBytes: number;
  /** Largest whole request. */
  maxRequestBytes: number;
  /** Most files in one request. */
  maxFiles: number;
  /** Most entries in one ZIP (nested ZIPs included). */
  maxZipEntries: number;
  /** Most uncompressed bytes in one ZIP (nested ZIPs included). */
  maxZipBytes: number;
}

/** Content-addressed bytes under DATA_DIR/blobs: written (and fsynced) before any job refers to them. */
export interface BlobStore {
  /** Moves or copies a file in; returns its sha256 and size. The same bytes twice are stored once. */
  putFile(path: string): Promise<{ sha256: string; size: number }>;
  putBuffer(data: Buffer): Promise<{ sha256: string; size: number }>;
  has(sha256: string): Promise<boolean>;
  /** Filesystem path of a stored blob (verifyDocument reads it by range). */
  pathOf(sha256: string): string;
}

export type Role = 'admin' | 'clerk' | 'inspector' | 'leader';

export interface TokenRecord {
  id: string;
  role: Role;
  /** Units a clerk may see (empty for other roles). */
  units: string[];
  label: string | null;
  createdAt: string;
}

export type BatchStatus = 'queued' | 'running' | 'done';

export interface BatchStatusView {
  id: string;
  status: BatchStatus;
  total: number;
  done: number;
  errors: number;
  createdAt: string;
  source: string;
}

/** One file of a batch, before verification: the blob it is, its name in the upload, its register row. */
export interface BatchItem {
  file: string;
  sha256: string;
  size: number;
  register: RegisterRow | null;
}

export interface NewBatch {
  id: string;
  /** 'upload', 'export:<name>' … */
  source: string;
  items: BatchItem[];
  /** Batch-level findings known at creation (register rows without a PDF, refused ZIP entries …). */
  findings: Finding[];
  /** A register was given: documents without a row get DOCUMENT_NOT_IN_REGISTER. */
  hasRegister: boolean;
  createdBy: string | null;
}

export interface UnitQuery {
  /** Inclusive months 'YYYY-MM'. */
  from?: string;
  to?: string;
  /** Restrict to these units (a clerk's); undefined = all. */
  units?: string[];
}

export interface ProviderRow {
  unit: string | null;
  provider: string;
  documents: number;
}

export interface Store {
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Creates the batch and its rows in one transaction; returns the sha256s that still need verifying. */
  createBatch(batch: NewBatch): Promise<{ pending: string[] }>;
  /** Stores the verification of one document (by sha256) once, and completes every batch row waiting for it. */
  saveDocumentReport(sha256: string, report: DocumentReport): Promise<void>;
  /** sha256s of rows still waiting, oldest first (the reconciler re-enqueues them after a crash). */
  pendingDocuments(limit: number): Promise<string[]>;

  getBatch(id: string): Promise<BatchStatusView | null>;
  /** The BatchReport of the BRIEF, documents as seen in this batch (register applied), optionally limited to units. */
  getBatchReport(id: string, units?: string[]): Promise<BatchReport | null>;
  /** The last report of a document (as verified, register not applied). */
  getDocument(sha256: string): Promise<DocumentReport | null>;
  /** Units a document has been reported under (for access checks). */
  unitsOfDocument(sha256: string): Promise<(string | null)[]>;
  /** Per-unit summaries over documents by document month (SQL aggregates). */
  unitSummaries(q: UnitQuery): Promise<UnitSummary[]>;
  /** Units × CA providers with document counts (SQL aggregate). */
  providers(q: UnitQuery): Promise<ProviderRow[]>;

  createToken(hash: string, record: Omit<TokenRecord, 'createdAt'>): Promise<TokenRecord>;
  findToken(hash: string): Promise<TokenRecord | null>;

  /** Records an export as taken; false when it already was (so it becomes one batch, once). */
  claimExport(name: string, fingerprint: string, batchId: string): Promise<boolean>;
}

/** One verification job: the document's sha256 (the blob is in the BlobStore). */
export interface VerifyJob {
  sha256: string;
  /** A name for logs and for the report's file field when the document is first seen. */
  fileName: string;
}

export interface JobQueue {
  /** Enqueues once per sha256 (a job already waiting or running is not duplicated). */
  enqueue(jobs: VerifyJob[]): Promise<void>;
  close(): Promise<void>;
}
