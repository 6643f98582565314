import { issueToken, type IssuedToken } from '../api/auth';
import { openStore } from '../store/open';
import type { Role, ServiceConfig, Store } from '../shared/types';

/**
 * `kiemky token create --role R [--unit U]... [--label L]`: the way to make the first tokens on a machine, and the
 * only one without an admin token at hand. It writes to the same Store the server reads (DATABASE_URL, or the
 * embedded database under DATA_DIR — which only one process may open at a time: stop `kiemky serve` first, or
 * use POST /api/tokens with an admin token while it runs).
 */

export interface TokenRequest {
  role: Role;
  units: string[];
  label: string | null;
}

export async function createTokenCommand(
  cfg: Pick<ServiceConfig, 'databaseUrl' | 'dataDir'>,
  request: TokenRequest,
  options: { store?: Store } = {},
): Promise<IssuedToken> {
  const store = options.store ?? (await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir }));
  try {
    return await issueToken(store, request.role, request.units, request.label);
  } finally {
    await store.close();
  }
}
