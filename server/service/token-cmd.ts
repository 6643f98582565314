import { issueToken, type IssuedToken } from '../api/auth';
import type { Role, ServiceConfig, Store } from '../shared/types';
import { throughServeOrStore, type Written } from './serve-or-store';

/**
 * `kiemky token create --role R [--unit U]... [--label L]`: the way to make the first tokens on a machine without an
 * admin token at hand. Through the running `kiemky serve` of the same DATA_DIR when there is one (the embedded
 * database admits one process at a time), else into the store directly (serve-or-store.ts).
 */

export interface TokenRequest {
  role: Role;
  units: string[];
  label: string | null;
}

export function createTokenCommand(
  cfg: Pick<ServiceConfig, 'databaseUrl' | 'dataDir'>,
  request: TokenRequest,
  options: { store?: Store } = {},
): Promise<Written<IssuedToken>> {
  return throughServeOrStore(cfg, '/tokens', request, (store) => issueToken(store, request.role, request.units, request.label), options);
}
