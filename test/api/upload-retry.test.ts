import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/api/app';
import { FileBlobStore } from '../../server/store/blobs';
import { InProcessQueue } from '../../server/queue/inprocess-queue';
import type { Store } from '../../server/shared/types';
import { openStore } from '../../server/store/open';
import { FakeVerifier } from '../queue/helpers/fake-verifier';
import { buildZip } from '../server/helpers/zip-writer';
import { failingBlobs, tempDir, testConfig } from './helpers/fakes';
import { wholeReport } from '../helpers/whole-report';

/**
 * An upload that fails after some of its documents were enqueued (a disk filling up; a crash mid-ingest looks the
 * same to the store: no batch), on the real embedded store and the in-process queue. No batch is half-accepted,
 * the documents verified early are kept, and the client's retry reuses them: every document verified once.
 */

const ADMIN = 'Bearer kk_admin-from-env';
const dir = tempDir('kiemky-retry-');
let store: Store | null = null;
afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a failed upload leaves no batch; its early jobs verify their documents; the retry verifies only the rest', async () => {
  const dataDir = path.join(dir, 'data');
  store = await openStore({ databaseUrl: null, dataDir });
  const blobs = new FileBlobStore(dataDir);
  const verifier = new FakeVerifier(2, 2);
  const queue = new InProcessQueue({ blobs, store, verifier, log: () => undefined });
  const cfg = testConfig(dataDir);
  // More documents than ingest stores at once (LANES), and puts slow enough (30 ms) that the 80th comes a few of
  // Ingest's group windows (25 ms) after the first: some are durable, and enqueued, before the failure.
  const docs = Array.from({ length: 120 }, (_, i) => Buffer.from(`%PDF-1.7 retry ${i} ${'y'.repeat(i * 40)}`));
  const shas = docs.map((d) => crypto.createHash('sha256').update(d).digest('hex'));
  const zip = buildZip(docs.map((data, i) => ({ name: `thang/${String(i).padStart(3, '0')}.pdf`, data })));

  const failing = createApp({ cfg, store, blobs: failingBlobs(blobs, 80, 30), queue, log: () => undefined });
  const first = await request(failing).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'thang.zip');
  expect(first.status).toBe(500);
  await queue.idle();
  const verifiedEarly = await store.knownDocuments(shas);
  expect(verifiedEarly.length).toBeGreaterThan(0);
  expect(verifiedEarly.length).toBeLessThan(80);
  expect(verifier.calls).toHaveLength(verifiedEarly.length);
  // Nothing waits for a batch that was never accepted.
  expect(await store.pendingDocuments(100)).toEqual([]);

  const app = createApp({ cfg, store, blobs, queue, log: () => undefined });
  const retry = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'thang.zip');
  expect(retry.status).toBe(202);
  await queue.idle();
  expect(await store.getBatch(retry.body.id as string)).toMatchObject({ status: 'done', total: 120, done: 120 });
  // Each document verified exactly once over both uploads.
  expect(verifier.calls).toHaveLength(120);
  expect(new Set(verifier.calls).size).toBe(120);
  const report = await wholeReport(store, retry.body.id as string);
  expect(report?.documents.map((d) => d.sha256).sort()).toEqual([...shas].sort());
  await queue.close();
}, 60_000);
