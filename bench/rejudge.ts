/**
 * `npm run bench:rejudge`: judging N stored documents again from their facts (issue 20), against verifying the same
 * documents from their PDFs. A few real sample documents (samples/month.ts, two-layer signed, ~150 KB) are verified
 * to time verification; their facts records are stored N times in all, under made-up SHA-256s, each with its report,
 * in the embedded database (or DATABASE_URL's PostgreSQL); then all N are judged again with the same trust store —
 * the service's path when nothing changed (each report read, judged, compared, its versions moved on).
 * Options: --docs N (100000), --distinct K (20 documents verified and stored).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTestPki, writeTrustStore } from '../samples/lib/test-pki';
import { makeBenchCorpus } from '../samples/month';
import { judgedWith, judgedWithKey, rejudgeStored, versionsOf } from '../server/pool/rejudge';
import * as facts from '../server/store/facts';
import { openSqlClient } from '../server/store/open';
import { SqlStore } from '../server/store/sql-store';
import { collectFacts } from '../worker/facts';
import { toFactsRecord, type FactsRecord } from '../worker/facts-record';
import { judgeDocument } from '../worker/policy/judge';
import { loadTrustStore } from '../worker/pki/trust-store';
import type { DocumentReport } from '../worker/report';
import { openFileSource } from '../worker/source';
import { verifyDocument } from '../worker/verify';
import { log, runMain } from './inputs';

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

async function main(argv: string[]): Promise<number> {
  const n = option(argv, '--docs', 100_000);
  const distinct = option(argv, '--distinct', 20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-bench-rejudge-'));
  try {
    const pki = loadTestPki();
    const certs = path.join(dir, 'certs');
    writeTrustStore(certs, pki);
    const trust = loadTrustStore(certs);
    const files = makeBenchCorpus(path.join(dir, 'pdfs'), distinct, 7, pki);

    const at = new Date('2026-03-12T00:00:00Z');
    const versions = versionsOf({ trust });
    // Verification: each PDF verified in turn, repeated until about 20 s (or 2,000 documents) have passed.
    let verified = 0;
    const vStart = process.hrtime.bigint();
    while (verified < 2000 && Number(process.hrtime.bigint() - vStart) / 1e6 < 20_000) {
      const file = files[verified % files.length]!;
      const source = openFileSource(file);
      try {
        await verifyDocument(source, trust, { fileName: path.basename(file) });
      } finally {
        source.close?.();
      }
      verified++;
    }
    const vMs = Number(process.hrtime.bigint() - vStart) / 1e6;
    const verifyRate = (verified / vMs) * 1000;
    log(`verify:  ${verified} documents in ${(vMs / 1000).toFixed(1)} s = ${verifyRate.toFixed(0)} docs/s (one core, from the PDFs)`);

    const samples: { record: FactsRecord; report: DocumentReport }[] = files.map((file) => {
      const source = openFileSource(file);
      try {
        const f = collectFacts(source, { fileName: path.basename(file) });
        return { record: toFactsRecord(f), report: { ...judgeDocument(f, trust, { now: at }), judgedWith: judgedWith(versions, at, null) } };
      } finally {
        source.close?.();
      }
    });
    const client = await openSqlClient({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: path.join(dir, 'data') });
    const store = new SqlStore(client);
    await store.migrate();

    // Verification as the service does it, storing included: each report saved (group commit, a few hundred in
    // flight as the queue keeps them) with its facts record, under made-up SHA-256s so each is a new document.
    const stored = Math.min(verified, 2000);
    const wStart = process.hrtime.bigint();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < stored; i++) {
      const file = files[i % files.length]!;
      const source = openFileSource(file);
      let record: FactsRecord | null = null;
      let report: DocumentReport;
      try {
        report = await verifyDocument(source, trust, { fileName: path.basename(file), now: at, onFacts: (f) => (record = toFactsRecord(f)) });
      } finally {
        source.close?.();
      }
      const sha256 = crypto.createHash('sha256').update(`verified-${i}`).digest('hex');
      const got = record as FactsRecord | null;
      const kept = got ? ({ ...got, facts: { ...(got.facts as Record<string, unknown>), sha256 } } as FactsRecord) : null;
      const r = { ...report, sha256, judgedWith: judgedWith(versions, at, null) };
      inFlight.push(store.saveDocumentReport(sha256, r).then(() => (kept ? store.saveFacts(sha256, kept, at, r, judgedWithKey(versions)) : undefined)));
      if (inFlight.length >= 200) await Promise.all(inFlight.splice(0));
    }
    await Promise.all(inFlight);
    const wMs = Number(process.hrtime.bigint() - wStart) / 1e6;
    const storedRate = (stored / wMs) * 1000;
    log(`verify and store: ${stored} documents in ${(wMs / 1000).toFixed(1)} s = ${storedRate.toFixed(0)} docs/s (one core and the database, as the service)`);
    fs.rmSync(path.join(dir, 'pdfs'), { recursive: true, force: true });
    const sStart = Date.now();
    const CHUNK = 1000;
    for (let base = 0; base < n; base += CHUNK) {
      const saves: Promise<void>[] = [];
      const items: { file: string; sha256: string; size: number; register: null }[] = [];
      await client.transaction(async (tx) => {
        for (let i = base; i < Math.min(n, base + CHUNK); i++) {
          const sample = samples[i % samples.length]!;
          const sha256 = crypto.createHash('sha256').update(`bench-${i}`).digest('hex');
          const record = { ...sample.record, facts: { ...(sample.record.facts as Record<string, unknown>), sha256 } } as FactsRecord;
          await facts.saveFacts(tx, sha256, record, at, judgedWithKey(versions));
          saves.push(store.saveDocumentReport(sha256, { ...sample.report, sha256 }));
          items.push({ file: `vb-${i}.pdf`, sha256, size: sample.report.size, register: null });
        }
      });
      await Promise.all(saves);
      // Each thousand documents a batch, as uploads hold them: judging again writes the rows of the batches too.
      await store.createBatch({ id: `bench-${base / CHUNK}`, source: 'upload', items, findings: [], hasRegister: false, createdBy: null });
    }
    log(`stored:  ${n} facts records, reports and batch rows in ${((Date.now() - sStart) / 1000).toFixed(1)} s`);

    const rStart = process.hrtime.bigint();
    const result = await rejudgeStored(store, { trust: loadTrustStore(certs) }, { all: true }, { pageSize: 1000 });
    const rMs = Number(process.hrtime.bigint() - rStart) / 1e6;
    const rejudgeRate = (result.judged / rMs) * 1000;
    log(`rejudge: ${result.judged} documents in ${(rMs / 1000).toFixed(1)} s = ${rejudgeRate.toFixed(0)} docs/s (${result.changed} changed, ${result.failed.length} failed)`);
    log(`verifying ${n} would take ${(n / verifyRate).toFixed(0)} s on one core (${(n / storedRate).toFixed(0)} s with storing); judging them again took ${(rMs / 1000).toFixed(0)} s: ${((rMs / 1000 / (n / verifyRate)) * 100).toFixed(0)} % (${((rMs / 1000 / (n / storedRate)) * 100).toFixed(0)} %) of it`);

    // The worst case: the government root withdrawn, every verdict changes — each report stored again, moved in the
    // unit figures, written into its batch row, with a history row.
    fs.rmSync(path.join(certs, 'government', 'TEST-BCY', 'rootca-test.pem'));
    const cStart = process.hrtime.bigint();
    const all = await rejudgeStored(store, { trust: loadTrustStore(certs) }, { all: true }, { pageSize: 1000 });
    const cMs = Number(process.hrtime.bigint() - cStart) / 1e6;
    log(`rejudge, root withdrawn: ${all.judged} documents in ${(cMs / 1000).toFixed(1)} s = ${((all.judged / cMs) * 1000).toFixed(0)} docs/s (${all.changed} changed): ${((cMs / 1000 / (n / verifyRate)) * 100).toFixed(0)} % (${((cMs / 1000 / (n / storedRate)) * 100).toFixed(0)} % with storing) of verifying them`);
    await store.close();
    // The documents verified and stored above are judged too (and change with the root): n + stored in all.
    return result.failed.length === 0 && result.judged === n + stored && all.changed === n + stored ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
