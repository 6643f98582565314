import type { Certificate } from '../pki/certificate';
import { classifySigner } from '../pki/signer-kind';
import type { UnitRegistry } from '../registry';
import type { Finding, SignerKind } from '../report';
import { foldName, normalizeFingerprint } from '../text/fold';
import { finding } from './messages';

/**
 * Who signed: a person or an organization, read from the certificate's subject (there is no OID for it), unless a
 * unit registry pins the certificate as a unit's agency certificate. A certificate that merely carries a registered
 * unit's name, while the registry pins others for it, is named: that is how a look-alike agency certificate shows.
 */
export interface SignerClass {
  kind: SignerKind;
  organization: string | null;
  title: string | null;
  /** The unit a registry pins this certificate to. */
  unitFromRegistry: string | null;
  findings: Finding[];
}

export function classifySignatureSigner(cert: Certificate, n: number, isDocumentTimestamp: boolean, registry: UnitRegistry | undefined): SignerClass {
  const c = classifySigner(cert);
  const out: SignerClass = {
    kind: isDocumentTimestamp ? 'unknown' : c.kind,
    organization: c.organization,
    title: c.title,
    unitFromRegistry: null,
    findings: [],
  };
  if (!registry || isDocumentTimestamp) return out;
  const fp = normalizeFingerprint(cert.fingerprintSha256);
  const pinned = registry.units.find((u) => u.agencyCertificates.some((a) => normalizeFingerprint(a) === fp));
  if (pinned) {
    out.kind = 'organization';
    out.unitFromRegistry = pinned.name;
  } else if (out.kind === 'organization') {
    const cn = foldName(c.commonName ?? '');
    const claimed = registry.units.find((u) => [u.name, ...(u.aliases ?? [])].some((x) => foldName(x) === cn));
    if (claimed && claimed.agencyCertificates.length > 0) out.findings.push(finding('AGENCY_CERT_NOT_PINNED', { unit: claimed.name }, n));
  }
  return out;
}
