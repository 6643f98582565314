import type { UnitSummary } from '../../worker/report';
import { compareNames, compareUnits, unitSummary, type UnitCount, type UnitCounts } from '../report/summary';
import type { CertificateQuery, CertificateRow, UnitMonthSummary } from '../shared/queries';
import type { ProviderRow, UnitQuery } from '../shared/types';
import type { SqlParam, SqlQueryable } from './sql';

/**
 * The unit summaries from summary rows kept as documents complete, so that /api/units and /api/providers read a
 * few thousand small rows whatever the number of documents, instead of every stored report.
 *
 * The counting rule stays the one of report/summary.ts and of the full scan it replaces: over the counted done
 * rows of the range, a document counts once per unit (however many batches or months of the range hold it), its
 * numbers are those of its latest verification (documents), each provider and each signer certificate once per
 * document. To keep that from per-month rows:
 *
 * - unit_document_months holds each (unit, document, month) a counted row put a document in, once. A new triple
 *   adds the document to its (unit, month) rows: unit_months (the counts), unit_month_providers,
 *   unit_month_certificates.
 * - A document a unit has in two months is in two months' rows, so a range holding both would count it twice. Its
 *   triples are marked `repeated`; the range's answer subtracts, for each such document, one count per extra month
 *   of the range (REPEATS). Each month's own row (`by=month`) counts it, in each month it is in, once.
 * - A document verified again (saveDocumentReport of stored bytes) is taken out of its rows with its old numbers
 *   and put back with the new, in the transaction that stores it (recountDocuments).
 *
 * Every change to a document's summary rows holds a transaction-level advisory lock on the document
 * (lockDocuments), exclusive and taken in one order, so a document being verified again and a row of it completing
 * at once cannot count it with numbers the other has just replaced.
 */

/**
 * Each count of a unit summary (report/summary.ts, UNIT_COUNTS) as a condition on the row of `documents` (d) that
 * stores the document's checks and verdict: the same rule, over the columns it was saved in.
 */
export const COUNT_SQL: Record<UnitCount, string> = {
  signed: 'd.signed',
  twoLayer: 'd.two_layer',
  governmentCa: 'd.government_ca',
  compliant: "d.verdict = 'compliant'",
  errors: "d.verdict = 'error'",
};

/** The column of unit_months each count is kept in. */
const COUNT_COLUMN: Record<UnitCount, string> = {
  signed: 'signed',
  twoLayer: 'two_layer',
  governmentCa: 'government_ca',
  compliant: 'compliant',
  errors: 'errors',
};

const KEYS = Object.keys(COUNT_SQL) as UnitCount[];

/** Advisory locks of this class are documents' (the other argument is the sha256's hash). */
const DOCUMENT_LOCK_CLASS = 18_006;

/** A document counted for a unit in a month. */
export interface Counted {
  unit: string | null;
  month: string;
  sha256: string;
}

interface Delta extends Counted {
  /** +1 to add the document to its rows, -1 to take it out. */
  n: number;
}

export async function lockDocuments(tx: SqlQueryable, sha256s: Iterable<string>): Promise<void> {
  const list = [...new Set(sha256s)];
  if (list.length === 0) return;
  // One order for every transaction (by the lock key), so two of them never wait for each other.
  await tx.query(
    `SELECT pg_advisory_xact_lock(${DOCUMENT_LOCK_CLASS}, k)
     FROM (SELECT DISTINCT hashtext(s) AS k FROM json_array_elements_text($1::json) AS s ORDER BY k) keys`,
    [JSON.stringify(list)],
  );
}

/**
 * Counts counted rows just completed. The caller holds lockDocuments on their documents, and the documents are
 * stored (a row completes from a stored report).
 */
export async function countRows(tx: SqlQueryable, rows: Counted[]): Promise<void> {
  if (rows.length === 0) return;
  const { rows: added } = await tx.query<Counted>(
    `INSERT INTO unit_document_months (unit, sha256, month)
     SELECT DISTINCT x.unit, x.sha256, x.month FROM json_to_recordset($1::json) AS x(unit text, sha256 text, month text)
     ON CONFLICT ON CONSTRAINT unit_document_months_key DO NOTHING
     RETURNING unit, sha256, month`,
    [JSON.stringify(rows)],
  );
  if (added.length === 0) return;
  // A document of a unit now in a second month: all its months' triples are marked.
  await tx.query(
    `UPDATE unit_document_months u SET repeated = true
     FROM (SELECT DISTINCT x.unit, x.sha256 FROM json_to_recordset($1::json) AS x(unit text, sha256 text)) p
     WHERE u.unit IS NOT DISTINCT FROM p.unit AND u.sha256 = p.sha256 AND NOT u.repeated
       AND EXISTS (SELECT 1 FROM unit_document_months o
                   WHERE o.unit IS NOT DISTINCT FROM u.unit AND o.sha256 = u.sha256 AND o.month <> u.month)`,
    [JSON.stringify(added)],
  );
  await applyDeltas(tx, added.map((c) => ({ ...c, n: 1 })));
}

/**
 * Lets go of (unit, month) places of documents that no counted done row holds any more (a row rewritten after a
 * new judgement moved the document to another unit). The caller holds lockDocuments and has written the rows. The
 * document is taken out with its numbers as stored now, which are the ones it was counted with: storing a report
 * moves the document's places to the new numbers in the same transaction (moveCounted). A `repeated` mark left on
 * the document's other months is harmless: a range that holds one month of it subtracts nothing.
 */
export async function uncountRows(tx: SqlQueryable, rows: Counted[]): Promise<void> {
  if (rows.length === 0) return;
  const { rows: released } = await tx.query<Counted>(
    `DELETE FROM unit_document_months u
     USING (SELECT DISTINCT unit, month, sha256 FROM json_to_recordset($1::json) AS x(unit text, month text, sha256 text)) x
     WHERE u.unit IS NOT DISTINCT FROM x.unit AND u.month = x.month AND u.sha256 = x.sha256
       AND NOT EXISTS (SELECT 1 FROM batch_items bi
                       WHERE bi.sha256 = x.sha256 AND bi.status = 'done' AND bi.counted
                         AND bi.unit IS NOT DISTINCT FROM x.unit AND bi.month = x.month)
     RETURNING u.unit, u.month, u.sha256`,
    [JSON.stringify(rows)],
  );
  await applyDeltas(tx, released.map((c) => ({ ...c, n: -1 })));
}

/** Where these documents are counted (to take them out before they are stored again, and put them back after). */
export async function countedIn(tx: SqlQueryable, sha256s: string[]): Promise<Counted[]> {
  if (sha256s.length === 0) return [];
  const { rows } = await tx.query<Counted>(
    `SELECT unit, month, sha256 FROM unit_document_months
     WHERE sha256 = ANY (ARRAY(SELECT json_array_elements_text($1::json)))`,
    [JSON.stringify(sha256s)],
  );
  return rows;
}

/** Takes (n = -1) or puts (n = 1) the documents where they are counted, with their numbers as stored now. */
export async function moveCounted(tx: SqlQueryable, counted: Counted[], n: 1 | -1): Promise<void> {
  await applyDeltas(tx, counted.map((c) => ({ ...c, n })));
}

/** The deltas as a relation `x` (i: each delta its own, so two alike are not merged by a GROUP BY). */
const DELTAS = `x AS (
  SELECT * FROM json_to_recordset($1::json) AS x(unit text, month text, sha256 text, n integer, i integer)
)`;

async function applyDeltas(tx: SqlQueryable, deltas: Delta[]): Promise<void> {
  if (deltas.length === 0) return;
  const json = JSON.stringify(deltas.map(({ unit, month, sha256, n }, i) => ({ unit, month, sha256, n, i })));
  const columns = KEYS.map((k) => COUNT_COLUMN[k]);
  // Each statement writes its rows in key order: two transactions adding to the same rows lock them in one order.
  await tx.query(
    `WITH ${DELTAS}
     INSERT INTO unit_months AS t (unit, month, documents, ${columns.join(', ')})
     SELECT x.unit, x.month, sum(x.n)::int, ${KEYS.map((k) => `sum(CASE WHEN ${COUNT_SQL[k]} THEN x.n ELSE 0 END)::int`).join(', ')}
     FROM x JOIN documents d ON d.sha256 = x.sha256
     GROUP BY x.unit, x.month
     ORDER BY x.unit, x.month
     ON CONFLICT ON CONSTRAINT unit_months_key DO UPDATE SET
       documents = t.documents + EXCLUDED.documents,
       ${columns.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`,
    [json],
  );
  // Document timestamps are not signatures of the document (summary.ts leaves them out the same way).
  await tx.query(
    `WITH ${DELTAS},
     p AS (
       SELECT x.i, x.unit, x.month, x.n, s.provider, max(s.category) AS category
       FROM x JOIN signatures s ON s.sha256 = x.sha256 AND s.type <> 'document-timestamp'
       GROUP BY x.i, x.unit, x.month, x.n, s.provider
     )
     INSERT INTO unit_month_providers AS t (unit, month, provider, category, documents)
     SELECT unit, month, provider, max(category), sum(n)::int FROM p
     GROUP BY unit, month, provider
     ORDER BY unit, month, provider
     ON CONFLICT ON CONSTRAINT unit_month_providers_key DO UPDATE SET
       documents = t.documents + EXCLUDED.documents, category = EXCLUDED.category`,
    [json],
  );
  await tx.query(
    `WITH ${DELTAS},
     c AS (
       SELECT DISTINCT x.i, x.unit, x.month, x.n, s.fingerprint
       FROM x JOIN signatures s ON s.sha256 = x.sha256 AND s.type <> 'document-timestamp' AND s.fingerprint IS NOT NULL
     )
     INSERT INTO unit_month_certificates AS t (unit, month, fingerprint, documents)
     SELECT unit, month, fingerprint, sum(n)::int FROM c
     GROUP BY unit, month, fingerprint
     ORDER BY unit, month, fingerprint
     ON CONFLICT ON CONSTRAINT unit_month_certificates_key DO UPDATE SET documents = t.documents + EXCLUDED.documents`,
    [json],
  );
}

/**
 * Every summary row made anew from the counted done rows: for a store migrated to 006 (MIGRATION_HOOKS) and for
 * data put in by other means than the store (the benchmark's synthetic month).
 */
export async function rebuildSummaries(tx: SqlQueryable): Promise<void> {
  for (const table of ['unit_months', 'unit_month_providers', 'unit_month_certificates', 'unit_document_months']) await tx.query(`DELETE FROM ${table}`);
  await tx.query(
    `INSERT INTO unit_document_months (unit, sha256, month)
     SELECT DISTINCT unit, sha256, month FROM batch_items WHERE status = 'done' AND counted AND month IS NOT NULL`,
  );
  await tx.query(
    `UPDATE unit_document_months u SET repeated = true
     FROM (SELECT unit, sha256 FROM unit_document_months GROUP BY unit, sha256 HAVING count(*) > 1) p
     WHERE u.unit IS NOT DISTINCT FROM p.unit AND u.sha256 = p.sha256`,
  );
  const columns = KEYS.map((k) => COUNT_COLUMN[k]);
  await tx.query(
    `INSERT INTO unit_months (unit, month, documents, ${columns.join(', ')})
     SELECT u.unit, u.month, count(*)::int, ${KEYS.map((k) => `count(*) FILTER (WHERE ${COUNT_SQL[k]})::int`).join(', ')}
     FROM unit_document_months u JOIN documents d ON d.sha256 = u.sha256
     GROUP BY u.unit, u.month`,
  );
  await tx.query(
    `INSERT INTO unit_month_providers (unit, month, provider, category, documents)
     SELECT unit, month, provider, max(category), count(*)::int
     FROM (SELECT u.unit, u.month, u.sha256, s.provider, max(s.category) AS category
           FROM unit_document_months u JOIN signatures s ON s.sha256 = u.sha256 AND s.type <> 'document-timestamp'
           GROUP BY u.unit, u.month, u.sha256, s.provider) p
     GROUP BY unit, month, provider`,
  );
  await tx.query(
    `INSERT INTO unit_month_certificates (unit, month, fingerprint, documents)
     SELECT unit, month, fingerprint, count(*)::int
     FROM (SELECT DISTINCT u.unit, u.month, u.sha256, s.fingerprint
           FROM unit_document_months u JOIN signatures s ON s.sha256 = u.sha256 AND s.type <> 'document-timestamp'
           WHERE s.fingerprint IS NOT NULL) c
     GROUP BY unit, month, fingerprint`,
  );
}

// -- Reading ------------------------------------------------------------------------------------------------------

/** Months $1..$2 (NULL: open), units $3 (JSON array; NULL: all), over a table aliased `t`. */
const IN_QUERY = `($1::text IS NULL OR t.month >= $1::text) AND ($2::text IS NULL OR t.month <= $2::text)
    AND ($3::jsonb IS NULL OR t.unit IN (SELECT jsonb_array_elements_text($3::jsonb)))`;

function params(q: UnitQuery): SqlParam[] {
  return [q.from ?? null, q.to ?? null, q.units ? JSON.stringify(q.units) : null];
}

/**
 * (Each repeated document's signatures are looked up by it, LATERAL: joined to all the signatures instead, the
 * planner read the whole table for a handful of documents, 0.8 s at a million.)
 *
 * The documents of a unit that the range holds in more than one month, and how many months more than one: what
 * the sum of the months' rows counted too many times.
 */
const REPEATS = `repeats AS (
    SELECT t.unit, t.sha256, count(*) - 1 AS extra
    FROM unit_document_months t
    WHERE t.repeated AND ${IN_QUERY}
    GROUP BY t.unit, t.sha256
    HAVING count(*) > 1
  )`;

type CountsRow = UnitCounts & { unit: string | null; documents: number };

const sumColumns = (prefix: string): string => KEYS.map((k) => `sum(${prefix}${COUNT_COLUMN[k]})::int AS "${k}"`).join(', ');

export async function unitSummaries(db: SqlQueryable, q: UnitQuery): Promise<UnitSummary[]> {
  const p = params(q);
  const { rows: sums } = await db.query<CountsRow>(
    `SELECT t.unit, sum(t.documents)::int AS documents, ${sumColumns('t.')}
     FROM unit_months t WHERE ${IN_QUERY} GROUP BY t.unit`,
    p,
  );
  const { rows: extra } = await db.query<CountsRow>(
    `WITH ${REPEATS}
     SELECT r.unit, sum(r.extra)::int AS documents,
            ${KEYS.map((k) => `sum(CASE WHEN ${COUNT_SQL[k]} THEN r.extra ELSE 0 END)::int AS "${k}"`).join(', ')}
     FROM repeats r JOIN documents d ON d.sha256 = r.sha256
     GROUP BY r.unit`,
    p,
  );
  const over = new Map(extra.map((r) => [r.unit, r]));
  const providers = await providerRows(db, q);
  return sums
    .map((row): CountsRow => {
      const minus = over.get(row.unit);
      if (!minus) return row;
      const counts = Object.fromEntries(KEYS.map((k) => [k, row[k] - minus[k]])) as UnitCounts;
      return { ...counts, unit: row.unit, documents: row.documents - minus.documents };
    })
    .filter((row) => row.documents > 0)
    .sort((a, b) => compareUnits(a.unit, b.unit))
    .map((row) => {
      const byProvider: Record<string, number> = {};
      for (const pr of providers) if (pr.unit === row.unit) byProvider[pr.provider] = pr.documents;
      const { unit, documents, ...counts } = row;
      return unitSummary(unit, documents, counts, byProvider);
    });
}

export async function providerRows(db: SqlQueryable, q: UnitQuery): Promise<ProviderRow[]> {
  const p = params(q);
  const { rows: sums } = await db.query<ProviderRow>(
    `SELECT t.unit, t.provider, max(t.category) AS category, sum(t.documents)::int AS documents
     FROM unit_month_providers t WHERE ${IN_QUERY} GROUP BY t.unit, t.provider`,
    p,
  );
  const { rows: extra } = await db.query<{ unit: string | null; provider: string; documents: number }>(
    `WITH ${REPEATS}
     SELECT r.unit, s.provider, sum(r.extra)::int AS documents
     FROM repeats r
     CROSS JOIN LATERAL (SELECT DISTINCT provider FROM signatures
                         WHERE sha256 = r.sha256 AND type <> 'document-timestamp') s
     GROUP BY r.unit, s.provider`,
    p,
  );
  const key = (unit: string | null, provider: string): string => `${unit ?? '\u0000'}\u0001${provider}`;
  const over = new Map(extra.map((r) => [key(r.unit, r.provider), r.documents]));
  return sums
    .map((r) => ({ unit: r.unit, provider: r.provider, category: r.category, documents: r.documents - (over.get(key(r.unit, r.provider)) ?? 0) }))
    .filter((r) => r.documents > 0)
    .sort((a, b) => compareUnits(a.unit, b.unit) || compareNames(a.provider, b.provider));
}

/** Each month's rows as they are: a document counts once in each month it is in. */
export async function unitMonths(db: SqlQueryable, q: UnitQuery): Promise<UnitMonthSummary[]> {
  const p = params(q);
  const { rows } = await db.query<CountsRow & { month: string }>(
    `SELECT t.unit, t.month, sum(t.documents)::int AS documents, ${sumColumns('t.')}
     FROM unit_months t WHERE ${IN_QUERY} GROUP BY t.unit, t.month`,
    p,
  );
  const { rows: providers } = await db.query<{ unit: string | null; month: string; provider: string; documents: number }>(
    `SELECT t.unit, t.month, t.provider, sum(t.documents)::int AS documents
     FROM unit_month_providers t WHERE ${IN_QUERY} GROUP BY t.unit, t.month, t.provider`,
    p,
  );
  providers.sort((a, b) => compareNames(a.provider, b.provider));
  return rows
    .filter((r) => r.documents > 0)
    .sort((a, b) => compareUnits(a.unit, b.unit) || (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))
    .map((row) => {
      const byProvider: Record<string, number> = {};
      for (const pr of providers) if (pr.unit === row.unit && pr.month === row.month && pr.documents > 0) byProvider[pr.provider] = pr.documents;
      const { unit, month, documents, ...counts } = row;
      return { ...unitSummary(unit, documents, counts, byProvider), month };
    });
}

const EXPIRING_MS = 30 * 24 * 3600 * 1000;

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/**
 * Each signer certificate seen in the range: the documents it signed, counted once per unit as the unit summary
 * counts them (a document two units count is two of the certificate's documents), and the units.
 */
export async function certificateRows(db: SqlQueryable, q: CertificateQuery, now: Date = new Date()): Promise<CertificateRow[]> {
  const units = q.unit === undefined ? q.units : (q.units ?? [q.unit]).filter((u) => u === q.unit);
  const p = params({ ...q, units });
  const { rows: sums } = await db.query<{ fingerprint: string; unit: string | null; documents: number }>(
    `SELECT t.fingerprint, t.unit, sum(t.documents)::int AS documents
     FROM unit_month_certificates t WHERE ${IN_QUERY} GROUP BY t.fingerprint, t.unit`,
    p,
  );
  const { rows: extra } = await db.query<{ fingerprint: string; unit: string | null; documents: number }>(
    `WITH ${REPEATS}
     SELECT s.fingerprint, r.unit, sum(r.extra)::int AS documents
     FROM repeats r
     CROSS JOIN LATERAL (SELECT DISTINCT fingerprint FROM signatures
                         WHERE sha256 = r.sha256 AND type <> 'document-timestamp' AND fingerprint IS NOT NULL) s
     GROUP BY s.fingerprint, r.unit`,
    p,
  );
  const key = (fp: string, unit: string | null): string => `${fp}\u0001${unit ?? '\u0000'}`;
  const over = new Map(extra.map((r) => [key(r.fingerprint, r.unit), r.documents]));
  const byCertificate = new Map<string, { documents: number; units: Set<string> }>();
  for (const r of sums) {
    const documents = r.documents - (over.get(key(r.fingerprint, r.unit)) ?? 0);
    if (documents <= 0) continue;
    const entry = byCertificate.get(r.fingerprint) ?? { documents: 0, units: new Set<string>() };
    entry.documents += documents;
    if (r.unit !== null) entry.units.add(r.unit);
    byCertificate.set(r.fingerprint, entry);
  }
  if (byCertificate.size === 0) return [];
  const { rows: certs } = await db.query<{
    fingerprint: string;
    common_name: string | null;
    subject: string | null;
    kind: string;
    provider: string;
    category: string;
    serial_number: string | null;
    not_before: unknown;
    not_after: unknown;
  }>(
    `SELECT fingerprint, common_name, subject, kind, provider, category, serial_number, not_before, not_after
     FROM certificates WHERE fingerprint = ANY (ARRAY(SELECT json_array_elements_text($1::json)))`,
    [JSON.stringify([...byCertificate.keys()])],
  );
  return certs
    .map((c): CertificateRow => {
      const counted = byCertificate.get(c.fingerprint)!;
      const notAfter = iso(c.not_after);
      const left = notAfter === null ? Infinity : Date.parse(notAfter) - now.getTime();
      return {
        fingerprint: c.fingerprint,
        commonName: c.common_name,
        subject: c.subject,
        kind: c.kind,
        provider: c.provider,
        category: c.category,
        serialNumber: c.serial_number,
        notBefore: iso(c.not_before),
        notAfter,
        documents: counted.documents,
        units: [...counted.units].sort(compareNames),
        status: left < 0 ? 'expired' : left <= EXPIRING_MS ? 'expiring' : 'valid',
      };
    })
    .sort((a, b) => compareNames(a.units[0] ?? '', b.units[0] ?? '') || compareNames(a.commonName ?? '', b.commonName ?? '') || (a.fingerprint < b.fingerprint ? -1 : 1));
}
