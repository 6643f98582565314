import { postgresReachable, shownUrl } from '../helpers/postgres';
import { openFreshSchema } from './fresh-postgres';
import { defineBatchSummarySuite } from './batch-summary-suite';

/** A batch's summary on a real PostgreSQL, in a schema of its own. Skipped, saying so, only when it is unreachable. */

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL batch summary tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('PostgreSQL batch summary suite (PostgreSQL unreachable)', () => undefined);
} else {
  defineBatchSummarySuite('PostgreSQL', openFreshSchema);
}
