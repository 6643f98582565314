import type { RegisterRow } from '../../server/register/table';
import { SummaryTally } from '../../server/report/summary';
import type { BatchSummaryView } from '../../server/shared/queries';
import type { BatchItem } from '../../server/shared/types';
import { SqlStore } from '../../server/store/sql-store';
import type { DocumentReport, SignatureReport } from '../../worker/report';
import { scenarioReports, NAMES } from './fixtures';
import { drawnReport, hex, pickWith, rng, TABLES, U0, U1, U2 } from './random-data';
import type { Opened } from './suite';

/**
 * A batch's summary (GET /api/batches/{id}/summary) against the batch's report for the same caller: on random
 * batches — registers naming units, clerks' uploads, documents verified again after their rows completed, CA
 * names the report spells for itself — its units and totals are the SummaryTally of the streamed report, its codes
 * and providers those of the streamed documents, and it is null exactly where the report is.
 */

/** What the summary must say, from the documents of the streamed report. */
function expected(docs: DocumentReport[], status: string): Omit<BatchSummaryView, 'codes' | 'providers'> & { codes: Record<string, number>; providers: string[] } {
  const tally = new SummaryTally();
  const codes: Record<string, number> = {};
  for (const doc of docs) {
    tally.add(doc);
    for (const code of new Set(doc.findings.map((f) => f.code))) codes[code] = (codes[code] ?? 0) + 1;
  }
  const { units, totals } = tally.result();
  return { status: status as BatchSummaryView['status'], units, totals, codes, providers: Object.keys(totals.providers).sort() };
}

export function defineBatchSummarySuite(label: string, open: () => Promise<Opened>): void {
  describe(`a batch's summary on ${label}`, () => {
    let opened: Opened;
    let store: SqlStore;

    beforeAll(async () => {
      opened = await open();
      store = new SqlStore(opened.client, { now: () => new Date('2026-07-01T03:00:00Z') });
      await store.migrate();
      await opened.client.query(`TRUNCATE ${TABLES}`);
    });
    afterAll(async () => {
      await store?.close();
      await opened?.cleanup();
    });

    test('equals the tally of the streamed batch report, for an admin and for clerks, on random batches', async () => {
      const reports = await scenarioReports();
      const random = rng(1812);
      const pick = pickWith(random);
      // A signature as the report may name its CA: untrusted, a government root without a provider folder, none known.
      const respell = (s: SignatureReport): SignatureReport => {
        const r = random();
        if (r < 0.15) return { ...s, ca: { ...s.ca, category: 'untrusted', provider: null } };
        if (r < 0.25) return { ...s, ca: { ...s.ca, category: 'government', provider: null } };
        if (r < 0.3) return { ...s, ca: { ...s.ca, category: 'public', provider: '' } };
        return s;
      };
      const draw = (template: DocumentReport, sha256: string): DocumentReport => {
        const drawn = drawnReport(random, template, sha256);
        return { ...drawn, signatures: template.signatures.map(respell) };
      };
      const docs = Array.from({ length: 30 }, (_, i) => draw(reports[pick(NAMES)], hex(i + 1)));
      for (const doc of docs.slice(0, 8)) await store.saveDocumentReport(doc.sha256, doc);
      const units = [U0, U1, U2, null];
      const ids: string[] = [];
      for (let b = 0; b < 10; b++) {
        const items: BatchItem[] = Array.from({ length: 3 + Math.floor(random() * 10) }, (_, i) => {
          const doc = pick(docs);
          const file = `Công văn ${b}-${i}.pdf`;
          const register: RegisterRow | null =
            random() < 0.7 ? { line: i + 2, file, number: `${i}/VP`, date: `2026-0${1 + Math.floor(random() * 6)}-1${i % 10}`, summary: null, signer: null, unit: pick(units) } : null;
          return { file, sha256: doc.sha256, size: doc.size, register };
        });
        // Clerks' uploads (one unit, or two) are theirs whole; an admin's are everyone's, rows by unit.
        const scope = b % 3 === 1 ? [U0] : b % 3 === 2 ? [U1, U2] : null;
        const id = `sum-${b}`;
        await store.createBatch({ id, source: 'upload', items, findings: [], hasRegister: random() < 0.8, createdBy: scope ? `clerk-${b}` : null, units: scope });
        ids.push(id);
      }
      // Half the batches complete before some documents are verified again with other numbers and signatures.
      for (const doc of docs.slice(8, 20)) await store.saveDocumentReport(doc.sha256, doc);
      for (const doc of docs.slice(0, 10)) {
        const again = { ...doc, verdict: doc.verdict === 'compliant' ? ('error' as const) : ('compliant' as const), checks: { ...doc.checks, signed: !doc.checks.signed, governmentCa: !doc.checks.governmentCa } };
        await store.saveDocumentReport(doc.sha256, random() < 0.5 ? again : { ...again, signatures: again.signatures.slice(1) });
      }
      // A batch row's report and its document's latest verification differ, which is what the summary must not read.
      const differ = await opened.client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM batch_items bi JOIN documents d ON d.sha256 = bi.sha256 WHERE bi.status = 'done' AND bi.verdict <> d.verdict`,
      );
      expect(differ.rows[0]!.n).toBeGreaterThan(0);
      // Some rows still wait: a batch part done is summarized as its partial report is.
      const waiting = await opened.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM batch_items WHERE status = 'queued'`);
      expect(waiting.rows[0]!.n).toBeGreaterThan(0);

      const check = async (): Promise<{ compared: number; hidden: number }> => {
        let compared = 0;
        let hidden = 0;
        for (const scope of [undefined, [U0], [U1, U2], [U2]]) {
          for (const id of [...ids, 'no-such-batch']) {
            const summary = await store.batchSummary(id, scope);
            const stream = await store.streamBatchReport(id, scope);
            const status = await store.getBatch(id, scope);
            expect({ id, scope, summary: summary !== null }).toEqual({ id, scope, summary: stream !== null && status !== null });
            if (!summary || !stream || !status) {
              hidden++;
              continue;
            }
            const reported: DocumentReport[] = [];
            for await (const doc of stream.documents) reported.push(doc);
            const want = expected(reported, status.status);
            const got = {
              ...summary,
              codes: Object.fromEntries(summary.codes.map((c) => [c.code, c.documents])),
              providers: summary.providers.map((p) => p.provider).sort(),
            };
            expect({ id, scope, got }).toEqual({ id, scope, got: want });
            // Each provider's documents are the totals' count; each code is labelled by one of its findings.
            for (const p of summary.providers) expect(p.documents).toBe(summary.totals.providers[p.provider]);
            for (const c of summary.codes) {
              const finding = reported.flatMap((d) => d.findings).find((f) => f.code === c.code && f.message === c.message);
              expect({ code: c.code, found: finding !== undefined }).toEqual({ code: c.code, found: true });
            }
            compared++;
          }
        }
        return { compared, hidden };
      };
      const { compared, hidden } = await check();
      expect(compared).toBeGreaterThan(20);
      // The clerks were kept from some batches (404s), as from their reports.
      expect(hidden).toBeGreaterThan(4);

      // A store whose rows were done before 007: their figures are filled from their reports when it migrates, and
      // the summaries are the same.
      const before = await opened.client.query<Record<string, unknown>>('SELECT batch_id, file, signed, two_layer, government_ca, providers::text FROM batch_items ORDER BY batch_id, file');
      await opened.client.query('ALTER TABLE batch_items DROP COLUMN signed, DROP COLUMN two_layer, DROP COLUMN government_ca, DROP COLUMN providers');
      await opened.client.query("DELETE FROM schema_migrations WHERE version = '007_batch_row_figures'");
      await store.migrate();
      expect(await check()).toEqual({ compared, hidden });
      const after = await opened.client.query<Record<string, unknown>>('SELECT batch_id, file, signed, two_layer, government_ca, providers::text FROM batch_items ORDER BY batch_id, file');
      // The same figures, but for the order of a row's providers.
      const norm = (rows: Array<Record<string, unknown>>): unknown =>
        rows.map((r) => ({ ...r, providers: r.providers === null ? null : (JSON.parse(String(r.providers)) as Array<{ provider: string }>).sort((a, b) => a.provider.localeCompare(b.provider)) }));
      expect(norm(after.rows)).toEqual(norm(before.rows));
    });
  });
}
