import { createAccount } from '../api/accounts';
import type { Role, ServiceConfig, Store, UserRecord } from '../shared/types';
import { throughServeOrStore, type Written } from './serve-or-store';

/**
 * `kiemky user create --username NAME --role R [--unit U]... --password-stdin`: the first admin's account, and any
 * other, whether `kiemky serve` runs or not, whatever the store (serve-or-store.ts). The rules are the admin API's
 * (api/accounts.ts), checked wherever the account is made.
 */

export interface UserRequest {
  username: string;
  password: string;
  role: Role;
  units: string[];
}

export function createUserCommand(
  cfg: Pick<ServiceConfig, 'databaseUrl' | 'dataDir'>,
  request: UserRequest,
  options: { store?: Store } = {},
): Promise<Written<UserRecord>> {
  return throughServeOrStore(cfg, '/users', request, (store) => createAccount(store, request), options);
}
