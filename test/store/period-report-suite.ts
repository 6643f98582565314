import type { RegisterRow } from '../../server/register/table';
import { compareFileNames, compareUnits, SummaryTally } from '../../server/report/summary';
import type { BatchItem, UnitQuery } from '../../server/shared/types';
import { SqlStore } from '../../server/store/sql-store';
import type { DocumentReport, UnitSummary } from '../../worker/report';
import { NAMES, scenarioReports, type Name } from './fixtures';
import { drawnReport, hex, pickWith, rng, TABLES, U0, U1, U2 } from './random-data';
import type { Opened } from './suite';

/**
 * The documents of a period (Store.streamPeriodReport) on a real engine: on random data — documents in several
 * months, units and batches, clerks' uploads, documents verified again — the unit summary counted over them is the
 * one /api/units answers for the same range, each (unit, document) comes once, in the report's order, as its latest
 * row shows it (register row, row findings) with its latest verification's numbers.
 */

const sorted = (u: UnitSummary): UnitSummary => ({ ...u, providers: Object.fromEntries(Object.entries(u.providers).sort(([a], [b]) => a.localeCompare(b))) });

async function collect(store: SqlStore, q: UnitQuery): Promise<DocumentReport[]> {
  const stream = await store.streamPeriodReport(q);
  expect(stream.findings).toEqual([]);
  const out: DocumentReport[] = [];
  for await (const doc of stream.documents) out.push(doc);
  return out;
}

export function definePeriodReportSuite(label: string, open: () => Promise<Opened>): void {
  describe(`the documents of a period on ${label}`, () => {
    let opened: Opened;
    let store: SqlStore;
    let reports: Record<Name, DocumentReport>;
    const clock = { now: new Date('2026-07-01T03:00:00Z') };

    beforeAll(async () => {
      reports = await scenarioReports();
      opened = await open();
      // Pages of 3: every unit's documents cross pages.
      store = new SqlStore(opened.client, { now: () => clock.now, reportPage: 3 });
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await opened?.cleanup();
    });

    const reg = (line: number, file: string, unit: string | null, date: string): RegisterRow => ({ line, file, number: `${line}/VP`, date, summary: `Dòng ${line}`, signer: null, unit });

    test('the summary counted over them is the dashboard\'s for the same range, each (unit, document) once, in order', async () => {
      await opened.client.query(`TRUNCATE ${TABLES}`);
      const random = rng(19);
      const pick = pickWith(random);
      const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
      const units = [U0, U1, U2, null];
      const draw = (template: DocumentReport, sha256: string): DocumentReport => drawnReport(random, template, sha256);
      const docs = Array.from({ length: 30 }, (_, i) => draw(reports[pick(NAMES)], hex(i + 1)));
      for (const doc of docs.slice(0, 10)) await store.saveDocumentReport(doc.sha256, doc);
      for (let b = 0; b < 10; b++) {
        const items: BatchItem[] = Array.from({ length: 8 }, (_, i) => {
          const doc = pick(docs);
          const file = `Văn bản ${b}-${i}.pdf`;
          const row = random() < 0.8 ? reg(i + 2, file, pick(units), `${pick(months)}-${String(1 + Math.floor(random() * 27)).padStart(2, '0')}`) : null;
          return { file, sha256: doc.sha256, size: doc.size, register: row };
        });
        const scope = b % 3 === 1 ? [U0] : b % 3 === 2 ? [U1, U2] : null;
        await store.createBatch({ id: `pb-${b}`, source: 'upload', items, findings: [], hasRegister: true, createdBy: scope ? `clerk-${b}` : null, units: scope });
      }
      for (const doc of docs.slice(10)) await store.saveDocumentReport(doc.sha256, doc);
      // Verified again with other numbers, after their rows completed.
      clock.now = new Date('2026-07-02T03:00:00Z');
      const again = new Map<string, DocumentReport>();
      for (const doc of docs.slice(0, 6)) {
        const redone = { ...doc, verdict: doc.verdict === 'compliant' ? ('noncompliant' as const) : ('compliant' as const), checks: { ...doc.checks, signed: !doc.checks.signed } };
        again.set(doc.sha256, redone);
        await store.saveDocumentReport(doc.sha256, redone);
      }

      const queries: UnitQuery[] = [{}, { from: '2026-02', to: '2026-04' }, { from: '2026-03', to: '2026-03' }, { from: '2026-05' }, { units: [U0] }, { units: [U1, U2], from: '2026-02', to: '2026-05' }, { units: [] }, { from: '2027-01', to: '2027-03' }];
      let checkedAgain = 0;
      for (const q of queries) {
        const got = await collect(store, q);
        const tally = new SummaryTally();
        for (const doc of got) tally.add(doc);
        const dashboard = (await store.unitSummaries(q)).map(sorted);
        expect({ q, units: tally.result().units.map(sorted) }).toEqual({ q, units: dashboard });
        // Each (unit, document) once; units in the report's order, each unit's documents by file name.
        const keys = got.map((d) => `${d.unit}\u0000${d.sha256}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (let i = 1; i < got.length; i++) {
          const [a, b] = [got[i - 1]!, got[i]!];
          const order = compareUnits(a.unit, b.unit) || compareFileNames(a.file, b.file);
          expect({ q, a: [a.unit, a.file], b: [b.unit, b.file], inOrder: order <= 0 }).toEqual({ q, a: [a.unit, a.file], b: [b.unit, b.file], inOrder: true });
        }
        for (const doc of got) {
          // Shown as a row of a batch shows it: the row's own file name, and its register row when it had one.
          expect(doc.file).toMatch(/^Văn bản \d+-\d+\.pdf$/);
          const redone = again.get(doc.sha256);
          if (redone) {
            checkedAgain++;
            expect({ verdict: doc.verdict, checks: doc.checks }).toEqual({ verdict: redone.verdict, checks: redone.checks });
          }
        }
      }
      expect(checkedAgain).toBeGreaterThan(0);
      expect(await collect(store, { from: '2027-01', to: '2027-03' })).toEqual([]);
    });

    test('a document verified again keeps its row: file name, register row and the register\'s findings', async () => {
      await opened.client.query(`TRUNCATE ${TABLES}`);
      const gov = reports['compliant-two-layer-unit-0'];
      const leader = reports['leader-only'];
      clock.now = new Date('2026-07-01T03:00:00Z');
      await store.saveDocumentReport(gov.sha256, gov);
      await store.saveDocumentReport(leader.sha256, leader);
      await store.createBatch({
        id: 'one',
        source: 'upload',
        items: [
          { file: 'CV-12.pdf', sha256: gov.sha256, size: gov.size, register: reg(2, 'CV-12.pdf', U0, '2026-03-05') },
          { file: 'Không có trong sổ.pdf', sha256: leader.sha256, size: leader.size, register: null },
        ],
        findings: [],
        hasRegister: true,
        createdBy: null,
      });
      const before = await collect(store, { from: '2026-01', to: '2026-12' });
      const listed = before.find((d) => d.file === 'Không có trong sổ.pdf')!;
      expect(listed.findings.map((f) => f.code)).toContain('DOCUMENT_NOT_IN_REGISTER');
      expect(before.find((d) => d.file === 'CV-12.pdf')).toMatchObject({ unit: U0, register: { number: '2/VP', date: '2026-03-05' } });

      clock.now = new Date('2026-07-03T03:00:00Z');
      await store.saveDocumentReport(leader.sha256, { ...leader, verdict: 'compliant', findings: [] });
      await store.saveDocumentReport(gov.sha256, { ...gov, verdict: 'noncompliant' });
      const after = await collect(store, { from: '2026-01', to: '2026-12' });
      const relisted = after.find((d) => d.file === 'Không có trong sổ.pdf')!;
      expect(relisted.verdict).toBe('compliant');
      expect(relisted.findings.map((f) => f.code)).toEqual(['DOCUMENT_NOT_IN_REGISTER']);
      expect(relisted.findings[0]!.messageEn).toEqual(listed.findings.find((f) => f.code === 'DOCUMENT_NOT_IN_REGISTER')!.messageEn);
      expect(after.find((d) => d.file === 'CV-12.pdf')).toMatchObject({ unit: U0, verdict: 'noncompliant', register: { number: '2/VP' } });
      const tally = new SummaryTally();
      for (const doc of after) tally.add(doc);
      expect(tally.result().units.map(sorted)).toEqual((await store.unitSummaries({ from: '2026-01', to: '2026-12' })).map(sorted));
    });
  });
}
