import * as path from 'node:path';
import type { RevocationSettings } from '../protocol';

/** The service's revocation settings: KIEMKY_REVOCATION, and the cache under DATA_DIR that every process shares. */
export function serviceRevocation(mode: 'online' | 'offline', dataDir: string): RevocationSettings | undefined {
  return mode === 'online' ? { mode, cacheDir: path.join(dataDir, 'cache', 'revocation') } : undefined;
}
