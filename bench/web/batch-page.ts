import * as fs from 'node:fs';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../server/api/app';
import type { JobQueue } from '../../server/shared/types';
import { DEFAULT_LIMITS } from '../../server/shared/config';
import { FileBlobStore } from '../../server/store/blobs';
import { openSqlClient } from '../../server/store/open';
import { rebuildBatchCounts } from '../../server/store/queries';
import { fillRowFigures } from '../../server/store/batch-summary';
import { SqlStore } from '../../server/store/sql-store';
import { rebuildSummaries } from '../../server/store/summaries';
import { webRoutes } from '../../server/web/pages';
import { fillSynthetic } from '../queries/synthetic';
import { chromiumAvailable, CHROMIUM, launchChromium, PASSWORD } from './harness';

/**
 * `npm run bench:web`: the batch page of a 10,000-document batch in the embedded store (PGlite), opened in
 * Chromium: how long until the first page of documents is on screen, and until the unit summary is (the batch's
 * summary, counted in SQL, fetched beside the rows). Issue 18 asks for the first page under 1 s.
 */

const DOCS = 10_000;
const ADMIN = 'kk_bench-web-admin';
const RUNS = 5;
const noQueue: JobQueue = { enqueue: async () => undefined, close: async () => undefined };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-bench-web-'));
  const db = await openSqlClient({ databaseUrl: null, dataDir });
  const store = new SqlStore(db);
  let server: http.Server | null = null;
  try {
    await store.migrate();
    await fillSynthetic(db, DOCS, DOCS, (line) => process.stderr.write(`${line}\n`));
    await db.transaction(async (tx) => {
      await rebuildSummaries(tx);
      await rebuildBatchCounts(tx);
      await fillRowFigures(tx);
    });
    const app = createApp({
      cfg: {
        port: 0, host: '127.0.0.1', dataDir, certsDir: dataDir, revocation: 'offline', revocationRefreshHours: 24, redisUrl: null, databaseUrl: null, exportDir: null, adminToken: ADMIN,
        concurrency: 1, jobsInFlight: 1, queuePrefix: 'bench', exportIntervalSeconds: 60, sessionIdleMinutes: 30, trustProxy: null, limits: { ...DEFAULT_LIMITS },
      },
      store,
      blobs: new FileBlobStore(dataDir),
      queue: noQueue,
      log: () => undefined,
      pages: (identify) => webRoutes({ identify }),
    });
    server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const made = await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'thanhtra', password: PASSWORD, role: 'inspector', units: [] }),
    });
    if (made.status !== 201) throw new Error(`user: ${made.status} ${await made.text()}`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.goto(`${base}/dang-nhap`);
      await page.getByLabel('Tên đăng nhập').fill('thanhtra');
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap') && u.pathname !== '/');
      const rows: number[] = [];
      const summaries: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = Date.now();
        await page.goto(`${base}/lo/bench-page`);
        await page.locator('table.documents tbody tr').first().waitFor({ timeout: 60_000 });
        rows.push(Date.now() - start);
        await page.locator('table.summary').waitFor({ timeout: 120_000 });
        summaries.push(Date.now() - start);
      }
      const count = await page.locator('table.documents tbody tr').count();
      process.stdout.write(
        `batch page of ${DOCS} documents (PGlite, Chromium, ${RUNS} loads): first page of ${count} rows on screen in ${median(rows)} ms (median; max ${Math.max(...rows)} ms), ` +
          `unit summary in ${median(summaries)} ms (median; max ${Math.max(...summaries)} ms)\n`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    if (server) await new Promise((r) => server!.close(r));
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:web: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
