import { openSqlClient } from '../../server/store/open';
import { dropSchema, freshSchema, TEST_DATABASE_URL as url } from '../helpers/postgres';
import type { Opened } from './suite';

/**
 * The `open` the store suites are given on PostgreSQL: a client on a fresh schema of the test database, the schema
 * dropped at cleanup (postgres, accounts-postgres, queries-postgres and batch-summary-postgres tests).
 */
export async function openFreshSchema(): Promise<Opened> {
  const schema = freshSchema();
  const client = await openSqlClient({ databaseUrl: url, dataDir: '/nonexistent', schema });
  return { client, cleanup: () => dropSchema(schema) };
}
