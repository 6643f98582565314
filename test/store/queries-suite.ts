import type { RegisterRow } from '../../server/register/table';
import { unitSummary, type UnitCounts } from '../../server/report/summary';
import type { BatchItem, NewBatch, ProviderRow, UnitQuery } from '../../server/shared/types';
import { SqlStore } from '../../server/store/sql-store';
import { COUNT_SQL, rebuildSummaries } from '../../server/store/summaries';
import type { SqlQueryable } from '../../server/store/sql';
import type { DocumentReport, UnitSummary } from '../../worker/report';
import { scenarioReports, NAMES, type Name } from './fixtures';
import { drawnReport, hex, pickWith, rng, TABLES, U0, U1, U2 } from './random-data';
import type { Opened } from './suite';

/**
 * The pages' queries on a real engine: summary rows against the full scan they replace, on random data; the rows of
 * documents with every filter and sort; the list of batches; the certificate inventory; and a clerk's scope in each.
 */

/**
 * The full scan the summary rows replace (sql-store.ts before 006), kept here as the reference: over the counted
 * done rows of the range, each (document, unit) once, its numbers from `documents`.
 */
const ROWS = `
  SELECT DISTINCT bi.sha256, bi.unit FROM batch_items bi
  WHERE bi.status = 'done' AND bi.counted
    AND ($1::text IS NULL OR bi.month >= $1::text) AND ($2::text IS NULL OR bi.month <= $2::text)
    AND ($3::jsonb IS NULL OR bi.unit IN (SELECT jsonb_array_elements_text($3::jsonb)))`;

async function fullScan(db: SqlQueryable, q: UnitQuery): Promise<{ units: UnitSummary[]; providers: Omit<ProviderRow, 'category'>[]; certificates: Record<string, number> }> {
  const p = [q.from ?? null, q.to ?? null, q.units ? JSON.stringify(q.units) : null];
  const keys = Object.keys(COUNT_SQL) as (keyof UnitCounts)[];
  const { rows } = await db.query<UnitCounts & { unit: string | null; documents: number }>(
    `WITH r AS (${ROWS}) SELECT r.unit, count(*)::int AS documents, ${keys.map((k) => `count(*) FILTER (WHERE ${COUNT_SQL[k]})::int AS "${k}"`).join(', ')}
     FROM r JOIN documents d ON d.sha256 = r.sha256 GROUP BY r.unit`,
    p,
  );
  const { rows: providers } = await db.query<Omit<ProviderRow, 'category'>>(
    `WITH r AS (${ROWS}) SELECT r.unit, s.provider, count(DISTINCT r.sha256)::int AS documents
     FROM r JOIN signatures s ON s.sha256 = r.sha256 AND s.type <> 'document-timestamp' GROUP BY r.unit, s.provider`,
    p,
  );
  const { rows: certs } = await db.query<{ fingerprint: string; documents: number }>(
    `WITH r AS (${ROWS}), c AS (SELECT DISTINCT r.unit, r.sha256, s.fingerprint FROM r JOIN signatures s ON s.sha256 = r.sha256
       AND s.type <> 'document-timestamp' AND s.fingerprint IS NOT NULL)
     SELECT fingerprint, count(*)::int AS documents FROM c GROUP BY fingerprint`,
    p,
  );
  const units = rows.map(({ unit, documents, ...counts }) => {
    const byProvider: Record<string, number> = {};
    for (const pr of providers) if (pr.unit === unit) byProvider[pr.provider] = pr.documents;
    return unitSummary(unit, documents, counts, byProvider);
  });
  return { units, providers, certificates: Object.fromEntries(certs.map((c) => [c.fingerprint, c.documents])) };
}

const byUnit = (a: { unit: string | null }, b: { unit: string | null }): number => String(a.unit).localeCompare(String(b.unit));
const byUnitProvider = (a: { unit: string | null; provider: string }, b: { unit: string | null; provider: string }): number =>
  byUnit(a, b) || a.provider.localeCompare(b.provider);
/** A summary with its providers in one order (a map's order is not what is compared). */
const sorted = (u: UnitSummary): UnitSummary => ({ ...u, providers: Object.fromEntries(Object.entries(u.providers).sort(([a], [b]) => a.localeCompare(b))) });

async function summaryTables(db: SqlQueryable): Promise<string> {
  const out: unknown[] = [];
  for (const [table, order] of [
    ['unit_document_months', 'unit, sha256, month'],
    ['unit_months', 'unit, month'],
    ['unit_month_providers', 'unit, month, provider'],
    ['unit_month_certificates', 'unit, month, fingerprint'],
  ]) {
    // Rows counting nothing any more (a document taken out of a month) are the same as no row.
    const where = table === 'unit_document_months' ? '' : 'WHERE documents <> 0';
    out.push((await db.query(`SELECT * FROM ${table} ${where} ORDER BY ${order}`)).rows);
  }
  return JSON.stringify(out);
}

export function defineQueriesSuite(label: string, open: () => Promise<Opened>): void {
  describe(`the pages' queries on ${label}`, () => {
    let opened: Opened;
    let store: SqlStore;
    let reports: Record<Name, DocumentReport>;
    const clock = { now: new Date('2026-07-01T03:00:00Z') };

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
    const reset = async (): Promise<void> => {
      await opened.client.query(`TRUNCATE ${TABLES}`);
    };
    const reg = (line: number, file: string, unit: string | null, date: string, number: string | null = `${line}/VP`): RegisterRow => ({
      line,
      file,
      number,
      date,
      summary: `Dòng ${line}`,
      signer: null,
      unit,
    });
    const batch = (id: string, items: BatchItem[], extra: Partial<NewBatch> = {}): NewBatch => ({
      id,
      source: 'upload',
      items,
      findings: [],
      hasRegister: true,
      createdBy: null,
      ...extra,
    });

    test('summary rows answer what the full scan answered, on random data: documents in several months, units and batches, verified again', async () => {
      await reset();
      const random = rng(18);
      const pick = pickWith(random);
      const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
      const units = [U0, U1, U2, null];
      // 40 documents: a scenario's signatures under a sha256 of their own, with checks and verdicts drawn at random.
      const draw = (template: DocumentReport, sha256: string): DocumentReport => drawnReport(random, template, sha256);
      const docs = Array.from({ length: 40 }, (_, i) => draw(reports[pick(NAMES)], hex(i + 1)));
      const saved = new Set<string>();
      const save = async (doc: DocumentReport): Promise<void> => {
        await store.saveDocumentReport(doc.sha256, doc);
        saved.add(doc.sha256);
      };
      // Some verified before their batch exists (an upload enqueues early), the rest after.
      for (const doc of docs.slice(0, 10)) await save(doc);
      for (let b = 0; b < 12; b++) {
        const items = Array.from({ length: 8 }, (_, i) => {
          const doc = pick(docs);
          const file = `b${b}-${i}.pdf`;
          const row = random() < 0.8 ? reg(i + 2, file, pick(units), `${pick(months)}-${String(1 + Math.floor(random() * 27)).padStart(2, '0')}`) : null;
          return { file, sha256: doc.sha256, size: doc.size, register: row };
        });
        // A third of the batches are clerks' (one unit, or two): rows for other units are refused or counted for none.
        const scope = b % 3 === 1 ? [U0] : b % 3 === 2 ? [U1, U2] : null;
        await store.createBatch(batch(`rb-${b}`, items, { units: scope, createdBy: scope ? `clerk-${b}` : null }));
      }
      for (const doc of docs.slice(10)) await save(doc);
      // Verified again, other numbers: a retried job after a trust store change.
      for (const doc of docs.slice(0, 8)) {
        const again = { ...doc, verdict: doc.verdict === 'compliant' ? ('noncompliant' as const) : ('compliant' as const), checks: { ...doc.checks, signed: !doc.checks.signed } };
        await save(random() < 0.5 ? again : { ...again, signatures: again.signatures.slice(1) });
      }
      const repeated = await opened.client.query<{ n: number }>('SELECT count(*)::int AS n FROM unit_document_months WHERE repeated');
      // The data holds what the rule is about: documents of a unit in more than one month.
      expect(repeated.rows[0]!.n).toBeGreaterThan(0);

      const queries: UnitQuery[] = [{}, { from: '2026-02', to: '2026-04' }, { from: '2026-03', to: '2026-03' }, { to: '2026-02' }, { from: '2026-05' }, { units: [U0] }, { units: [U1, U2], from: '2026-02', to: '2026-05' }, { units: [] }];
      for (let i = 0; i < 12; i++) {
        const a = pick(months);
        const b = pick(months);
        queries.push({ from: a < b ? a : b, to: a < b ? b : a, ...(random() < 0.5 ? { units: [pick([U0, U1, U2])] } : {}) });
      }
      for (const q of queries) {
        const want = await fullScan(opened.client, q);
        const got = (await store.unitSummaries(q)).map(sorted);
        expect({ q, units: got.sort(byUnit) }).toEqual({ q, units: want.units.map(sorted).sort(byUnit) });
        const providers = (await store.providers(q)).map(({ category: _c, ...p }) => p);
        expect({ q, providers: providers.sort(byUnitProvider) }).toEqual({ q, providers: [...want.providers].sort(byUnitProvider) });
        const certificates = Object.fromEntries((await store.certificates(q)).map((c) => [c.fingerprint, c.documents]));
        expect({ q, certificates }).toEqual({ q, certificates: want.certificates });
      }
      // Month by month: each month's own figures, as the full scan gives for that month alone.
      const byMonth = await store.unitMonths({});
      for (const month of months) {
        const want = (await fullScan(opened.client, { from: month, to: month })).units.map(sorted).sort(byUnit);
        const got = byMonth.filter((u) => u.month === month).map(({ month: _m, ...u }) => sorted(u)).sort(byUnit);
        expect({ month, got }).toEqual({ month, got: want });
      }
      // The list of batches counts, kept as rows complete, are those of the rows.
      for (const units of [undefined, [U0], [U1, U2]]) {
        const listed = await store.listBatches({ page: 1, pageSize: 50, ...(units ? { units } : {}) });
        for (const item of listed.items) {
          const status = await store.getBatch(item.id, units);
          expect({ id: item.id, total: item.total, done: item.done, errors: item.errors, status: item.status }).toEqual({
            id: item.id,
            total: status?.total,
            done: status?.done,
            errors: status?.errors,
            status: status?.status,
          });
        }
        const visible = [];
        for (let b = 0; b < 12; b++) if (await store.getBatch(`rb-${b}`, units)) visible.push(`rb-${b}`);
        expect(listed.items.map((i) => i.id).sort()).toEqual(visible.sort());
      }
      // Made anew from the rows (as migration 006 makes them for a store that had data), they are the same rows.
      const incremental = await summaryTables(opened.client);
      await opened.client.transaction((tx) => rebuildSummaries(tx));
      expect(await summaryTables(opened.client)).toBe(incremental);
    });

    test('rows of documents: every filter, every sort, pages, and why each failed', async () => {
      await reset();
      const gov = reports['compliant-two-layer-unit-0'];
      const vnpt = reports['public-ca-two-layer-vnpt'];
      const broken = reports['broken-not-pdf'];
      const leader = reports['leader-only'];
      const items: BatchItem[] = [
        { file: 'CV-10.pdf', sha256: gov.sha256, size: 1, register: reg(2, 'CV-10.pdf', U0, '2026-03-05', '12/QĐ-UBND') },
        { file: 'CV-2.pdf', sha256: vnpt.sha256, size: 1, register: reg(3, 'CV-2.pdf', U1, '2026-03-09', '3/TB-VP') },
        { file: 'Quyết định khen thưởng.pdf', sha256: broken.sha256, size: 1, register: reg(4, 'Quyết định khen thưởng.pdf', U0, '2026-02-01', '7/QĐ') },
        { file: 'Đề án.pdf', sha256: leader.sha256, size: 1, register: null },
        { file: 'cho.pdf', sha256: hex(999), size: 1, register: null },
      ];
      await store.createBatch(batch('docs', items));
      for (const r of [gov, vnpt, broken, leader]) await store.saveDocumentReport(r.sha256, r);
      const page = async (q: Partial<Parameters<SqlStore['documentRows']>[0]> = {}): Promise<string[]> =>
        (await store.documentRows({ batch: 'docs', page: 1, pageSize: 50, sort: 'file', ...q })).items.map((r) => r.file);

      expect(await page()).toEqual(['cho.pdf', 'CV-2.pdf', 'CV-10.pdf', 'Đề án.pdf', 'Quyết định khen thưởng.pdf']);
      expect(await page({ sort: '-file' })).toEqual(['Quyết định khen thưởng.pdf', 'Đề án.pdf', 'CV-10.pdf', 'CV-2.pdf', 'cho.pdf']);
      // Numbers in a số ký hiệu as numbers: 3/… before 7/… before 12/…; rows without one last.
      expect(await page({ sort: 'number' })).toEqual(['CV-2.pdf', 'Quyết định khen thưởng.pdf', 'CV-10.pdf', 'cho.pdf', 'Đề án.pdf']);
      // By the register's date (a row without one by its month, at the month's start); a row not verified last.
      const registered = ['Quyết định khen thưởng.pdf', 'CV-10.pdf', 'CV-2.pdf'];
      expect((await page({ sort: 'date' })).filter((f) => registered.includes(f))).toEqual(registered);
      expect((await page({ sort: '-date' })).filter((f) => registered.includes(f))).toEqual([...registered].reverse());
      expect((await page({ sort: 'date' })).slice(-1)).toEqual(['cho.pdf']);
      expect((await page({ sort: '-date' })).slice(-1)).toEqual(['cho.pdf']);
      expect((await page({ sort: 'verdict' }))[0]).toBe('Quyết định khen thưởng.pdf');
      expect(await page({ verdict: 'pending' })).toEqual(['cho.pdf']);
      expect(await page({ verdict: 'error' })).toEqual(['Quyết định khen thưởng.pdf']);
      expect(await page({ unit: U1 })).toEqual(['CV-2.pdf']);
      // Without case or diacritics, in the file name or the số ký hiệu.
      expect(await page({ q: 'QUYET DINH' })).toEqual(['Quyết định khen thưởng.pdf']);
      expect(await page({ q: 'de an' })).toEqual(['Đề án.pdf']);
      expect(await page({ q: '12/qd' })).toEqual(['CV-10.pdf']);
      expect(await page({ provider: vnpt.signatures[0]!.ca.provider! })).toEqual(['CV-2.pdf']);
      expect(await page({ category: 'public' })).toEqual(['CV-2.pdf']);
      expect(await page({ category: 'government' })).toEqual(['CV-10.pdf', 'Đề án.pdf']);
      const code = broken.findings[0]!.code;
      expect(await page({ code })).toEqual(['Quyết định khen thưởng.pdf']);
      // A register cross-check of the row (not of the document) is found by its code too.
      expect(await page({ code: 'DOCUMENT_NOT_IN_REGISTER' })).toEqual(['Đề án.pdf']);
      expect(await page({ from: '2026-02', to: '2026-02', batch: undefined })).toEqual(['Quyết định khen thưởng.pdf']);
      expect(await page({ from: '2026-04', batch: undefined })).toEqual([]);

      const two = await store.documentRows({ batch: 'docs', page: 2, pageSize: 2, sort: 'file' });
      expect({ total: two.total, files: two.items.map((r) => r.file) }).toEqual({ total: 5, files: ['CV-10.pdf', 'Đề án.pdf'] });

      const rows = (await store.documentRows({ batch: 'docs', page: 1, pageSize: 50, sort: 'file' })).items;
      const failed = rows.find((r) => r.file === 'CV-2.pdf')!;
      expect(failed).toMatchObject({
        batchId: 'docs',
        sha256: vnpt.sha256,
        unit: U1,
        month: '2026-03',
        verdict: vnpt.verdict,
        failedChecks: ['governmentCa'],
        register: { number: '3/TB-VP', date: '2026-03-09', summary: 'Dòng 3', signer: null },
        providers: [{ provider: vnpt.signatures[0]!.ca.provider, category: 'public' }],
      });
      expect(failed.completedAt).toEqual(expect.any(String));
      expect(failed.findings.length).toBeGreaterThan(0);
      for (const f of failed.findings) {
        expect(f).toEqual({ code: expect.any(String), severity: expect.any(String), message: expect.any(String), messageEn: expect.any(String), signature: f.signature, remedy: expect.any(String), remedyEn: expect.any(String), detail: f.detail });
      }
      // Each reason comes with what to do about it, in both languages.
      expect(failed.findings.every((f) => f.remedy !== f.remedyEn)).toBe(true);
      // English and Vietnamese both, from the messages of the report.
      expect(failed.findings.some((f) => f.message !== f.messageEn)).toBe(true);
      const waiting = rows.find((r) => r.file === 'cho.pdf')!;
      expect(waiting).toMatchObject({ verdict: null, checks: null, failedChecks: [], findings: [], providers: [], completedAt: null, unit: null });
    });

    test("a clerk's scope: their batches whole, other batches' rows of their units only, nothing of the rest", async () => {
      await reset();
      const a = reports['compliant-two-layer-unit-0'];
      const b = reports['compliant-two-layer-unit-1'];
      const v = reports['public-ca-two-layer-vnpt'];
      clock.now = new Date('2026-07-01T03:00:00Z');
      await store.createBatch(batch('admin-1', [
        { file: 'a.pdf', sha256: a.sha256, size: 1, register: reg(2, 'a.pdf', U0, '2026-03-01') },
        { file: 'b.pdf', sha256: b.sha256, size: 1, register: reg(3, 'b.pdf', U1, '2026-03-01') },
      ]));
      clock.now = new Date('2026-07-02T03:00:00Z');
      await store.createBatch(batch('clerk-1', [{ file: 'v.pdf', sha256: v.sha256, size: 1, register: reg(2, 'v.pdf', U1, '2026-03-02') }], { units: [U1], createdBy: 'clerk-u1' }));
      clock.now = new Date('2026-07-03T03:00:00Z');
      await store.createBatch(batch('other-1', [{ file: 'b2.pdf', sha256: b.sha256, size: 1, register: reg(2, 'b2.pdf', U1, '2026-03-03') }]));
      for (const r of [a, b, v]) await store.saveDocumentReport(r.sha256, r);

      const all = await store.listBatches({ page: 1, pageSize: 50 });
      expect(all.items.map((x) => x.id)).toEqual(['other-1', 'clerk-1', 'admin-1']);
      expect(all.items[2]).toMatchObject({ status: 'done', total: 2, done: 2, compliant: 2, noncompliant: 0, errors: 0, createdBy: null, source: 'upload' });
      expect((await store.listBatches({ page: 2, pageSize: 2 })).items.map((x) => x.id)).toEqual(['admin-1']);

      const u0 = await store.listBatches({ page: 1, pageSize: 50, units: [U0] });
      expect({ total: u0.total, items: u0.items.map((x) => [x.id, x.total]) }).toEqual({ total: 1, items: [['admin-1', 1]] });
      const u1 = await store.listBatches({ page: 1, pageSize: 50, units: [U1] });
      expect(u1.items.map((x) => [x.id, x.total, x.createdBy])).toEqual([['other-1', 1, null], ['clerk-1', 1, 'clerk-u1'], ['admin-1', 1, null]]);
      expect(await store.listBatches({ page: 1, pageSize: 50, units: [U2] })).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });

      const rows = async (units: string[], q: Partial<Parameters<SqlStore['documentRows']>[0]> = {}): Promise<string[]> =>
        (await store.documentRows({ page: 1, pageSize: 50, sort: 'file', units, ...q })).items.map((r) => `${r.batchId}/${r.file}`);
      expect(await rows([U0])).toEqual(['admin-1/a.pdf']);
      expect(await rows([U1])).toEqual(['admin-1/b.pdf', 'other-1/b2.pdf', 'clerk-1/v.pdf']);
      // No filter reaches past the scope: another unit's rows are not there to find.
      for (const q of [{ unit: U1 }, { q: 'b' }, { batch: 'clerk-1' }, { batch: 'other-1' }, { provider: v.signatures[0]!.ca.provider! }, { category: 'public' }, { verdict: 'compliant' as const }, { from: '2026-01', to: '2026-12' }]) {
        expect({ q, rows: (await rows([U0], q)).filter((r) => r !== 'admin-1/a.pdf') }).toEqual({ q, rows: [] });
      }
      expect((await store.unitSummaries({ units: [U0] })).map((u) => u.unit)).toEqual([U0]);
      expect((await store.unitMonths({ units: [U0] })).map((u) => [u.unit, u.month])).toEqual([[U0, '2026-03']]);
      expect(new Set((await store.providers({ units: [U0] })).map((p) => p.unit))).toEqual(new Set([U0]));
      const certs = await store.certificates({ units: [U0] });
      expect(certs.length).toBeGreaterThan(0);
      expect(certs.every((c) => c.units.length === 1 && c.units[0] === U0)).toBe(true);
      // A unit outside the scope asked for by name: nothing.
      expect(await store.certificates({ units: [U0], unit: U1 })).toEqual([]);
      expect((await store.certificates({ unit: U1 })).every((c) => c.units.includes(U1))).toBe(true);
    });

    test('migrating a store that has data to 006 fills the keys and summary rows as the store fills them', async () => {
      await reset();
      const a = reports['compliant-two-layer-unit-0'];
      const b = reports['compliant-two-layer-unit-1'];
      await store.createBatch(batch('old', [
        { file: 'Tờ trình 10.pdf', sha256: a.sha256, size: 1, register: reg(2, 'Tờ trình 10.pdf', U0, '2026-03-01', '10/TTr') },
        { file: 'Tờ trình 9.pdf', sha256: b.sha256, size: 1, register: reg(3, 'Tờ trình 9.pdf', U1, '2026-04-01', '9/TTr') },
      ]));
      for (const r of [a, b]) await store.saveDocumentReport(r.sha256, r);
      const before = { units: await store.unitSummaries({}), providers: await store.providers({}), certificates: await store.certificates({}), tables: await summaryTables(opened.client) };
      const page = async (): Promise<unknown> => store.documentRows({ page: 1, pageSize: 50, sort: 'file', q: 'to trinh' });
      const rowsBefore = await page();
      const batchesBefore = await store.listBatches({ page: 1, pageSize: 50 });
      // The store as it was before 006: its objects gone, the version unrecorded; the data stays.
      for (const statement of [
        'DROP TABLE unit_document_months, unit_months, unit_month_providers, unit_month_certificates, batch_unit_counts',
        'ALTER TABLE batches DROP COLUMN items',
        'DROP INDEX batch_items_month',
        'DROP INDEX batches_newest',
        'ALTER TABLE batch_items DROP COLUMN file_key, DROP COLUMN number_key, DROP COLUMN search, DROP COLUMN codes',
        "DELETE FROM schema_migrations WHERE version = '006_queries'",
      ]) {
        await opened.client.query(statement);
      }
      await store.migrate();
      expect(await summaryTables(opened.client)).toBe(before.tables);
      expect({ units: await store.unitSummaries({}), providers: await store.providers({}), certificates: await store.certificates({}) }).toEqual({
        units: before.units,
        providers: before.providers,
        certificates: before.certificates,
      });
      expect(await page()).toEqual(rowsBefore);
      expect(await store.listBatches({ page: 1, pageSize: 50 })).toEqual(batchesBefore);
      expect(batchesBefore.items[0]).toMatchObject({ id: 'old', total: 2, done: 2, status: 'done' });
      expect((rowsBefore as { items: Array<{ file: string }> }).items.map((r) => r.file)).toEqual(['Tờ trình 9.pdf', 'Tờ trình 10.pdf']);
    });

    test('the certificate inventory: each signer certificate, its documents and units, expired or expiring within 30 days', async () => {
      await reset();
      const a = reports['compliant-two-layer-unit-0'];
      await store.createBatch(batch('c', [{ file: 'a.pdf', sha256: a.sha256, size: 1, register: reg(2, 'a.pdf', U0, '2026-03-01') }]));
      await store.saveDocumentReport(a.sha256, a);
      const signers = a.signatures.filter((s) => s.type !== 'document-timestamp' && s.signer?.fingerprintSha256);
      const items = await store.certificates({ from: '2026-03', to: '2026-03' });
      expect(items.map((c) => c.fingerprint).sort()).toEqual([...new Set(signers.map((s) => s.signer!.fingerprintSha256))].sort());
      const first = signers[0]!.signer!;
      const item = items.find((c) => c.fingerprint === first.fingerprintSha256)!;
      expect(item).toMatchObject({ commonName: first.commonName, serialNumber: first.serialNumber, kind: first.kind, category: 'government', documents: 1, units: [U0] });
      const notAfter = Date.parse(item.notAfter!);
      const status = async (now: number): Promise<string | undefined> => (await store.certificates({}, new Date(now))).find((c) => c.fingerprint === item.fingerprint)?.status;
      expect(await status(notAfter - 40 * 86_400_000)).toBe('valid');
      expect(await status(notAfter - 10 * 86_400_000)).toBe('expiring');
      expect(await status(notAfter + 1000)).toBe('expired');
      expect(await store.certificates({ from: '2026-04' })).toEqual([]);
    });
  });
}
