import { postgresReachable, shownUrl } from '../helpers/postgres';
import { openFreshSchema } from './fresh-postgres';
import { defineQueriesSuite } from './queries-suite';

/** The pages' queries on a real PostgreSQL, in a schema of its own. Skipped, saying so, only when it is unreachable. */

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL query tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('PostgreSQL queries suite (PostgreSQL unreachable)', () => undefined);
} else {
  defineQueriesSuite('PostgreSQL', openFreshSchema);
}
