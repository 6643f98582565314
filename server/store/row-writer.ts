import type { DocumentReport, Finding } from '../../worker/report';
import type { RegisterRow } from '../register/table';
import { rowFigures } from './batch-summary';
import { pgJson } from './pg-json';
import { countBatchRows, type CompletedRow } from './queries';
import { rowMonth } from './rows';
import { batchRow } from './scoped-row';
import type { SqlQueryable } from './sql';
import { countRows, lockDocuments, uncountRows, type Counted } from './summaries';

/**
 * Writing a document's report into the rows of the batches that hold it, with everything kept beside the rows: the
 * row's findings (register cross-checks, a clerk's refusals), the batches' per-unit counts and the unit summaries.
 * Two moments write rows: a queued row completes when its document is verified (completeRows), and a done row is
 * written again when the document is judged again (rewriteRows) — the batch report, the batch page and the period
 * inspection report read the rows, so a verdict that changed must change there too, or an inspector reads
 * January's verdict in March.
 */

/** Rows per multi-row statement. */
const CHUNK = 500;

function chunks<T>(items: T[], size: number = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BatchContext {
  hasRegister: boolean;
  createdAt: Date;
  /** The units a clerk's upload is kept to; null when not limited. */
  scope: string[] | null;
}

/** A row and the document report to write into it. */
export interface PendingRow {
  batchId: string;
  file: string;
  register: RegisterRow | null;
  batch: BatchContext;
  verified: DocumentReport;
}

/** What a done row says now, to be taken out of the counts before it says something else. */
interface WrittenRow extends PendingRow {
  was: { unit: string | null; counted: boolean; month: string | null; verdict: string };
}

export async function insertFindings(
  tx: SqlQueryable,
  items: Array<{ finding: Finding; batchId: string | null; sha256: string | null; file: string | null }>,
): Promise<void> {
  for (const part of chunks(items)) {
    const payload = part.map(({ finding, batchId, sha256, file }) => ({
      sha256,
      batch_id: batchId,
      file,
      code: finding.code,
      severity: finding.severity,
      signature: finding.signature ?? null,
      message: finding.message,
    }));
    await tx.query(
      `INSERT INTO findings (sha256, batch_id, file, code, severity, signature, message)
       SELECT x.sha256, x.batch_id, x.file, x.code, x.severity, x.signature, x.message
       FROM json_to_recordset($1::json)
         AS x(batch_id text, file text, sha256 text, code text, severity text, signature integer, message text)`,
      [pgJson(payload)],
    );
  }
}

/** The row as its batch reports it (scoped-row.ts decides the unit), and the month it counts in. */
function made(row: PendingRow): { row: PendingRow; report: DocumentReport; counted: boolean; month: string } {
  const m = batchRow(row.verified, { file: row.file, register: row.register, hasRegister: row.batch.hasRegister }, row.batch.scope);
  return { row, report: m.report, counted: m.counted, month: rowMonth(m.report, m.register, row.batch.createdAt) };
}

/** One UPDATE for a chunk of rows in state `from`; returns the rows it wrote (another transaction may have won). */
async function updateRows(tx: SqlQueryable, computed: ReturnType<typeof made>[], from: 'queued' | 'done', completedAt: string): Promise<Set<string>> {
  const payload = computed.map(({ row, report, counted, month }) => ({
    batch_id: row.batchId,
    file: row.file,
    unit: report.unit,
    counted,
    month,
    verdict: report.verdict,
    report,
    codes: [...new Set(report.findings.map((f) => f.code))],
    ...rowFigures(report),
  }));
  // `AND status = …` again: the row lock was taken by the caller's SELECT, this is the statement that counts.
  const { rows } = await tx.query<{ batch_id: string; file: string }>(
    `UPDATE batch_items bi
     SET status = 'done', unit = x.unit, counted = x.counted, month = x.month, verdict = x.verdict, report = x.report,
         codes = ARRAY(SELECT json_array_elements_text(x.codes)),
         completed_at = ${from === 'queued' ? '$2::timestamptz' : 'bi.completed_at'},
         signed = x.signed, two_layer = x.two_layer, government_ca = x.government_ca, providers = x.providers
     FROM json_to_recordset($1::json)
       AS x(batch_id text, file text, unit text, counted boolean, month text, verdict text, report json, codes json,
            signed boolean, two_layer boolean, government_ca boolean, providers json)
     WHERE bi.batch_id = x.batch_id AND bi.file = x.file AND bi.status = '${from}'
     RETURNING bi.batch_id, bi.file`,
    from === 'queued' ? [pgJson(payload), completedAt] : [pgJson(payload)],
  );
  return new Set(rows.map((r) => `${r.batch_id}\u0000${r.file}`));
}

/** The register cross-checks of a row, and a clerk's refused rows, are the findings after the document's own. */
function rowFindings(mine: ReturnType<typeof made>[]): Array<{ finding: Finding; batchId: string; sha256: string; file: string }> {
  return mine.flatMap(({ row, report }) =>
    report.findings.slice(row.verified.findings.length).map((finding) => ({ finding, batchId: row.batchId, sha256: row.verified.sha256, file: row.file })),
  );
}

/** Completes queued rows (the caller holds their row locks). */
export async function completeRows(tx: SqlQueryable, pending: PendingRow[], completedAt: Date): Promise<void> {
  // The rows completed here that count, for the summary rows: added once all are completed, in key order; and
  // every row completed, for the list of batches.
  const counted: Counted[] = [];
  const completedRows: CompletedRow[] = [];
  for (const part of chunks(pending)) {
    const computed = part.map(made);
    const written = await updateRows(tx, computed, 'queued', completedAt.toISOString());
    const mine = computed.filter(({ row }) => written.has(`${row.batchId}\u0000${row.file}`));
    for (const { row, report, counted: counts, month } of mine) {
      if (counts) counted.push({ unit: report.unit, month, sha256: row.verified.sha256 });
      completedRows.push({ batchId: row.batchId, unit: report.unit, verdict: report.verdict });
    }
    await insertFindings(tx, rowFindings(mine));
  }
  await countBatchRows(tx, completedRows);
  if (counted.length > 0) {
    await lockDocuments(tx, counted.map((c) => c.sha256));
    await countRows(tx, counted);
  }
}

/**
 * Writes the reports of documents judged again into every done row that holds them. The documents' own numbers
 * were moved in the summaries when the reports were stored (saveGroup); what is left is what the row decides: its
 * verdict in its batch's counts, its findings, and — when the unit registry changed the document's unit — the
 * (unit, month) it counts in. A (unit, month) no row holds any more lets go of the document; a new one takes it.
 */
export async function rewriteRows(tx: SqlQueryable, reports: Map<string, DocumentReport>): Promise<number> {
  if (reports.size === 0) return 0;
  await lockDocuments(tx, reports.keys());
  const { rows } = await tx.query<{
    batch_id: string;
    file: string;
    sha256: string;
    register: RegisterRow | null;
    unit: string | null;
    counted: boolean;
    month: string | null;
    verdict: string;
    has_register: boolean;
    created_at: unknown;
    units: string[] | null;
  }>(
    `SELECT bi.batch_id, bi.file, bi.sha256, bi.register, bi.unit, bi.counted, bi.month, bi.verdict, b.has_register, b.created_at, b.units
     FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
     WHERE bi.sha256 = ANY (ARRAY(SELECT json_array_elements_text($1::json))) AND bi.status = 'done'
     ORDER BY bi.batch_id, bi.file
     FOR UPDATE OF bi`,
    [JSON.stringify([...reports.keys()])],
  );
  const pending: WrittenRow[] = rows.map((r) => ({
    batchId: r.batch_id,
    file: r.file,
    register: r.register,
    batch: { hasRegister: r.has_register, createdAt: r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at)), scope: r.units },
    verified: reports.get(r.sha256)!,
    was: { unit: r.unit, counted: r.counted, month: r.month, verdict: r.verdict },
  }));
  const batchDeltas: CompletedRow[] = [];
  const released: Counted[] = [];
  const taken: Counted[] = [];
  for (const part of chunks(pending)) {
    const computed = part.map(made);
    const written = await updateRows(tx, computed, 'done', '');
    const mine = computed.filter(({ row }) => written.has(`${row.batchId}\u0000${row.file}`));
    await tx.query(
      `DELETE FROM findings f USING json_to_recordset($1::json) AS x(batch_id text, file text, sha256 text)
       WHERE f.batch_id = x.batch_id AND f.file = x.file AND f.sha256 = x.sha256`,
      [JSON.stringify(mine.map(({ row }) => ({ batch_id: row.batchId, file: row.file, sha256: row.verified.sha256 })))],
    );
    await insertFindings(tx, rowFindings(mine));
    for (const { row, report, counted, month } of mine) {
      const was = (row as WrittenRow).was;
      const sha256 = row.verified.sha256;
      if (was.unit !== report.unit || was.verdict !== report.verdict) {
        batchDeltas.push({ batchId: row.batchId, unit: was.unit, verdict: was.verdict, n: -1 }, { batchId: row.batchId, unit: report.unit, verdict: report.verdict, n: 1 });
      }
      const same = was.counted === counted && was.unit === report.unit && was.month === month;
      if (same) continue;
      if (was.counted && was.month !== null) released.push({ unit: was.unit, month: was.month, sha256 });
      if (counted) taken.push({ unit: report.unit, month, sha256 });
    }
  }
  await countBatchRows(tx, batchDeltas);
  // After the rows are written, so a (unit, month) is let go only when no row holds it any more.
  await uncountRows(tx, released);
  await countRows(tx, taken);
  return pending.length;
}
