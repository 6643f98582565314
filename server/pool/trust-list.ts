import { loadTrustStore } from '../../worker/pki/trust-store';
import type { TrustEntry } from '../../worker/pki/trust-entry';
import type { TrustAnchor } from '../../worker/pki/types';

/**
 * The trust store as the admin page lists it (GET /api/trust): each root and CA certificate the verification
 * threads load from the same folder, with its category (government/ or public/) and provider folder. Roots first,
 * then by category, provider and name, so a provider's chain reads together.
 */
export function describeTrustStore(certsDir: string): TrustEntry[] {
  const store = loadTrustStore(certsDir);
  const entry = (a: Pick<TrustAnchor, 'certificate' | 'category' | 'provider'>, kind: TrustEntry['kind']): TrustEntry => ({
    fingerprint: a.certificate.fingerprintSha256.toLowerCase(),
    subject: a.certificate.subject.toString(),
    commonName: a.certificate.subject.get('CN'),
    kind,
    category: a.category,
    provider: a.provider,
    notBefore: a.certificate.notBefore.toISOString(),
    notAfter: a.certificate.notAfter.toISOString(),
  });
  const order = (e: TrustEntry): string => `${e.kind === 'root' ? 0 : 1}\u0000${e.category}\u0000${e.provider ?? ''}\u0000${e.commonName ?? e.subject}`;
  return [...store.anchors.map((a) => entry(a, 'root')), ...store.intermediates.map((i) => entry(i, 'intermediate'))].sort((a, b) =>
    order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0,
  );
}
