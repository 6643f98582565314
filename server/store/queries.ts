import type { Checks, DocumentReport, Finding } from '../../worker/report';
import { providerName } from '../report/summary';
import type { BatchListItem, BatchListQuery, DocumentQuery, DocumentRow, DocumentSort, Paged, RowFinding } from '../shared/queries';
import { findingRemedyText } from '../shared/messages';
import type { RegisterRow, BatchStatus } from '../shared/types';
import { searchTerm, searchText, sortKey } from './sort-key';
import type { SqlParam, SqlQueryable } from './sql';

/**
 * The list of batches and the rows of documents, as the pages page through them. A clerk's scope is the one of
 * getBatch and streamBatchReport (sql-store.ts): a batch a clerk of their units uploaded is theirs whole; of another
 * batch they see only its done rows counted for their units, and nothing of a batch holding none.
 */

/** "Uploaded by a clerk of the units in `param`" (sql-store.ts, ownBatch): such a batch is the clerk's whole. */
function ownBatch(param: string): string {
  return `(b.units IS NOT NULL AND jsonb_array_length(b.units) > 0 AND ${param}::jsonb @> b.units)`;
}

/** Visible to the scope `param` (NULL: everything): the row is of an own batch, or done and of the scope's units. */
export function rowInScope(param: string): string {
  return `(${param}::jsonb IS NULL OR ${ownBatch(param)} OR (bi.status = 'done' AND bi.unit IN (SELECT jsonb_array_elements_text(${param}::jsonb))))`;
}

function iso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A row just completed, for its batch's counts. */
export interface CompletedRow {
  batchId: string;
  unit: string | null;
  verdict: string;
  /** 1 (the default) adds the row to its batch's counts; -1 takes a row that is being rewritten out of them. */
  n?: 1 | -1;
}

/** Adds completed rows to their batches' counts (in the transaction that completes them, in key order). */
export async function countBatchRows(tx: SqlQueryable, rows: CompletedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO batch_unit_counts AS t (batch_id, unit, done, errors, compliant, noncompliant)
     SELECT x.batch_id, x.unit, sum(x.n)::int, coalesce(sum(x.n) FILTER (WHERE x.verdict = 'error'), 0)::int,
            coalesce(sum(x.n) FILTER (WHERE x.verdict = 'compliant'), 0)::int,
            coalesce(sum(x.n) FILTER (WHERE x.verdict = 'noncompliant'), 0)::int
     FROM json_to_recordset($1::json) AS x(batch_id text, unit text, verdict text, n integer)
     GROUP BY x.batch_id, x.unit
     ORDER BY x.batch_id, x.unit
     ON CONFLICT ON CONSTRAINT batch_unit_counts_key DO UPDATE SET
       done = t.done + EXCLUDED.done, errors = t.errors + EXCLUDED.errors,
       compliant = t.compliant + EXCLUDED.compliant, noncompliant = t.noncompliant + EXCLUDED.noncompliant`,
    [JSON.stringify(rows.map((r) => ({ batch_id: r.batchId, unit: r.unit, verdict: r.verdict, n: r.n ?? 1 })))],
  );
}

/** The batches' counts made anew from their rows (migration 006; the benchmark's synthetic data). */
export async function rebuildBatchCounts(tx: SqlQueryable): Promise<void> {
  await tx.query('DELETE FROM batch_unit_counts');
  await tx.query('UPDATE batches b SET items = (SELECT count(*) FROM batch_items bi WHERE bi.batch_id = b.id)');
  await tx.query(
    `INSERT INTO batch_unit_counts (batch_id, unit, done, errors, compliant, noncompliant)
     SELECT batch_id, unit, count(*)::int, count(*) FILTER (WHERE verdict = 'error')::int,
            count(*) FILTER (WHERE verdict = 'compliant')::int, count(*) FILTER (WHERE verdict = 'noncompliant')::int
     FROM batch_items WHERE status = 'done'
     GROUP BY batch_id, unit`,
  );
}

export async function listBatches(db: SqlQueryable, q: BatchListQuery): Promise<Paged<BatchListItem>> {
  const scope = q.units ? JSON.stringify(q.units) : null;
  const inScope = `c.unit IN (SELECT jsonb_array_elements_text($1::jsonb))`;
  // Another's batch is listed only while it holds a done row of the scope.
  const visible = `$1::jsonb IS NULL OR ${ownBatch('$1')}
    OR EXISTS (SELECT 1 FROM batch_unit_counts c WHERE c.batch_id = b.id AND c.done > 0 AND ${inScope})`;
  const { rows: counted } = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM batches b WHERE ${visible}`, [scope]);
  const { rows } = await db.query<{
    id: string;
    created_at: unknown;
    source: string;
    created_by: string | null;
    items: number;
    own: boolean;
    all_done: number;
    done: number;
    errors: number;
    compliant: number;
    noncompliant: number;
  }>(
    `WITH page AS (
       SELECT b.id, b.created_at, b.source, b.created_by, b.items, ($1::jsonb IS NULL OR ${ownBatch('$1')}) AS own
       FROM batches b WHERE ${visible}
       ORDER BY b.created_at DESC, b.id DESC
       LIMIT $2 OFFSET $3
     )
     SELECT p.id, p.created_at, p.source, p.created_by, p.items, p.own,
            coalesce(sum(c.done), 0)::int AS all_done,
            coalesce(sum(c.done) FILTER (WHERE p.own OR ${inScope}), 0)::int AS done,
            coalesce(sum(c.errors) FILTER (WHERE p.own OR ${inScope}), 0)::int AS errors,
            coalesce(sum(c.compliant) FILTER (WHERE p.own OR ${inScope}), 0)::int AS compliant,
            coalesce(sum(c.noncompliant) FILTER (WHERE p.own OR ${inScope}), 0)::int AS noncompliant
     FROM page p LEFT JOIN batch_unit_counts c ON c.batch_id = p.id
     GROUP BY p.id, p.created_at, p.source, p.created_by, p.items, p.own
     ORDER BY p.created_at DESC, p.id DESC`,
    [scope, q.pageSize, (q.page - 1) * q.pageSize],
  );
  const items = rows.map((r): BatchListItem => {
    // The status is the batch's, as getBatch says it: a clerk's part of it is not taken for final too early.
    const status: BatchStatus = r.all_done === r.items ? 'done' : r.all_done === 0 ? 'queued' : 'running';
    return {
      id: r.id,
      createdAt: iso(r.created_at),
      source: r.source,
      createdBy: r.created_by,
      status,
      // Another's batch: the clerk's rows are its done rows of their units, as getBatch counts them.
      total: r.own ? r.items : r.done,
      done: r.done,
      errors: r.errors,
      compliant: r.compliant,
      noncompliant: r.noncompliant,
    };
  });
  return { items, total: counted[0]?.total ?? 0, page: q.page, pageSize: q.pageSize };
}

/** The document's date for sorting: the register's date of issue when it is one, else its month. */
const DOC_DATE = `COALESCE(substring(bi.register->>'date' from '^\\d{4}-\\d{2}-\\d{2}$'), bi.month)`;

const ORDER: Record<DocumentSort, string> = {
  file: 'bi.file_key COLLATE "C", bi.file COLLATE "C"',
  '-file': 'bi.file_key COLLATE "C" DESC, bi.file COLLATE "C" DESC',
  // The worst first: what a clerk has to act on.
  verdict: `CASE bi.verdict WHEN 'error' THEN 0 WHEN 'noncompliant' THEN 1 WHEN 'compliant' THEN 2 ELSE 3 END, bi.file_key COLLATE "C", bi.file COLLATE "C"`,
  unit: 'bi.unit NULLS LAST, bi.file_key COLLATE "C", bi.file COLLATE "C"',
  number: 'bi.number_key COLLATE "C" NULLS LAST, bi.file_key COLLATE "C", bi.file COLLATE "C"',
  date: `${DOC_DATE} NULLS LAST, bi.file_key COLLATE "C", bi.file COLLATE "C"`,
  '-date': `${DOC_DATE} DESC NULLS LAST, bi.file_key COLLATE "C", bi.file COLLATE "C"`,
};

/** The WHERE of a document query and its parameters ($1 is the scope). */
function documentFilter(q: DocumentQuery): { where: string; params: SqlParam[] } {
  const params: SqlParam[] = [q.units ? JSON.stringify(q.units) : null];
  const add = (value: SqlParam): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [rowInScope('$1')];
  if (q.batch !== undefined) where.push(`bi.batch_id = ${add(q.batch)}`);
  if (q.from !== undefined) where.push(`bi.status = 'done' AND bi.month >= ${add(q.from)}`);
  if (q.to !== undefined) where.push(`bi.status = 'done' AND bi.month <= ${add(q.to)}`);
  if (q.unit !== undefined) where.push(`bi.unit = ${add(q.unit)}`);
  if (q.verdict === 'pending') where.push(`bi.status = 'queued'`);
  else if (q.verdict !== undefined) where.push(`bi.status = 'done' AND bi.verdict = ${add(q.verdict)}`);
  if (q.code !== undefined) where.push(`${add(q.code)} = ANY (bi.codes)`);
  if (q.provider !== undefined) {
    where.push(`bi.status = 'done' AND EXISTS (SELECT 1 FROM signatures s
      WHERE s.sha256 = bi.sha256 AND s.type <> 'document-timestamp' AND s.provider = ${add(q.provider)})`);
  }
  if (q.category !== undefined) {
    where.push(`bi.status = 'done' AND EXISTS (SELECT 1 FROM signatures s
      WHERE s.sha256 = bi.sha256 AND s.type <> 'document-timestamp' AND s.category = ${add(q.category)})`);
  }
  const term = q.q === undefined ? '' : searchTerm(q.q);
  if (term !== '') where.push(`strpos(bi.search, ${add(term)}) > 0`);
  return { where: where.join('\n AND '), params };
}

const CHECK_NAMES: Array<keyof Checks> = ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'];

function rowFinding(f: Finding): RowFinding {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    messageEn: f.messageEn ?? f.message,
    signature: f.signature ?? null,
    // Reports stored before findings carried their remedy get the catalog's.
    remedy: findingRemedyText(f, 'vi'),
    remedyEn: findingRemedyText(f, 'en'),
    detail: f.detail ?? null,
  };
}

/** A batch row as a page lists it, from its report as this batch sees it (or its register row while it waits). */
function documentRow(r: {
  batch_id: string;
  file: string;
  sha256: string;
  unit: string | null;
  month: string | null;
  status: string;
  register: RegisterRow | null;
  report: DocumentReport | null;
  completed_at: unknown;
}): DocumentRow {
  const report = r.status === 'done' ? r.report : null;
  const reg = report ? (report.register ?? null) : r.register;
  const providers = new Map<string, string>();
  for (const s of report?.signatures ?? []) {
    if (s.type === 'document-timestamp') continue;
    const name = providerName(s);
    if (!providers.has(name)) providers.set(name, s.ca.category);
  }
  return {
    batchId: r.batch_id,
    file: r.file,
    sha256: r.sha256,
    unit: report ? report.unit : null,
    month: report ? r.month : null,
    verdict: report ? report.verdict : null,
    checks: report ? { ...report.checks } : null,
    failedChecks: report ? CHECK_NAMES.filter((k) => !report.checks[k]) : [],
    findings: report ? report.findings.map(rowFinding) : [],
    register: reg ? { number: reg.number ?? null, date: reg.date ?? null, summary: reg.summary ?? null, signer: reg.signer ?? null } : null,
    providers: [...providers].map(([provider, category]) => ({ provider, category })),
    completedAt: report && r.completed_at ? iso(r.completed_at) : null,
  };
}

/**
 * The details of a page's rows, looked up by key one row at a time (as REPORT_PAGE_QUERY does): the page is chosen
 * over keys alone, so the sort never carries a report, and only the page's reports are read.
 */
const ROWS_BY_KEY = `
  SELECT bi.batch_id, bi.file, bi.sha256, bi.unit, bi.month, bi.status, bi.register, bi.report, bi.completed_at
  FROM json_to_recordset($1::json) AS wanted(batch_id text, file text)
  CROSS JOIN LATERAL (
    SELECT * FROM batch_items WHERE batch_id = wanted.batch_id AND file = wanted.file LIMIT 1
  ) bi`;

export async function documentRows(db: SqlQueryable, q: DocumentQuery): Promise<Paged<DocumentRow>> {
  const { where, params } = documentFilter(q);
  const from = 'FROM batch_items bi JOIN batches b ON b.id = bi.batch_id';
  const n = params.length;
  // The page's keys and the count of all the query's rows, in one pass over them.
  const { rows: keys } = await db.query<{ batch_id: string; file: string; total: number }>(
    `SELECT bi.batch_id, bi.file, (count(*) OVER ())::int AS total
     ${from} WHERE ${where}
     ORDER BY ${ORDER[q.sort]}
     LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  let total = keys[0]?.total ?? 0;
  if (keys.length === 0 && q.page > 1) {
    // Past the last page: no row to carry the count.
    total = (await db.query<{ total: number }>(`SELECT count(*)::int AS total ${from} WHERE ${where}`, params)).rows[0]?.total ?? 0;
  }
  if (keys.length === 0) return { items: [], total, page: q.page, pageSize: q.pageSize };
  const { rows } = await db.query<Parameters<typeof documentRow>[0]>(ROWS_BY_KEY, [JSON.stringify(keys.map(({ batch_id, file }) => ({ batch_id, file })))]);
  const byKey = new Map(rows.map((r) => [`${r.batch_id}\u0000${r.file}`, r]));
  const items = keys.flatMap((k) => {
    const row = byKey.get(`${k.batch_id}\u0000${k.file}`);
    return row ? [documentRow(row)] : [];
  });
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** The keys of a new batch row (createBatch): made from its name and register row, known before it is verified. */
export function rowKeys(file: string, number: string | null): { file_key: string; number_key: string | null; search: string } {
  return { file_key: sortKey(file), number_key: number ? sortKey(number) : null, search: searchText(file, number) };
}

/** Rows keyed per statement when keys are filled in for rows stored without them. */
const KEY_CHUNK = 2000;

/**
 * Fills the keys and finding codes of batch rows stored without them: the rows of a store migrated to 006, and the
 * benchmark's synthetic ones. Walks the table by its primary key, a chunk at a time.
 */
export async function fillRowKeys(db: SqlQueryable): Promise<number> {
  let after: { batch_id: string; file: string } | null = null;
  let filled = 0;
  for (;;) {
    const page: { rows: Array<{ batch_id: string; file: string; number: string | null }> } = await db.query(
      `SELECT batch_id, file, register->>'number' AS number FROM batch_items
       WHERE file_key IS NULL AND ($1::text IS NULL OR (batch_id, file) > ($1::text, $2::text))
       ORDER BY batch_id, file LIMIT ${KEY_CHUNK}`,
      [after?.batch_id ?? null, after?.file ?? null],
    );
    if (page.rows.length === 0) return filled;
    const keyed = page.rows.map((r) => ({ batch_id: r.batch_id, file: r.file, ...rowKeys(r.file, r.number) }));
    await db.query(
      `UPDATE batch_items bi SET file_key = x.file_key, number_key = x.number_key, search = x.search,
              codes = CASE WHEN bi.status = 'done'
                           THEN ARRAY(SELECT DISTINCT f->>'code' FROM json_array_elements(bi.report->'findings') AS f) END
       FROM json_to_recordset($1::json) AS x(batch_id text, file text, file_key text, number_key text, search text)
       WHERE bi.batch_id = x.batch_id AND bi.file = x.file`,
      [JSON.stringify(keyed)],
    );
    filled += page.rows.length;
    const last = page.rows[page.rows.length - 1]!;
    after = { batch_id: last.batch_id, file: last.file };
  }
}
