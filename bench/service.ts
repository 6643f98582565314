/**
 * `npm run bench:service`: the service's target — with BullMQ, PostgreSQL and two queue workers it stores the
 * reports of a 10,000-document ZIP (a district's month) in under 60 s, from upload to the last report.
 *
 *   1. A corpus of N distinct ~150 KB two-layer documents (samples' makeBenchCorpus, the same cached folder as
 *      bench/run.ts: samples/out/bench/corpus-<N>-s<seed>), packed once into one ZIP beside it (STORE method: PDFs
 *      barely compress, and the upload then costs what the month's size costs).
 *   2. A fresh PostgreSQL database (kiemky_bench_<pid>), a fresh BullMQ key prefix on Redis, a fresh DATA_DIR and
 *      the test PKI's trust store — nothing shared with another run or with a real deployment.
 *   3. `kiemky token create --role clerk` for the four sample units, then `kiemky serve` (it only enqueues, since
 *      REDIS_URL is set) and W `kiemky worker` processes, all children running the compiled CLI.
 *   4. The clock starts when the upload request (POST /api/batches, multipart `files` = the ZIP, as a clerk sends
 *      it) starts, and stops when GET /api/batches/:id, polled every 200 ms, says done = total = N: every batch row
 *      then holds its stored report (the row's status is set in the transaction that stores the report). The
 *      service enqueues documents while it is still storing the upload, so most are verified before the 202.
 *   5. Then, untimed for the target: the batch report through the API (verdict counts: all N must be compliant)
 *      and PostgreSQL directly (stored rows, verdicts, the last completed_at as a cross-check of the clock).
 *
 * Prints seconds, documents per second, the phases, verdict counts, each process's peak RSS (VmHWM), one JSON
 * summary line; exits 0 only when all N were stored, compliant, within 60 s; 1 otherwise; 2 on a setup error.
 * Children, database, Redis keys and temporary folders are removed whatever happens (the database, keys and
 * DATA_DIR are kept with --keep, to inspect).
 *
 * Options: --docs N (10000), --workers W (2), --concurrency C (verification threads per worker; default cores / W, at
 * least 1), --jobs-in-flight J (jobs a worker holds at once, KIEMKY_JOBS_IN_FLIGHT; default the service's), --seed S,
 * --keep, --give-up SECONDS (stop waiting; default 600), --redis-url URL, --pg-url URL (an existing database to
 * connect to for CREATE/DROP DATABASE; default postgres://postgres@127.0.0.1:5432/test), --bin PATH (another
 * build's bin/kiemky.js to run as the service: a before/after comparison on one machine state).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { loadTestPki, UNIT_NAMES, writeTrustStore } from '../samples/lib/test-pki';
import { ensureCorpus, ensureZip, KIEMKY, log, OUT, runMain, warmPageCache } from './inputs';

/** The target: upload start to the last stored report, for a district's month. */
const TARGET_SECONDS = 60;
const POLL_MS = 200;

interface ServiceBenchArgs {
  docs: number;
  workers: number;
  /** Per worker process: its verification threads (KIEMKY_CONCURRENCY). */
  concurrency: number;
  /** Per worker process: the jobs it holds at once (KIEMKY_JOBS_IN_FLIGHT); null = the service's default. */
  jobsInFlight: number | null;
  seed: number;
  keep: boolean;
  giveUpSeconds: number;
  redisUrl: string;
  pgUrl: string;
  /** The CLI the children run. */
  bin: string;
}

function parseServiceArgs(argv: string[]): ServiceBenchArgs {
  const cores = os.availableParallelism();
  const a: ServiceBenchArgs = {
    docs: 10_000,
    workers: 2,
    concurrency: 0,
    jobsInFlight: null,
    seed: 1,
    keep: false,
    giveUpSeconds: 600,
    redisUrl: 'redis://127.0.0.1:6379',
    pgUrl: 'postgres://postgres@127.0.0.1:5432/test',
    bin: KIEMKY,
  };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer ≥ ${min}`);
    return n;
  };
  const text = (name: string, v: string | undefined): string => {
    if (!v) throw new Error(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--docs') a.docs = int(k, argv[++i], 1);
    else if (k === '--workers') a.workers = int(k, argv[++i], 1);
    else if (k === '--concurrency') a.concurrency = int(k, argv[++i], 1);
    else if (k === '--jobs-in-flight') a.jobsInFlight = int(k, argv[++i], 1);
    else if (k === '--seed') a.seed = int(k, argv[++i], 0);
    else if (k === '--keep') a.keep = true;
    else if (k === '--give-up') a.giveUpSeconds = int(k, argv[++i], 1);
    else if (k === '--redis-url') a.redisUrl = text(k, argv[++i]);
    else if (k === '--pg-url') a.pgUrl = text(k, argv[++i]);
    else if (k === '--bin') {
      const bin = text(k, argv[++i]);
      if (!fs.existsSync(bin)) throw new Error('--bin needs the path of an existing bin/kiemky.js');
      a.bin = path.resolve(bin);
    }
    else
      throw new Error(
        `unknown option ${k} (known: --docs N, --workers W, --concurrency C, --jobs-in-flight J, --seed S, --keep, --give-up SECONDS, --redis-url URL, --pg-url URL, --bin PATH)`,
      );
  }
  // The verification threads of all workers together should match the cores: more only adds context switches,
  // fewer leaves a core idle while the documents wait.
  if (a.concurrency === 0) a.concurrency = Math.max(1, Math.floor(cores / a.workers));
  if (a.jobsInFlight !== null && a.jobsInFlight < a.concurrency) throw new Error('--jobs-in-flight must be at least --concurrency');
  return a;
}


const secs = (ms: number): number => Number((ms / 1000).toFixed(3));

// ---------------------------------------------------------------------------------------------------------------
// Child processes of the compiled CLI

interface Child {
  label: string;
  proc: ChildProcess;
  /** The last 20 KB of its stderr: enough to say why it failed, bounded however chatty it is. */
  stderrTail: string;
  /** Peak resident set seen so far, kB (VmHWM: the kernel's own high-water mark, worker threads included). */
  peakKb: number;
  exited: boolean;
  exitCode: number | null;
  /** "job … failed" lines: retries a slow database or a lost blob would cause. */
  failedJobs: number;
}

/** VmHWM of a live process, kB; 0 once it is gone. */
function vmHwmKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function startChild(bin: string, label: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const child: Child = { label, proc, stderrTail: '', peakKb: 0, exited: false, exitCode: null, failedJobs: 0 };
  proc.stderr?.on('data', (c: Buffer) => {
    const text = c.toString('utf8');
    child.failedJobs += (text.match(/^\[kiemky worker \d+\] job .* failed, attempt/gm) ?? []).length;
    child.stderrTail = (child.stderrTail + text).slice(-20_000);
  });
  proc.on('exit', (code) => {
    child.exited = true;
    child.exitCode = code;
  });
  return child;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Set by SIGINT/SIGTERM so the waiting loops stop and the finally block cleans up. */
let interrupted = false;

/** Waits for a line in a child's stderr (its "listening"/"started" log), or fails if it exits first. */
async function waitForLog(child: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(child.stderrTail);
    if (m) return m;
    if (child.exited) throw new Error(`${child.label} exited (code ${child.exitCode}) before it was ready:\n${child.stderrTail.slice(-3000)}`);
    if (interrupted) throw new Error('interrupted');
    if (performance.now() > deadline) throw new Error(`${child.label} not ready after ${timeoutMs / 1000} s:\n${child.stderrTail.slice(-3000)}`);
    await sleep(50);
  }
}

/** Runs a short CLI command (token create) to its end; its stdout is the answer. */
function runCli(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kiemky ${args.join(' ')} exited ${code}:\n${err}`))));
  });
}

/** SIGTERM (the service finishes its running documents and closes), then SIGKILL for whatever is still up. */
async function stopChildren(children: Child[], graceMs = 15_000): Promise<void> {
  for (const c of children) {
    c.peakKb = Math.max(c.peakKb, vmHwmKb(c.proc.pid));
    if (!c.exited) c.proc.kill('SIGTERM');
  }
  const deadline = performance.now() + graceMs;
  while (children.some((c) => !c.exited) && performance.now() < deadline) await sleep(50);
  for (const c of children) {
    if (!c.exited) {
      log(`${c.label} did not stop within ${graceMs / 1000} s of SIGTERM: killed`);
      c.proc.kill('SIGKILL');
    }
  }
  while (children.some((c) => !c.exited)) await sleep(20);
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP, as a clerk's client would speak it

interface Accepted {
  id: string;
  total: number;
}

/**
 * POST /api/batches with the ZIP as the one `files` part, streamed from disk (a month is gigabytes: it is never
 * held in memory) with an exact Content-Length, as curl -F sends it.
 */
function uploadZip(port: number, token: string, zip: string): Promise<Accepted> {
  const boundary = `----kiemky-bench-${crypto.randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${path.basename(zip)}"\r\nContent-Type: application/zip\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const length = head.length + fs.statSync(zip).size + tail.length;
  return new Promise<Accepted>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/batches',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 202) {
            reject(new Error(`upload answered ${res.statusCode}: ${body.slice(0, 2000)}`));
            return;
          }
          const parsed = JSON.parse(body) as Partial<Accepted>;
          if (typeof parsed.id !== 'string' || typeof parsed.total !== 'number') reject(new Error(`upload answered 202 without an id: ${body.slice(0, 500)}`));
          else resolve({ id: parsed.id, total: parsed.total });
        });
      },
    );
    req.on('error', reject);
    // Two buffers, each reused once its write has been handed to the kernel: a stream would allocate a new buffer
    // per chunk, and 1.44 GB of them kept this client's garbage collector busy on the cores the service needs (a
    // clerk's browser runs on the clerk's machine). Waiting for each write's callback also respects back-pressure.
    const send = async (): Promise<void> => {
      req.write(head);
      const fd = await fs.promises.open(zip, 'r');
      try {
        const buffers = [Buffer.allocUnsafe(1024 * 1024), Buffer.allocUnsafe(1024 * 1024)];
        const written: (Promise<void> | null)[] = [null, null];
        for (let i = 0, position = 0; ; i ^= 1) {
          await written[i];
          const { bytesRead } = await fd.read(buffers[i], 0, buffers[i].length, position);
          if (bytesRead === 0) break;
          position += bytesRead;
          written[i] = new Promise<void>((resolve, fail) => {
            req.write(buffers[i].subarray(0, bytesRead), (err) => (err ? fail(err) : resolve()));
          });
        }
        await Promise.all(written);
      } finally {
        await fd.close();
      }
      req.end(tail);
    };
    send().catch((err: unknown) => {
      req.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}

interface BatchStatus {
  status: string;
  total: number;
  done: number;
  errors: number;
}

async function getJson(port: number, token: string, route: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status}: ${body.slice(0, 1000)}`);
  return JSON.parse(body) as unknown;
}

async function batchStatus(port: number, token: string, id: string): Promise<BatchStatus> {
  const b = (await getJson(port, token, `/api/batches/${encodeURIComponent(id)}`)) as Partial<BatchStatus>;
  if (typeof b.status !== 'string' || typeof b.total !== 'number' || typeof b.done !== 'number' || typeof b.errors !== 'number') {
    throw new Error(`unexpected batch status ${JSON.stringify(b)}`);
  }
  return { status: b.status, total: b.total, done: b.done, errors: b.errors };
}

function countVerdicts(verdicts: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of verdicts) out[v] = (out[v] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Redis and PostgreSQL housekeeping

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      // SCAN, not KEYS: the Redis may be shared, and KEYS blocks it for everyone while it walks the whole keyspace.
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

async function withPg<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

// ---------------------------------------------------------------------------------------------------------------

interface Measured {
  uploadSeconds: number;
  /** Upload start to the first document's verified_at, from PostgreSQL (it may come before the 202). */
  firstStoredSeconds: number | null;
  storedSeconds: number | null;
  stored: number;
  total: number;
  errorsSeen: number;
  /** Upload start to the last row's completed_at, from PostgreSQL: the clock without the polling's granularity. */
  storedSecondsByDb: number | null;
  reportSeconds: number | null;
  apiVerdicts: Record<string, number>;
  apiDocuments: number;
  dbVerdicts: Record<string, number>;
  dbDocuments: number;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseServiceArgs(argv);
  const cores = os.availableParallelism();
  log(
    `kiemky service bench: ${cores} cores, node ${process.version}, ${args.docs} documents, ${args.workers} worker(s) × concurrency ` +
      `${args.concurrency} (${args.workers * args.concurrency} verification threads)` +
      `${args.jobsInFlight === null ? '' : `, ${args.jobsInFlight} jobs in flight per worker`}${args.bin === KIEMKY ? '' : `, CLI ${args.bin}`}`,
  );
  fs.mkdirSync(OUT, { recursive: true });
  const files = ensureCorpus(args.docs, args.seed);
  const zip = ensureZip(args.docs, args.seed, files);
  const zipBytes = fs.statSync(zip).size;

  const tag = `${process.pid}`;
  const database = `kiemky_bench_${tag}`;
  const prefix = `kiemky-bench-${tag}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-bench-service-'));
  const dataDir = path.join(work, 'data');
  const trust = path.join(work, 'trust');
  const dbUrl = databaseUrl(args.pgUrl, database);

  const env: NodeJS.ProcessEnv = { ...process.env };
  // What the caller's shell might carry that would change the service under test: no export pull, no admin token.
  for (const name of ['EXPORT_DIR', 'KIEMKY_ADMIN_TOKEN', 'PORT', 'KIEMKY_CONCURRENCY', 'KIEMKY_JOBS_IN_FLIGHT']) delete env[name];
  Object.assign(env, {
    DATA_DIR: dataDir,
    CERTS_DIR: trust,
    REDIS_URL: args.redisUrl,
    DATABASE_URL: dbUrl,
    KIEMKY_QUEUE_PREFIX: prefix,
    // The defaults (4 GB a file, 8 GB a request) take a 10,000-document month (~1.5 GB); set anyway, so a --bin
    // build from before they were raised (512 MB) can be compared on the same archive.
    KIEMKY_MAX_FILE_BYTES: String(Math.max(4 * 1024 ** 3, zipBytes + 1024 * 1024)),
    KIEMKY_MAX_REQUEST_BYTES: String(Math.max(8 * 1024 ** 3, zipBytes + 1024 * 1024)),
  });
  if (args.jobsInFlight !== null) env.KIEMKY_JOBS_IN_FLIGHT = String(args.jobsInFlight);

  const onSignal = (): void => {
    // A second signal: the operator will not wait for the cleanup.
    if (interrupted) process.exit(130);
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const children: Child[] = [];
  let createdDb = false;
  let ok = false;
  let measured: Measured | null = null;
  const sampler = setInterval(() => {
    for (const c of children) c.peakKb = Math.max(c.peakKb, vmHwmKb(c.proc.pid));
  }, 500);
  try {
    // A trust store of our own: bench/run.ts rewrites samples/out/bench/trust at its start, which could race with ours.
    writeTrustStore(trust, loadTestPki());
    await withPg(args.pgUrl, async (pg) => {
      await pg.query(`CREATE DATABASE ${database}`);
    });
    createdDb = true;
    log(`database ${database}, Redis prefix ${prefix}, DATA_DIR ${dataDir}`);

    // The clerk of all four sample units: the bench corpus's documents belong to them (one in four each), so the
    // batch report through the clerk's token holds every document. token create also migrates the new database
    // before serve and the workers open it.
    const unitArgs = UNIT_NAMES.flatMap((u) => ['--unit', u]);
    const token = (await runCli(args.bin, ['token', 'create', '--role', 'clerk', ...unitArgs, '--label', 'bench:service'], env)).trim();
    if (!/^kk_\S+$/.test(token)) throw new Error(`token create printed no token: ${JSON.stringify(token)}`);

    const serve = startChild(args.bin, 'serve', ['serve', '--port', '0'], env);
    children.push(serve);
    const port = Number((await waitForLog(serve, /listening on (?:\S+ )?port (\d+)/, 60_000))[1]);
    for (let i = 1; i <= args.workers; i++) children.push(startChild(args.bin, `worker ${i}`, ['worker', '--concurrency', String(args.concurrency)], env));
    for (const w of children.slice(1)) await waitForLog(w, /\] started: queue/, 60_000);
    // The clerk's file is read from the page cache, not the disk: what is timed is the service, not how long ago
    // this machine last read the ZIP (read cold, the 1.4 GB took 1.9 s here; warm, 0.2 s).
    warmPageCache([zip]);
    log(`serve on port ${port}, ${args.workers} worker(s) ready; uploading ${path.basename(zip)} (${(zipBytes / 1024 / 1024).toFixed(1)} MB) …`);

    const startWall = Date.now();
    const t0 = performance.now();
    const accepted = await uploadZip(port, token, zip);
    const uploadMs = performance.now() - t0;
    log(`  202 after ${(uploadMs / 1000).toFixed(2)} s: batch ${accepted.id}, ${accepted.total} documents`);
    if (accepted.total !== args.docs) throw new Error(`the batch has ${accepted.total} documents, expected ${args.docs}`);

    let storedMs: number | null = null;
    let last: BatchStatus = { status: 'queued', total: accepted.total, done: 0, errors: 0 };
    let lastLog = performance.now();
    for (;;) {
      last = await batchStatus(port, token, accepted.id);
      const now = performance.now();
      if (last.done === last.total) {
        storedMs = now - t0;
        break;
      }
      const dead = children.find((c) => c.exited);
      if (dead) throw new Error(`${dead.label} exited (code ${dead.exitCode}) during the run:\n${dead.stderrTail.slice(-3000)}`);
      if (interrupted) throw new Error('interrupted');
      if (now - t0 > args.giveUpSeconds * 1000) {
        log(`giving up after ${args.giveUpSeconds} s with ${last.done}/${last.total} stored`);
        break;
      }
      if (now - lastLog >= 5000) {
        log(`  ${((now - t0) / 1000).toFixed(1)} s: ${last.done}/${last.total} stored`);
        lastLog = now;
      }
      await sleep(POLL_MS);
    }
    if (storedMs !== null) log(`  all ${last.total} stored after ${(storedMs / 1000).toFixed(2)} s`);

    // Untimed for the target: what a clerk then reads, and what the database holds.
    const r0 = performance.now();
    const report = (await getJson(port, token, `/api/batches/${encodeURIComponent(accepted.id)}/report${storedMs === null ? '?partial=1' : ''}`)) as {
      documents?: Array<{ verdict?: string }>;
    };
    const reportMs = performance.now() - r0;
    const apiDocs = report.documents ?? [];
    const db = await withPg(dbUrl, async (pg) => {
      const verdicts = await pg.query<{ verdict: string | null; n: number }>(
        `SELECT verdict, count(*)::int AS n FROM batch_items WHERE batch_id = $1 AND status = 'done' GROUP BY verdict`,
        [accepted.id],
      );
      const docs = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
      const lastDone = await pg.query<{ t: Date | null }>('SELECT max(completed_at) AS t FROM batch_items WHERE batch_id = $1', [accepted.id]);
      // Documents are verified while the upload is still being stored: the first report can precede the 202.
      const firstDone = await pg.query<{ t: Date | null }>('SELECT min(verified_at) AS t FROM documents');
      return { verdicts: verdicts.rows, documents: docs.rows[0].n, lastDone: lastDone.rows[0].t, firstDone: firstDone.rows[0].t };
    });
    const dbVerdicts: Record<string, number> = {};
    for (const row of db.verdicts) dbVerdicts[row.verdict ?? 'null'] = row.n;
    measured = {
      uploadSeconds: secs(uploadMs),
      firstStoredSeconds: db.firstDone ? secs(new Date(db.firstDone).getTime() - startWall) : null,
      storedSeconds: storedMs === null ? null : secs(storedMs),
      stored: last.done,
      total: last.total,
      errorsSeen: last.errors,
      storedSecondsByDb: storedMs !== null && db.lastDone ? secs(new Date(db.lastDone).getTime() - startWall) : null,
      reportSeconds: secs(reportMs),
      apiVerdicts: countVerdicts(apiDocs.map((d) => d.verdict ?? 'missing')),
      apiDocuments: apiDocs.length,
      dbVerdicts,
      dbDocuments: db.documents,
    };
    ok =
      measured.storedSeconds !== null &&
      measured.storedSeconds < TARGET_SECONDS &&
      measured.stored === args.docs &&
      measured.dbDocuments === args.docs &&
      measured.apiDocuments === args.docs &&
      measured.apiVerdicts.compliant === args.docs &&
      dbVerdicts.compliant === args.docs;
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    ok = false;
  } finally {
    clearInterval(sampler);
    await stopChildren(children);
    if (args.keep) {
      log(`kept: DATABASE_URL=${dbUrl} KIEMKY_QUEUE_PREFIX=${prefix} DATA_DIR=${dataDir} (remove them by hand)`);
    } else {
      try {
        const n = await deleteRedisKeys(args.redisUrl, prefix);
        if (n > 0) log(`removed ${n} Redis key(s) under ${prefix}:`);
      } catch (err) {
        log(`could not remove the Redis keys under ${prefix}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (createdDb) {
        try {
          // FORCE: a child killed by SIGKILL may leave a connection the server has not noticed yet.
          await withPg(args.pgUrl, (pg) => pg.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
        } catch (err) {
          log(`could not drop database ${database}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      fs.rmSync(work, { recursive: true, force: true });
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const peakRssMb: Record<string, number> = {};
  for (const c of children) peakRssMb[c.label] = Math.round(c.peakKb / 1024);
  const failedJobs = children.reduce((n, c) => n + c.failedJobs, 0);
  if (measured) {
    const m = measured;
    const dps = m.storedSeconds ? args.docs / m.storedSeconds : null;
    log(
      `stored ${m.stored}/${m.total} reports in ${m.storedSeconds === null ? '—' : `${m.storedSeconds.toFixed(2)} s`}` +
        `${dps === null ? '' : ` (${dps.toFixed(1)} docs/s)`}; target < ${TARGET_SECONDS} s: ` +
        `${m.storedSeconds !== null && m.storedSeconds < TARGET_SECONDS ? 'met' : 'NOT met'}; every document stored and compliant: ` +
        `${m.stored === args.docs && m.apiVerdicts.compliant === args.docs && m.dbVerdicts.compliant === args.docs ? 'yes' : 'NO'}`,
    );
    log(
      `  phases: first report stored ${m.firstStoredSeconds?.toFixed(2) ?? '—'} s, upload until 202 ${m.uploadSeconds.toFixed(2)} s, ` +
        `last completed_at in PostgreSQL ${m.storedSecondsByDb?.toFixed(2) ?? '—'} s after the upload started`,
    );
    log(`  batch report through the API: ${m.apiDocuments} documents in ${m.reportSeconds?.toFixed(2)} s, verdicts ${JSON.stringify(m.apiVerdicts)}`);
    log(`  PostgreSQL: ${m.dbDocuments} document reports stored, batch rows by verdict ${JSON.stringify(m.dbVerdicts)}`);
  }
  log(`  peak RSS (MB): ${Object.entries(peakRssMb).map(([k, v]) => `${k} ${v}`).join(', ')}${failedJobs ? `; ${failedJobs} failed job attempt(s) logged` : ''}`);
  log(
    JSON.stringify({
      docs: args.docs,
      workers: args.workers,
      concurrency: args.concurrency,
      jobsInFlight: args.jobsInFlight,
      cores,
      zipBytes,
      ...(measured ?? {}),
      docsPerSec: measured?.storedSeconds ? Number((args.docs / measured.storedSeconds).toFixed(2)) : null,
      peakRssMb,
      failedJobs,
      targetSeconds: TARGET_SECONDS,
      ok,
    }),
  );
  return ok ? 0 : 1;
}

if (require.main === module) runMain(main);
