import { applyRegister, matchKey } from '../../server/register/apply';
import type { RegisterRow } from '../../server/register/table';
import { batchFinding } from '../../server/shared/messages';
import { buildBatchReport, compareFileNames, providerName, summarize } from '../../server/report/summary';
import type { BatchItem, NewBatch, ProviderRow, UnitQuery } from '../../server/shared/types';
import { readMigrations, splitStatements } from '../../server/store/migrate';
import type { SqlClient } from '../../server/store/sql';
import { REPORT_PAGE_QUERY, SqlStore } from '../../server/store/sql-store';
import type { BatchReport, DocumentReport } from '../../worker/report';
import { UNIT_NAMES } from '../../samples/lib/test-pki';
import { schemaErrors } from '../helpers/schema';
import { scenarioReports, type Name } from './fixtures';
import { wholeReport } from '../helpers/whole-report';

/**
 * The store's behaviour, one suite for both engines: each test file opens its engine (a fresh PGlite directory, a
 * fresh PostgreSQL schema) and hands the client here.
 */

export interface Opened {
  client: SqlClient;
  /** Drops what `open` made (the schema, the directory); the client is closed by then. */
  cleanup(): Promise<void>;
}

const TABLES = 'batches, batch_items, documents, signatures, certificates, findings, tokens, exports, unit_document_months, unit_months, unit_month_providers, unit_month_certificates, batch_unit_counts';
const UNIT0 = UNIT_NAMES[0];
const UNIT1 = UNIT_NAMES[1];

/** A BatchReport without its generation time, as JSON text: equal means equal field by field and in key order. */
function comparable(report: BatchReport | null): string {
  if (!report) return 'null';
  return JSON.stringify({ ...report, generatedAt: 'fixed' });
}

export function defineStoreSuite(label: string, open: () => Promise<Opened>): void {
  describe(`SqlStore on ${label}`, () => {
    let opened: Opened;
    let store: SqlStore;
    let reports: Record<Name, DocumentReport>;
    const clock = { now: new Date('2026-05-20T03:00:00Z') };

    const sha = (name: Name): string => reports[name].sha256;
    const item = (name: Name, file: string, register: RegisterRow | null = null): BatchItem => ({
      file,
      sha256: sha(name),
      size: reports[name].size,
      register,
    });
    const batch = (id: string, items: BatchItem[], extra: Partial<NewBatch> = {}): NewBatch => ({
      id,
      source: 'upload',
      items,
      findings: [],
      hasRegister: false,
      createdBy: null,
      ...extra,
    });
    const save = (name: Name): Promise<void> => store.saveDocumentReport(sha(name), reports[name]);
    const count = async (table: string): Promise<number> =>
      (await opened.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    const reset = async (): Promise<void> => {
      await opened.client.query(`TRUNCATE ${TABLES}`);
      clock.now = new Date('2026-05-20T03:00:00Z');
    };

    beforeAll(async () => {
      reports = await scenarioReports();
      opened = await open();
      store = new SqlStore(opened.client, { now: () => clock.now });
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await opened?.cleanup();
    });

    test('the scenario reports are what the tests assume', () => {
      expect(reports['compliant-two-layer-unit-0'].unit).toBe(UNIT0);
      expect(reports['compliant-two-layer-unit-1'].unit).toBe(UNIT1);
      expect(reports['broken-not-pdf'].verdict).toBe('error');
      expect(reports['compliant-document-timestamp'].signatures.some((s) => s.type === 'document-timestamp')).toBe(true);
      expect(reports['public-ca-two-layer-vnpt'].signatures.every((s) => s.ca.category === 'public')).toBe(true);
      expect(new Set(Object.values(reports).map((r) => r.sha256)).size).toBe(Object.keys(reports).length);
    });

    test('migrations are idempotent, sequentially and concurrently', async () => {
      await store.migrate();
      await Promise.all([store.migrate(), store.migrate()]);
      const versions = (await opened.client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
      expect(versions.map((v) => v.version)).toEqual(readMigrations().map((m) => m.version));
      expect(await count('batches')).toBe(0);
    });

    test('a file in two batches is verified once and counted in both', async () => {
      await reset();
      const first = await store.createBatch(batch('b1', [item('compliant-two-layer-unit-0', 'a.pdf'), item('public-ca-two-layer-vnpt', 'b.pdf')]));
      expect(first.pending.sort()).toEqual([sha('compliant-two-layer-unit-0'), sha('public-ca-two-layer-vnpt')].sort());
      expect(await store.getBatch('b1')).toMatchObject({ id: 'b1', status: 'queued', total: 2, done: 0, errors: 0, source: 'upload' });
      expect(await store.pendingDocuments(10)).toEqual(first.pending);

      await save('compliant-two-layer-unit-0');
      expect(await store.getBatch('b1')).toMatchObject({ status: 'running', total: 2, done: 1 });
      await save('public-ca-two-layer-vnpt');
      expect(await store.getBatch('b1')).toMatchObject({ status: 'done', total: 2, done: 2, errors: 0 });

      // The same content under another name, next to a new file: only the new file needs verifying.
      const second = await store.createBatch(batch('b2', [item('compliant-two-layer-unit-0', 'khac/a-ban-sao.pdf'), item('broken-not-pdf', 'c.pdf')]));
      expect(second.pending).toEqual([sha('broken-not-pdf')]);
      expect(await store.getBatch('b2')).toMatchObject({ status: 'running', total: 2, done: 1, errors: 0 });
      const partial = await wholeReport(store, 'b2');
      expect(partial?.documents.map((d) => d.file)).toEqual(['khac/a-ban-sao.pdf']);

      await save('broken-not-pdf');
      expect(await store.getBatch('b2')).toMatchObject({ status: 'done', total: 2, done: 2, errors: 1 });
      expect(await store.pendingDocuments(10)).toEqual([]);
      expect(await count('documents')).toBe(3);

      // Counted in each batch …
      const b1 = await wholeReport(store, 'b1');
      const b2 = await wholeReport(store, 'b2');
      expect(b1?.totals.documents).toBe(2);
      expect(b2?.totals.documents).toBe(2);
      expect(b2?.documents.map((d) => [d.file, d.sha256])).toEqual([
        ['c.pdf', sha('broken-not-pdf')],
        ['khac/a-ban-sao.pdf', sha('compliant-two-layer-unit-0')],
      ]);
      // … and once per unit in the unit report.
      const units = await store.unitSummaries({});
      expect(units.find((u) => u.unit === UNIT0)?.documents).toBe(1);
      // A reader limited to the unit gets its latest row of it (its name in that batch), another unit nothing.
      expect((await store.getDocument(sha('compliant-two-layer-unit-0'), [UNIT0]))?.file).toBe('khac/a-ban-sao.pdf');
      expect(await store.getDocument(sha('compliant-two-layer-unit-0'), [UNIT1])).toBeNull();
      expect(await store.getDocument(sha('compliant-two-layer-unit-0'))).toEqual(reports['compliant-two-layer-unit-0']);
    });

    test('saving a report again (a retried job) counts nothing twice', async () => {
      const snapshot = async (): Promise<unknown> => ({
        units: await store.unitSummaries({}),
        providers: await store.providers({}),
        b1: await store.getBatch('b1'),
        b2: await store.getBatch('b2'),
        r1: comparable(await wholeReport(store, 'b1')),
        rows: {
          documents: await count('documents'),
          signatures: await count('signatures'),
          certificates: await count('certificates'),
          findings: await count('findings'),
          items: await count('batch_items'),
        },
      });
      const before = await snapshot();
      await save('compliant-two-layer-unit-0');
      await Promise.all([save('public-ca-two-layer-vnpt'), save('public-ca-two-layer-vnpt'), save('broken-not-pdf')]);
      expect(await snapshot()).toEqual(before);
    });

    test('a report saved again with fewer signatures and other findings replaces the old rows', async () => {
      await reset();
      const name: Name = 'compliant-two-layer-unit-0';
      const full = reports[name];
      expect(full.signatures.length).toBeGreaterThan(1);
      const fewer: DocumentReport = {
        ...full,
        signatures: full.signatures.slice(0, 1),
        findings: [{ code: 'TEST_ONLY', severity: 'warning', message: 'thử / test' }] as DocumentReport['findings'],
      };
      const signatureRows = async (): Promise<number[]> =>
        (await opened.client.query<{ idx: number }>('SELECT idx FROM signatures WHERE sha256 = $1 ORDER BY idx', [sha(name)])).rows.map((r) => r.idx);
      const findingCodes = async (): Promise<string[]> =>
        (await opened.client.query<{ code: string }>('SELECT code FROM findings WHERE sha256 = $1 AND batch_id IS NULL ORDER BY code', [sha(name)])).rows.map(
          (r) => r.code,
        );
      await save(name);
      expect(await signatureRows()).toEqual(full.signatures.map((s) => s.index).sort((a, b) => a - b));
      await store.saveDocumentReport(sha(name), fewer);
      expect(await signatureRows()).toEqual([full.signatures[0].index]);
      expect(await findingCodes()).toEqual(['TEST_ONLY']);
      // And back: the signature that came back and the document's own findings are there again, once.
      await Promise.all([store.saveDocumentReport(sha(name), fewer), save(name)]);
      expect(await signatureRows()).toEqual(full.signatures.map((s) => s.index).sort((a, b) => a - b));
      expect(await findingCodes()).toEqual(full.findings.map((f) => f.code).sort());
      expect(await store.getDocument(sha(name))).toEqual(full);
    });

    test('a batch created while its document is being saved never waits forever', async () => {
      await reset();
      for (let i = 0; i < 15; i++) {
        await opened.client.query('DELETE FROM documents WHERE sha256 = $1', [sha('leader-only')]);
        await Promise.all([
          store.createBatch(batch(`race-${i}`, [item('leader-only', 'a.pdf'), item('agency-only', `b-${i}.pdf`)])),
          save('leader-only'),
        ]);
        // Whichever committed first, the document exists now, so its row is done: nothing waits for a job that
        // already ran (pending may still have named it, when the batch was in before the document was).
        const rows = await opened.client.query<{ status: string }>(`SELECT status FROM batch_items WHERE batch_id = $1 AND file = 'a.pdf'`, [
          `race-${i}`,
        ]);
        expect(rows.rows).toEqual([{ status: 'done' }]);
      }
      expect(await store.pendingDocuments(100)).toEqual([sha('agency-only')]);
    });

    test('saves written together: a bad report fails alone, the others are stored', async () => {
      await reset();
      await store.createBatch(batch('g', [item('agency-only', 'a.pdf'), item('leader-only', 'b.pdf')]));
      const bad = { ...reports['broken-not-pdf'], verdict: 'not-a-verdict' } as unknown as DocumentReport;
      const results = await Promise.allSettled([save('agency-only'), store.saveDocumentReport(sha('broken-not-pdf'), bad), save('leader-only')]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.getBatch('g')).toMatchObject({ status: 'done', done: 2 });
      expect(await store.getDocument(sha('broken-not-pdf'))).toBeNull();
      expect(await count('documents')).toBe(2);
    });

    test('saves arriving a few milliseconds apart are written together, in one statement', async () => {
      await reset();
      let statements = 0;
      const counting: SqlClient = {
        serialized: opened.client.serialized,
        query: (text, params) => {
          if (text.includes('saved_documents')) statements++;
          return opened.client.query(text, params);
        },
        // The statement is counted inside a transaction too (it runs in one with the summary rows' changes).
        transaction: (fn) =>
          opened.client.transaction((tx) =>
            fn({
              query: (text, params) => {
                if (text.includes('saved_documents')) statements++;
                return tx.query(text, params);
              },
            }),
          ),
        close: async () => undefined,
      };
      const gathered = new SqlStore(counting, { now: () => clock.now });
      const names: Name[] = ['agency-only', 'leader-only', 'broken-not-pdf'];
      const saves: Promise<void>[] = [];
      for (const name of names) {
        saves.push(gathered.saveDocumentReport(sha(name), reports[name]));
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await Promise.all(saves);
      expect(statements).toBe(1);
      expect(await count('documents')).toBe(3);
      await gathered.close();
    });

    test("a document's own findings are found by sha256, never through the batch index", async () => {
      // Indexed with its NULLs, findings_batch let a save's delete of its documents' findings scan every document's.
      const { rows } = await opened.client.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'findings_batch' AND schemaname = current_schema()",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].indexdef).toMatch(/WHERE \(batch_id IS NOT NULL\)/);
    });

    test('a batch report streamed a page at a time: every document once, in file-name order, as the whole report', async () => {
      await reset();
      const files = ['CV-10.pdf', 'cv-2.pdf', 'Đề án.pdf', 'de-an.pdf', 'CV-1.pdf', 'khac/CV-3.pdf', 'Báo cáo.pdf'];
      const names: Name[] = ['compliant-two-layer-unit-0', 'compliant-two-layer-unit-1', 'broken-not-pdf'];
      await store.createBatch(batch('paged', files.map((file, i) => item(names[i % names.length], file)), { findings: [batchFinding('ZIP_UNSAFE_PATH', { what: '../x.pdf' })] }));
      for (const name of names) await save(name);
      // A client whose close leaves the suite's own open: the store under test reads two documents per query.
      const shared: SqlClient = {
        serialized: opened.client.serialized,
        query: (text, params) => opened.client.query(text, params),
        transaction: (fn) => opened.client.transaction(fn),
        close: async () => undefined,
      };
      const paged = new SqlStore(shared, { now: () => clock.now, reportPage: 2 });
      const collect = async (units?: string[]): Promise<{ files: string[]; findings: number } | null> => {
        const stream = await paged.streamBatchReport('paged', units);
        if (!stream) return null;
        const seen: string[] = [];
        for await (const doc of stream.documents) seen.push(doc.file);
        return { files: seen, findings: stream.findings.length };
      };
      expect(await collect()).toEqual({ files: [...files].sort(compareFileNames), findings: 1 });
      const whole = await wholeReport(store, 'paged');
      expect(comparable(await wholeReport(paged, 'paged'))).toBe(comparable(whole));
      // A reader limited to a unit sees that unit's documents and none of the batch's own findings.
      const unit0 = await collect([UNIT0]);
      expect(unit0?.files).toEqual(whole?.documents.filter((d) => d.unit === UNIT0).map((d) => d.file));
      expect(unit0?.files.length).toBeGreaterThan(0);
      expect(unit0?.findings).toBe(0);
      expect(await paged.streamBatchReport('nope')).toBeNull();
      await paged.close();
    });

    test('a page of a batch report is looked up by key, even in a batch never analyzed', async () => {
      // The planner's estimate for a table just filled is one row; the page query must not then scan the batch.
      await reset();
      const many = Array.from({ length: 3000 }, (_, i) => item('compliant-two-layer-unit-0', `CV-${i}.pdf`));
      await store.createBatch(batch('big', many));
      await opened.client.query("UPDATE batch_items SET status = 'done' WHERE batch_id = 'big'");
      const names = JSON.stringify(many.slice(0, 500).map((i) => i.file));
      const { rows } = await opened.client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${REPORT_PAGE_QUERY}`.replace('$1', "'big'").replace('$2', `'${names}'`));
      interface PlanNode {
        'Node Type': string;
        'Relation Name'?: string;
        'Index Name'?: string;
        Plans?: PlanNode[];
      }
      const raw = rows[0]['QUERY PLAN'];
      const top = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
      const reads: string[] = [];
      const walk = (node: PlanNode): void => {
        if (node['Relation Name'] === 'batch_items') reads.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(top[0].Plan);
      expect(reads).toEqual(['Index Scan batch_items_pkey']);
    });

    test('batch status: an empty batch is done; one content under two names completes both rows', async () => {
      await reset();
      expect((await store.createBatch(batch('empty', []))).pending).toEqual([]);
      expect(await store.getBatch('empty')).toMatchObject({ status: 'done', total: 0, done: 0 });

      const twice = await store.createBatch(batch('twice', [item('leader-only', 'x.pdf'), item('leader-only', 'y.pdf')]));
      expect(twice.pending).toEqual([sha('leader-only')]);
      expect(await store.getBatch('twice')).toMatchObject({ status: 'queued', total: 2, done: 0 });
      await save('leader-only');
      expect(await store.getBatch('twice')).toMatchObject({ status: 'done', total: 2, done: 2 });
      expect((await wholeReport(store, 'twice'))?.documents.map((d) => d.file)).toEqual(['x.pdf', 'y.pdf']);

      expect(await store.getBatch('nope')).toBeNull();
      expect(await wholeReport(store, 'nope')).toBeNull();
      expect(await store.getDocument('0'.repeat(64))).toBeNull();
      expect(await store.getDocument('0'.repeat(64), [UNIT0])).toBeNull();
    });

    test('a document verified before its batch exists (an upload enqueues early): the batch is done when created', async () => {
      await reset();
      await save('agency-only');
      await save('leader-only');
      expect((await store.knownDocuments([sha('leader-only'), sha('broken-not-pdf'), sha('agency-only'), sha('leader-only')])).sort()).toEqual(
        [sha('agency-only'), sha('leader-only')].sort(),
      );
      expect(await store.knownDocuments([])).toEqual([]);
      const created = await store.createBatch(batch('early', [item('agency-only', 'a.pdf'), item('leader-only', 'b.pdf'), item('broken-not-pdf', 'c.pdf')]));
      expect(created.pending).toEqual([sha('broken-not-pdf')]);
      expect(await store.getBatch('early')).toMatchObject({ status: 'running', total: 3, done: 2 });
      // The rows are the batch's own view (its file names), as if verified after it was created.
      expect((await wholeReport(store, 'early'))?.documents.map((d) => [d.file, d.verdict])).toEqual([
        ['a.pdf', reports['agency-only'].verdict],
        ['b.pdf', reports['leader-only'].verdict],
      ]);
    });

    test('completeFromStoredReport: false for an unverified document; else completes rows left waiting, from the report', async () => {
      await reset();
      expect(await store.completeFromStoredReport(sha('leader-only'))).toBe(false);
      await store.createBatch(batch('left', [item('leader-only', 'x.pdf'), item('agency-only', 'y.pdf')]));
      await save('leader-only');
      const expected = comparable(await wholeReport(store, 'left'));
      // A row left waiting although its document is verified: a process died between createBatch's two passes.
      await opened.client.query(
        `UPDATE batch_items SET status = 'queued', unit = NULL, month = NULL, verdict = NULL, report = NULL, completed_at = NULL
         WHERE batch_id = 'left' AND file = 'x.pdf'`,
      );
      await opened.client.query(`DELETE FROM findings WHERE batch_id = 'left' AND sha256 IS NOT NULL`);
      expect(await store.getBatch('left')).toMatchObject({ done: 0 });
      const documentsBefore = await opened.client.query<{ verified_at: unknown }>('SELECT verified_at FROM documents');
      expect(await store.completeFromStoredReport(sha('leader-only'))).toBe(true);
      expect(await store.getBatch('left')).toMatchObject({ done: 1, total: 2 });
      expect(comparable(await wholeReport(store, 'left'))).toEqual(expected);
      // The document itself is not written again.
      expect((await opened.client.query('SELECT verified_at FROM documents')).rows).toEqual(documentsBefore.rows);
      // Nothing waiting: true, and nothing changes.
      expect(await store.completeFromStoredReport(sha('leader-only'))).toBe(true);
      expect(await store.pendingDocuments(10)).toEqual([sha('agency-only')]);
    });

    test('pendingDocuments lists waiting contents once each, oldest first', async () => {
      await reset();
      await store.createBatch(batch('p1', [item('agency-only', 'a.pdf'), item('leader-only', 'b.pdf')]));
      await store.createBatch(batch('p2', [item('broken-not-pdf', 'c.pdf'), item('agency-only', 'd.pdf')]));
      expect(await store.pendingDocuments(10)).toEqual([sha('agency-only'), sha('leader-only'), sha('broken-not-pdf')]);
      expect(await store.pendingDocuments(1)).toEqual([sha('agency-only')]);
      await save('agency-only');
      expect(await store.pendingDocuments(10)).toEqual([sha('leader-only'), sha('broken-not-pdf')]);
      expect(await store.getBatch('p2')).toMatchObject({ status: 'running', done: 1 });
    });

    test('the whole report equals what `kiemky check --register` computes for the same files', async () => {
      await reset();
      const files: Array<[Name, string]> = [
        ['compliant-two-layer-unit-0', 'thang-3/so 10.pdf'],
        ['compliant-two-layer-unit-1', 'thang-3/so 9.pdf'],
        ['compliant-document-timestamp', 'thang-3/so 100.pdf'],
        ['public-ca-two-layer-vnpt', 'thang-3/so 11.pdf'],
        ['mixed-gov-leader-viettel-agency', 'Thang-3/So 12.PDF'],
        ['broken-not-pdf', 'thang-3/hong.pdf'],
      ];
      const row = (line: number, file: string, date: string, extra: Partial<RegisterRow> = {}): RegisterRow => ({
        line,
        file,
        number: `${line}/UBND-VP`,
        date,
        summary: `Văn bản dòng ${line}`,
        signer: null,
        unit: null,
        ...extra,
      });
      const register: RegisterRow[] = [
        row(2, 'so 10', '2026-03-10', { signer: 'Người Khác Hẳn', unit: UNIT0 }),
        row(3, 'so 9.pdf', '2026-03-10'),
        // Matched case-insensitively, as applyRegister does.
        row(4, 'so 12.pdf', '2026-03-20', { unit: 'Phòng Tài chính - Kế hoạch' }),
        row(5, 'so 99.pdf', '2026-03-11'),
      ];
      const zipFinding = batchFinding('ZIP_UNSAFE_PATH', { entry: '../x.pdf', archive: 'thang-3.zip' });

      // The CLI: every file verified under its own name, sorted, the register joined over the whole batch.
      const cliDocs = files
        .map(([name, file]) => ({ ...reports[name], file }))
        .sort((a, b) => compareFileNames(a.file, b.file));
      const joined = applyRegister(cliDocs, register);
      const findings = [zipFinding, ...joined.batchFindings];
      const expected = buildBatchReport(joined.documents, findings);
      expect(findings.map((f) => f.code)).toEqual(['ZIP_UNSAFE_PATH', 'REGISTER_ROW_WITHOUT_PDF']);
      expect(joined.documents.flatMap((d) => d.findings.map((f) => f.code))).toEqual(
        expect.arrayContaining(['DOCUMENT_NOT_IN_REGISTER', 'REGISTER_SIGNER_MISMATCH', 'REGISTER_DATE_MISMATCH']),
      );

      // Two of the contents were verified before the batch came (their rows complete at creation).
      await save('compliant-two-layer-unit-0');
      await save('mixed-gov-leader-viettel-agency');
      const items = files.map(([name, file]) => item(name, file, register.find((r) => r.file && matchKey(r.file) === matchKey(file)) ?? null));
      const created = await store.createBatch(batch('reg', items, { hasRegister: true, findings }));
      expect(created.pending).toHaveLength(4);
      for (const name of ['compliant-two-layer-unit-1', 'compliant-document-timestamp', 'public-ca-two-layer-vnpt', 'broken-not-pdf'] as const) {
        await save(name);
      }
      const actual = await wholeReport(store, 'reg');
      expect(comparable(actual)).toBe(comparable(expected));
      expect(actual).toEqual({ ...expected, generatedAt: actual?.generatedAt });
      const errors = schemaErrors(actual);
      expect(errors).toEqual([]);

      // A clerk's view: the documents of their units, no batch-wide findings.
      const mine = await wholeReport(store, 'reg', [UNIT0, 'Phòng Tài chính - Kế hoạch']);
      const mineExpected = buildBatchReport(
        joined.documents.filter((d) => d.unit === UNIT0 || d.unit === 'Phòng Tài chính - Kế hoạch'),
        [],
      );
      expect(mineExpected.documents).toHaveLength(2);
      expect(comparable(mine)).toBe(comparable(mineExpected));

      // The register cross-checks are findings of the batch row, not of the document.
      const rowFindings = (
        await opened.client.query<{ code: string; file: string }>(
          `SELECT code, file FROM findings WHERE batch_id = 'reg' AND sha256 IS NOT NULL ORDER BY file, code`,
        )
      ).rows;
      const expectedRowFindings = joined.documents
        .flatMap((d) => d.findings.slice(reports[files.find(([, f]) => f === d.file)![0]].findings.length).map((f) => ({ code: f.code, file: d.file })))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.code < b.code ? -1 : 1));
      expect(rowFindings).toEqual(expectedRowFindings);
      expect(await store.getDocument(sha('compliant-two-layer-unit-0'))).toEqual(reports['compliant-two-layer-unit-0']);
    });

    test('unit, month and provider aggregates: months, from/to filters, unit restriction', async () => {
      await reset();
      // Batch m1 arrives on 1 June in Vietnam (31 May 18:00 UTC): the month a document without a date counts in.
      clock.now = new Date('2026-05-31T18:00:00Z');
      await store.createBatch(
        batch('m1', [
          item('compliant-two-layer-unit-0', 'a.pdf'),
          item('public-ca-two-layer-vnpt', 'b.pdf'),
          item('broken-not-pdf', 'c.pdf'),
          item('compliant-document-timestamp', 'd.pdf'),
        ]),
      );
      clock.now = new Date('2026-05-20T03:00:00Z');
      const reg = (line: number, file: string, date: string, unit: string | null): RegisterRow => ({
        line,
        file,
        number: `${line}/VP`,
        date,
        summary: null,
        signer: null,
        unit,
      });
      await store.createBatch(
        batch(
          'm2',
          [
            item('compliant-two-layer-unit-1', 'e.pdf', reg(2, 'e.pdf', '2026-04-02', null)),
            item('compliant-two-layer-unit-0', 'a-lai.pdf', reg(3, 'a-lai.pdf', '2026-04-15', UNIT0)),
            item('mixed-gov-leader-viettel-agency', 'f.pdf', reg(4, 'f.pdf', '02/04/2026', 'Phòng Tài chính - Kế hoạch')),
            item('agency-only', 'g.pdf'),
          ],
          { hasRegister: true },
        ),
      );
      for (const name of [
        'compliant-two-layer-unit-0',
        'public-ca-two-layer-vnpt',
        'broken-not-pdf',
        'compliant-document-timestamp',
        'compliant-two-layer-unit-1',
        'mixed-gov-leader-viettel-agency',
        'agency-only',
      ] as const) {
        await save(name);
      }

      const rows = (
        await opened.client.query<{ batch_id: string; file: string; sha256: string; unit: string | null; month: string }>(
          'SELECT batch_id, file, sha256, unit, month FROM batch_items ORDER BY batch_id, file',
        )
      ).rows;
      // Register date, else the latest signing time in Vietnam, else the batch's month in Vietnam; an unreadable
      // register date ('02/04/2026' kept as written) falls through to the signing time.
      expect(rows.map((r) => [r.batch_id, r.file, r.month])).toEqual([
        ['m1', 'a.pdf', '2026-03'],
        ['m1', 'b.pdf', '2026-03'],
        ['m1', 'c.pdf', '2026-06'],
        ['m1', 'd.pdf', '2026-03'],
        ['m2', 'a-lai.pdf', '2026-04'],
        ['m2', 'e.pdf', '2026-04'],
        ['m2', 'f.pdf', '2026-03'],
        ['m2', 'g.pdf', '2026-03'],
      ]);

      // The same figures from summary.ts over the documents each query selects, each (document, unit) once.
      const batchDocs = [...(await wholeReport(store, 'm1'))!.documents, ...(await wholeReport(store, 'm2'))!.documents];
      const monthOf = new Map(rows.map((r) => [r.file, r.month]));
      const expectedFor = (q: UnitQuery): { units: ReturnType<typeof summarize>['units']; providers: Omit<ProviderRow, 'category'>[] } => {
        const seen = new Set<string>();
        const docs = batchDocs.filter((d) => {
          const month = monthOf.get(d.file)!;
          if ((q.from && month < q.from) || (q.to && month > q.to)) return false;
          if (q.units && (d.unit === null || !q.units.includes(d.unit))) return false;
          const key = `${d.sha256}|${d.unit}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        const units = docs.length === 0 ? [] : summarize(docs).units;
        const providers = units.flatMap((u) => Object.entries(u.providers).map(([provider, documents]) => ({ unit: u.unit, provider, documents })));
        return { units, providers };
      };
      const queries: UnitQuery[] = [
        {},
        { from: '2026-04' },
        { to: '2026-03' },
        { from: '2026-04', to: '2026-04' },
        { from: '2026-06', to: '2026-06' },
        { units: [UNIT0] },
        { units: [UNIT0, UNIT1], from: '2026-04' },
        { units: [] },
        { from: '2027-01' },
      ];
      for (const q of queries) {
        const expected = expectedFor(q);
        expect({ q, units: await store.unitSummaries(q) }).toEqual({ q, units: expected.units });
        // The category of each provider is checked below; here the counts.
        const providers = (await store.providers(q)).map(({ category: _category, ...row }) => row);
        expect({ q, providers: [...providers].sort(byUnitProvider) }).toEqual({ q, providers: [...expected.providers].sort(byUnitProvider) });
      }

      // A few figures spelled out, so the test does not only agree with itself.
      const all = await store.unitSummaries({});
      const gov = providerName(reports['compliant-two-layer-unit-0'].signatures[0]);
      const unit0 = all.find((u) => u.unit === UNIT0)!;
      expect(unit0).toMatchObject({ documents: 1, compliant: 1, compliantPct: 100, providers: { [gov]: 1 } });
      const unit1 = all.find((u) => u.unit === UNIT1)!;
      // unit-1 two-layer, the timestamped one, agency-only: the document timestamp adds no provider.
      expect(unit1).toMatchObject({ documents: 3, compliant: 2, compliantPct: 66.7, twoLayer: 2, signed: 3 });
      expect(unit1.providers).toEqual({ [gov]: 3 });
      expect(all[all.length - 1]).toMatchObject({ unit: null, documents: 1, errors: 1, signedPct: 0 });
      expect((await store.unitSummaries({ from: '2026-04' })).find((u) => u.unit === UNIT0)?.documents).toBe(1);
      const vnpt = reports['public-ca-two-layer-vnpt'];
      const vnptProvider = vnpt.signatures[0].ca.provider;
      expect(vnptProvider).toBeTruthy();
      expect((await store.providers({})).some((p) => p.unit === vnpt.unit && p.provider === vnptProvider && p.documents === 1 && p.category === 'public')).toBe(true);
      expect((await store.providers({})).filter((p) => p.provider === gov).every((p) => p.category === 'government')).toBe(true);
      expect(await store.providers({ units: [] })).toEqual([]);
    });

    test("a clerk's batch counts only for the clerk's units, and a clerk reads only their own rows", async () => {
      await reset();
      const reg = (line: number, file: string, unit: string | null, extra: Partial<RegisterRow> = {}): RegisterRow => ({
        line,
        file,
        number: `${line}/VP`,
        date: '2026-03-10',
        summary: `Dòng ${line}`,
        signer: null,
        unit,
        ...extra,
      });
      // Unit 1's own upload (an admin's, not limited): its document under its name and register row.
      await store.createBatch(
        batch('theirs', [item('compliant-two-layer-unit-1', 'bi-mat-don-vi-1.pdf', reg(2, 'bi-mat-don-vi-1.pdf', UNIT1, { number: '77/BMAT' }))], {
          hasRegister: true,
        }),
      );
      await save('compliant-two-layer-unit-1');
      const before = { units: await store.unitSummaries({}), providers: await store.providers({}) };
      const unit1Before = before.units.find((u) => u.unit === UNIT1);
      expect(unit1Before?.documents).toBe(1);

      // The clerk of unit 0: unit 1's bytes (signed by unit 1's agency) under a register row naming unit 0, a leader's
      // document under a row naming unit 1, and the clerk's own document without a row.
      await store.createBatch(
        batch(
          'mine',
          [
            item('compliant-two-layer-unit-1', 'cua-toi-1.pdf', reg(2, 'cua-toi-1.pdf', UNIT0)),
            item('leader-only', 'cua-toi-2.pdf', reg(3, 'cua-toi-2.pdf', UNIT1, { number: '78/BMAT' })),
            item('compliant-two-layer-unit-0', 'cua-toi-3.pdf'),
          ],
          { hasRegister: true, units: [UNIT0], createdBy: 'clerk-0' },
        ),
      );
      await save('leader-only');
      await save('compliant-two-layer-unit-0');
      const rows = (
        await opened.client.query<{ file: string; unit: string | null; counted: boolean }>(
          `SELECT file, unit, counted FROM batch_items WHERE batch_id = 'mine' ORDER BY file`,
        )
      ).rows;
      expect(rows).toEqual([
        { file: 'cua-toi-1.pdf', unit: null, counted: false },
        { file: 'cua-toi-2.pdf', unit: UNIT0, counted: true },
        { file: 'cua-toi-3.pdf', unit: UNIT0, counted: true },
      ]);
      const rowFindings = (
        await opened.client.query<{ file: string; code: string }>(`SELECT file, code FROM findings WHERE batch_id = 'mine' AND sha256 IS NOT NULL ORDER BY file, code`)
      ).rows;
      expect(rowFindings).toEqual([
        { file: 'cua-toi-1.pdf', code: 'AGENCY_SIGNATURE_OTHER_UNIT' },
        { file: 'cua-toi-2.pdf', code: 'REGISTER_ROW_OTHER_UNIT' },
        { file: 'cua-toi-3.pdf', code: 'DOCUMENT_NOT_IN_REGISTER' },
      ]);

      // Unit 1's figures are what they were; the refused row counts nowhere, not even as "unknown".
      const after = { units: await store.unitSummaries({}), providers: await store.providers({}) };
      expect(after.units.find((u) => u.unit === UNIT1)).toEqual(unit1Before);
      expect(after.providers.filter((p) => p.unit === UNIT1)).toEqual(before.providers.filter((p) => p.unit === UNIT1));
      // (Vietnamese order: Phòng … before Văn phòng ….)
      expect(after.units.map((u) => [u.unit, u.documents])).toEqual([
        [UNIT1, 1],
        [UNIT0, 2],
      ]);

      // The clerk (also of a unit with nothing yet) sees the whole batch they uploaded, with its findings …
      const clerk = [UNIT0, 'Phòng Tư pháp'];
      expect(await store.getBatch('mine', clerk)).toMatchObject({ status: 'done', total: 3, done: 3 });
      const mine = await wholeReport(store, 'mine', clerk);
      expect(mine?.documents.map((d) => [d.file, d.unit])).toEqual([
        ['cua-toi-1.pdf', null],
        ['cua-toi-2.pdf', UNIT0],
        ['cua-toi-3.pdf', UNIT0],
      ]);
      expect(comparable(mine)).toBe(comparable(await wholeReport(store, 'mine')));
      // … and another's batch not at all while it holds nothing of theirs; that batch's own clerk sees theirs.
      expect(await store.getBatch('theirs', clerk)).toBeNull();
      expect(await store.streamBatchReport('theirs', clerk)).toBeNull();
      expect(await store.getBatch('mine', [UNIT1])).toBeNull();
      expect(await store.streamBatchReport('mine', [UNIT1])).toBeNull();
      expect(await store.getBatch('theirs', [UNIT1])).toMatchObject({ total: 1, done: 1 });

      // One content, two rows: each reader gets their own row, the unrestricted one the document as verified.
      const shared = sha('compliant-two-layer-unit-1');
      expect(await store.getDocument(shared, clerk)).toMatchObject({ file: 'cua-toi-1.pdf', unit: null });
      expect(await store.getDocument(shared, [UNIT1])).toMatchObject({ file: 'bi-mat-don-vi-1.pdf', unit: UNIT1, register: { number: '77/BMAT' } });
      expect(await store.getDocument(shared)).toEqual(reports['compliant-two-layer-unit-1']);
      expect(await store.getDocument(sha('leader-only'), [UNIT1])).toBeNull();
      expect(await store.getDocument(sha('leader-only'), clerk)).toMatchObject({ file: 'cua-toi-2.pdf', unit: UNIT0 });
      expect(await store.getDocument(sha('leader-only'), ['Phòng Tư pháp'])).toBeNull();
    });

    test('the clerk-scope migration brings batches uploaded before it under the rules, once', async () => {
      await reset();
      // As stored before 004: a clerk's batch without its units, its rows counted as the register said.
      await store.createToken('c'.repeat(64), { id: 'old-clerk', role: 'clerk', units: [UNIT0], label: null });
      const reg: RegisterRow = { line: 2, file: 'a.pdf', number: '1/VP', date: '2026-03-10', summary: null, signer: null, unit: UNIT1 };
      await save('leader-only');
      await save('compliant-two-layer-unit-0');
      await store.createBatch(batch('old', [item('leader-only', 'a.pdf', reg), item('compliant-two-layer-unit-0', 'b.pdf')], { hasRegister: true, createdBy: 'old-clerk' }));
      await store.createBatch(batch('admin', [item('leader-only', 'c.pdf', { ...reg, file: 'c.pdf' })], { hasRegister: true, createdBy: null }));
      const units = async (): Promise<unknown> =>
        (await opened.client.query('SELECT batch_id, file, status, unit, counted FROM batch_items ORDER BY batch_id, file')).rows;
      expect(await units()).toEqual([
        { batch_id: 'admin', file: 'c.pdf', status: 'done', unit: UNIT1, counted: true },
        { batch_id: 'old', file: 'a.pdf', status: 'done', unit: UNIT1, counted: true },
        { batch_id: 'old', file: 'b.pdf', status: 'done', unit: UNIT0, counted: true },
      ]);
      const migration = readMigrations().find((m) => m.version === '004_clerk_scope_rows');
      expect(migration).toBeDefined();
      const run = async (): Promise<void> => {
        for (const statement of splitStatements(migration!.sql)) await opened.client.query(statement);
      };
      await run();
      expect((await opened.client.query<{ units: unknown }>(`SELECT units FROM batches WHERE id = 'old'`)).rows[0].units).toEqual([UNIT0]);
      expect((await opened.client.query<{ units: unknown }>(`SELECT units FROM batches WHERE id = 'admin'`)).rows[0].units).toBeNull();
      // The row counted for unit 1 waits again, its findings gone; the reconciler's job completes it from the stored
      // report.
      expect(await store.pendingDocuments(10)).toEqual([sha('leader-only')]);
      expect(await count('findings WHERE batch_id = \'old\' AND file = \'a.pdf\'')).toBe(0);
      expect(await store.completeFromStoredReport(sha('leader-only'))).toBe(true);
      expect(await units()).toEqual([
        { batch_id: 'admin', file: 'c.pdf', status: 'done', unit: UNIT1, counted: true },
        { batch_id: 'old', file: 'a.pdf', status: 'done', unit: UNIT0, counted: true },
        { batch_id: 'old', file: 'b.pdf', status: 'done', unit: UNIT0, counted: true },
      ]);
      expect((await wholeReport(store, 'old', [UNIT0]))?.documents.find((d) => d.file === 'a.pdf')?.findings.map((f) => f.code)).toContain(
        'REGISTER_ROW_OTHER_UNIT',
      );
      const settled = await units();
      await run();
      expect(await units()).toEqual(settled);
      expect(await store.pendingDocuments(10)).toEqual([]);
    });

    test('tokens are stored by hash and read back', async () => {
      await reset();
      clock.now = new Date('2026-05-21T08:30:00Z');
      const created = await store.createToken('h'.repeat(64), { id: 't1', role: 'clerk', units: [UNIT0, 'Phòng Tư pháp'], label: 'Văn thư' });
      expect(created).toEqual({ id: 't1', role: 'clerk', units: [UNIT0, 'Phòng Tư pháp'], label: 'Văn thư', createdAt: '2026-05-21T08:30:00.000Z' });
      expect(await store.findToken('h'.repeat(64))).toEqual(created);
      await store.createToken('k'.repeat(64), { id: 't2', role: 'leader', units: [], label: null });
      expect(await store.findToken('k'.repeat(64))).toMatchObject({ id: 't2', role: 'leader', units: [], label: null });
      expect(await store.findToken('x')).toBeNull();
      await expect(store.createToken('h'.repeat(64), { id: 't3', role: 'admin', units: [], label: null })).rejects.toThrow();
      const columns = (await opened.client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'tokens' AND table_schema = current_schema()`,
      )).rows.map((r) => r.column_name);
      expect(columns.sort()).toEqual(['created_at', 'hash', 'id', 'label', 'role', 'units']);
    });

    test('claimExport takes an export once', async () => {
      await reset();
      expect(await store.claimExport('2026-05/van-phong', 'size:10,mtime:1', 'e1')).toBe(true);
      expect(await store.claimExport('2026-05/van-phong', 'size:10,mtime:1', 'e2')).toBe(false);
      expect(await store.claimExport('2026-05/van-phong', 'size:99,mtime:2', 'e3')).toBe(false);
      const both = await Promise.all([store.claimExport('2026-05/tu-phap', 'f', 'e4'), store.claimExport('2026-05/tu-phap', 'f', 'e5')]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await count('exports')).toBe(2);
    });
  });
}

function byUnitProvider(a: Omit<ProviderRow, 'category'>, b: Omit<ProviderRow, 'category'>): number {
  const ka = `${a.unit ?? '\uffff'}|${a.provider}`;
  const kb = `${b.unit ?? '\uffff'}|${b.provider}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
