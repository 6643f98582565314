import type { Severity } from '../../worker/report';
import { compareNames, compareUnits, unitSummary, type UnitCount, type UnitCounts } from '../report/summary';
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
 */

/** Each count of UNIT_COUNTS as a condition on a batch row (bi) and its report's checks (c, json). */
const ROW_COUNT_SQL: Record<UnitCount, string> = {
  signed: "(c->>'signed')::boolean",
  twoLayer: "(c->>'twoLayer')::boolean",
  governmentCa: "(c->>'governmentCa')::boolean",
  compliant: "bi.verdict = 'compliant'",
  errors: "bi.verdict = 'error'",
};
const KEYS = Object.keys(ROW_COUNT_SQL) as UnitCount[];

/** The rows of batch $1 its report holds for the scope $2 (NULL: all); `b` and `bi` as queries.ts names them. */
const SCOPED_ROWS = `batch_items bi JOIN batches b ON b.id = bi.batch_id
  WHERE bi.batch_id = $1 AND bi.status = 'done' AND ${rowInScope('$2')}`;

/** summary.ts providerName over a signature `s` (json): $3 untrusted, $4 government, $5 unknown. */
const PROVIDER_NAME = `CASE WHEN s->'ca'->>'category' = 'untrusted' THEN $3
  WHEN coalesce(s->'ca'->>'provider', '') <> '' THEN s->'ca'->>'provider'
  WHEN s->'ca'->>'category' = 'government' THEN $4 ELSE $5 END`;

type CountRow = { unit: string | null; documents: number } & UnitCounts;

export async function batchSummary(db: SqlQueryable, id: string, units: string[] | undefined, status: BatchStatus): Promise<BatchSummaryView> {
  const scope = units ? JSON.stringify(units) : null;
  const names = [t('vi', 'providerUntrusted'), t('vi', 'providerGovernment'), t('vi', 'providerUnknown')];
  const { rows: counted } = await db.query<CountRow>(
    `SELECT unit, count(*)::int AS documents, ${KEYS.map((k) => `count(*) FILTER (WHERE ${ROW_COUNT_SQL[k]})::int AS "${k}"`).join(', ')}
     FROM (SELECT bi.unit, bi.verdict, bi.report->'checks' AS c FROM ${SCOPED_ROWS}) bi
     GROUP BY unit`,
    [id, scope],
  );
  // Each provider once per document, document timestamps left out (as GroupTally counts them).
  const { rows: provided } = await db.query<{ unit: string | null; provider: string; category: string; documents: number }>(
    `SELECT unit, provider, max(category) AS category, count(*)::int AS documents
     FROM (
       SELECT bi.file, bi.unit, ${PROVIDER_NAME} AS provider, max(s->'ca'->>'category') AS category
       FROM ${SCOPED_ROWS.replace('WHERE', 'CROSS JOIN LATERAL json_array_elements(bi.report->\'signatures\') AS s WHERE')}
         AND coalesce(s->>'type', '') <> 'document-timestamp'
       GROUP BY bi.file, bi.unit, 3
     ) d
     GROUP BY unit, provider`,
    [id, scope, ...names],
  );
  // The codes of the rows (kept when each row completed), each labelled by one finding of it: the first file's.
  const { rows: codes } = await db.query<{ code: string; documents: number; severity: Severity | null; message: string | null; message_en: string | null }>(
    `WITH c AS (
       SELECT code, count(*)::int AS documents, min(bi.file COLLATE "C") AS file
       FROM ${SCOPED_ROWS.replace('WHERE', 'CROSS JOIN LATERAL unnest(bi.codes) AS code WHERE')}
       GROUP BY code
     )
     SELECT c.code, c.documents, f->>'severity' AS severity, f->>'message' AS message, f->>'messageEn' AS message_en
     FROM c LEFT JOIN LATERAL (
       SELECT f FROM batch_items x CROSS JOIN LATERAL json_array_elements(x.report->'findings') AS f
       WHERE x.batch_id = $1 AND x.file = c.file AND f->>'code' = c.code
       LIMIT 1
     ) sample ON true
     ORDER BY c.code`,
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
