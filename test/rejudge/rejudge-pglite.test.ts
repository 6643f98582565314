import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqlClient } from '../../server/store/open';
import { defineRejudgeSuite } from './rejudge-suite';

defineRejudgeSuite('PGlite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-rejudge-'));
  const client = await openSqlClient({ databaseUrl: null, dataDir });
  return { client, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});
