/**
 * Certificate validation at a given time: chain by key to a pinned anchor, path constraints, validity periods and
 * revocation (CRL / OCSP) of every non-anchor certificate.
 *
 * Status precedence (worst wins): invalid > untrusted > revoked > expired / not_yet_valid > valid.
 */
import { OID } from '../asn1/oids';
import type { CaCategory, CertificateStatus } from '../report';
import type { Certificate } from './certificate';
import { anchorForKey, buildChain, storedEntry } from './chain';
import type { CertificateList } from './crl';
import type { OcspResponse } from './ocsp';
import type { CertProblem, CertValidation, RevocationFacts, TrustAnchor, TrustStore } from './types';

export interface ValidationContext {
  /** Certificates that may help build the chain (CMS, DSS, timestamp tokens). Untrusted by themselves. */
  pool: Certificate[];
  trustStore: TrustStore;
  time: Date;
  /** CRLs from the document (CMS, DSS), decoded with the facts; the store's CRLs are added. */
  crls: readonly CertificateList[];
  /** OCSP responses from the document, decoded with the facts. */
  ocsps: readonly OcspResponse[];
  purpose: 'signing' | 'timestamping';
}

export const GOVERNMENT_PROVIDER = 'Ban Cơ yếu Chính phủ';

interface RevocationResult {
  checked: boolean;
  source: 'crl' | 'ocsp' | null;
  revokedAt: Date | null;
  reason: string | null;
  /** A revocation dated after the validation time (does not count, but is worth telling). */
  revokedLaterAt: Date | null;
}

export function validateCertificate(leaf: Certificate, ctx: ValidationContext): CertValidation {
  const { time, trustStore } = ctx;
  const problems: CertProblem[] = [];
  const { path, anchor } = buildChain(leaf, ctx.pool, trustStore, time);
  const trusted = anchor !== null;
  // The anchor is configured trust: RFC 5280 6.1 does not hold it to basicConstraints/keyUsage/critical extensions.
  const lastChecked = trusted ? path.length - 1 : path.length;

  // ── structure: invalid ──
  let invalid = false;
  const bad = (code: string, detail: string, cert: Certificate): void => {
    invalid = true;
    problems.push({ code, detail, certificate: cert.fingerprintSha256 });
  };
  let intermediatesBelow = 0;
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const isAnchor = trusted && i === path.length - 1;
    if (!isAnchor) {
      if (!ca.basicConstraints?.ca) bad('BASIC_CONSTRAINTS', `CA certificate '${cn(ca)}' lacks basicConstraints cA=true`, ca);
      if (ca.keyUsage && !ca.keyUsage.has('keyCertSign')) bad('KEY_USAGE', `CA certificate '${cn(ca)}' lacks keyUsage keyCertSign`, ca);
    }
    const pathLen = ca.basicConstraints?.pathLen;
    if (pathLen !== null && pathLen !== undefined && intermediatesBelow > pathLen) {
      bad('BASIC_CONSTRAINTS', `path length constraint ${pathLen} of '${cn(ca)}' exceeded`, ca);
    }
    // Self-issued intermediates do not count towards path length (RFC 5280 6.1.4 (l)).
    if (!ca.isSelfIssued) intermediatesBelow++;
  }
  for (let i = 0; i < lastChecked; i++) {
    const c = path[i]!;
    if (c.unknownCriticalExtensions.length > 0) {
      bad('UNKNOWN_CRITICAL_EXTENSION', `'${cn(c)}' has unsupported critical extension(s) ${c.unknownCriticalExtensions.join(', ')}`, c);
    }
  }
  if (leaf.keyUsage && !leaf.keyUsage.has('digitalSignature') && !leaf.keyUsage.has('nonRepudiation')) {
    bad('KEY_USAGE', 'the certificate keyUsage allows neither digitalSignature nor nonRepudiation', leaf);
  }
  if (ctx.purpose === 'timestamping' && !leaf.extKeyUsage?.includes(OID.kpTimeStamping)) {
    bad('EXTENDED_KEY_USAGE', 'a timestamping certificate must carry extended key usage id-kp-timeStamping', leaf);
  }

  // ── trust ──
  if (!trusted) {
    const top = path[path.length - 1]!;
    const lookAlike = lookAlikeAnchor(trustStore, top);
    problems.push({
      code: 'CHAIN_NOT_FOUND',
      detail: lookAlike
        ? `the chain ends at '${cn(top)}', which has the name of a pinned root but another key`
        : `no chain to a pinned root (ends at '${cn(top)}')`,
      certificate: top.fingerprintSha256,
    });
  }

  // ── revocation of every non-anchor certificate that has its issuer in the path ──
  const crls = collectCrls(ctx.crls, trustStore.crls);
  const ocsps = [...ctx.ocsps];
  let revocation: RevocationFacts = { checked: false, source: null, revoked: false, revokedAt: null, reason: null };
  let revoked = false;
  const revocationChecked: string[] = [];
  for (let i = 0; i + 1 < path.length && i < lastChecked; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const r = checkRevocation(cert, issuer, time, crls, ocsps, ctx.pool);
    if (r.checked) revocationChecked.push(cert.fingerprintSha256);
    if (i === 0) revocation = { checked: r.checked, source: r.source, revoked: false, revokedAt: null, reason: null };
    if (r.revokedAt) {
      if (!revoked) revocation = { ...revocation, revoked: true, revokedAt: r.revokedAt, reason: r.reason };
      revoked = true;
      problems.push({
        code: i === 0 ? 'CERT_REVOKED' : 'CA_REVOKED',
        detail: `'${cn(cert)}' revoked at ${r.revokedAt.toISOString()}${r.reason ? ` (${r.reason})` : ''} per ${r.source?.toUpperCase()}`,
        certificate: cert.fingerprintSha256,
      });
    } else if (r.revokedLaterAt) {
      problems.push({
        code: 'REVOKED_AFTER_TIME',
        detail: `'${cn(cert)}' was revoked at ${r.revokedLaterAt.toISOString()}, after the validation time`,
        certificate: cert.fingerprintSha256,
      });
    }
  }

  // ── validity periods: any certificate in the path ──
  let expired = false;
  let notYetValid = false;
  let leafTimeStatus: CertificateStatus | null = null;
  path.forEach((c, i) => {
    const t = time.getTime();
    if (t > c.notAfter.getTime()) {
      expired = true;
      if (i === 0) leafTimeStatus = 'expired';
      problems.push({ code: i === 0 ? 'CERT_EXPIRED' : 'CA_EXPIRED', detail: `'${cn(c)}' expired ${c.notAfter.toISOString()}`, certificate: c.fingerprintSha256 });
    } else if (t < c.notBefore.getTime()) {
      notYetValid = true;
      if (i === 0) leafTimeStatus = 'not_yet_valid';
      problems.push({
        code: i === 0 ? 'CERT_NOT_YET_VALID' : 'CA_NOT_YET_VALID',
        detail: `'${cn(c)}' not valid before ${c.notBefore.toISOString()}`,
        certificate: c.fingerprintSha256,
      });
    }
  });

  let status: CertificateStatus;
  if (invalid) status = 'invalid';
  else if (!trusted) status = 'untrusted';
  else if (revoked) status = 'revoked';
  else if (expired || notYetValid) status = leafTimeStatus ?? (expired ? 'expired' : 'not_yet_valid');
  else status = 'valid';

  const { category, provider, root } = describeAnchor(anchor, path, trustStore, leaf);
  return { status, category, provider, root, chain: path, revocation, revocationChecked, problems };
}

function cn(c: Certificate): string {
  return c.subject.get('CN') ?? c.subject.toString();
}

function lookAlikeAnchor(store: TrustStore, cert: Certificate): TrustAnchor | null {
  if (anchorForKey(store, cert)) return null;
  const key = cert.subject.matchKey;
  const issuerKey = cert.issuer.matchKey;
  // Same name, or the same common name with the RDNs in another order (look-alikes seen in the wild reverse them).
  const cn = cert.subject.get('CN')?.normalize('NFC').toLowerCase() ?? null;
  return (
    store.anchors.find(
      (a) =>
        a.certificate.subject.matchKey === key ||
        a.certificate.subject.matchKey === issuerKey ||
        (cn !== null && a.certificate.subject.get('CN')?.normalize('NFC').toLowerCase() === cn),
    ) ?? null
  );
}

function describeAnchor(
  anchor: TrustAnchor | null,
  path: Certificate[],
  store: TrustStore,
  leaf: Certificate,
): { category: CaCategory; provider: string | null; root: string | null } {
  if (!anchor) return { category: 'untrusted', provider: null, root: null };
  let provider: string | null = null;
  // Nearest-to-leaf stored certificate with a provider folder names the provider.
  for (const c of path) {
    const e = storedEntry(store, c);
    if (e?.provider) {
      provider = e.provider;
      break;
    }
  }
  if (!provider) {
    provider =
      anchor.category === 'government'
        ? GOVERNMENT_PROVIDER
        : (path.length > 1 ? (path[1]!.subject.get('O') ?? path[1]!.subject.get('CN')) : null) ??
          leaf.issuer.get('O') ??
          leaf.issuer.get('CN');
  }
  return { category: anchor.category, provider, root: anchor.certificate.subject.get('CN') ?? anchor.certificate.subject.toString() };
}

/** The document's CRLs and the trust store's, each once. */
function collectCrls(doc: readonly CertificateList[], store: readonly CertificateList[]): CertificateList[] {
  const out: CertificateList[] = [];
  for (const crl of [...doc, ...store]) if (!out.includes(crl)) out.push(crl);
  return out;
}

/**
 * Revocation status of `cert` (issued by `issuer`) at `time`. Only CRLs and OCSP responses that verify with the
 * issuing CA's key (or a delegated OCSP responder's) are evidence. A revocation dated after `time` does not count.
 */
function checkRevocation(
  cert: Certificate,
  issuer: Certificate,
  time: Date,
  crls: CertificateList[],
  ocsps: OcspResponse[],
  pool: readonly Certificate[],
): RevocationResult {
  const result: RevocationResult = { checked: false, source: null, revokedAt: null, reason: null, revokedLaterAt: null };
  const note = (source: 'crl' | 'ocsp', at: Date, reason: string | null): void => {
    if (at.getTime() <= time.getTime()) {
      if (!result.revokedAt || at < result.revokedAt) {
        result.revokedAt = at;
        result.reason = reason;
        result.source = source;
      }
    } else if (!result.revokedLaterAt || at < result.revokedLaterAt) result.revokedLaterAt = at;
  };
  for (const crl of crls) {
    if (crl.issuer.matchKey !== cert.issuer.matchKey) continue;
    if (!crl.isSignedBy(issuer)) continue;
    let entry;
    try {
      entry = crl.lookup(cert.serialNumberHex);
    } catch {
      continue; // an unreadable entry list is no evidence either way
    }
    // A delta CRL alone does not show a certificate is NOT revoked, but a revocation in it counts.
    if (!crl.isDelta && crl.unknownCriticalExtensions.length === 0) {
      result.checked = true;
      result.source ??= 'crl';
    }
    if (entry) note('crl', entry.revocationDate, entry.reason);
  }
  for (const resp of ocsps) {
    const singles = resp.responsesFor(cert, issuer);
    if (singles.length === 0) continue;
    if (!resp.verifiedSigner(issuer, pool)) continue;
    for (const s of singles) {
      if (s.certStatus.status === 'revoked') {
        note('ocsp', s.certStatus.revocationTime, s.certStatus.reason);
        result.checked = true;
      } else if (s.certStatus.status === 'good') {
        result.checked = true;
        result.source ??= 'ocsp';
      }
    }
  }
  if (result.revokedAt === null && result.checked && result.source === null) result.source = 'crl';
  return result;
}
