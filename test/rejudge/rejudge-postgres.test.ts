import { postgresReachable, shownUrl } from '../helpers/postgres';
import { openFreshSchema } from '../store/fresh-postgres';
import { defineRejudgeSuite } from './rejudge-suite';

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: the PostgreSQL re-judging tests are skipped.`);
  test.skip('re-judging on PostgreSQL (PostgreSQL unreachable)', () => undefined);
} else {
  defineRejudgeSuite('PostgreSQL', openFreshSchema);
}
