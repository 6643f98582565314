import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqlClient } from '../../server/store/open';
import { definePeriodReportSuite } from './period-report-suite';

/** The documents of a period on embedded PGlite, in a fresh DATA_DIR. */

definePeriodReportSuite('PGlite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-period-'));
  const client = await openSqlClient({ databaseUrl: null, dataDir });
  return { client, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});
