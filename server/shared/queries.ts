import type { Checks, Severity, UnitSummary, Verdict } from '../../worker/report';
import type { BatchStatus, UnitQuery } from './types';

/**
 * What the pages read besides a batch's report: the list of batches, the rows of documents with their filters, the
 * unit summary month by month, the certificate inventory. The Store answers them (store/queries.ts,
 * store/summaries.ts); the API's query routes (api/query-routes.ts) only parse and scope the request.
 */

/** A page of a list: `page` counts from 1. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}

export interface BatchListItem {
  id: string;
  createdAt: string;
  source: string;
  /** The id of the token (or account) that created it; null for an export. */
  createdBy: string | null;
  status: BatchStatus;
  total: number;
  done: number;
  errors: number;
  compliant: number;
  noncompliant: number;
}

export interface BatchListQuery extends PageQuery {
  /** A clerk's units: their batches whole, and other batches' done rows of these units only. */
  units?: string[];
}

export const DOCUMENT_SORTS = ['file', '-file', 'verdict', 'unit', 'number', 'date', '-date'] as const;
export type DocumentSort = (typeof DOCUMENT_SORTS)[number];

/** `pending`: a row not verified yet. */
export const VERDICT_FILTERS = ['compliant', 'noncompliant', 'error', 'pending'] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

export interface DocumentQuery extends PageQuery {
  batch?: string;
  /** Inclusive months YYYY-MM (of the document, as the unit summary counts it). */
  from?: string;
  to?: string;
  unit?: string;
  verdict?: VerdictFilter;
  /** A finding code the row's report holds. */
  code?: string;
  /** A CA provider (as summary.ts names it) or category of one of the document's signatures. */
  provider?: string;
  category?: string;
  /** Part of the file name or of the số ký hiệu, compared without case or diacritics. */
  q?: string;
  sort: DocumentSort;
  /** A clerk's units (see BatchListQuery). */
  units?: string[];
}

export interface RowFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  messageEn: string;
  signature: number | null;
  /** What to do about it (who does what), Vietnamese and English; null for a code this version does not know. */
  remedy: string | null;
  remedyEn: string | null;
  /** For IT: offsets, object numbers, PDF key names; null when the finding has none. */
  detail: string | null;
}

/** A document as one batch lists it: enough for a page to say why, without fetching its report. */
export interface DocumentRow {
  batchId: string;
  file: string;
  sha256: string;
  unit: string | null;
  month: string | null;
  /** Null while it waits for verification. */
  verdict: Verdict | null;
  checks: Checks | null;
  /** The checks that failed, in report order. */
  failedChecks: string[];
  findings: RowFinding[];
  register: { number: string | null; date: string | null; summary: string | null; signer: string | null } | null;
  providers: Array<{ provider: string; category: string }>;
  completedAt: string | null;
}

/** A unit's summary over one month of the range. */
export interface UnitMonthSummary extends UnitSummary {
  month: string;
}

export interface CertificateQuery extends UnitQuery {
  /** One unit (within the caller's scope). */
  unit?: string;
}

export type CertificateStatus = 'valid' | 'expired' | 'expiring';

export interface CertificateRow {
  fingerprint: string;
  commonName: string | null;
  subject: string | null;
  kind: string;
  provider: string;
  category: string;
  serialNumber: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** Documents it signed in the range, each counted once per unit, as the unit summary counts them. */
  documents: number;
  units: string[];
  status: CertificateStatus;
}

/** A finding code of a batch's rows: how many rows have it, and one of its findings' texts (to label a filter). */
export interface BatchCodeCount {
  code: string;
  severity: Severity;
  documents: number;
  message: string;
  messageEn: string;
}

/** A CA provider of a batch's rows (the report's name for it, summary.ts providerName) and its documents. */
export interface BatchProviderCount {
  provider: string;
  category: string;
  documents: number;
}

/**
 * What the batch page shows above its rows, without the batch's report: the unit summary as the report's
 * `units`/`totals` give it, and the lists its filters offer (its units are `units`).
 */
export interface BatchSummaryView {
  status: BatchStatus;
  units: UnitSummary[];
  totals: UnitSummary;
  /** By code. */
  codes: BatchCodeCount[];
  /** In Vietnamese alphabetical order. */
  providers: BatchProviderCount[];
}

/** The Store's answers to the pages' queries. */
export interface QueryStore {
  /**
   * A batch's summary over the rows its report holds for this scope (streamBatchReport's): null where getBatch
   * gives null.
   */
  batchSummary(id: string, units?: string[]): Promise<BatchSummaryView | null>;
  /** Newest first. */
  listBatches(q: BatchListQuery): Promise<Paged<BatchListItem>>;
  documentRows(q: DocumentQuery): Promise<Paged<DocumentRow>>;
  /** The unit summary per (unit, month) of the range. */
  unitMonths(q: UnitQuery): Promise<UnitMonthSummary[]>;
  certificates(q: CertificateQuery, now?: Date): Promise<CertificateRow[]>;
}
