import * as path from 'node:path';
import { ApiError } from '../api/errors';
import { openStore } from '../store/open';
import type { ServiceConfig, Store } from '../shared/types';
import { askServe, CommandRefused } from './control-client';

/**
 * Where `kiemky user create` and `kiemky token create` write: through the live `kiemky serve` of the same DATA_DIR
 * when there is one (control.ts), else into the store directly — the one serve would open, from the same
 * configuration (DATA_DIR / --data-dir, DATABASE_URL / --database-url). Either way the command says where.
 */

export interface Written<T> {
  result: T;
  /** Through serve's control channel on this loopback port, or null for the store opened directly. */
  servePort: number | null;
  dataDir: string;
  /** 'PostgreSQL', or the embedded database's folder. */
  database: string;
}

export async function throughServeOrStore<T>(
  cfg: Pick<ServiceConfig, 'databaseUrl' | 'dataDir'>,
  route: '/users' | '/tokens',
  body: unknown,
  direct: (store: Store) => Promise<T>,
  options: { store?: Store } = {},
): Promise<Written<T>> {
  const database = cfg.databaseUrl ? 'PostgreSQL' : path.join(cfg.dataDir, 'db');
  if (!options.store) {
    const answer = await askServe<T>(cfg.dataDir, route, body);
    if (answer) return { result: answer.result, servePort: answer.port, dataDir: cfg.dataDir, database };
  }
  const store = options.store ?? (await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir }));
  try {
    return { result: await direct(store), servePort: null, dataDir: cfg.dataDir, database };
  } catch (err) {
    if (err instanceof ApiError) {
      const { error } = err.body();
      throw new CommandRefused(error.code, error.message, error.messageEn);
    }
    throw err;
  } finally {
    await store.close();
  }
}
