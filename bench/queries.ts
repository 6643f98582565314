/**
 * `npm run bench:queries`: the leader's and inspector's queries answer in under 300 ms with 1,000,000 documents in
 * PostgreSQL (issue 18), and a page of a 10,000-document batch well under 100 ms in PostgreSQL and in PGlite.
 *
 *   1. A fresh PostgreSQL database (kiemky_bench_q_<pid>), migrated by the store, filled with --docs synthetic
 *      documents (bench/queries/synthetic.ts: 60 units × 12 months × 8 providers, made with generate_series, not
 *      through the API), the summary rows made by the store's rebuildSummaries, then ANALYZE.
 *   2. The real HTTP app (createApp over that store) on a local port; each query is asked once to warm up, then
 *      RUNS times, as an admin, a leader, an inspector or a clerk of two units. The median and the slowest are
 *      printed, in milliseconds, from the request to the last byte of the answer.
 *   3. The same 10,000-document batch in embedded PGlite (DATA_DIR in a temporary folder): its pages timed the same
 *      way.
 *
 * Exits 0 when every leader/inspector query (units, providers, certificates) has its median under 300 ms and
 * every first page of the 10,000-document batch under 100 ms; 1 otherwise; 2 on a setup error. The database and
 * folders are removed whatever happens (kept with --keep).
 *
 * Options: --docs N (1000000), --pg-url URL (an existing database to connect to for CREATE/DROP DATABASE; default
 * postgres://postgres@127.0.0.1:5432/test), --runs R (7), --keep, --no-pglite.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createApp } from '../server/api/app';
import { issueToken } from '../server/api/auth';
import type { JobQueue, Store } from '../server/shared/types';
import { FileBlobStore } from '../server/store/blobs';
import { openSqlClient } from '../server/store/open';
import { sortKey } from '../server/store/sort-key';
import { SqlStore } from '../server/store/sql-store';
import type { SqlClient } from '../server/store/sql';
import { rebuildBatchCounts } from '../server/store/queries';
import { fillRowFigures } from '../server/store/batch-summary';
import { rebuildSummaries } from '../server/store/summaries';
import { DEFAULT_LIMITS } from '../server/shared/config';
import { log, runMain } from './inputs';
import { fillSynthetic, unitName } from './queries/synthetic';

const SUMMARY_TARGET_MS = 300;
const PAGE_TARGET_MS = 100;
const PAGE_BATCH = 10_000;
const ADMIN = 'kk_bench-admin';

interface Args {
  docs: number;
  pgUrl: string;
  runs: number;
  keep: boolean;
  pglite: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { docs: 1_000_000, pgUrl: 'postgres://postgres@127.0.0.1:5432/test', runs: 7, keep: false, pglite: true };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === '--docs') a.docs = Number(value());
    else if (name === '--pg-url') a.pgUrl = value();
    else if (name === '--runs') a.runs = Number(value());
    else if (name === '--keep') a.keep = true;
    else if (name === '--no-pglite') a.pglite = false;
    else throw new Error(`unknown option ${name}`);
  }
  if (!Number.isInteger(a.docs) || a.docs < PAGE_BATCH) throw new Error(`--docs needs an integer ≥ ${PAGE_BATCH}`);
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error('--runs needs an integer ≥ 1');
  return a;
}

interface Timed {
  label: string;
  url: string;
  /** Held to SUMMARY_TARGET_MS or PAGE_TARGET_MS. */
  target: number | null;
  median: number;
  max: number;
  bytes: number;
}

const noQueue: JobQueue = { enqueue: async () => undefined, close: async () => undefined };

/** The app over `store` on a local port, for `fn`. */
async function serving<T>(store: Store, dataDir: string, fn: (base: string) => Promise<T>): Promise<T> {
  const app = createApp({
    cfg: {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      certsDir: dataDir,
      revocation: 'offline',
      revocationRefreshHours: 24,
      redisUrl: null,
      databaseUrl: null,
      exportDir: null,
      adminToken: ADMIN,
      concurrency: 1,
      jobsInFlight: 1,
      queuePrefix: 'bench',
      exportIntervalSeconds: 60,
      sessionIdleMinutes: 30,
      trustProxy: null,
      limits: { ...DEFAULT_LIMITS },
    },
    store,
    blobs: new FileBlobStore(dataDir),
    queue: noQueue,
    log: (m, err) => log(`api: ${m} ${err instanceof Error ? err.message : ''}`),
  });
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function time(base: string, token: string, label: string, url: string, target: number | null, runs: number): Promise<Timed> {
  const once = async (): Promise<{ ms: number; bytes: number }> => {
    const start = process.hrtime.bigint();
    const res = await fetch(base + url, { headers: { Authorization: `Bearer ${token}` } });
    const body = await res.text();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
    return { ms, bytes: body.length };
  };
  await once();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once();
    times.push(r.ms);
    bytes = r.bytes;
  }
  times.sort((a, b) => a - b);
  return { label, url, target, median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]!, bytes };
}

function print(engine: string, rows: Timed[]): void {
  log(`\n${engine}`);
  for (const r of rows) {
    const verdict = r.target === null ? '' : r.median < r.target ? `  < ${r.target} ms` : `  OVER ${r.target} ms`;
    log(`  ${r.label.padEnd(46)} median ${r.median.toFixed(1).padStart(7)} ms  max ${r.max.toFixed(1).padStart(7)} ms  ${String(r.bytes).padStart(8)} B${verdict}`);
  }
}

/** The rows' keys as the benchmark wrote them in SQL are the store's own (store/sort-key.ts). */
async function checkKeys(db: SqlClient): Promise<void> {
  const { rows } = await db.query<{ file: string; file_key: string }>(`SELECT file, file_key FROM batch_items WHERE batch_id = 'bench-page' LIMIT 20`);
  for (const r of rows) if (sortKey(r.file) !== r.file_key) throw new Error(`synthetic key of ${r.file} differs from sortKey's`);
}

async function fill(db: SqlClient, docs: number): Promise<void> {
  const start = Date.now();
  await fillSynthetic(db, docs, PAGE_BATCH, log);
  await checkKeys(db);
  await db.transaction(async (tx) => {
    await rebuildSummaries(tx);
    await rebuildBatchCounts(tx);
    await fillRowFigures(tx);
  });
  await db.query('ANALYZE');
  log(`  filled in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

async function pageQueries(base: string, runs: number): Promise<Timed[]> {
  const out: Timed[] = [];
  const page = '/api/batches/bench-page/documents';
  out.push(await time(base, ADMIN, 'batch of 10,000: first page (file)', page, PAGE_TARGET_MS, runs));
  out.push(await time(base, ADMIN, 'batch of 10,000: first page (verdict)', `${page}?sort=verdict`, PAGE_TARGET_MS, runs));
  out.push(await time(base, ADMIN, 'batch of 10,000: noncompliant, 200 rows', `${page}?verdict=noncompliant&pageSize=200`, PAGE_TARGET_MS, runs));
  out.push(await time(base, ADMIN, 'batch of 10,000: search "00012"', `${page}?q=00012`, PAGE_TARGET_MS, runs));
  out.push(await time(base, ADMIN, 'batch of 10,000: last page', `${page}?page=200`, null, runs));
  return out;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const database = `kiemky_bench_q_${process.pid}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-bench-queries-'));
  const withPg = async (fn: (c: Client) => Promise<unknown>): Promise<void> => {
    const c = new Client({ connectionString: args.pgUrl });
    await c.connect();
    try {
      await fn(c);
    } finally {
      await c.end();
    }
  };
  let created = false;
  const results: Timed[] = [];
  try {
    await withPg((c) => c.query(`CREATE DATABASE ${database}`));
    created = true;
    const url = new URL(args.pgUrl);
    url.pathname = `/${database}`;
    log(`PostgreSQL: ${args.docs} documents into ${database}`);
    const client = await openSqlClient({ databaseUrl: url.toString(), dataDir });
    const store = new SqlStore(client);
    try {
      await store.migrate();
      await fill(client, args.docs);
      const { rows } = await client.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('documents')) AS size`);
      log(`  documents table: ${rows[0]?.size}`);
      const clerk = (await issueToken(store, 'clerk', [unitName(3), unitName(40)], 'bench')).token;
      const leader = (await issueToken(store, 'leader', [], 'bench')).token;
      const inspector = (await issueToken(store, 'inspector', [], 'bench')).token;
      const pg = await serving(store, dataDir, async (base) => {
        const r = args.runs;
        const out: Timed[] = [];
        out.push(await time(base, leader, '/api/units one month (leader)', '/api/units?from=2025-06&to=2025-06', SUMMARY_TARGET_MS, r));
        out.push(await time(base, leader, '/api/units twelve months (leader)', '/api/units?from=01/2025&to=12/2025', SUMMARY_TARGET_MS, r));
        out.push(await time(base, ADMIN, '/api/units twelve months (admin)', '/api/units?from=2025-01&to=2025-12', SUMMARY_TARGET_MS, r));
        out.push(await time(base, clerk, '/api/units one month (clerk, 2 units)', '/api/units?from=2025-06&to=2025-06', SUMMARY_TARGET_MS, r));
        out.push(await time(base, clerk, '/api/units twelve months (clerk, 2 units)', '/api/units?from=2025-01&to=2025-12', SUMMARY_TARGET_MS, r));
        out.push(await time(base, leader, '/api/units?by=month twelve months (leader)', '/api/units?by=month&from=2025-01&to=2025-12', SUMMARY_TARGET_MS, r));
        out.push(await time(base, inspector, '/api/providers one month (inspector)', '/api/providers?from=2025-06&to=2025-06', SUMMARY_TARGET_MS, r));
        out.push(await time(base, inspector, '/api/providers twelve months (inspector)', '/api/providers?from=2025-01&to=2025-12', SUMMARY_TARGET_MS, r));
        out.push(await time(base, inspector, '/api/certificates twelve months (inspector)', '/api/certificates?from=2025-01&to=2025-12', SUMMARY_TARGET_MS, r));
        out.push(await time(base, inspector, '/api/certificates one unit (inspector)', `/api/certificates?from=2025-01&to=2025-12&unit=${encodeURIComponent(unitName(7))}`, SUMMARY_TARGET_MS, r));
        out.push(await time(base, inspector, '/api/batches first page (inspector)', '/api/batches', null, r));
        out.push(await time(base, clerk, '/api/batches first page (clerk)', '/api/batches', null, r));
        out.push(await time(base, inspector, '/api/documents one unit, one month', `/api/documents?from=2025-06&to=2025-06&unit=${encodeURIComponent(unitName(7))}`, null, r));
        out.push(...(await pageQueries(base, r)));
        return out;
      });
      print(`PostgreSQL, ${args.docs} documents`, pg);
      results.push(...pg);
    } finally {
      await store.close();
    }
    if (args.pglite) {
      log(`\nPGlite: ${PAGE_BATCH} documents`);
      const liteDir = path.join(dataDir, 'pglite');
      fs.mkdirSync(liteDir);
      const lite = await openSqlClient({ databaseUrl: null, dataDir: liteDir });
      const liteStore = new SqlStore(lite);
      try {
        await liteStore.migrate();
        await fill(lite, PAGE_BATCH);
        const rows = await serving(liteStore, liteDir, (base) => pageQueries(base, args.runs));
        print(`PGlite, ${PAGE_BATCH} documents`, rows);
        results.push(...rows);
      } finally {
        await liteStore.close();
      }
    }
  } finally {
    if (!args.keep) {
      if (created) await withPg((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch((err: unknown) => log(`could not drop ${database}: ${String(err)}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    } else {
      log(`kept: database ${database}, ${dataDir}`);
    }
  }
  const over = results.filter((r) => r.target !== null && r.median >= r.target);
  log(`\n${JSON.stringify({ docs: args.docs, over: over.map((o) => o.label), results: results.map(({ label, median, max }) => ({ label, median: Math.round(median * 10) / 10, max: Math.round(max * 10) / 10 })) })}`);
  return over.length === 0 ? 0 : 1;
}

runMain(main);
