import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTestPki, writeTrustStore, type TestPki } from '../../samples/lib/test-pki';
import { makeCrl } from '../../samples/lib/revocation-builder';
import { certFields } from '../../samples/lib/pki-x509';
import { commonName, LEADER_AT, makeUnitDocument, signAgency, signLeader } from '../../samples/scenarios';
import { judgedWithKey, rejudgeStored, versionsOf, type JudgeContext } from '../../server/pool/rejudge';
import { storeVerified } from '../helpers/stored-facts';
import { SqlStore } from '../../server/store/sql-store';
import { loadTrustStore } from '../../worker/pki/trust-store';
import type { Opened } from '../store/suite';

/**
 * Issue 20 item 5: a stored batch judged again after the world changed — a CRL revoking a signer, a root withdrawn,
 * a unit's agency certificate pinned — from its stored facts alone. The PDFs exist only in memory while the batch is
 * verified and are dropped before anything is judged again: what re-judging reads is the store.
 */

const COLLECTED_AT = new Date('2026-03-12T01:00:00Z');

export function defineRejudgeSuite(label: string, open: () => Promise<Opened>): void {
  describe(`re-judging stored facts on ${label}`, () => {
    let opened: Opened;
    let store: SqlStore;
    let pki: TestPki;
    let trustDir: string;
    const shas: string[] = [];
    const clock = { now: new Date('2026-03-12T01:00:00Z') };

    const context = (extra: Partial<JudgeContext> = {}): JudgeContext => ({ trust: loadTrustStore(trustDir), ...extra });
    const stored = async (i: number) => (await store.getDocument(shas[i]!))!;
    const codes = async (i: number): Promise<string[]> => (await stored(i)).findings.map((f) => f.code);
    /** The batch's rows as its report streams them: what the batch page and the batch report read. */
    const batchRows = async (): Promise<Map<string, { verdict: string; unit: string | null; codes: string[] }>> => {
      const stream = (await store.streamBatchReport('B1'))!;
      const rows = new Map<string, { verdict: string; unit: string | null; codes: string[] }>();
      for await (const d of stream.documents) rows.set(d.file, { verdict: d.verdict, unit: d.unit, codes: d.findings.map((f) => f.code) });
      return rows;
    };
    const month = LEADER_AT.toISOString().slice(0, 7);

    beforeAll(async () => {
      opened = await open();
      store = new SqlStore(opened.client, { now: () => clock.now });
      await store.migrate();
      pki = loadTestPki();
      trustDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-rejudge-trust-'));
      writeTrustStore(trustDir, pki);
      const ctx = context();
      const items = [];
      for (const [i, unit] of pki.units.slice(0, 3).entries()) {
        const pdf = signAgency(signLeader(makeUnitDocument({ unit: i, so: 10 + i, date: LEADER_AT }, unit.name), unit.leader), unit.agency);
        const { item } = await storeVerified(store, store, pdf, `vb-${i}.pdf`, ctx, COLLECTED_AT);
        shas.push(item.sha256);
        items.push(item);
      }
      await store.createBatch({ id: 'B1', source: 'upload', items, findings: [], hasRegister: false, createdBy: null });
    });

    afterAll(async () => {
      await store.close();
      await opened.cleanup();
      fs.rmSync(trustDir, { recursive: true, force: true });
    });

    test('verified: compliant, one history row each, naming the trust store', async () => {
      const version = versionsOf(context()).trustStore;
      for (let i = 0; i < shas.length; i++) {
        expect((await stored(i)).verdict).toBe('compliant');
        const history = await store.verdictHistory(shas[i]!);
        expect(history).toMatchObject([{ reason: 'verified', verdict: 'compliant', trustStore: version }]);
      }
    });

    test('judged again with nothing changed: no report changes, no history row', async () => {
      const r = await rejudgeStored(store, context(), { batchId: 'B1' });
      expect(r).toEqual({ judged: 3, changed: 0, failed: [] });
      for (const sha of shas) expect(await store.verdictHistory(sha)).toHaveLength(1);
    });

    test('(a) a CRL revoking the first unit’s leader: that document only becomes noncompliant, CERT_REVOKED', async () => {
      const leader = pki.units[0]!.leader;
      const crl = makeCrl(
        pki.govSub,
        [
          { serial: certFields(pki.revokedLeader.cert).serial, date: pki.revokedLeaderDate, reason: 1 },
          { serial: certFields(leader.cert).serial, date: new Date('2026-03-01T00:00:00Z'), reason: 1 },
        ],
        { thisUpdate: new Date('2026-03-11T00:00:00Z'), nextUpdate: new Date('2035-01-01T00:00:00Z') },
      );
      fs.writeFileSync(path.join(trustDir, 'crl', 'cpca-test.crl.pem'), `-----BEGIN X509 CRL-----\n${crl.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`);
      clock.now = new Date('2026-03-20T02:00:00Z');
      const ctx = context();
      const r = await rejudgeStored(store, ctx, { batchId: 'B1' });
      expect(r).toEqual({ judged: 3, changed: 1, failed: [] });
      expect((await stored(0)).verdict).toBe('noncompliant');
      expect(await codes(0)).toContain('CERT_REVOKED');
      expect((await stored(0)).judgedWith?.trustStore).toBe(versionsOf(ctx).trustStore);
      expect((await store.verdictHistory(shas[0]!)).map((h) => [h.reason, h.verdict])).toEqual([
        ['verified', 'compliant'],
        ['rejudged', 'noncompliant'],
      ]);
      // The batch that holds it says so too — its report, its counts, the unit's figures — not the verdict it had
      // when the batch completed.
      const rows = await batchRows();
      expect(rows.get('vb-0.pdf')).toMatchObject({ verdict: 'noncompliant' });
      expect(rows.get('vb-0.pdf')!.codes).toContain('CERT_REVOKED');
      expect(rows.get('vb-1.pdf')).toMatchObject({ verdict: 'compliant' });
      const summary = (await store.batchSummary('B1'))!;
      expect(summary.totals).toMatchObject({ documents: 3, compliant: 2 });
      expect(summary.codes.map((c) => c.code)).toContain('CERT_REVOKED');
      const unit0 = (await store.unitSummaries({ from: month, to: month })).find((u) => u.unit === rows.get('vb-0.pdf')!.unit)!;
      expect(unit0).toMatchObject({ documents: 1, compliant: 0 });
      const listed = (await store.listBatches({ page: 1, pageSize: 10 })).items.find((b) => b.id === 'B1')!;
      expect(listed).toMatchObject({ compliant: 2, noncompliant: 1 });
      // The others' reports did not change: no row, but they name the store they were judged with now.
      expect(await store.verdictHistory(shas[1]!)).toHaveLength(1);
      expect((await stored(1)).verdict).toBe('compliant');
      expect((await stored(1)).judgedWith?.trustStore).toBe(versionsOf(ctx).trustStore);
    });

    test('(b) the government root withdrawn: every document fails governmentCa, CA_UNTRUSTED', async () => {
      const root = path.join(trustDir, 'government', 'TEST-BCY', 'rootca-test.pem');
      const saved = fs.readFileSync(root);
      fs.rmSync(root);
      try {
        const r = await rejudgeStored(store, context(), { batchId: 'B1' });
        expect(r).toMatchObject({ judged: 3, failed: [] });
        for (let i = 0; i < shas.length; i++) {
          const report = await stored(i);
          expect(report.verdict).toBe('noncompliant');
          expect(report.checks.governmentCa).toBe(false);
        }
        expect(await codes(1)).toContain('CA_UNTRUSTED');
        expect((await store.verdictHistory(shas[1]!)).map((h) => [h.reason, h.verdict])).toEqual([
          ['verified', 'compliant'],
          ['rejudged', 'noncompliant'],
        ]);
      } finally {
        fs.writeFileSync(root, saved);
      }
      // The root back: judged again, the second unit's document is compliant again, and its history says so.
      await rejudgeStored(store, context(), { batchId: 'B1' });
      expect((await stored(1)).verdict).toBe('compliant');
      expect((await store.verdictHistory(shas[1]!)).map((h) => h.verdict)).toEqual(['compliant', 'noncompliant', 'compliant']);
      expect((await stored(0)).verdict).toBe('noncompliant');
    });

    test('(c) a unit pins an agency certificate its seal is not: AGENCY_CERT_NOT_PINNED, the report names the registry', async () => {
      const unit = pki.units[2]!;
      const registry = { units: [{ name: commonName(unit.agency), agencyCertificates: ['ab'.repeat(32)] }] };
      const ctx = context({ registry });
      const before = (await store.verdictHistory(shas[2]!)).length;
      const r = await rejudgeStored(store, ctx, { batchId: 'B1' });
      expect(r.failed).toEqual([]);
      expect(await codes(2)).toContain('AGENCY_CERT_NOT_PINNED');
      expect(await codes(1)).not.toContain('AGENCY_CERT_NOT_PINNED');
      expect((await stored(2)).judgedWith?.units).toBe(versionsOf(ctx).units);
      const history = await store.verdictHistory(shas[2]!);
      expect(history).toHaveLength(before + 1);
      expect(history[history.length - 1]).toMatchObject({ reason: 'rejudged', units: versionsOf(ctx).units });
      expect(history[history.length - 1]!.findings).toContain('AGENCY_CERT_NOT_PINNED');
      // Pinned with its own fingerprint instead, the finding goes away again.
      const pinned = { units: [{ name: commonName(unit.agency), agencyCertificates: [certFingerprint(unit.agency.cert)] }] };
      await rejudgeStored(store, context({ registry: pinned }), { batchId: 'B1' });
      expect(await codes(2)).not.toContain('AGENCY_CERT_NOT_PINNED');
    });

    test('a registry that names a unit otherwise moves its document, its counts and its batch row to that name', async () => {
      const unit = pki.units[1]!;
      const before = (await batchRows()).get('vb-1.pdf')!;
      const renamed = 'Văn phòng thử nghiệm đổi tên';
      const registry = { units: [{ name: renamed, aliases: [commonName(unit.agency)], agencyCertificates: [certFingerprint(unit.agency.cert)] }] };
      await rejudgeStored(store, context({ registry }), { batchId: 'B1' });
      expect((await stored(1)).unit).toBe(renamed);
      expect((await batchRows()).get('vb-1.pdf')).toMatchObject({ unit: renamed, verdict: before.verdict });
      const units = await store.unitSummaries({ from: month, to: month });
      expect(units.find((u) => u.unit === renamed)).toMatchObject({ documents: 1 });
      expect(units.find((u) => u.unit === before.unit)).toBeUndefined();
      expect((await store.batchSummary('B1'))!.units.map((u) => u.unit)).toContain(renamed);
      // Without the registry the document is its certificate's again, and the new name holds nothing.
      await rejudgeStored(store, context(), { batchId: 'B1' });
      const back = await store.unitSummaries({ from: month, to: month });
      expect(back.find((u) => u.unit === renamed)).toBeUndefined();
      expect(back.find((u) => u.unit === before.unit)).toMatchObject({ documents: 1 });
      expect((await batchRows()).get('vb-1.pdf')).toMatchObject({ unit: before.unit });
    });

    test('the stale scope finds the documents judged with other versions, and only those', async () => {
      // Judged last with a registry: without one, every document is stale.
      await rejudgeStored(store, context({ registry: { units: [] } }), { batchId: 'B1' });
      const ctx = context();
      const key = judgedWithKey(versionsOf(ctx));
      const first = await rejudgeStored(store, ctx, { notJudgedWith: key });
      expect(first.judged).toBe(3);
      expect(await rejudgeStored(store, ctx, { notJudgedWith: key })).toEqual({ judged: 0, changed: 0, failed: [] });
    });
  });
}

function certFingerprint(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}
