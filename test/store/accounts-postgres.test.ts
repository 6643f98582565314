import { postgresReachable, shownUrl } from '../helpers/postgres';
import { openFreshSchema } from './fresh-postgres';
import { defineAccountSuite } from './accounts-suite';

/** The accounts suite on a real PostgreSQL, in a schema of its own (created, then dropped). */

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL accounts tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('PostgreSQL accounts suite (PostgreSQL unreachable)', () => undefined);
} else {
  defineAccountSuite('PostgreSQL', openFreshSchema);
}
