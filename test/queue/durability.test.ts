import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { FileBlobStore } from '../../server/store/blobs';
import { BullQueue } from '../../server/queue/bullmq-queue';
import type { Store } from '../../server/shared/types';
import { openStore } from '../../server/store/open';
import { makeBenchCorpus } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import { newBatch, waitFor } from './helpers/batch';
import { SHARED_REDIS_URL, redisAnswers, redisKeys, requireIoredis, uniquePrefix } from './helpers/redis';
import { wholeReport } from '../helpers/whole-report';

/**
 * Durability, for real: `kiemky worker` child processes (runQueueWorker from the sources), PostgreSQL in a fresh schema,
 * BullMQ on Redis. A worker SIGKILLed mid-batch, and a Redis (with AOF) kill -9'd and restarted mid-batch, must
 * leave every document of the batch verified (or error), exactly once in the batch report.
 */

const DATABASE_URL = process.env.KIEMKY_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_SERVER = process.env.KIEMKY_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';
const N = 60;
const DELAY_MS = 120;
const FIXTURE = path.join(__dirname, 'fixtures', 'queue-worker-main.ts');
const REGISTER = path.join(__dirname, 'fixtures', 'ts-register.js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-durable-'));
const dataDir = path.join(dir, 'data');
const trustDir = path.join(dir, 'trust');
let skip: string | null = null;
let docs: Array<{ sha256: string; size: number; file: string }> = [];
const schemas: string[] = [];
const children: ChildProcess[] = [];
const stores: Store[] = [];

async function pgAnswers(): Promise<boolean> {
  const c = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

beforeAll(async () => {
  if (!(await redisAnswers(SHARED_REDIS_URL))) skip = `no Redis at ${SHARED_REDIS_URL}`;
  else if (!fs.existsSync(REDIS_SERVER)) skip = `no redis-server at ${REDIS_SERVER}`;
  else if (!(await pgAnswers())) skip = `no PostgreSQL at ${DATABASE_URL}`;
  if (skip) {
    console.warn(`SKIPPED durability tests: ${skip}`);
    return;
  }
  requireIoredis();
  const pki = loadTestPki();
  writeTrustStore(trustDir, pki);
  const files = makeBenchCorpus(path.join(dir, 'corpus'), N - 1, 4242, pki);
  // One that is not a PDF: it must end as `error`, counted like the others.
  fs.writeFileSync(path.join(dir, 'corpus', 'broken.pdf'), '%PDF-1.7 truncated');
  files.push(path.join(dir, 'corpus', 'broken.pdf'));
  const blobs = new FileBlobStore(dataDir);
  for (const f of files) docs.push({ ...(await blobs.putFile(f)), file: path.basename(f) });
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of stores) await s.close().catch(() => undefined);
  if (schemas.length > 0) {
    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await c.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcess;
  verified: string[];
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['-r', REGISTER, FIXTURE], {
    env: { ...process.env, ...env, DATA_DIR: dataDir, CERTS_DIR: trustDir, KIEMKY_CONCURRENCY: '2', TEST_DELAY_MS: String(DELAY_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const verified: string[] = [];
  let err = '';
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'READY') onReady();
      else if (line.startsWith('V ')) verified.push(line.slice(2));
    }
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, verified, ready, exited, stderr: () => err };
}

async function freshStore(): Promise<{ store: Store; schema: string }> {
  const schema = `kq_${crypto.randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  const store = await openStore({ databaseUrl: DATABASE_URL, dataDir, schema });
  stores.push(store);
  return { store, schema };
}

/** The batch report has every document once, and nothing is pending. */
async function expectExactlyOnce(store: Store, batchId: string): Promise<void> {
  const status = await store.getBatch(batchId);
  expect(status).toMatchObject({ status: 'done', total: N, done: N, errors: 1 });
  const report = await wholeReport(store, batchId);
  expect(report?.documents).toHaveLength(N);
  const shas = (report?.documents ?? []).map((d) => d.sha256);
  expect(new Set(shas).size).toBe(N);
  expect(new Set(shas)).toEqual(new Set(docs.map((d) => d.sha256)));
  const verdicts = (report?.documents ?? []).map((d) => d.verdict);
  expect(verdicts.filter((v) => v === 'compliant')).toHaveLength(N - 1);
  expect(verdicts.filter((v) => v === 'error')).toHaveLength(1);
  expect(await store.pendingDocuments(1000)).toEqual([]);
}

async function enqueueBatch(store: Store, redisUrl: string, prefix: string, id: string): Promise<void> {
  const { pending } = await store.createBatch(newBatch(id, docs));
  expect(pending).toHaveLength(N);
  const queue = new BullQueue({ redisUrl, queuePrefix: prefix }, { log: () => undefined });
  await queue.enqueue(docs.map((d) => ({ sha256: d.sha256, fileName: d.file })));
  await queue.close();
}

async function stopGracefully(w: Worker): Promise<number | null> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return w.child.exitCode;
  w.child.kill('SIGTERM');
  return w.exited;
}

test('a worker SIGKILLed mid-batch loses no document: the other one takes its stalled jobs', async () => {
  if (skip) return;
  const { store, schema } = await freshStore();
  const prefix = uniquePrefix('kill');
  const env = { REDIS_URL: SHARED_REDIS_URL, DATABASE_URL, KIEMKY_QUEUE_PREFIX: prefix, TEST_SCHEMA: schema };
  const a = startWorker(env);
  const b = startWorker(env);
  await Promise.all([a.ready, b.ready]);
  const t0 = Date.now();
  await enqueueBatch(store, SHARED_REDIS_URL, prefix, 'kill-batch');

  await waitFor(async () => ((await store.getBatch('kill-batch'))?.done ?? 0) >= 15, 30_000, '15 documents done');
  const doneAtKill = (await store.getBatch('kill-batch'))?.done ?? 0;
  // With the default jobs in flight (2 threads × 16) A holds many jobs it has not verified: all of them stall at
  // once when it dies, and must all be taken over.
  expect(doneAtKill).toBeLessThan(N - 20);
  a.child.kill('SIGKILL');
  await a.exited;
  await waitFor(async () => (await store.getBatch('kill-batch'))?.status === 'done', 40_000, 'the batch to finish after the kill');
  const elapsed = Date.now() - t0;
  await expectExactlyOnce(store, 'kill-batch');

  const verifications = a.verified.length + b.verified.length;
  console.log(
    `worker kill: ${N} documents, killed worker A (pid ${a.child.pid}) at ${doneAtKill} done; A verified ${a.verified.length}, ` +
      `B ${b.verified.length}, ${verifications} verifications in all (${verifications - N} redone), batch done in ${elapsed} ms`,
  );
  expect(b.verified.length).toBeGreaterThan(0);
  expect(verifications).toBeGreaterThanOrEqual(N);
  expect(await stopGracefully(b)).toBe(0);
  const q = new BullQueue({ redisUrl: SHARED_REDIS_URL, queuePrefix: prefix }, { log: () => undefined });
  await q.queue.obliterate({ force: true });
  await q.close();
  expect(await redisKeys(SHARED_REDIS_URL, `${prefix}:*`)).toEqual([]);
}, 60_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, redisDir: string): ChildProcess {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', redisDir, '--save', '', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

test('Redis kill -9 and restart (AOF) mid-batch loses no document: workers reconnect, the reconciler covers the rest', async () => {
  if (skip) return;
  const redisDir = path.join(dir, 'redis');
  fs.mkdirSync(redisDir);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}/0`;
  let redis = startRedis(port, redisDir);
  await waitFor(() => redisAnswers(url, 200), 10_000, 'the private redis-server');
  expect(spawnSync(REDIS_SERVER, ['--version']).status).toBe(0);

  const { store, schema } = await freshStore();
  const prefix = uniquePrefix('redis');
  // Few jobs in flight (2 threads × 2), so most of the batch is still waiting in Redis when it dies; with the
  // default (2 × 16 per worker) both workers would hold every job already.
  const env = { REDIS_URL: url, DATABASE_URL, KIEMKY_QUEUE_PREFIX: prefix, TEST_SCHEMA: schema, KIEMKY_JOBS_IN_FLIGHT: '4' };
  const a = startWorker(env);
  const b = startWorker(env);
  await Promise.all([a.ready, b.ready]);
  const t0 = Date.now();
  await enqueueBatch(store, url, prefix, 'redis-batch');

  await waitFor(async () => ((await store.getBatch('redis-batch'))?.done ?? 0) >= 15, 30_000, '15 documents done');
  const doneAtKill = (await store.getBatch('redis-batch'))?.done;
  redis.kill('SIGKILL');
  await new Promise((r) => redis.on('exit', r));
  const aofFiles = fs.readdirSync(redisDir, { recursive: true }).length;
  await new Promise((r) => setTimeout(r, 1500));
  const doneWhileDown = (await store.getBatch('redis-batch'))?.done ?? 0;
  // The kill mattered: documents were still waiting in Redis for it to come back.
  expect(doneWhileDown).toBeLessThan(N);
  redis = startRedis(port, redisDir);
  await waitFor(() => redisAnswers(url, 200), 10_000, 'redis-server back');
  const tRestart = Date.now();
  await waitFor(async () => (await store.getBatch('redis-batch'))?.status === 'done', 40_000, 'the batch to finish after the Redis restart');
  const elapsed = Date.now() - t0;
  await expectExactlyOnce(store, 'redis-batch');

  const verifications = a.verified.length + b.verified.length;
  console.log(
    `redis restart: ${N} documents, redis-server (port ${port}, AOF, ${aofFiles} files in its dir) killed -9 at ${doneAtKill} done, ` +
      `${doneWhileDown} done when restarted 1.5 s later; batch finished ${Date.now() - tRestart} ms after the restart (${elapsed} ms in all); ` +
      `A verified ${a.verified.length}, B ${b.verified.length} (${verifications - N} redone)`,
  );
  // Both workers came back to work after the restart, not just one.
  expect(a.verified.length + b.verified.length).toBeGreaterThanOrEqual(N);
  expect(await Promise.all([stopGracefully(a), stopGracefully(b)])).toEqual([0, 0]);
  redis.kill('SIGTERM');
  await new Promise((r) => redis.on('exit', r));
}, 60_000);
