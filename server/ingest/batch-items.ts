import type { Finding } from '../../worker/report';
import { matchKey, unmatchedRowFindings } from '../register/apply';
import type { RegisterRow } from '../register/read';
import { unitInScope } from '../register/unit-scope';
import { batchFinding } from '../shared/messages';
import type { BatchItem, VerifyJob } from '../shared/types';
import type { IngestedItem } from './ingest';

/**
 * Register rows onto items exactly as `applyRegister` joins them in the CLI (file base name, case-insensitive,
 * with or without `.pdf`; the first row for a file wins), and the rows no document used as batch findings.
 *
 * `scope`: a clerk's units. A row naming another unit is refused when the row is made (store/scoped-row.ts) if a
 * document uses it; one no document used is refused here, by its line number only — a clerk's answer (the 202,
 * the batch's findings) repeats nothing of a row that names another unit.
 */
export function attachRegister(
  items: IngestedItem[],
  rows: RegisterRow[] | null,
  scope?: readonly string[],
): { items: BatchItem[]; findings: Finding[] } {
  if (!rows) return { items: items.map((item) => ({ ...item, register: null })), findings: [] };
  const byKey = new Map<string, RegisterRow>();
  for (const row of rows) if (row.file && !byKey.has(matchKey(row.file))) byKey.set(matchKey(row.file), row);
  const used = new Set<RegisterRow>();
  const joined = items.map((item): BatchItem => {
    const row = byKey.get(matchKey(item.file)) ?? null;
    if (row) used.add(row);
    return { ...item, register: row };
  });
  const otherUnit = (row: RegisterRow): boolean => scope !== undefined && row.unit !== null && unitInScope(scope, row.unit) === null;
  // A clerk's rows naming another unit are named as refused, by line only; the others as rows without a PDF.
  const findings = unmatchedRowFindings(
    rows.filter((row) => !used.has(row)),
    (row) => (otherUnit(row) ? batchFinding('REGISTER_ROW_OTHER_UNIT', { line: row.line }) : null),
  );
  return { items: joined, findings };
}

/** One job per distinct document: the first name it was seen under is the one its logs use. */
export function jobsFor(pending: string[], items: BatchItem[]): VerifyJob[] {
  const names = new Map<string, string>();
  for (const item of items) if (!names.has(item.sha256)) names.set(item.sha256, item.file);
  return pending.map((sha256) => ({ sha256, fileName: names.get(sha256) ?? sha256 }));
}
