import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';
import { openSqlClient, openStore } from '../../server/store/open';
import { defineStoreSuite } from './suite';

/**
 * The store suite on a real PostgreSQL, in a schema of its own (created, then dropped). Skipped, saying so, only
 * when the server cannot be reached.
 */

const url = process.env.KIEMKY_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** jest wants to know at collection time whether to skip: a short synchronous probe in a child process. */
function reachable(): boolean {
  const probe =
    "const { Client } = require('pg');" +
    'const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });' +
    'c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));';
  try {
    execFileSync(process.execPath, ['-e', probe, url], { cwd: path.resolve(__dirname, '../..'), timeout: 10_000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function dropSchema(schema: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

const available = reachable();
if (!available) {
  console.warn(`PostgreSQL unreachable at ${url.replace(/\/\/[^@]*@/, '//…@')}: the PostgreSQL store tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('PostgreSQL store suite (PostgreSQL unreachable)', () => undefined);
} else {
  defineStoreSuite('PostgreSQL', async () => {
    const schema = `kiemky_test_${crypto.randomBytes(6).toString('hex')}`;
    const client = await openSqlClient({ databaseUrl: url, dataDir: '/nonexistent', schema });
    return { client, cleanup: () => dropSchema(schema) };
  });

  test('openStore with DATABASE_URL migrates into the schema it is given', async () => {
    const schema = `kiemky_test_${crypto.randomBytes(6).toString('hex')}`;
    try {
      const store = await openStore({ databaseUrl: url, dataDir: '/nonexistent', schema });
      expect(await store.claimExport('x', 'f', 'b')).toBe(true);
      await store.close();
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'exports'`,
          [schema],
        );
        expect(rows[0].n).toBe(1);
      } finally {
        await admin.end();
      }
    } finally {
      await dropSchema(schema);
    }
  });
}
