import * as path from 'node:path';
import type { RevocationSettings } from '../protocol';
import { OnlineRevocationFetcher } from './online-fetcher';

/** The service's revocation settings: KIEMKY_REVOCATION, and the cache under DATA_DIR that every process shares. */
export function serviceRevocation(mode: 'online' | 'offline', dataDir: string): RevocationSettings | undefined {
  return mode === 'online' ? { mode, cacheDir: path.join(dataDir, 'cache', 'revocation') } : undefined;
}

/** The fetcher the settings ask for: online, one sharing the settings' disk cache; offline, none. */
export function revocationFetcher(settings: RevocationSettings | undefined): OnlineRevocationFetcher | undefined {
  if (settings?.mode !== 'online') return undefined;
  return new OnlineRevocationFetcher({ cacheDir: settings.cacheDir, ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}) });
}
