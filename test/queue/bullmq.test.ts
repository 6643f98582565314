import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileBlobStore } from '../../server/store/blobs';
import { BullQueue, QUEUE_NAME, startBullWorker } from '../../server/queue/bullmq-queue';
import { FakeStore } from './helpers/fake-store';
import { FakeVerifier } from './helpers/fake-verifier';
import { newBatch, storedDocs, waitFor } from './helpers/batch';
import { SHARED_REDIS_URL, redisAnswers, redisKeys, requireIoredis, uniquePrefix } from './helpers/redis';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-bull-'));
let available = false;
const prefixes: string[] = [];
const quiet = (): void => undefined;

beforeAll(async () => {
  available = await redisAnswers(SHARED_REDIS_URL);
  if (!available) console.warn(`SKIPPED: no Redis at ${SHARED_REDIS_URL} (set KIEMKY_TEST_REDIS_URL)`);
  else requireIoredis();
});

afterAll(async () => {
  if (available) {
    // Every key this run made goes: obliterate removes a queue's keys, whatever state its jobs are in.
    for (const prefix of prefixes) {
      const q = new BullQueue({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix }, { log: quiet });
      await q.queue.obliterate({ force: true });
      await q.close();
      expect(await redisKeys(SHARED_REDIS_URL, `${prefix}:*`)).toEqual([]);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setup(tag: string, n: number) {
  const prefix = uniquePrefix(tag);
  prefixes.push(prefix);
  const blobs = new FileBlobStore(path.join(dir, tag));
  const docs = await storedDocs(blobs, n, tag);
  const store = new FakeStore();
  await store.createBatch(newBatch(tag, docs));
  const jobs = docs.map((d) => ({ sha256: d.sha256, fileName: d.file }));
  const queue = new BullQueue({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix }, { backoffMs: 50, log: quiet });
  return { prefix, blobs, store, jobs, queue };
}

test('dedupe by sha256: a waiting job is not duplicated; more jobs in flight than threads', async () => {
  if (!available) return;
  const { prefix, blobs, store, jobs, queue } = await setup('dedupe', 10);
  await queue.enqueue(jobs);
  await queue.enqueue([...jobs, ...jobs.slice(0, 3)]);
  expect(await queue.queue.getWaitingCount()).toBe(10);
  const job = await queue.queue.getJob(jobs[0].sha256);
  expect(job?.data).toEqual(jobs[0]);
  expect(job?.opts.attempts).toBe(5);

  const verifier = new FakeVerifier(2, 20);
  const worker = await startBullWorker({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix, jobsInFlight: 6 }, { blobs, store, verifier }, { log: quiet });
  await waitFor(async () => (await store.getBatch('dedupe'))?.status === 'done', 15_000, 'batch done');
  expect(verifier.calls).toHaveLength(10);
  // The worker held up to 6 jobs at once (jobsInFlight), the verifier ran 2 (its threads) and queued the rest.
  expect(verifier.maxRunning).toBe(2);
  expect(verifier.maxAccepted).toBeGreaterThan(2);
  expect(verifier.maxAccepted).toBeLessThanOrEqual(6);
  await worker.close();
  await queue.close();
});

test('a finished job is forgotten: enqueued again it runs, but the reconciler\'s kind finds the report and verifies nothing', async () => {
  if (!available) return;
  const { prefix, blobs, store, jobs, queue } = await setup('again', 2);
  const verifier = new FakeVerifier(1, 1);
  const worker = await startBullWorker({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix, jobsInFlight: 4 }, { blobs, store, verifier }, { log: quiet });
  let completed = 0;
  worker.worker.on('completed', () => completed++);
  await queue.enqueue(jobs);
  await waitFor(() => completed === 2, 10_000, 'two jobs done');
  expect(await queue.queue.getJob(jobs[0].sha256)).toBeUndefined();
  // As the reconciler enqueues (it read the rows before the job finished): a new job, which only looks.
  await queue.enqueue([{ ...jobs[0], skipIfVerified: true }]);
  await waitFor(() => completed === 3, 10_000, 'the reconciler-style job done');
  expect(verifier.calls).toHaveLength(2);
  expect(store.saves.get(jobs[0].sha256)).toBe(1);
  // A plain enqueue is taken at its word: verified again.
  await queue.enqueue([jobs[1]]);
  await waitFor(() => completed === 4, 10_000, 'the plain job done');
  expect(verifier.calls).toHaveLength(3);
  await worker.close();
  await queue.close();
});

test('jobs waiting for a thread longer than the lock lasts do not stall: their locks are renewed', async () => {
  if (!available) return;
  const { prefix, blobs, store, jobs, queue } = await setup('locks', 8);
  // One thread, 250 ms a document, all 8 held at once: the last waits ~2 s, twice the lock's 1 s lifetime.
  const verifier = new FakeVerifier(1, 250);
  const worker = await startBullWorker(
    { redisUrl: SHARED_REDIS_URL, queuePrefix: prefix, jobsInFlight: 8 },
    { blobs, store, verifier },
    { log: quiet, lockDurationMs: 1000, stalledIntervalMs: 300 },
  );
  const stalled: string[] = [];
  worker.worker.on('stalled', (id: string) => stalled.push(id));
  await queue.enqueue(jobs);
  await waitFor(async () => (await store.getBatch('locks'))?.status === 'done', 20_000, 'batch done');
  expect(verifier.maxAccepted).toBe(8);
  expect(stalled).toEqual([]);
  expect(verifier.calls).toHaveLength(8);
  for (const j of jobs) expect(store.saves.get(j.sha256)).toBe(1);
  await worker.close();
  await queue.close();
});

test('a processor that throws (database down) is retried with backoff until it succeeds', async () => {
  if (!available) return;
  const { prefix, blobs, store, jobs, queue } = await setup('retry', 4);
  store.failNextSaves = 6; // the first attempts of some documents fail, some twice
  const verifier = new FakeVerifier(1, 1);
  const worker = await startBullWorker({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix, jobsInFlight: 3 }, { blobs, store, verifier }, { log: quiet });
  await queue.enqueue(jobs);
  await waitFor(async () => (await store.getBatch('retry'))?.status === 'done', 20_000, 'batch done after retries');
  expect(verifier.calls).toHaveLength(10);
  for (const j of jobs) expect(store.saves.get(j.sha256)).toBe(1);
  await worker.close();
  await queue.close();
});

test('a bad job payload fails without touching the disk; the queue name is kiemky-verify', async () => {
  if (!available) return;
  const { queue } = await setup('bad', 0);
  await expect(queue.enqueue([{ sha256: '../../etc/passwd', fileName: 'x' }])).rejects.toThrow(/bad verify job/);
  expect(queue.queue.name).toBe(QUEUE_NAME);
  await queue.close();
});
