import * as path from 'node:path';
import type { Store } from '../shared/types';
import { openPgClient } from './pg-client';
import { openPgliteClient } from './pglite-client';
import type { SqlClient } from './sql';
import { SqlStore, type SqlStoreOptions } from './sql-store';

/**
 * The store the configuration asks for: PostgreSQL when DATABASE_URL is set, else embedded PGlite under
 * DATA_DIR/db. Either way the schema is migrated before the store is handed out.
 */

export interface StoreConfig {
  databaseUrl: string | null;
  dataDir: string;
  /** A schema of its own (tests run side by side in one database); default: the connection's search_path. */
  schema?: string;
}

export function openSqlClient(cfg: StoreConfig): Promise<SqlClient> {
  return cfg.databaseUrl ? openPgClient(cfg.databaseUrl, cfg.schema) : openPgliteClient(path.join(cfg.dataDir, 'db'), cfg.schema);
}

export async function openStore(cfg: StoreConfig, options: SqlStoreOptions = {}): Promise<Store> {
  const client = await openSqlClient(cfg);
  const store = new SqlStore(client, options);
  try {
    await store.migrate();
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return store;
}
