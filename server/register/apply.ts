import type { DocumentReport, Finding, SignatureReport } from '../../worker/report';
import { batchFinding } from '../shared/messages';
import { baseName } from '../shared/text';
import { signerMatches, unitMatches } from './compare';
import type { RegisterRow } from './table';
import { signedInTime, vietnamDate } from './working-days';

/**
 * Joins the register (sổ đăng ký văn bản đi) to the verified documents by file name and cross-checks what the
 * clerk wrote against what the signatures say. The cross-checks are warnings: they point an inspector at a row,
 * they do not change a document's verdict.
 */

/** File base name, case-insensitive, with or without `.pdf`: how a register row names its document. */
export function matchKey(name: string): string {
  return baseName(name).normalize('NFC').toLowerCase().trim().replace(/\.pdf$/, '');
}

function documentSignatures(doc: DocumentReport): SignatureReport[] {
  return doc.signatures.filter((s) => s.type !== 'document-timestamp');
}

function crossCheck(doc: DocumentReport, row: RegisterRow): Finding[] {
  const findings: Finding[] = [];
  const signatures = documentSignatures(doc);

  const personal = signatures.filter((s) => s.signer?.kind === 'personal' && s.signer.commonName);
  if (row.signer && personal.length > 0 && !personal.some((s) => signerMatches(row.signer ?? '', s.signer?.commonName ?? ''))) {
    const actual = personal.map((s) => s.signer?.commonName).join(', ');
    findings.push(batchFinding('REGISTER_SIGNER_MISMATCH', { register: row.signer, actual }));
  }

  const organizations = signatures.filter((s) => s.signer?.kind === 'organization' && s.signer.commonName);
  if (row.unit && organizations.length > 0 && !organizations.some((s) => unitMatches(row.unit ?? '', s.signer?.commonName ?? ''))) {
    const actual = organizations.map((s) => s.signer?.commonName).join(', ');
    findings.push(batchFinding('REGISTER_UNIT_MISMATCH', { register: row.unit, actual }));
  }

  const times = signatures
    .map((s) => (s.signingTime ? Date.parse(s.signingTime) : Number.NaN))
    .filter((t) => Number.isFinite(t));
  if (row.date && /^\d{4}-\d{2}-\d{2}$/.test(row.date) && times.length > 0) {
    const signed = vietnamDate(new Date(Math.max(...times)));
    if (!signedInTime(row.date, signed)) {
      findings.push(batchFinding('REGISTER_DATE_MISMATCH', { register: row.date, signed }));
    }
  }
  return findings;
}

/**
 * Register rows listed one finding each, at most: a province's register uploaded with one district's PDFs would
 * otherwise make 200,000 findings — stored twice, sent in the 202, read by nobody (measured: 49 s, the server deaf
 * to health checks for 9 s). The rest are counted in one finding.
 */
export const MAX_UNMATCHED_ROW_FINDINGS = 1000;

/** The findings for register rows that no document matched, in the register's order. */
export function unmatchedRowFindings(rows: readonly RegisterRow[], refused: (row: RegisterRow) => Finding | null = () => null): Finding[] {
  // In line order: a row `refused` names (a clerk's row for another unit) by its own finding, the others as rows
  // without a PDF — the first MAX_UNMATCHED_ROW_FINDINGS of them each, the rest counted in one.
  const findings: Finding[] = [];
  let listed = 0;
  let more = 0;
  let moreFrom: number | null = null;
  for (const row of rows) {
    const own = refused(row);
    if (own !== null) {
      findings.push(own);
    } else if (listed < MAX_UNMATCHED_ROW_FINDINGS) {
      findings.push(batchFinding('REGISTER_ROW_WITHOUT_PDF', { what: [row.file, row.number].filter(Boolean).join(' — '), line: row.line }));
      listed++;
    } else {
      more++;
      moreFrom ??= row.line;
    }
  }
  if (more > 0) findings.push(batchFinding('REGISTER_ROWS_WITHOUT_PDF_MORE', { count: more, from: moreFrom }));
  return findings;
}

/**
 * The register joined one document at a time, so `kiemky check` can write each document's report as it comes;
 * the rows no document matched are known only once every document has been joined.
 */
export class RegisterJoin {
  private readonly byKey = new Map<string, RegisterRow>();
  private readonly used = new Set<RegisterRow>();

  constructor(private readonly rows: RegisterRow[]) {
    for (const row of rows) {
      // The first row for a file wins: a duplicate further down is usually a correction typed twice.
      if (row.file && !this.byKey.has(matchKey(row.file))) this.byKey.set(matchKey(row.file), row);
    }
  }

  join(doc: DocumentReport): DocumentReport {
    const row = this.byKey.get(matchKey(doc.file));
    if (!row) return { ...doc, findings: [...doc.findings, batchFinding('DOCUMENT_NOT_IN_REGISTER')] };
    this.used.add(row);
    return {
      ...doc,
      unit: row.unit ?? doc.unit,
      register: { number: row.number, date: row.date, summary: row.summary, signer: row.signer, unit: row.unit },
      findings: [...doc.findings, ...crossCheck(doc, row)],
    };
  }

  /** Rows no joined document matched: batch findings, in the register's order. */
  unmatched(): Finding[] {
    return unmatchedRowFindings(this.rows.filter((row) => !this.used.has(row)));
  }
}

export function applyRegister(
  docs: DocumentReport[],
  rows: RegisterRow[],
): { documents: DocumentReport[]; batchFindings: Finding[] } {
  const join = new RegisterJoin(rows);
  const documents = docs.map((doc) => join.join(doc));
  return { documents, batchFindings: join.unmatched() };
}
