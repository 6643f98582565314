import { dropSchema, freshSchema, postgresReachable, shownUrl, TEST_DATABASE_URL } from '../helpers/postgres';
import { defineUnitRegistrySuite } from './unit-registry';

/** The unit registry in the service, on PostgreSQL in a schema of its own. Skipped, saying so, without one. */
if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL unit registry tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('unit registry on PostgreSQL (PostgreSQL unreachable)', () => undefined);
} else {
  defineUnitRegistrySuite('PostgreSQL', async () => {
    const schema = freshSchema();
    return { databaseUrl: TEST_DATABASE_URL, schema, cleanup: () => dropSchema(schema) };
  });
}
