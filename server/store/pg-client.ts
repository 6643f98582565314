import { Pool, type PoolClient } from 'pg';
import { checkSchemaName, type SqlClient, type SqlParam, type SqlQueryable, type SqlResult } from './sql';

/**
 * PostgreSQL through a pg.Pool (`DATABASE_URL`): the store of a deployment where the API and any number of workers
 * share one database.
 */

async function run<T>(client: Pool | PoolClient, text: string, params?: readonly SqlParam[]): Promise<SqlResult<T>> {
  const result = await client.query(text, params ? [...params] : undefined);
  return { rows: result.rows as T[] };
}

export async function openPgClient(connectionString: string, schema?: string): Promise<SqlClient> {
  if (schema !== undefined) {
    // The schema must exist before the pool's connections put it first on their search_path.
    const setup = new Pool({ connectionString, max: 1 });
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}`);
    } finally {
      await setup.end();
    }
  }
  // A startup option, not a `SET` after connect: every pooled connection gets it before its first query.
  const pool = new Pool({ connectionString, ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  return {
    serialized: false,
    query: <T>(text: string, params?: readonly SqlParam[]) => run<T>(pool, text, params),
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: SqlQueryable = { query: <R>(text: string, params?: readonly SqlParam[]) => run<R>(client, text, params) };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
