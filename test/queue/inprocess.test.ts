import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileBlobStore } from '../../server/store/blobs';
import { VerifyPool } from '../../server/pool/verify-pool';
import { InProcessQueue } from '../../server/queue/inprocess-queue';
import { processJob } from '../../server/queue/processor';
import { reconcile, startReconciler } from '../../server/queue/reconciler';
import { JOBS_PER_THREAD } from '../../server/shared/config';
import { makeBenchCorpus } from '../../samples/month';
import { FakeStore } from './helpers/fake-store';
import { FakeVerifier } from './helpers/fake-verifier';
import { testTrust } from '../helpers/test-trust';
import { newBatch, storedDocs } from './helpers/batch';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-inproc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { pki, dir: trust } = testTrust();

test('end to end with the real verifier: a batch of real PDFs (one twice, one not a PDF) completes once per document', async () => {
  const files = makeBenchCorpus(path.join(dir, 'corpus'), 6, 11, pki);
  fs.writeFileSync(path.join(dir, 'not.pdf'), 'hello, not a PDF');
  files.push(path.join(dir, 'not.pdf'));

  const blobs = new FileBlobStore(path.join(dir, 'data'));
  const docs = [];
  for (const f of files) docs.push({ ...(await blobs.putFile(f)), file: path.basename(f) });
  docs.push(docs[0]); // the same document twice in one batch
  const store = new FakeStore();
  const { pending } = await store.createBatch(newBatch('b1', docs));
  expect(pending).toHaveLength(7);

  const queue = new InProcessQueue({ blobs, store, certsDir: trust, concurrency: 2 });
  await queue.enqueue(docs.map((d) => ({ sha256: d.sha256, fileName: d.file })));
  await queue.enqueue(docs.map((d) => ({ sha256: d.sha256, fileName: d.file }))); // again: deduplicated
  await queue.idle();
  await queue.close();

  expect(await store.getBatch('b1')).toMatchObject({ status: 'done', total: 8, done: 8, errors: 1 });
  for (const d of docs) expect(store.saves.get(d.sha256)).toBe(1);
  const verdicts = docs.slice(0, 6).map((d) => store.reports.get(d.sha256)?.verdict);
  expect(verdicts).toEqual(Array(6).fill('compliant'));
  expect(store.reports.get(docs[6].sha256)).toMatchObject({ verdict: 'error', sha256: docs[6].sha256 });
});

test('dedupe per sha256 while waiting or running, both threads busy, store failures retried', async () => {
  const blobs = new FileBlobStore(path.join(dir, 'data2'));
  const docs = await storedDocs(blobs, 20, 'd');
  const store = new FakeStore();
  await store.createBatch(newBatch('b', docs));
  store.failNextSaves = 3;
  const verifier = new FakeVerifier(2, 10);
  const queue = new InProcessQueue({ blobs, store, verifier, jobsInFlight: 6, backoffMs: 10, log: () => undefined });
  const jobs = docs.map((d) => ({ sha256: d.sha256, fileName: d.file }));
  await Promise.all([queue.enqueue(jobs), queue.enqueue(jobs), queue.enqueue(jobs.slice(0, 5))]);
  expect(queue.size).toBe(20);
  await queue.idle();
  // Six jobs at once given to the verifier, which ran two (its threads) and queued the rest.
  expect(verifier.maxRunning).toBe(2);
  expect(verifier.maxAccepted).toBe(6);
  // 20 documents, 3 of whose saves failed once and were retried: 23 verifications, 20 reports.
  expect(verifier.calls).toHaveLength(23);
  expect(store.reports.size).toBe(20);
  expect(await store.getBatch('b')).toMatchObject({ status: 'done', done: 20 });
  // Done documents can be enqueued again: a plain job verifies again, the reconciler's kind finds the report.
  await queue.enqueue(jobs.slice(0, 1));
  await queue.idle();
  expect(verifier.calls).toHaveLength(24);
  await queue.enqueue([{ ...jobs[1], skipIfVerified: true }]);
  await queue.idle();
  expect(verifier.calls).toHaveLength(24);
  await queue.close();
});

test('the default in-process queue keeps JOBS_PER_THREAD jobs per thread in flight', async () => {
  const blobs = new FileBlobStore(path.join(dir, 'data5'));
  const docs = await storedDocs(blobs, 3 * JOBS_PER_THREAD, 'm');
  const store = new FakeStore();
  await store.createBatch(newBatch('many', docs));
  const verifier = new FakeVerifier(2, 5);
  const queue = new InProcessQueue({ blobs, store, verifier });
  await queue.enqueue(docs.map((d) => ({ sha256: d.sha256, fileName: d.file })));
  await queue.idle();
  await queue.close();
  expect(verifier.maxAccepted).toBe(2 * JOBS_PER_THREAD);
  expect(verifier.maxRunning).toBe(2);
  expect(await store.getBatch('many')).toMatchObject({ status: 'done', done: 3 * JOBS_PER_THREAD });
});

/** A Store whose pending list was read before the last documents were saved: what the reconciler races with. */
class StaleStore extends FakeStore {
  stale: string[] = [];
  override async pendingDocuments(limit: number): Promise<string[]> {
    return this.stale.slice(0, limit);
  }
}

test('the reconciler racing a job that just finished: the new job finds the report and verifies nothing', async () => {
  const blobs = new FileBlobStore(path.join(dir, 'data6'));
  const docs = await storedDocs(blobs, 4, 'r');
  const store = new StaleStore();
  await store.createBatch(newBatch('race', docs));
  const verifier = new FakeVerifier(2, 1);
  const queue = new InProcessQueue({ blobs, store, verifier });
  // The reconciler read all four as pending; then their jobs finished (and the queue forgot them).
  store.stale = docs.map((d) => d.sha256);
  await queue.enqueue(docs.map((d) => ({ sha256: d.sha256, fileName: d.file })));
  await queue.idle();
  expect(verifier.calls).toHaveLength(4);
  // Only now does its enqueue arrive: four new jobs, none of which verifies.
  expect(await reconcile(store, queue)).toBe(4);
  await queue.idle();
  expect(verifier.calls).toHaveLength(4);
  for (const d of docs) expect(store.saves.get(d.sha256)).toBe(1);
  await queue.close();
});

test('a missing blob gives an UNREADABLE error report, so the rows still complete', async () => {
  const blobs = new FileBlobStore(path.join(dir, 'data3'));
  const store = new FakeStore();
  const sha256 = 'ab'.repeat(32);
  await store.createBatch(newBatch('m', [{ sha256, size: 10, file: 'lost.pdf' }]));
  await processJob({ sha256, fileName: 'lost.pdf' }, { blobs, store, verifier: new FakeVerifier() });
  expect(store.reports.get(sha256)).toMatchObject({ verdict: 'error', sha256, error: { code: 'UNREADABLE' } });
  expect(await store.getBatch('m')).toMatchObject({ status: 'done', errors: 1 });
});

test('the reconciler enqueues what the Store still has pending (a queue that lost its jobs)', async () => {
  const blobs = new FileBlobStore(path.join(dir, 'data4'));
  const docs = await storedDocs(blobs, 5, 'l');
  const store = new FakeStore();
  await store.createBatch(newBatch('r', docs));
  // The process that had these jobs died: a fresh queue knows nothing of them.
  const verifier = new FakeVerifier(2, 1);
  const queue = new InProcessQueue({ blobs, store, verifier });
  expect(await reconcile(store, queue)).toBe(5);
  await queue.idle();
  expect(await store.getBatch('r')).toMatchObject({ status: 'done', done: 5 });
  expect(await reconcile(store, queue)).toBe(0);

  // The timer form: a batch created later is picked up within one interval.
  const more = [{ ...(await blobs.putBuffer(Buffer.from('%PDF later'))), file: 'later.pdf' }];
  const rec = startReconciler(store, queue, { intervalMs: 50 });
  await store.createBatch(newBatch('r2', more));
  const deadline = Date.now() + 5000;
  while ((await store.getBatch('r2'))?.status !== 'done' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await rec.stop();
  expect(await store.getBatch('r2')).toMatchObject({ status: 'done' });
  await queue.close();
});

test('the default in-process pool has the configured threads', async () => {
  const pool = new VerifyPool({ certsDir: dir, jobs: 2 });
  expect(pool.size).toBe(2);
  await pool.close();
});
