import { loadTrustStore } from '../../worker/pki/trust-store';
import { verifyDocument } from '../../worker/verify';
import type { RevocationSettings, VerifyFn } from './protocol';
import { OnlineRevocationFetcher } from './revocation/online-fetcher';

/**
 * The real verifier: the trust store is loaded once, here, and every document is checked against it. Online, one
 * fetcher per thread (its memory of failures and requests in flight), sharing the disk cache with the others.
 */
export function createVerifier(certsDir: string, revocation?: RevocationSettings): VerifyFn {
  const trustStore = loadTrustStore(certsDir);
  const fetcher =
    revocation?.mode === 'online' ? new OnlineRevocationFetcher({ cacheDir: revocation.cacheDir, ...(revocation.timeoutMs ? { timeoutMs: revocation.timeoutMs } : {}) }) : undefined;
  return (source, options) => verifyDocument(source, trustStore, fetcher ? { ...options, revocation: fetcher } : options);
}
