import * as crypto from 'node:crypto';
import type { TrustStore } from './types';

/**
 * The trust store's version: a SHA-256 over what judging reads from it — each anchor's and intermediate's
 * fingerprint with its category and provider, and each CRL's hash — sorted, so the same contents loaded from
 * another folder or in another file order give the same version. A report names it, so an inspector can say which
 * roots and CRLs a verdict was judged with, and the service knows which stored reports a new store must re-judge.
 */
export function trustStoreVersion(store: TrustStore): string {
  const lines = [
    ...store.anchors.map((a) => `anchor ${a.certificate.fingerprintSha256} ${a.category} ${a.provider ?? ''}`),
    ...store.intermediates.map((a) => `intermediate ${a.certificate.fingerprintSha256} ${a.category} ${a.provider ?? ''}`),
    ...store.crls.map((c) => `crl ${c.sha256}`),
  ].sort();
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}
