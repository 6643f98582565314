import { postgresReachable, shownUrl } from '../helpers/postgres';
import { openFreshSchema } from './fresh-postgres';
import { definePeriodReportSuite } from './period-report-suite';

/** The documents of a period on a real PostgreSQL, in a schema of its own. Skipped, saying so, only when it is unreachable. */

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL period report tests are skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('PostgreSQL period report suite (PostgreSQL unreachable)', () => undefined);
} else {
  definePeriodReportSuite('PostgreSQL', openFreshSchema);
}
