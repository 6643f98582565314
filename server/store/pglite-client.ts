import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { checkSchemaName, type SqlClient, type SqlParam, type SqlQueryable, type SqlResult } from './sql';

/**
 * Embedded PostgreSQL (PGlite, a directory under DATA_DIR/db): the default store, so one command works on a fresh
 * machine with the same SQL as the PostgreSQL deployment.
 *
 * PGlite runs in a thread of its own, for two reasons: its WASM executes each statement synchronously, which
 * would stall the API's event loop for the whole statement; and its loader uses dynamic `import()`, which a
 * module sandbox such as jest's refuses, while a thread is a plain Node context. PGlite is one connection, so the
 * calls are serialized here with a mutex: a query from elsewhere must never land inside someone's transaction.
 */

/** The thread: plain JavaScript (it runs as is, from the sources as from dist/), requiring PGlite by the path
 * the parent resolved. One message in, one message out, in order. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
let db = null;
parentPort.on('message', async (msg) => {
  try {
    let rows = [];
    if (msg.op === 'open') {
      db = new PGlite(workerData.dir);
      await db.waitReady;
    } else if (msg.op === 'exec') {
      await db.exec(msg.text);
    } else if (msg.op === 'query') {
      rows = (await db.query(msg.text, msg.params)).rows;
    } else if (msg.op === 'close') {
      if (db) await db.close();
      db = null;
    }
    parentPort.postMessage({ id: msg.id, ok: true, rows });
  } catch (err) {
    const e = err || {};
    parentPort.postMessage({ id: msg.id, ok: false, error: { message: String(e.message || e), code: e.code, detail: e.detail } });
  }
});
`;

type Request = { op: 'open' | 'close' } | { op: 'exec'; text: string } | { op: 'query'; text: string; params: SqlParam[] };

interface Reply {
  id: number;
  ok: boolean;
  rows?: unknown[];
  error?: { message: string; code?: string; detail?: string };
}

/** A database error as pg raises it: message plus the SQLSTATE `code`, so callers test errors the same way. */
export class PgliteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PgliteError';
  }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

class PgliteThread {
  private readonly thread: Worker;
  private readonly waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(dir: string) {
    this.thread = new Worker(THREAD_SOURCE, { eval: true, workerData: { dir, pglite: require.resolve('@electric-sql/pglite') } });
    this.thread.on('message', (reply: Reply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if (reply.ok) pending.resolve(reply.rows ?? []);
      else pending.reject(new PgliteError(reply.error?.message ?? 'PGlite error', reply.error?.code, reply.error?.detail));
    });
    // A dead thread fails what waits and everything after it, instead of leaving callers hanging.
    const fail = (err: Error): void => {
      this.failure ??= err;
      for (const pending of this.waiting.values()) pending.reject(err);
      this.waiting.clear();
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`PGlite worker exited (${code})`)));
  }

  call<T>(request: Request): Promise<T[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T[]>((resolve, reject) => {
      this.waiting.set(id, { resolve: (rows) => resolve(rows as T[]), reject });
      this.thread.postMessage({ id, ...request });
    });
  }

  terminate(): Promise<number> {
    return this.thread.terminate();
  }
}

export async function openPgliteClient(dir: string, schema?: string): Promise<SqlClient> {
  fs.mkdirSync(dir, { recursive: true });
  const db = new PgliteThread(dir);
  try {
    await db.call({ op: 'open' });
    if (schema !== undefined) {
      const name = checkSchemaName(schema);
      // One connection, so a session-level search_path holds for every later query.
      await db.call({ op: 'exec', text: `CREATE SCHEMA IF NOT EXISTS ${name}; SET search_path TO ${name}` });
    }
  } catch (err) {
    await db.terminate();
    throw err;
  }
  const mutex = new Mutex();
  let closed = false;
  const query = async <T>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<T>> => ({
    rows: await db.call<T>({ op: 'query', text, params: params ? [...params] : [] }),
  });

  return {
    serialized: true,
    query: <T>(text: string, params?: readonly SqlParam[]) => mutex.run(() => query<T>(text, params)),
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) =>
      mutex.run(async () => {
        await db.call({ op: 'exec', text: 'BEGIN' });
        try {
          const value = await fn({ query });
          await db.call({ op: 'exec', text: 'COMMIT' });
          return value;
        } catch (err) {
          await db.call({ op: 'exec', text: 'ROLLBACK' }).catch(() => undefined);
          throw err;
        }
      }),
    close: () =>
      mutex.run(async () => {
        if (closed) return;
        closed = true;
        try {
          await db.call({ op: 'close' });
        } finally {
          await db.terminate();
        }
      }),
  };
}
