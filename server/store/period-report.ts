import type { DocumentReport, Finding } from '../../worker/report';
import { compareFileNames, compareUnits } from '../report/summary';
import type { BatchReportStream, UnitQuery } from '../shared/types';
import type { SqlParam, SqlQueryable } from './sql';

/**
 * The documents of a period of months, for the inspection report of that period: exactly the documents the unit
 * summaries of the same range count (summaries.ts), counted the same way, so the report's figures are the
 * dashboard's. That is, over the counted done rows whose month is in the range: each (unit, document) once, however
 * many batches or months of the range hold it, with the numbers of its latest verification (`documents`).
 *
 * Each is shown as its latest row of the range shows it (its file name, its register row and the register's
 * cross-checks). A document verified again after that row completed keeps the row's file name, unit and register
 * but takes the new verification's checks, signatures and findings, since those are what the figures count.
 *
 * Read unit by unit (Vietnamese order, the unknown unit last), each unit's keys listed and sorted by file name, then
 * its reports read a page at a time: a unit's keys are held, never a period's reports.
 */

/** Months $1..$2 (NULL: open), units $3 (JSON array; NULL: all), over batch_items `bi`. */
const ROWS_IN_QUERY = `bi.status = 'done' AND bi.counted
    AND ($1::text IS NULL OR bi.month >= $1::text) AND ($2::text IS NULL OR bi.month <= $2::text)
    AND ($3::jsonb IS NULL OR bi.unit IN (SELECT jsonb_array_elements_text($3::jsonb)))`;

/** The unit $4 (a name, or the unknown unit when $5): spelled so the (unit, month) index serves both. */
const UNIT_IS = `(CASE WHEN $5::boolean THEN bi.unit IS NULL ELSE bi.unit = $4::text END)`;

/** Each document of the unit once: its latest row of the range. */
const UNIT_KEYS = `
  SELECT DISTINCT ON (bi.sha256) bi.sha256, bi.batch_id, bi.file
  FROM batch_items bi
  WHERE ${ROWS_IN_QUERY} AND ${UNIT_IS}
  ORDER BY bi.sha256, bi.completed_at DESC, bi.item_no DESC`;

/**
 * A page of them by primary key ($1: [[batch_id, file], …]), with the document's verification. `fresh`: the row was
 * completed from the verification stored now (not verified again since); then the row's report is the whole answer,
 * and the verification (as large) is not sent and parsed for nothing.
 */
const PAGE = `
  SELECT w.ord::int AS ord, bi.report AS row_report,
         CASE WHEN d.verified_at <= bi.completed_at THEN NULL ELSE d.report END AS verified,
         d.verified_at <= bi.completed_at AS fresh
  FROM json_array_elements($1::json) WITH ORDINALITY AS w(k, ord)
  CROSS JOIN LATERAL (
    SELECT batch_id, file, report, completed_at, sha256 FROM batch_items
    WHERE batch_id = w.k->>0 AND file = w.k->>1 AND status = 'done'
    LIMIT 1
  ) bi
  JOIN documents d ON d.sha256 = bi.sha256`;

/** The findings a row added to its document's (register cross-checks, a clerk's refused rows). */
const ROW_FINDINGS = `
  SELECT f.batch_id, f.file, f.code, f.message
  FROM json_array_elements($1::json) AS w(k)
  JOIN findings f ON f.batch_id = w.k->>0 AND f.file = w.k->>1 AND f.sha256 IS NOT NULL
  ORDER BY f.id`;

interface Key {
  sha256: string;
  batch_id: string;
  file: string;
}

function params(q: UnitQuery): SqlParam[] {
  return [q.from ?? null, q.to ?? null, q.units ? JSON.stringify(q.units) : null];
}

const findingKey = (f: { code: string; message: string }): string => `${f.code}\u0000${f.message}`;

/**
 * The document as the period's report shows it (see above). `rowFindings`: the keys of the findings its row added
 * (findings table), taken from the row's report as written there (both languages).
 */
function periodDocument(row: DocumentReport, verified: DocumentReport | null, fresh: boolean, rowFindings: Set<string>): DocumentReport {
  if (fresh || !verified) return row;
  const { register } = row;
  const added: Finding[] = row.findings.filter((f) => rowFindings.has(findingKey(f)));
  return { ...verified, file: row.file, unit: row.unit, ...(register ? { register } : {}), findings: [...verified.findings, ...added] };
}

export async function streamPeriodReport(db: SqlQueryable, q: UnitQuery, pageSize: number, now: Date): Promise<BatchReportStream> {
  const p = params(q);
  const { rows: unitRows } = await db.query<{ unit: string | null }>(`SELECT DISTINCT bi.unit FROM batch_items bi WHERE ${ROWS_IN_QUERY}`, p);
  const units = unitRows.map((r) => r.unit).sort(compareUnits);

  async function* unitDocuments(unit: string | null): AsyncGenerator<DocumentReport> {
    const { rows } = await db.query<Key>(UNIT_KEYS, [...p, unit ?? '', unit === null]);
    rows.sort((a, b) => compareFileNames(a.file, b.file) || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
    for (let i = 0; i < rows.length; i += pageSize) {
      const keys = JSON.stringify(rows.slice(i, i + pageSize).map((k) => [k.batch_id, k.file]));
      const page = await db.query<{ ord: number; row_report: DocumentReport; verified: DocumentReport | null; fresh: boolean }>(PAGE, [keys]);
      page.rows.sort((a, b) => a.ord - b.ord);
      const stale = page.rows.some((r) => !r.fresh);
      const extra = new Map<string, Set<string>>();
      if (stale) {
        const found = await db.query<{ batch_id: string; file: string; code: string; message: string }>(ROW_FINDINGS, [keys]);
        for (const f of found.rows) {
          const key = `${f.batch_id}\u0000${f.file}`;
          extra.set(key, (extra.get(key) ?? new Set<string>()).add(findingKey(f)));
        }
      }
      for (const r of page.rows) {
        const key = rows[i + r.ord - 1]!;
        yield periodDocument(r.row_report, r.verified, r.fresh, extra.get(`${key.batch_id}\u0000${key.file}`) ?? new Set<string>());
      }
    }
  }

  async function* documents(): AsyncGenerator<DocumentReport> {
    for (const unit of units) yield* unitDocuments(unit);
  }

  // A period's report has no batch findings: those name register rows and archive entries of one upload.
  return { generatedAt: now, findings: [], documents: documents() };
}
