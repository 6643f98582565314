import { dropSchema, freshSchema, postgresReachable, shownUrl, TEST_DATABASE_URL } from '../helpers/postgres';
import { defineClerkUnitSuite } from './clerk-units';

/** The clerk's unit scope through the API, on PostgreSQL in a schema of its own. Skipped, saying so, without one. */
if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL clerk-scope tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('clerk scope on PostgreSQL (PostgreSQL unreachable)', () => undefined);
} else {
  defineClerkUnitSuite('PostgreSQL', async () => {
    const schema = freshSchema();
    return { databaseUrl: TEST_DATABASE_URL, schema, cleanup: () => dropSchema(schema) };
  });
}
