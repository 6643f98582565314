import type { DocumentReport, Finding, UnitSummary } from '../../worker/report';
import type { UnitRegistry } from '../../worker/registry';
import { SqlUnitRegistry } from './unit-registry';
import type { RegisterRow } from '../register/table';
import { compareFileNames, providerName } from '../report/summary';
import type { BatchListItem, BatchListQuery, BatchSummaryView, CertificateQuery, CertificateRow, DocumentQuery, DocumentRow, Paged, UnitMonthSummary } from '../shared/queries';
import type { BatchReportStream, BatchStatus, BatchStatusView, FactsStore, NewBatch, ProviderRow, RejudgeScope, Role, Store, StoredFacts, StoredFactsRecord, StoredUnitRegistry, TokenRecord, UnitQuery, VerdictHistoryEntry } from '../shared/types';
import * as facts from './facts';
import { Gatherer } from '../shared/gather';
import { SqlAccounts } from './accounts';
import { migrate } from './migrate';
import { pgJson } from './pg-json';
import { batchSummary, fillRowFigures } from './batch-summary';
import { completeRows, insertFindings, rewriteRows, type BatchContext } from './row-writer';
import { documentRows, fillRowKeys, listBatches, rebuildBatchCounts, rowKeys } from './queries';
import type { SqlClient, SqlQueryable } from './sql';
import { streamPeriodReport } from './period-report';
import { certificateRows, countedIn, lockDocuments, moveCounted, providerRows, rebuildSummaries, unitMonths, unitSummaries } from './summaries';

/**
 * The Store of the service, written once over `SqlClient`: the same statements run on PostgreSQL and on PGlite.
 *
 * A document is verified once per content (documents, by sha256); each batch holding it has its own row with the
 * report as that batch sees it (its file name, its register row). A row is completed either when its batch is
 * created (the content was verified before) or when the verification is saved; both paths take the row with
 * FOR UPDATE and only complete rows still 'queued', so a retried job or a race completes a row once.
 */

export interface SqlStoreOptions {
  /** The clock for created_at / verified_at (tests pin it to check the batch-month fallback). */
  now?: () => Date;
  /** Documents per query when a batch report is streamed (REPORT_PAGE; small in tests, to cross pages). */
  reportPage?: number;
}

/** Documents per group-committed save: bounds one transaction's size and lock set. */
const SAVE_GROUP = 200;

/**
 * A save waits this long for others to join it, unless SAVE_GATHER are waiting already. Without the wait a worker
 * finishing a document every few milliseconds wrote groups of one or two: a statement, a query and a WAL flush per
 * document, which made PostgreSQL the service's largest user of CPU after verification itself. A group costs about
 * 3.6 ms of PostgreSQL's CPU (mostly planning) plus 0.3 ms per document: at the ~100 documents a second a worker
 * verifies, 200 ms makes groups of about 20. The jobs waiting meanwhile are among the workers' jobs in flight
 * (JOBS_PER_THREAD), which is why those are many more than the threads; a clerk waits 200 ms longer for one file.
 */
const SAVE_GATHER = 32;
const SAVE_GATHER_MS = 200;

/**
 * A group of verified documents, stored by one statement. Its parts all see the table as it was before it, so a
 * retried job's own old rows are replaced, not doubled: the document is upserted; its signatures are upserted and
 * those it no longer has deleted (an upsert and a delete of the same key in one statement would collide, so they
 * touch disjoint rows); its findings are deleted and inserted anew (the delete cannot see the new ones). New
 * certificates are added, a known one stays as first seen. The signatures' foreign key is checked at the end of
 * the statement, when their documents exist.
 *
 * $1 documents, $2 signatures, $3 certificates, $4 findings (JSON arrays), $5 the sha256s, $6 the time.
 */
const SAVE_DOCUMENTS = `
  WITH
    saved_documents AS (
      INSERT INTO documents (sha256, size, file, verified_at, verdict, unit, signed, two_layer, government_ca, intact,
                             certificates_valid, strong_algorithms, report)
      SELECT x.sha256, x.size, x.file, $6::timestamptz, x.verdict, x.unit, x.signed, x.two_layer, x.government_ca,
             x.intact, x.certificates_valid, x.strong_algorithms, x.report
      FROM json_to_recordset($1::json) AS x(sha256 text, size bigint, file text, verdict text, unit text,
           signed boolean, two_layer boolean, government_ca boolean, intact boolean, certificates_valid boolean,
           strong_algorithms boolean, report json)
      ON CONFLICT (sha256) DO UPDATE SET
        size = EXCLUDED.size, verified_at = EXCLUDED.verified_at, verdict = EXCLUDED.verdict, unit = EXCLUDED.unit,
        signed = EXCLUDED.signed, two_layer = EXCLUDED.two_layer, government_ca = EXCLUDED.government_ca,
        intact = EXCLUDED.intact, certificates_valid = EXCLUDED.certificates_valid,
        strong_algorithms = EXCLUDED.strong_algorithms, report = EXCLUDED.report
    ),
    new_signatures AS (
      SELECT * FROM json_to_recordset($2::json) AS x(sha256 text, idx integer, type text, category text, provider text,
           kind text, fingerprint text, common_name text, signing_time timestamptz, integrity text, certificate text)
    ),
    dropped_signatures AS (
      DELETE FROM signatures s
      WHERE s.sha256 = ANY (ARRAY(SELECT json_array_elements_text($5::json)))
        AND NOT EXISTS (SELECT 1 FROM new_signatures n WHERE n.sha256 = s.sha256 AND n.idx = s.idx)
    ),
    saved_signatures AS (
      INSERT INTO signatures (sha256, idx, type, category, provider, kind, fingerprint, common_name, signing_time,
                              integrity, certificate)
      SELECT sha256, idx, type, category, provider, kind, fingerprint, common_name, signing_time, integrity, certificate
      FROM new_signatures
      ON CONFLICT (sha256, idx) DO UPDATE SET
        type = EXCLUDED.type, category = EXCLUDED.category, provider = EXCLUDED.provider, kind = EXCLUDED.kind,
        fingerprint = EXCLUDED.fingerprint, common_name = EXCLUDED.common_name, signing_time = EXCLUDED.signing_time,
        integrity = EXCLUDED.integrity, certificate = EXCLUDED.certificate
    ),
    saved_certificates AS (
      INSERT INTO certificates (fingerprint, common_name, subject, issuer, serial_number, kind, category, provider,
                                not_before, not_after, first_seen)
      SELECT x.fingerprint, x.common_name, x.subject, x.issuer, x.serial_number, x.kind, x.category, x.provider,
             x.not_before, x.not_after, $6::timestamptz
      FROM json_to_recordset($3::json) AS x(fingerprint text, common_name text, subject text, issuer text,
           serial_number text, kind text, category text, provider text, not_before timestamptz, not_after timestamptz)
      ON CONFLICT (fingerprint) DO NOTHING
    ),
    dropped_findings AS (
      DELETE FROM findings WHERE sha256 = ANY (ARRAY(SELECT json_array_elements_text($5::json))) AND batch_id IS NULL
    ),
    saved_findings AS (
      INSERT INTO findings (sha256, batch_id, file, code, severity, signature, message)
      SELECT x.sha256, NULL, NULL, x.code, x.severity, x.signature, x.message
      FROM json_to_recordset($4::json) AS x(sha256 text, code text, severity text, signature integer, message text)
    )
  SELECT 1`;

/** Rows per multi-row statement: big enough that a 10 000-file batch is a few round trips, small enough to parse. */
const CHUNK = 500;

/** Documents of a batch report read per query when it is streamed: a few MB of reports at a time. */
const REPORT_PAGE = 500;

/**
 * A page of a batch report: the reports of these file names ($2, JSON), one primary-key lookup per name whatever
 * the statistics say. Written as `file IN (names)`, a batch just stored (not yet analyzed, so estimated at one
 * row) was planned as a scan of the whole batch per page, each row compared with every name: 24 s for the report
 * of 10,000 documents, and quadratic beyond. LIMIT 1 (the key is unique) keeps the planner from flattening the
 * lookup back into such a join.
 */
export const REPORT_PAGE_QUERY = `
  SELECT bi.file, bi.report
  FROM jsonb_array_elements_text($2::jsonb) AS wanted(file)
  CROSS JOIN LATERAL (
    SELECT file, report FROM batch_items
    WHERE batch_id = $1 AND file = wanted.file AND status = 'done'
    LIMIT 1
  ) bi`;

function chunks<T>(items: T[], size: number = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** pg and PGlite both return timestamptz as Date; a string is accepted so a driver setting cannot break us. */
function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

function validTime(value: string | null | undefined): string | null {
  return value && Number.isFinite(Date.parse(value)) ? value : null;
}

/** What 006 needs done to the rows stored before it, by the functions that do it for new rows. */
const MIGRATION_HOOKS = {
  '006_queries': async (tx: SqlQueryable): Promise<void> => {
    await fillRowKeys(tx);
    await rebuildSummaries(tx);
    await rebuildBatchCounts(tx);
  },
  '007_batch_row_figures': fillRowFigures,
};

/**
 * "The batch was uploaded by a clerk of these units": its scope is not empty and lies within the units given as the
 * JSON parameter `param`. Such a batch is the clerk's whole (every row of it counts for those units, or for none).
 */
function ownBatch(param: string): string {
  return `(b.units IS NOT NULL AND jsonb_array_length(b.units) > 0 AND ${param}::jsonb @> b.units)`;
}

interface QueuedSave {
  sha256: string;
  report: DocumentReport;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface TokenRow {
  id: string;
  role: Role;
  units: string[];
  label: string | null;
  created_at: unknown;
}

export class SqlStore extends SqlAccounts implements Store, FactsStore {
  private readonly now: () => Date;
  private readonly reportPage: number;
  private readonly saves = new Gatherer<QueuedSave>((group) => this.writeSaves(group), { size: SAVE_GATHER, delayMs: SAVE_GATHER_MS });

  constructor(db: SqlClient, options: SqlStoreOptions = {}) {
    super(db);
    this.now = options.now ?? (() => new Date());
    this.reportPage = options.reportPage ?? REPORT_PAGE;
    this.units = new SqlUnitRegistry(db);
  }

  private readonly units: SqlUnitRegistry;

  unitRegistry(): Promise<StoredUnitRegistry | null> {
    return this.units.unitRegistry();
  }

  unitRegistryVersion(): Promise<string | null> {
    return this.units.unitRegistryVersion();
  }

  putUnitRegistry(registry: UnitRegistry, source: string, at: Date): Promise<StoredUnitRegistry> {
    return this.units.putUnitRegistry(registry, source, at);
  }

  async migrate(): Promise<void> {
    await migrate(this.db, undefined, MIGRATION_HOOKS);
  }

  // -- Stored facts and verdict history (store/facts.ts) ------------------------------------------------------------

  private readonly derCache = new Map<string, { kind: 'certificate' | 'crl' | 'ocsp'; der: string }>();

  async saveFacts(sha256: string, record: StoredFactsRecord, collectedAt: Date, report: DocumentReport, judgedWithKey: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await facts.saveFacts(tx, sha256, record, collectedAt, judgedWithKey);
      await facts.addHistory(tx, sha256, report, 'verified', this.now());
    });
  }

  saveFetched(sha256: string, record: StoredFactsRecord): Promise<void> {
    return facts.saveFetched(this.db, sha256, record);
  }

  factsPage(scope: RejudgeScope, after: string | null, limit: number): Promise<StoredFacts[]> {
    return facts.factsPage(this.db, scope, after, limit, this.derCache);
  }

  markJudged(items: facts.JudgedAgain[], versions: { trustStore: string; units: string | null }, at: Date, judgedWithKey: string): Promise<void> {
    return facts.markJudged(this.db, items, versions, at, judgedWithKey);
  }

  async saveRejudged(items: { sha256: string; report: DocumentReport }[], judgedWithKey: string): Promise<void> {
    if (items.length === 0) return;
    // Stored as the group commit stores a group, a few statements per SAVE_GROUP documents, without waiting its window.
    for (const group of chunks(items, SAVE_GROUP)) await this.saveGroup(group);
    const reports = new Map(items.map((i) => [i.sha256, i.report]));
    await this.db.transaction(async (tx) => {
      // The batches that hold the documents report them as judged now (batch report, batch page, period report).
      await rewriteRows(tx, reports);
      await facts.addHistories(tx, [...reports].map(([sha256, report]) => ({ sha256, report })), 'rejudged', this.now());
      await facts.setJudgedWith(tx, [...reports.keys()], judgedWithKey);
    });
  }

  verdictHistory(sha256: string): Promise<VerdictHistoryEntry[]> {
    return facts.verdictHistory(this.db, sha256);
  }

  async close(): Promise<void> {
    // Saves already accepted are written before the connection goes.
    await this.saves.drain();
    await this.db.close();
  }

  // -- Batches ----------------------------------------------------------------------------------------------------

  async createBatch(batch: NewBatch): Promise<{ pending: string[] }> {
    const createdAt = this.now();
    const scope = batch.units ?? null;
    const context: BatchContext = { hasRegister: batch.hasRegister, createdAt, scope };
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO batches (id, source, created_at, created_by, has_register, findings, units, items)
         VALUES ($1, $2, $3::timestamptz, $4, $5, $6::json, $7::jsonb, $8)`,
        [
          batch.id,
          batch.source,
          createdAt.toISOString(),
          batch.createdBy,
          batch.hasRegister,
          JSON.stringify(batch.findings),
          scope ? JSON.stringify(scope) : null,
          batch.items.length,
        ],
      );
      for (const part of chunks(batch.items)) {
        const items = part.map((i) => ({ file: i.file, sha256: i.sha256, size: i.size, register: i.register, ...rowKeys(i.file, i.register?.number ?? null) }));
        await tx.query(
          `INSERT INTO batch_items (batch_id, file, sha256, size, register, file_key, number_key, search)
           SELECT $1, x.file, x.sha256, x.size, x.register, x.file_key, x.number_key, x.search
           FROM json_to_recordset($2::json)
             AS x(file text, sha256 text, size bigint, register json, file_key text, number_key text, search text)`,
          [batch.id, JSON.stringify(items)],
        );
      }
      await insertFindings(tx, batch.findings.map((f) => ({ finding: f, batchId: batch.id, sha256: null, file: null })));
      await this.completeKnown(tx, batch.id, context);
    });
    let pending = await this.queuedOf(this.db, batch.id);
    if (pending.length > 0 && !this.db.serialized) {
      // A document saved while this batch was being inserted did not see its rows, and this transaction did not
      // see the document: now both are committed, so one more pass completes what either side missed.
      await this.db.transaction((tx) => this.completeKnown(tx, batch.id, context));
      pending = await this.queuedOf(this.db, batch.id);
    }
    return { pending };
  }

  private async queuedOf(db: SqlQueryable, batchId: string): Promise<string[]> {
    const { rows } = await db.query<{ sha256: string }>(
      `SELECT sha256 FROM batch_items WHERE batch_id = $1 AND status = 'queued' GROUP BY sha256 ORDER BY min(item_no)`,
      [batchId],
    );
    return rows.map((r) => r.sha256);
  }

  /** Completes the rows of a batch whose content is verified already. */
  private async completeKnown(tx: SqlQueryable, batchId: string, batch: BatchContext): Promise<void> {
    const { rows } = await tx.query<{ file: string; register: RegisterRow | null; report: DocumentReport }>(
      `SELECT bi.file, bi.register, d.report
       FROM batch_items bi JOIN documents d ON d.sha256 = bi.sha256
       WHERE bi.batch_id = $1 AND bi.status = 'queued'
       ORDER BY bi.item_no
       FOR UPDATE OF bi`,
      [batchId],
    );
    await completeRows(
      tx,
      rows.map((r) => ({ batchId, file: r.file, register: r.register, batch, verified: r.report })),
      this.now(),
    );
  }

  /** Completes every row still waiting for one of these contents, in any batch. */
  private async completeQueued(tx: SqlQueryable, verified: Map<string, DocumentReport>): Promise<void> {
    if (verified.size === 0) return;
    const { rows } = await tx.query<{
      batch_id: string;
      file: string;
      sha256: string;
      register: RegisterRow | null;
      has_register: boolean;
      created_at: unknown;
      units: string[] | null;
    }>(
      `SELECT bi.batch_id, bi.file, bi.sha256, bi.register, b.has_register, b.created_at, b.units
       FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
       WHERE bi.sha256 = ANY (ARRAY(SELECT json_array_elements_text($1::json))) AND bi.status = 'queued'
       ORDER BY bi.item_no
       FOR UPDATE OF bi`,
      [JSON.stringify([...verified.keys()])],
    );
    await completeRows(
      tx,
      rows.map((r) => ({
        batchId: r.batch_id,
        file: r.file,
        register: r.register,
        batch: { hasRegister: r.has_register, createdAt: new Date(iso(r.created_at)), scope: r.units },
        verified: verified.get(r.sha256)!,
      })),
      this.now(),
    );
  }

  // -- Documents --------------------------------------------------------------------------------------------------

  /**
   * Saves are gathered (group commit, see Gatherer): up to SAVE_GATHER_MS or SAVE_GATHER saves go together, a few
   * statements for many documents instead of a dozen for each, which is what keeps a 10 000-file month inside its
   * minute.
   */
  saveDocumentReport(sha256: string, report: DocumentReport): Promise<void> {
    return new Promise<void>((resolve, reject) => this.saves.add({ sha256, report, resolve, reject }));
  }

  /** Settles every save of the group; never rejects. */
  private async writeSaves(saves: QueuedSave[]): Promise<void> {
    for (const group of chunks(saves, SAVE_GROUP)) {
      try {
        await this.saveGroup(group);
        for (const save of group) save.resolve();
      } catch (err) {
        if (group.length === 1) {
          group[0].reject(err);
          continue;
        }
        // One bad report (or a deadlock with another process) must fail its own save only: retry one by one.
        for (const save of group) {
          try {
            await this.saveGroup([save]);
            save.resolve();
          } catch (one) {
            save.reject(one);
          }
        }
      }
    }
  }

  /**
   * A group of reports in two round trips when no batch row waits for them (the usual case: an upload enqueues its
   * documents before its batch exists): one statement stores the documents with their signatures, certificates
   * and findings — atomic by itself — and one query looks for waiting rows. Rows found are completed in a
   * transaction of their own; the document is already committed by then, which is what the two-pass protocol with
   * createBatch needs (each side looks for the other after its own commit). A process that dies in between leaves
   * rows waiting for a stored document: the reconciler's job completes them (completeFromStoredReport).
   */
  private async saveGroup(saves: Array<Pick<QueuedSave, 'sha256' | 'report'>>): Promise<void> {
    // The last report of a content wins (a re-verification); sorted so two processes lock rows in one order.
    const bySha = new Map<string, DocumentReport>();
    for (const save of saves) bySha.set(save.sha256, save.report);
    const verified = new Map([...bySha.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const shas = JSON.stringify([...verified.keys()]);
    const verifiedAt = this.now().toISOString();
    const documents = [...verified].map(([sha256, r]) => ({
      sha256,
      size: r.size,
      file: r.file,
      verdict: r.verdict,
      unit: r.unit,
      signed: r.checks.signed,
      two_layer: r.checks.twoLayer,
      government_ca: r.checks.governmentCa,
      intact: r.checks.intact,
      certificates_valid: r.checks.certificatesValid,
      strong_algorithms: r.checks.strongAlgorithms,
      report: r,
    }));
    // One row per (document, index), as the primary key wants: an upsert may not touch a row twice.
    const signatures = new Map<string, object>();
    for (const [sha256, report] of verified) {
      for (const s of report.signatures) {
        const key = `${sha256}\u0000${s.index}`;
        if (signatures.has(key)) continue;
        signatures.set(key, {
          sha256,
          idx: s.index,
          type: s.type ?? 'signature',
          category: s.ca.category,
          provider: providerName(s),
          kind: s.signer?.kind ?? 'unknown',
          fingerprint: s.signer?.fingerprintSha256 ?? null,
          common_name: s.signer?.commonName ?? null,
          signing_time: validTime(s.signingTime),
          integrity: s.integrity,
          certificate: s.certificate,
        });
      }
    }
    const certificates = new Map<string, object>();
    for (const s of [...verified.values()].flatMap((r) => r.signatures)) {
      const signer = s.signer;
      if (!signer?.fingerprintSha256 || certificates.has(signer.fingerprintSha256)) continue;
      certificates.set(signer.fingerprintSha256, {
        fingerprint: signer.fingerprintSha256,
        common_name: signer.commonName,
        subject: signer.subject,
        issuer: signer.issuer,
        serial_number: signer.serialNumber,
        kind: signer.kind,
        category: s.ca.category,
        provider: providerName(s),
        not_before: validTime(signer.notBefore),
        not_after: validTime(signer.notAfter),
      });
    }
    const findings = [...verified].flatMap(([sha256, r]) =>
      r.findings.map((f) => ({ sha256, code: f.code, severity: f.severity, signature: f.signature ?? null, message: f.message })),
    );
    // A document stored again is taken out of the summary rows that count it with its old numbers and put back
    // with the new ones, in the transaction that stores it (store/summaries.ts); a new one is in none yet.
    await this.db.transaction(async (tx) => {
      await lockDocuments(tx, verified.keys());
      const counted = await countedIn(tx, [...verified.keys()]);
      await moveCounted(tx, counted, -1);
      await tx.query(SAVE_DOCUMENTS, [
        pgJson(documents),
        pgJson([...signatures.values()]),
        pgJson([...certificates.values()]),
        pgJson(findings),
        shas,
        verifiedAt,
      ]);
      await moveCounted(tx, counted, 1);
    });
    const { rows } = await this.db.query<{ sha256: string }>(
      `SELECT DISTINCT sha256 FROM batch_items WHERE sha256 = ANY (ARRAY(SELECT json_array_elements_text($1::json))) AND status = 'queued'`,
      [shas],
    );
    if (rows.length > 0) {
      const waiting = new Map(rows.map((r) => [r.sha256, verified.get(r.sha256)!]));
      await this.db.transaction((tx) => this.completeQueued(tx, waiting));
    }
  }

  async pendingDocuments(limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ sha256: string }>(
      `SELECT sha256 FROM batch_items WHERE status = 'queued' GROUP BY sha256 ORDER BY min(item_no) LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map((r) => r.sha256);
  }

  async knownDocuments(sha256s: string[]): Promise<string[]> {
    const known: string[] = [];
    for (const part of chunks([...new Set(sha256s)])) {
      const { rows } = await this.db.query<{ sha256: string }>(
        'SELECT sha256 FROM documents WHERE sha256 = ANY (ARRAY(SELECT json_array_elements_text($1::json)))',
        [JSON.stringify(part)],
      );
      for (const r of rows) known.push(r.sha256);
    }
    return known;
  }

  async completeFromStoredReport(sha256: string): Promise<boolean> {
    // The common case is a document never seen: one index probe, no report read.
    const { rows } = await this.db.query<{ waiting: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM batch_items WHERE sha256 = $1 AND status = 'queued') AS waiting
       FROM documents WHERE sha256 = $1`,
      [sha256],
    );
    if (rows.length === 0) return false;
    if (rows[0].waiting) {
      // Rows the two-pass protocol of createBatch and saveGroup completes by itself, unless that process died
      // between its passes: completed here from the stored report, as createBatch would have.
      await this.db.transaction(async (tx) => {
        const { rows: stored } = await tx.query<{ report: DocumentReport }>('SELECT report FROM documents WHERE sha256 = $1', [sha256]);
        if (stored[0]) await this.completeQueued(tx, new Map([[sha256, stored[0].report]]));
      });
    }
    return true;
  }

  async getBatch(id: string, units?: string[]): Promise<BatchStatusView | null> {
    // $2 NULL: not limited, so "own" and "mine" are all of it.
    const { rows } = await this.db.query<{
      id: string;
      source: string;
      created_at: unknown;
      own: boolean;
      total: number;
      done: number;
      errors: number;
      mine: number;
      mine_errors: number;
    }>(
      `SELECT b.id, b.source, b.created_at,
              ($2::jsonb IS NULL OR ${ownBatch('$2')}) AS own,
              count(bi.file)::int AS total,
              count(*) FILTER (WHERE bi.status = 'done')::int AS done,
              count(*) FILTER (WHERE bi.status = 'done' AND bi.verdict = 'error')::int AS errors,
              count(*) FILTER (WHERE bi.status = 'done' AND $2::jsonb ? bi.unit)::int AS mine,
              count(*) FILTER (WHERE bi.status = 'done' AND bi.verdict = 'error' AND $2::jsonb ? bi.unit)::int AS mine_errors
       FROM batches b LEFT JOIN batch_items bi ON bi.batch_id = b.id
       WHERE b.id = $1
       GROUP BY b.id, b.source, b.created_at, b.units`,
      [id, units ? JSON.stringify(units) : null],
    );
    const row = rows[0];
    if (!row) return null;
    const status: BatchStatus = row.done === row.total ? 'done' : row.done === 0 ? 'queued' : 'running';
    const view = { id: row.id, status, createdAt: iso(row.created_at), source: row.source };
    if (row.own) return { ...view, total: row.total, done: row.done, errors: row.errors };
    // Another's batch: the clerk's rows only, and nothing at all (as for no batch) while it holds none of them.
    if (row.mine === 0) return null;
    return { ...view, total: row.mine, done: row.mine, errors: row.mine_errors };
  }

  async streamBatchReport(id: string, units?: string[]): Promise<BatchReportStream | null> {
    const scope = units ? JSON.stringify(units) : null;
    const batch = await this.db.query<{ findings: Finding[]; own: boolean }>(
      `SELECT b.findings, ($2::jsonb IS NULL OR ${ownBatch('$2')}) AS own FROM batches b WHERE b.id = $1`,
      [id, scope],
    );
    if (batch.rows.length === 0) return null;
    const own = batch.rows[0].own;
    // The names alone first, sorted here: SQL cannot order by the report's collation (Vietnamese, numbers as numbers).
    const { rows } = await this.db.query<{ file: string }>(
      `SELECT file FROM batch_items
       WHERE batch_id = $1 AND status = 'done'
         AND ($2::jsonb IS NULL OR unit IN (SELECT jsonb_array_elements_text($2::jsonb)))`,
      [id, own ? null : scope],
    );
    if (!own && rows.length === 0) return null;
    const files = rows.map((r) => r.file).sort(compareFileNames);
    const db = this.db;
    const pageSize = this.reportPage;
    async function* documents(): AsyncGenerator<DocumentReport> {
      for (const page of chunks(files, pageSize)) {
        const found = await db.query<{ file: string; report: DocumentReport }>(REPORT_PAGE_QUERY, [id, JSON.stringify(page)]);
        const byFile = new Map(found.rows.map((r) => [r.file, r.report]));
        for (const file of page) {
          const report = byFile.get(file);
          if (report) yield report;
        }
      }
    }
    // The findings of a batch name register rows and archive entries of every unit it holds: a clerk sees those of
    // a batch a clerk of their units uploaded (rows naming another unit were refused there by line number only).
    return { generatedAt: this.now(), findings: own ? batch.rows[0].findings : [], documents: documents() };
  }

  async getDocument(sha256: string, units?: string[]): Promise<DocumentReport | null> {
    if (!units) {
      const { rows } = await this.db.query<{ report: DocumentReport }>('SELECT report FROM documents WHERE sha256 = $1', [sha256]);
      return rows[0]?.report ?? null;
    }
    // The verified report (documents) carries the name it was first verified under, maybe another unit's: a clerk
    // reads only a row of theirs, and nothing tells "no such bytes" from "another unit's bytes".
    const { rows } = await this.db.query<{ report: DocumentReport }>(
      `SELECT bi.report
       FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
       WHERE bi.sha256 = $1 AND bi.status = 'done'
         AND (bi.unit IN (SELECT jsonb_array_elements_text($2::jsonb)) OR ${ownBatch('$2')})
       ORDER BY bi.completed_at DESC, bi.item_no DESC
       LIMIT 1`,
      [sha256, JSON.stringify(units)],
    );
    return rows[0]?.report ?? null;
  }

  streamPeriodReport(q: UnitQuery): Promise<BatchReportStream> {
    return streamPeriodReport(this.db, q, this.reportPage, this.now());
  }

  // -- Aggregates -------------------------------------------------------------------------------------------------

  unitSummaries(q: UnitQuery): Promise<UnitSummary[]> {
    return unitSummaries(this.db, q);
  }

  providers(q: UnitQuery): Promise<ProviderRow[]> {
    return providerRows(this.db, q);
  }

  unitMonths(q: UnitQuery): Promise<UnitMonthSummary[]> {
    return unitMonths(this.db, q);
  }

  certificates(q: CertificateQuery, now: Date = this.now()): Promise<CertificateRow[]> {
    return certificateRows(this.db, q, now);
  }

  // -- Lists --------------------------------------------------------------------------------------------------------

  listBatches(q: BatchListQuery): Promise<Paged<BatchListItem>> {
    return listBatches(this.db, q);
  }

  documentRows(q: DocumentQuery): Promise<Paged<DocumentRow>> {
    return documentRows(this.db, q);
  }

  async batchSummary(id: string, units?: string[]): Promise<BatchSummaryView | null> {
    // getBatch decides what the caller may see of the batch, as for its status and report.
    const batch = await this.getBatch(id, units);
    return batch ? batchSummary(this.db, id, units, batch.status) : null;
  }

  // -- Tokens and exports -----------------------------------------------------------------------------------------

  async createToken(hash: string, record: Omit<TokenRecord, 'createdAt'>): Promise<TokenRecord> {
    const { rows } = await this.db.query<TokenRow>(
      `INSERT INTO tokens (id, hash, role, units, label, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamptz)
       RETURNING id, role, units, label, created_at`,
      [record.id, hash, record.role, JSON.stringify(record.units), record.label, this.now().toISOString()],
    );
    return tokenRecord(rows[0]);
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    const { rows } = await this.db.query<TokenRow>('SELECT id, role, units, label, created_at FROM tokens WHERE hash = $1', [hash]);
    return rows[0] ? tokenRecord(rows[0]) : null;
  }

  async claimExport(name: string, fingerprint: string, batchId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ name: string }>(
      `INSERT INTO exports (name, fingerprint, batch_id, claimed_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (name) DO NOTHING
       RETURNING name`,
      [name, fingerprint, batchId, this.now().toISOString()],
    );
    return rows.length === 1;
  }
}

function tokenRecord(row: TokenRow): TokenRecord {
  return { id: row.id, role: row.role, units: row.units, label: row.label, createdAt: iso(row.created_at) };
}
