import type { CaCategory, Checks, DocumentReport, Finding, UnitSummary, Verdict } from '../../../worker/report';
import type { DocumentRow } from '../../shared/queries';
import type { BatchStatus, BatchStatusView, Role, StoredUnitRegistry, TrustEntry, UserRecord, VerdictHistoryEntry } from '../../shared/types';
import type { RegisteredSigner, RegisteredUnit, UnitRegistry } from '../../../worker/registry';

/**
 * The API's answers the pages read (docs: /api/openapi.json). The report types are the report contract's own, and
 * the answers the service already declares (server/shared, type-only: esbuild drops these imports) are named from
 * there; the rest are written here.
 */

export type { CaCategory, Checks, DocumentReport, Finding, UnitSummary, Verdict };
export type { BatchStatus, BatchStatusView, DocumentRow, Role };
/** GET and PUT /api/admin/units: the registry the service verifies with, its version, where it came from and when. */
export type { RegisteredSigner, RegisteredUnit, StoredUnitRegistry, UnitRegistry };
/** GET /api/documents/:sha256/history: each verdict the document had, oldest first. */
export type { VerdictHistoryEntry };
/** GET /api/users: a user's record as the admin sees it. */
export type UserRow = UserRecord;

export interface SessionUser {
  username: string;
  role: Role;
  units: string[];
}

export interface SessionAnswer {
  user: SessionUser;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface BatchRow extends BatchStatusView {
  createdBy: string | null;
  compliant: number;
  noncompliant: number;
}

/** GET /api/batches/{id}/summary: the batch report's units and totals, and the lists of the batch page's filters. */
export interface BatchSummary {
  status: BatchStatus;
  units: UnitSummary[];
  totals: UnitSummary;
  codes: { code: string; severity: Finding['severity']; documents: number; message: string; messageEn: string }[];
  providers: { provider: string; category: CaCategory; documents: number }[];
}

export interface UnitMonthSummary extends UnitSummary {
  month: string;
}

export interface ProviderCell {
  unit: string | null;
  provider: string;
  category: CaCategory;
  documents: number;
}

export interface CertificateRow {
  fingerprint: string;
  commonName: string | null;
  subject: string | null;
  kind: string;
  provider: string | null;
  category: CaCategory;
  serialNumber: string | null;
  notBefore: string | null;
  notAfter: string | null;
  documents: number;
  units: string[];
  status: 'valid' | 'expired' | 'expiring';
}

export interface TokenRow {
  id: string;
  role: Role;
  units: string[];
  label: string | null;
  createdAt: string;
}

/** A certificate of the trust store, as GET /api/trust lists it. */
export type TrustRow = TrustEntry;

export interface ExportsStatus {
  configured: boolean;
  dir: string | null;
  intervalSeconds: number;
  lastScanAt: string | null;
  taken: { name: string; batchId: string; takenAt: string }[];
}

export interface UploadAnswer {
  id: string;
  status: BatchStatus;
  total: number;
  findings: Finding[];
}
