import type { DocumentReport, Severity } from '../../worker/report';
import { compareNames, compareUnits, providerName, unitSummary, type UnitCount, type UnitCounts } from '../report/summary';
import type { BatchCodeCount, BatchProviderCount, BatchSummaryView } from '../shared/queries';
import { t } from '../shared/messages';
import type { BatchStatus } from '../shared/types';
import { rowInScope } from './queries';
import type { SqlQueryable } from './sql';

/**
 * A batch's unit summary and its filters' lists in SQL, so the batch page need not fetch the batch's whole report
 * (1.3 s for 10,000 documents) to show them.
 *
 * The numbers are the report's: counted over the batch rows its report streams for the scope (streamBatchReport:
 * done rows, all of a batch that is the caller's own, else those of the caller's units), each from the row's own
 * report — the one the report prints, register applied as this batch saw it. Not from `documents` and
 * `signatures`: those hold the document's latest verification, which a batch completed before it was verified
 * again does not (the summary rows of summaries.ts follow `documents`; a batch report does not).
 *
 * What is counted of a row's report is kept beside it when the row completes (rowFigures, migration 007): parsing
 * 10,000 stored reports in SQL took 350–600 ms in PGlite, the kept columns a few ms.
 */

/** Each count of UNIT_COUNTS as a condition on a batch row (bi): its verdict, and its report's checks as kept. */
const ROW_COUNT_SQL: Record<UnitCount, string> = {
  signed: 'bi.signed',
  twoLayer: 'bi.two_layer',
  governmentCa: 'bi.government_ca',
  compliant: "bi.verdict = 'compliant'",
  errors: "bi.verdict = 'error'",
};
const KEYS = Object.keys(ROW_COUNT_SQL) as UnitCount[];

/** A batch row's figures, kept when it completes: what its batch's summary counts of its report. */
export interface RowFigures {
  signed: boolean;
  two_layer: boolean;
  government_ca: boolean;
  /** Each provider once (GroupTally's rule), with the largest of its categories (as the SQL of fillRowFigures). */
  providers: Array<{ provider: string; category: string }>;
}

export function rowFigures(report: DocumentReport): RowFigures {
  const providers = new Map<string, string>();
  for (const s of report.signatures) {
    if (s.type === 'document-timestamp') continue;
    const name = providerName(s);
    const seen = providers.get(name);
    if (seen === undefined || s.ca.category > seen) providers.set(name, s.ca.category);
  }
  return {
    signed: report.checks.signed,
    two_layer: report.checks.twoLayer,
    government_ca: report.checks.governmentCa,
    providers: [...providers].map(([provider, category]) => ({ provider, category })),
  };
}

/** summary.ts providerName over a signature's `ca` in SQL: $1 untrusted, $2 government, $3 unknown. */
const PROVIDER_NAME = `CASE WHEN ca.category = 'untrusted' THEN $1
  WHEN coalesce(ca.provider, '') <> '' THEN ca.provider
  WHEN ca.category = 'government' THEN $2 ELSE $3 END`;

/**
 * Fills the figures of done rows stored without them, from their reports (rowFigures' rule in SQL): the rows of a
 * store migrated to 007, and the benchmarks' synthetic ones. The summary test holds the two to the batch report.
 */
export async function fillRowFigures(tx: SqlQueryable): Promise<void> {
  await tx.query(
    `UPDATE batch_items bi
     SET signed = (x.checks->>'signed')::boolean, two_layer = (x.checks->>'twoLayer')::boolean,
         government_ca = (x.checks->>'governmentCa')::boolean,
         providers = coalesce((
           SELECT json_agg(json_build_object('provider', p.provider, 'category', p.category))
           FROM (
             SELECT ${PROVIDER_NAME} AS provider, max(ca.category) AS category
             FROM json_to_recordset(x.signatures) AS s(type text, ca json)
             CROSS JOIN LATERAL json_to_record(s.ca) AS ca(category text, provider text)
             WHERE coalesce(s.type, '') <> 'document-timestamp'
             GROUP BY 1
           ) p
         ), '[]'::json)
     FROM batch_items r CROSS JOIN LATERAL json_to_record(r.report) AS x(checks json, signatures json)
     WHERE r.batch_id = bi.batch_id AND r.file = bi.file AND r.status = 'done' AND r.signed IS NULL`,
    [t('vi', 'providerUntrusted'), t('vi', 'providerGovernment'), t('vi', 'providerUnknown')],
  );
}

/** The rows of batch $1 its report holds for the scope $2 (NULL: all); `b` and `bi` as queries.ts names them. */
const SCOPED_ROWS = `batch_items bi JOIN batches b ON b.id = bi.batch_id
  WHERE bi.batch_id = $1 AND bi.status = 'done' AND ${rowInScope('$2')}`;

const COUNTS_QUERY = `SELECT bi.unit, count(*)::int AS documents, ${KEYS.map((k) => `count(*) FILTER (WHERE ${ROW_COUNT_SQL[k]})::int AS "${k}"`).join(', ')}
  FROM ${SCOPED_ROWS}
  GROUP BY bi.unit`;

const PROVIDERS_QUERY = `SELECT bi.unit, p.provider, max(p.category) AS category, count(*)::int AS documents
  FROM ${SCOPED_ROWS.replace('WHERE', 'CROSS JOIN LATERAL json_to_recordset(bi.providers) AS p(provider text, category text) WHERE')}
  GROUP BY bi.unit, p.provider`;

/** The codes of the rows (kept when each row completed), each labelled by one finding of it: the first file's. */
const CODES_QUERY = `WITH c AS (
    SELECT code, count(*)::int AS documents, min(bi.file COLLATE "C") AS file
    FROM batch_items bi JOIN batches b ON b.id = bi.batch_id CROSS JOIN LATERAL unnest(bi.codes) AS code
    WHERE bi.batch_id = $1 AND bi.status = 'done' AND ${rowInScope('$2')}
    GROUP BY code
  )
  SELECT c.code, c.documents, f->>'severity' AS severity, f->>'message' AS message, f->>'messageEn' AS message_en
  FROM c LEFT JOIN LATERAL (
    SELECT f FROM batch_items x CROSS JOIN LATERAL json_array_elements(x.report->'findings') AS f
    WHERE x.batch_id = $1 AND x.file = c.file AND f->>'code' = c.code
    LIMIT 1
  ) sample ON true
  ORDER BY c.code`;

type CountRow = { unit: string | null; documents: number } & UnitCounts;

export async function batchSummary(db: SqlQueryable, id: string, units: string[] | undefined, status: BatchStatus): Promise<BatchSummaryView> {
  const scope = units ? JSON.stringify(units) : null;
  const { rows: counted } = await db.query<CountRow>(COUNTS_QUERY, [id, scope]);
  const { rows: provided } = await db.query<{ unit: string | null; provider: string; category: string; documents: number }>(PROVIDERS_QUERY, [id, scope]);
  const { rows: codes } = await db.query<{ code: string; documents: number; severity: Severity | null; message: string | null; message_en: string | null }>(
    CODES_QUERY,
    [id, scope],
  );

  const providersOf = new Map<string | null, Record<string, number>>();
  const totalProviders: Record<string, number> = {};
  const categories = new Map<string, string>();
  for (const p of [...provided].sort((a, b) => compareNames(a.provider, b.provider))) {
    const mine = providersOf.get(p.unit) ?? {};
    providersOf.set(p.unit, mine);
    mine[p.provider] = p.documents;
    totalProviders[p.provider] = (totalProviders[p.provider] ?? 0) + p.documents;
    // The largest category name, as the stored signatures' summaries pick one (summaries.ts, max(category)).
    const seen = categories.get(p.provider);
    if (seen === undefined || p.category > seen) categories.set(p.provider, p.category);
  }
  const totals: UnitCounts = { signed: 0, twoLayer: 0, governmentCa: 0, compliant: 0, errors: 0 };
  let documents = 0;
  for (const row of counted) {
    documents += row.documents;
    for (const k of KEYS) totals[k] += row[k];
  }
  const unitRows = [...counted].sort((a, b) => compareUnits(a.unit, b.unit));
  return {
    status,
    units: unitRows.map((row) => unitSummary(row.unit, row.documents, pick(row), { ...(providersOf.get(row.unit) ?? {}) })),
    totals: unitSummary(null, documents, totals, totalProviders),
    codes: codes.map((c): BatchCodeCount => ({
      code: c.code,
      severity: c.severity ?? 'warning',
      documents: c.documents,
      message: c.message ?? c.code,
      messageEn: c.message_en ?? c.message ?? c.code,
    })),
    providers: Object.keys(totalProviders).map((provider): BatchProviderCount => ({
      provider,
      category: categories.get(provider) ?? 'unknown',
      documents: totalProviders[provider],
    })),
  };
}

function pick(row: CountRow): UnitCounts {
  return Object.fromEntries(KEYS.map((k) => [k, row[k]])) as UnitCounts;
}
