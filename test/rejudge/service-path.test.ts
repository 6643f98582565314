import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeBenchCorpus } from '../../samples/month';
import { InProcessQueue } from '../../server/queue/inprocess-queue';
import { rejudgeStored, judgedWithKey, versionsOf } from '../../server/pool/rejudge';
import { FileBlobStore } from '../../server/store/blobs';
import { openSqlClient } from '../../server/store/open';
import { SqlStore } from '../../server/store/sql-store';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { testTrust } from '../helpers/test-trust';
import { newBatch } from '../queue/helpers/batch';

/**
 * The service's own path keeps the facts: a batch verified by the in-process queue with the real verifier stores,
 * with each report, the document's facts and the first row of its history, and its report names the trust store.
 * Once the blobs are gone, the batch can still be judged again — and gives the same reports.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-rejudge-service-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { pki, dir: trust } = testTrust();

test('verified through the queue, judged again from the store alone', async () => {
  const files = makeBenchCorpus(path.join(dir, 'corpus'), 4, 3, pki);
  const blobs = new FileBlobStore(path.join(dir, 'data'));
  const docs = [];
  for (const f of files) docs.push({ ...(await blobs.putFile(f)), file: path.basename(f) });
  const client = await openSqlClient({ databaseUrl: null, dataDir: path.join(dir, 'db') });
  const store = new SqlStore(client);
  await store.migrate();
  await store.createBatch(newBatch('b1', docs));
  const queue = new InProcessQueue({ blobs, store, certsDir: trust, concurrency: 1 });
  await queue.enqueue(docs.map((d) => ({ sha256: d.sha256, fileName: d.file })));
  await queue.idle();
  await queue.close();

  const version = versionsOf({ trust: loadTrustStore(trust) });
  const before = new Map<string, unknown>();
  for (const d of docs) {
    const report = await store.getDocument(d.sha256);
    expect(report?.judgedWith?.trustStore).toBe(version.trustStore);
    expect(await store.verdictHistory(d.sha256)).toMatchObject([{ reason: 'verified', verdict: report!.verdict, trustStore: version.trustStore }]);
    before.set(d.sha256, report);
  }
  // The PDFs go: nothing below may need them.
  fs.rmSync(path.join(dir, 'data'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'corpus'), { recursive: true, force: true });
  const result = await rejudgeStored(store, { trust: loadTrustStore(trust) }, { batchId: 'b1' });
  expect(result).toEqual({ judged: docs.length, changed: 0, failed: [] });
  expect(await rejudgeStored(store, { trust: loadTrustStore(trust) }, { notJudgedWith: judgedWithKey(version) })).toMatchObject({ judged: 0 });
  for (const d of docs) {
    const { judgedWith: _a, ...now } = (await store.getDocument(d.sha256))!;
    const { judgedWith: _b, ...then } = before.get(d.sha256) as typeof now & { judgedWith?: unknown };
    expect(now).toEqual(then);
  }
  await store.close();
});
