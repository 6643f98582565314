import type { DocumentFacts } from './facts';
import type { Certificate } from './pki/certificate';
import { buildChain } from './pki/chain';
import type { RevocationTarget } from './pki/fetched-revocation';
import type { TrustStore } from './pki/types';

/**
 * Every (certificate, issuer) pair below a pinned anchor on the trusted chains the policy will validate: each
 * signer's, and each timestamp authority's; an untrusted chain is untrusted whatever its revocation. The chain is
 * built at `now` here (which candidate ranks first); validation builds it again at the signing time, almost always
 * the same path. Anchors are configured trust and are never asked about.
 */
export function revocationTargets(facts: DocumentFacts, trustStore: TrustStore, now: Date): RevocationTarget[] {
  const out = new Map<string, RevocationTarget>();
  for (const s of facts.signatures) {
    const cms = s.cms;
    if (!cms) continue;
    const pool: Certificate[] = [...cms.certificates, ...facts.dss.certificates, ...(cms.timestamp?.certificates ?? [])];
    const leaves = [cms.signerCertificate, cms.timestamp?.tsaCertificate ?? null];
    for (const leaf of leaves) {
      if (!leaf) continue;
      const { path, anchor } = buildChain(leaf, pool, trustStore, now);
      // Only chains to a pinned root: the URLs asked are then ones a trusted CA signed into its certificates, never
      // addresses a document's author chose (a service must not be made to request its own network's hosts).
      if (!anchor) continue;
      for (let i = 0; i + 1 < path.length; i++) {
        const certificate = path[i]!;
        const key = certificate.fingerprintSha256;
        if (!out.has(key)) out.set(key, { certificate, issuer: path[i + 1]! });
      }
    }
  }
  return [...out.values()];
}
