import { Client } from 'pg';
import { openStore } from '../../server/store/open';
import { dropSchema, freshSchema, postgresReachable, shownUrl, TEST_DATABASE_URL as url } from '../helpers/postgres';
import { openFreshSchema } from './fresh-postgres';
import { defineStoreSuite } from './suite';

/**
 * The store suite on a real PostgreSQL, in a schema of its own (created, then dropped). Skipped, saying so, only
 * when the server cannot be reached.
 */

const available = postgresReachable();
if (!available) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL store tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('PostgreSQL store suite (PostgreSQL unreachable)', () => undefined);
} else {
  defineStoreSuite('PostgreSQL', openFreshSchema);

  test('openStore with DATABASE_URL migrates into the schema it is given', async () => {
    const schema = freshSchema();
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
