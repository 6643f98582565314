import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manySignaturesPdf } from '../../bench/hostile-pdfs';
import { FileBlobStore } from '../../server/store/blobs';
import { VerifyPool, type DocumentVerifier, type Job } from '../../server/pool/verify-pool';
import { BullQueue, startBullWorker } from '../../server/queue/bullmq-queue';
import { InProcessQueue } from '../../server/queue/inprocess-queue';
import { processJob, refusedForItsContent } from '../../server/queue/processor';
import { makeBenchCorpus } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import type { DocumentReport } from '../../worker/report';
import { FakeStore } from './helpers/fake-store';
import { newBatch, waitFor } from './helpers/batch';
import { SHARED_REDIS_URL, redisAnswers, redisKeys, requireIoredis, uniquePrefix } from './helpers/redis';

/**
 * A poison document in a batch (100,000 signature fields, which once took a verification thread to 6.6 GB, was
 * retried five times and left its batch `running`): in either queue the batch reaches `done`, the normal documents
 * are verified, the poison one has verdict error, and it was verified once. And a report the database refuses for
 * what it holds is stored as an error report, once, rather than retried forever.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-budgets-'));
const pki = loadTestPki();
const trust = path.join(dir, 'trust');
writeTrustStore(trust, pki);
const normalFiles = makeBenchCorpus(path.join(dir, 'normal'), 3, 16, pki);
const poisonFile = path.join(dir, 'poison.pdf');
fs.writeFileSync(poisonFile, manySignaturesPdf(100_000));
const prefixes: string[] = [];
const quiet = (): void => undefined;

afterAll(async () => {
  for (const prefix of prefixes) {
    const q = new BullQueue({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix }, { log: quiet });
    await q.queue.obliterate({ force: true });
    await q.close();
    expect(await redisKeys(SHARED_REDIS_URL, `${prefix}:*`)).toEqual([]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The real verifier (the core, in-process under jest), counting how many times each document is verified. */
class CountingVerifier implements DocumentVerifier {
  readonly calls = new Map<string, number>();
  constructor(private readonly inner: VerifyPool) {}
  get size(): number {
    return this.inner.size;
  }
  async verify(job: Job): Promise<DocumentReport> {
    this.calls.set(job.fileName, (this.calls.get(job.fileName) ?? 0) + 1);
    return this.inner.verify(job);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function batchOf(tag: string) {
  const blobs = new FileBlobStore(path.join(dir, tag));
  const docs = [];
  for (const f of [...normalFiles, poisonFile]) docs.push({ ...(await blobs.putFile(f)), file: path.basename(f) });
  const store = new FakeStore();
  await store.createBatch(newBatch(tag, docs));
  const verifier = new CountingVerifier(new VerifyPool({ certsDir: trust, jobs: 2 }));
  return { blobs, docs, store, verifier, jobs: docs.map((d) => ({ sha256: d.sha256, fileName: d.file })) };
}

function expectPoisonContained(store: FakeStore, docs: { sha256: string; file: string }[], verifier: CountingVerifier): void {
  const poison = docs.find((d) => d.file === 'poison.pdf')!;
  expect(store.reports.get(poison.sha256)).toMatchObject({ verdict: 'error', error: { code: 'TOO_COMPLEX' } });
  for (const d of docs.filter((x) => x !== poison)) expect(store.reports.get(d.sha256)?.verdict).toBe('compliant');
  for (const d of docs) {
    expect(verifier.calls.get(d.file)).toBe(1);
    expect(store.saves.get(d.sha256)).toBe(1);
  }
}

test('in-process queue: the poison document is an error report, verified once; its batch is done with every other document verified', async () => {
  const { blobs, docs, store, verifier, jobs } = await batchOf('inprocess');
  const queue = new InProcessQueue({ blobs, store, verifier, backoffMs: 10, log: quiet });
  const started = Date.now();
  await queue.enqueue(jobs);
  await queue.idle();
  await queue.close();
  await verifier.close();
  expect(await store.getBatch('inprocess')).toMatchObject({ status: 'done', done: 4, errors: 1 });
  expectPoisonContained(store, docs, verifier);
  // Far inside the 30 s budget: refused by count, not by time.
  expect(Date.now() - started).toBeLessThan(25_000);
});

test('BullMQ worker: the same, and the poison job neither fails nor is retried', async () => {
  if (!(await redisAnswers(SHARED_REDIS_URL))) {
    console.warn(`SKIPPED: no Redis at ${SHARED_REDIS_URL} (set KIEMKY_TEST_REDIS_URL)`);
    return;
  }
  requireIoredis();
  const prefix = uniquePrefix('budgets');
  prefixes.push(prefix);
  const { blobs, docs, store, verifier, jobs } = await batchOf('bull');
  const queue = new BullQueue({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix }, { backoffMs: 50, log: quiet });
  const worker = await startBullWorker({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix, jobsInFlight: 4 }, { blobs, store, verifier }, { log: quiet });
  const failed: string[] = [];
  worker.worker.on('failed', (job) => failed.push(String(job?.id)));
  await queue.enqueue(jobs);
  await waitFor(async () => (await store.getBatch('bull'))?.status === 'done', 60_000, 'batch done');
  await worker.close();
  await queue.close();
  await verifier.close();
  expect(failed).toEqual([]);
  expect(await store.getBatch('bull')).toMatchObject({ status: 'done', done: 4, errors: 1 });
  expectPoisonContained(store, docs, verifier);
});

describe('a report the database refuses for what it holds', () => {
  /** A store that refuses, as PostgreSQL does, a report holding a given file name: the same on every try. */
  class RefusingStore extends FakeStore {
    attempts = 0;
    constructor(private readonly refuse: (report: DocumentReport) => Error | null) {
      super();
    }
    override async saveDocumentReport(sha256: string, report: DocumentReport): Promise<void> {
      this.attempts++;
      const err = this.refuse(report);
      if (err) throw err;
      return super.saveDocumentReport(sha256, report);
    }
  }
  const sqlError = (code: string): Error => Object.assign(new Error('unsupported Unicode escape sequence'), { code });

  async function oneDocument(store: FakeStore) {
    const blobs = new FileBlobStore(path.join(dir, `refuse-${store.constructor.name}-${Math.random()}`));
    const doc = { ...(await blobs.putFile(normalFiles[0]!)), file: 'refused.pdf' };
    await store.createBatch(newBatch('r', [doc]));
    const verifier = new CountingVerifier(new VerifyPool({ certsDir: trust, jobs: 1 }));
    return { blobs, doc, verifier };
  }

  test('refused for its content (SQLSTATE 22…, 54…, a RangeError): an error report saying so is stored in its place, once', async () => {
    const store = new RefusingStore((r) => (r.verdict !== 'error' ? sqlError('22P05') : null));
    const { blobs, doc, verifier } = await oneDocument(store);
    const queue = new InProcessQueue({ blobs, store, verifier, backoffMs: 10, log: quiet });
    await queue.enqueue([{ sha256: doc.sha256, fileName: doc.file }]);
    await queue.idle();
    await queue.close();
    expect(await store.getBatch('r')).toMatchObject({ status: 'done' });
    expect(store.reports.get(doc.sha256)).toMatchObject({ verdict: 'error', error: { code: 'INTERNAL' }, sha256: doc.sha256 });
    expect(store.reports.get(doc.sha256)?.error?.detail).toContain('unsupported Unicode escape sequence');
    expect(verifier.calls.get('refused.pdf')).toBe(1);
    expect(store.attempts).toBe(2);
    expect([sqlError('54000'), new RangeError('Invalid string length')].every(refusedForItsContent)).toBe(true);
    expect([sqlError('57P01'), sqlError('08006'), new Error('connect ECONNREFUSED'), null].some(refusedForItsContent)).toBe(false);
  });

  test('a database that is down is not mistaken for it: the job throws, and the queue retries it', async () => {
    const store = new RefusingStore(() => Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined }));
    const { blobs, doc, verifier } = await oneDocument(store);
    await expect(processJob({ sha256: doc.sha256, fileName: doc.file }, { blobs, store, verifier })).rejects.toThrow('Connection terminated');
    expect(store.reports.size).toBe(0);
    // When even the error report is refused, the database is the problem: the original error is what is retried.
    const both = new RefusingStore(() => sqlError('22P05'));
    const second = await oneDocument(both);
    await expect(processJob({ sha256: second.doc.sha256, fileName: second.doc.file }, { blobs: second.blobs, store: both, verifier: second.verifier })).rejects.toThrow(
      'unsupported Unicode',
    );
    expect(both.attempts).toBe(2);
  });
});
