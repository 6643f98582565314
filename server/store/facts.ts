import * as zlib from 'node:zlib';
import type { DocumentReport } from '../../worker/report';
import type { RejudgeScope, StoredFacts, StoredFactsRecord, VerdictHistoryEntry } from '../shared/types';
import { pgJson } from './pg-json';
import type { SqlQueryable } from './sql';

/**
 * The stored facts of documents and the history of their verdicts (migration 009). The facts JSON is gzipped: it
 * repeats key names for every signature, and a month's documents are tens of thousands. The DER the facts reference
 * is read once per page for all of its documents, and kept in `derCache` across pages: a batch has a few CAs.
 */

type Der = { kind: 'certificate' | 'crl' | 'ocsp'; der: string };

/** The DER a record references, stored once per hash; returns the hashes, the record's references. */
async function storeDer(db: SqlQueryable, record: StoredFactsRecord): Promise<string[]> {
  const der: { hash: string; kind: string; der: string }[] = [
    ...Object.entries(record.certificates).map(([hash, d]) => ({ hash, kind: 'certificate', der: d })),
    ...Object.entries(record.revocation).map(([hash, r]) => ({ hash, kind: r.type, der: r.der })),
  ];
  if (der.length > 0) {
    await db.query(
      `INSERT INTO facts_der (hash, kind, der) SELECT hash, kind, der FROM json_to_recordset($1::json) AS x(hash text, kind text, der text)
       ON CONFLICT (hash) DO NOTHING`,
      [JSON.stringify(der)],
    );
  }
  return der.map((d) => d.hash);
}

function packed(record: StoredFactsRecord): string {
  return zlib.gzipSync(JSON.stringify({ version: record.version, facts: record.facts, fetched: record.fetched })).toString('base64');
}

export async function saveFacts(
  db: SqlQueryable,
  sha256: string,
  record: StoredFactsRecord,
  collectedAt: Date,
  judgedWithKey: string | null,
): Promise<void> {
  const refs = await storeDer(db, record);
  await db.query(
    `INSERT INTO document_facts (sha256, version, facts, der_refs, collected_at, judged_with) VALUES ($1, $2, $3, $4::json, $5::timestamptz, $6)
     ON CONFLICT (sha256) DO UPDATE SET version = EXCLUDED.version, facts = EXCLUDED.facts, der_refs = EXCLUDED.der_refs,
       collected_at = EXCLUDED.collected_at, judged_with = EXCLUDED.judged_with`,
    [sha256, record.version, packed(record), JSON.stringify(refs), collectedAt.toISOString(), judgedWithKey],
  );
}

/** A stored record with revocation fetched again (withFetched): the facts and when they were collected stay. */
export async function saveFetched(db: SqlQueryable, sha256: string, record: StoredFactsRecord): Promise<void> {
  const refs = await storeDer(db, record);
  await db.query('UPDATE document_facts SET facts = $2, der_refs = $3::json WHERE sha256 = $1', [sha256, packed(record), JSON.stringify(refs)]);
}

/** A json column as pg and PGlite give it (parsed); text, should a driver setting give that, is parsed here. */
function fromJson<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}

function scopeCondition(scope: RejudgeScope, first: number): { sql: string; params: string[] } {
  if ('batchId' in scope) return { sql: `f.sha256 IN (SELECT sha256 FROM batch_items WHERE batch_id = $${first})`, params: [scope.batchId] };
  if ('from' in scope) {
    return { sql: `f.sha256 IN (SELECT sha256 FROM batch_items WHERE month BETWEEN $${first} AND $${first + 1})`, params: [scope.from, scope.to] };
  }
  if ('notJudgedWith' in scope) return { sql: `f.judged_with IS DISTINCT FROM $${first}`, params: [scope.notJudgedWith] };
  return { sql: 'true', params: [] };
}

export async function factsPage(db: SqlQueryable, scope: RejudgeScope, after: string | null, limit: number, derCache: Map<string, Der>): Promise<StoredFacts[]> {
  const cond = scopeCondition(scope, 3);
  const { rows } = await db.query<{ sha256: string; facts: string; der_refs: string[] | string; collected_at: string | Date; report: DocumentReport | string | null }>(
    `SELECT f.sha256, f.facts, f.der_refs, f.collected_at, d.report
       FROM document_facts f LEFT JOIN documents d ON d.sha256 = f.sha256
      WHERE f.sha256 > $1 AND ${cond.sql}
      ORDER BY f.sha256 LIMIT $2`,
    [after ?? '', Math.max(1, Math.floor(limit)), ...cond.params],
  );
  const refs = new Set<string>();
  for (const r of rows) for (const h of fromJson(r.der_refs)) if (!derCache.has(h)) refs.add(h);
  if (refs.size > 0) {
    const found = await db.query<{ hash: string; kind: Der['kind']; der: string }>(
      'SELECT hash, kind, der FROM facts_der WHERE hash = ANY (ARRAY(SELECT json_array_elements_text($1::json)))',
      [JSON.stringify([...refs])],
    );
    for (const d of found.rows) derCache.set(d.hash, { kind: d.kind, der: d.der });
  }
  return rows.map((r) => {
    const packed = JSON.parse(zlib.gunzipSync(Buffer.from(r.facts, 'base64')).toString('utf8')) as Pick<StoredFactsRecord, 'version' | 'facts' | 'fetched'>;
    const record: StoredFactsRecord = { version: packed.version, facts: packed.facts, certificates: {}, revocation: {} };
    if (packed.fetched) record.fetched = packed.fetched;
    for (const h of fromJson(r.der_refs)) {
      const d = derCache.get(h);
      if (!d) continue; // fromFactsRecord says which one is missing, should a referenced one be
      if (d.kind === 'certificate') record.certificates[h] = d.der;
      else record.revocation[h] = { type: d.kind, der: d.der };
    }
    return { sha256: r.sha256, record, collectedAt: new Date(r.collected_at), report: r.report === null ? null : fromJson(r.report) };
  });
}

export async function addHistory(db: SqlQueryable, sha256: string, report: DocumentReport, reason: VerdictHistoryEntry['reason'], at: Date): Promise<void> {
  await addHistories(db, [{ sha256, report }], reason, at);
}

/** One history row per document, in one statement (a page of re-judged documents is hundreds). */
export async function addHistories(
  db: SqlQueryable,
  items: { sha256: string; report: DocumentReport }[],
  reason: VerdictHistoryEntry['reason'],
  at: Date,
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map(({ sha256, report }, n) => {
    const w = report.judgedWith;
    return {
      n,
      sha256,
      judged_at: w?.at ?? at.toISOString(),
      verdict: report.verdict,
      checks: report.checks,
      findings: report.findings.map((f) => f.code),
      trust_store: w?.trustStore ?? null,
      revocation: w?.revocation ?? null,
      units: w?.units ?? null,
    };
  });
  // In the order given: `seq` is the history's order.
  await db.query(
    `INSERT INTO verdict_history (sha256, judged_at, reason, verdict, checks, findings, trust_store, revocation, units)
     SELECT x.sha256, x.judged_at, $2, x.verdict, x.checks, x.findings, x.trust_store, x.revocation, x.units
     FROM json_to_recordset($1::json)
       AS x(n integer, sha256 text, judged_at timestamptz, verdict text, checks json, findings json, trust_store text, revocation text, units text)
     ORDER BY x.n`,
    [pgJson(rows), reason],
  );
}

/** A document judged again with nothing changed; `revocation` set when its fetched data was fetched again. */
export interface JudgedAgain {
  sha256: string;
  revocation?: string;
}

export async function markJudged(
  db: SqlQueryable,
  items: JudgedAgain[],
  versions: { trustStore: string; units: string | null },
  at: Date,
  key: string,
): Promise<void> {
  if (items.length === 0) return;
  const list = JSON.stringify(items.map((i) => ({ sha256: i.sha256, revocation: i.revocation ?? null, set_revocation: i.revocation !== undefined })));
  const shared = JSON.stringify({ trustStore: versions.trustStore, units: versions.units, at: at.toISOString() });
  // A report's own revocation version stays unless its data was fetched again. One judged before reports named
  // versions gets `revocation: null` (it was verified offline, or before fetched data was kept).
  const named = `'{"revocation": null}'::jsonb || coalesce(t.report::jsonb -> 'judgedWith', '{}'::jsonb) || $2::jsonb
    || CASE WHEN x.set_revocation THEN jsonb_build_object('revocation', x.revocation) ELSE '{}'::jsonb END`;
  const items_ = 'json_to_recordset($1::json) AS x(sha256 text, revocation text, set_revocation boolean)';
  await db.query(`UPDATE document_facts t SET judged_with = $2 FROM ${items_} WHERE t.sha256 = x.sha256`, [list, key]);
  // The report names what it was last judged with, even when judging again changed nothing else; and so do the
  // batch rows that show it.
  await db.query(`UPDATE documents t SET report = jsonb_set(t.report::jsonb, '{judgedWith}', ${named})::json FROM ${items_} WHERE t.sha256 = x.sha256`, [list, shared]);
  await db.query(
    `UPDATE batch_items t SET report = jsonb_set(t.report::jsonb, '{judgedWith}', ${named})::json FROM ${items_} WHERE t.sha256 = x.sha256 AND t.status = 'done'`,
    [list, shared],
  );
}

export async function setJudgedWith(db: SqlQueryable, sha256s: string[], key: string): Promise<void> {
  await db.query('UPDATE document_facts SET judged_with = $2 WHERE sha256 = ANY (ARRAY(SELECT json_array_elements_text($1::json)))', [JSON.stringify(sha256s), key]);
}

export async function verdictHistory(db: SqlQueryable, sha256: string): Promise<VerdictHistoryEntry[]> {
  const { rows } = await db.query<{
    judged_at: string | Date;
    reason: VerdictHistoryEntry['reason'];
    verdict: VerdictHistoryEntry['verdict'];
    checks: VerdictHistoryEntry['checks'] | string;
    findings: string[] | string;
    trust_store: string | null;
    revocation: string | null;
    units: string | null;
  }>('SELECT judged_at, reason, verdict, checks, findings, trust_store, revocation, units FROM verdict_history WHERE sha256 = $1 ORDER BY seq', [sha256]);
  return rows.map((r) => ({
    judgedAt: new Date(r.judged_at).toISOString(),
    reason: r.reason,
    verdict: r.verdict,
    checks: fromJson(r.checks),
    findings: fromJson(r.findings),
    trustStore: r.trust_store,
    revocation: r.revocation,
    units: r.units,
  }));
}
