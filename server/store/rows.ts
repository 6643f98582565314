import type { DocumentReport, SignatureReport } from '../../worker/report';
import { applyRegister } from '../register/apply';
import type { RegisterRow } from '../register/table';
import { vietnamDate } from '../register/working-days';

/**
 * How one verified document becomes a row of one batch: the row's own file name, its register row applied exactly
 * as `kiemky check --register` applies it, and the month the document counts in.
 */

export interface RowContext {
  file: string;
  register: RegisterRow | null;
  hasRegister: boolean;
}

/** The document as this batch reports it; `applyRegister` over one document and its row (or none). */
export function rowReport(verified: DocumentReport, row: RowContext): DocumentReport {
  const doc: DocumentReport = { ...verified, file: row.file };
  if (row.register) {
    // The caller matched the row to this file already; naming it by the row's file keeps applyRegister's
    // match-by-name from undoing that when the register spells the name differently (no .pdf, other case).
    return applyRegister([doc], [{ ...row.register, file: row.file }]).documents[0];
  }
  // Without a register there is nothing to miss; with one, a file it does not list is a finding.
  return row.hasRegister ? applyRegister([doc], []).documents[0] : doc;
}

function documentSignatures(doc: DocumentReport): SignatureReport[] {
  return doc.signatures.filter((s) => s.type !== 'document-timestamp');
}

/**
 * The month (YYYY-MM) a document counts in: the register's date of issue, else the latest signing time (Vietnam
 * time, as the register cross-check reads it), else the month the batch came in.
 */
export function rowMonth(doc: DocumentReport, register: RegisterRow | null, batchCreatedAt: Date): string {
  if (register?.date && /^\d{4}-\d{2}-\d{2}$/.test(register.date)) return register.date.slice(0, 7);
  const times = documentSignatures(doc)
    .map((s) => (s.signingTime ? Date.parse(s.signingTime) : Number.NaN))
    .filter((t) => Number.isFinite(t));
  const instant = times.length > 0 ? new Date(Math.max(...times)) : batchCreatedAt;
  return vietnamDate(instant).slice(0, 7);
}
