/**
 * The report contract (docs/report.schema.json, JSON Schema): BatchReport, DocumentReport, SignatureReport and
 * UnitSummary. The CLI, the API and the UI all speak it; nothing else describes a verification result to the
 * outside.
 */

export type Verdict = 'compliant' | 'noncompliant' | 'error';
export type Severity = 'error' | 'warning' | 'info';
export type SignerKind = 'personal' | 'organization' | 'unknown';
export type CaCategory = 'government' | 'public' | 'untrusted';
export type CertificateStatus = 'valid' | 'expired' | 'not_yet_valid' | 'revoked' | 'untrusted' | 'invalid';
export type ChangesAfter = 'none' | 'allowed' | 'disallowed';

export interface Finding {
  /** Stable, upper-snake code: what tools and tests key on. */
  code: string;
  severity: Severity;
  /** Vietnamese by default; `messageEn` carries the English text. */
  message: string;
  messageEn?: string;
  /** 1-based index of the signature the finding is about, or null for the document. */
  signature?: number | null;
  /**
   * For IT, not for clerks: byte offsets, object numbers, PDF and CMS key names (`/ByteRange`, `obj 18`), the
   * lower layer's technical words in English. Messages stay in plain words.
   */
  detail?: string;
  /** What to do about it, Vietnamese (`remedyEn` English): set when the finding is made, so stored reports keep it. */
  remedy?: string;
  remedyEn?: string;
}

export interface Checks {
  signed: boolean;
  twoLayer: boolean;
  governmentCa: boolean;
  intact: boolean;
  certificatesValid: boolean;
  strongAlgorithms: boolean;
}

export interface SignerReport {
  commonName: string | null;
  subject: string | null;
  kind: SignerKind;
  organization: string | null;
  title?: string | null;
  serialNumber: string | null;
  fingerprintSha256: string | null;
  notBefore: string | null;
  notAfter: string | null;
  issuer: string | null;
}

export interface TimestampReport {
  genTime: string;
  /** true when the token's imprint, signature and TSA chain all check out. */
  valid: boolean;
  tsa: string | null;
  digestAlgorithm: string | null;
}

export interface SignatureReport {
  /** 1-based, in file (revision) order. */
  index: number;
  field: string | null;
  /** Every field name that references this signature dictionary (a dictionary shared by two fields counts once). */
  fields?: string[];
  type?: 'signature' | 'document-timestamp';
  subFilter: string | null;
  revision: number | null;
  /** /ByteRange as written in the signed revision. */
  byteRange?: number[] | null;
  /** The trusted signing time used for validity, ISO 8601. */
  signingTime: string | null;
  signingTimeSource?: 'timestamp' | 'signingTime' | 'M' | 'none';
  timestamp?: TimestampReport | null;
  signer: SignerReport | null;
  ca: { category: CaCategory; provider: string | null; root: string | null };
  integrity: 'valid' | 'invalid';
  certificate: CertificateStatus;
  coversWholeFile: boolean;
  changesAfter: ChangesAfter;
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  weakAlgorithm: boolean;
  /** /Name, /Reason, /Location and /M as written in the signed revision. */
  name?: string | null;
  reason?: string | null;
  location?: string | null;
  claimedTime?: string | null;
  certification?: boolean;
}

export interface RegisterInfo {
  number: string | null;
  date: string | null;
  summary: string | null;
  signer: string | null;
  unit?: string | null;
}

/**
 * The versions a verdict rests on, so that an inspector can say what was known when: the trust store (hash of its
 * contents, see trustStoreVersion), the revocation data fetched beyond the store's own CRLs (null: none), the unit
 * registry (null: none), and the time of judging.
 */
export interface JudgedWith {
  trustStore: string;
  revocation: string | null;
  units: string | null;
  at: string;
}

export interface DocumentReport {
  file: string;
  sha256: string;
  size: number;
  unit: string | null;
  register?: RegisterInfo;
  verdict: Verdict;
  /** What the verdict was judged with (see JudgedWith); absent in reports made before it was recorded. */
  judgedWith?: JudgedWith;
  error?: { code: string; message: string; messageEn?: string; detail?: string };
  checks: Checks;
  signatures: SignatureReport[];
  findings: Finding[];
}

export interface UnitSummary {
  unit: string | null;
  documents: number;
  signed: number;
  twoLayer: number;
  governmentCa: number;
  compliant: number;
  errors?: number;
  signedPct: number;
  twoLayerPct: number;
  governmentCaPct: number;
  compliantPct: number;
  providers: Record<string, number>;
}

export interface BatchReport {
  generatedAt: string;
  documents: DocumentReport[];
  units: UnitSummary[];
  totals: UnitSummary;
  findings?: Finding[];
}

export const NO_CHECKS: Checks = Object.freeze({
  signed: false,
  twoLayer: false,
  governmentCa: false,
  intact: false,
  certificatesValid: false,
  strongAlgorithms: false,
});
