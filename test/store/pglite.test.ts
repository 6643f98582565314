import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqlClient, openStore } from '../../server/store/open';
import { defineStoreSuite } from './suite';

/** The store suite on embedded PGlite, in a fresh DATA_DIR. */

defineStoreSuite('PGlite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-store-'));
  const client = await openSqlClient({ databaseUrl: null, dataDir });
  return { client, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});

test('openStore without DATABASE_URL keeps its data under DATA_DIR/db, across reopening', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-store-open-'));
  try {
    const first = await openStore({ databaseUrl: null, dataDir });
    expect(await first.claimExport('x', 'f', 'b')).toBe(true);
    await first.close();
    expect(fs.existsSync(path.join(dataDir, 'db', 'PG_VERSION'))).toBe(true);
    const again = await openStore({ databaseUrl: null, dataDir });
    expect(await again.claimExport('x', 'f', 'b')).toBe(false);
    await again.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
