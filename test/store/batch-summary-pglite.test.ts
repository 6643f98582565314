import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqlClient } from '../../server/store/open';
import { defineBatchSummarySuite } from './batch-summary-suite';

/** A batch's summary on embedded PGlite, in a fresh DATA_DIR. */

defineBatchSummarySuite('PGlite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-batch-summary-'));
  const client = await openSqlClient({ databaseUrl: null, dataDir });
  return { client, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});
