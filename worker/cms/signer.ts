/**
 * Checks one SignerInfo: finds the signer certificate, compares messageDigest, verifies the signature and the ESS
 * signing-certificate reference. Shared by PDF signatures and timestamp tokens, so both follow the same rules.
 */
import {
  DigestInfo,
  SignatureAlgorithm,
  UnsupportedAlgorithmError,
  canVerifyDigest,
  digestForSignerInfo,
  hashBytes,
  resolveSignatureAlgorithm,
  verifySignature,
  verifySignatureOverDigest,
} from '../pki/algorithms';
import type { Certificate } from '../pki/certificate';
import { normalizeSerialHex } from '../asn1/der';
import { AttributeError, contentTypeAttr, essRefMatches, messageDigestAttr, signingCertificateAttrs, signingTimeAttr } from './attributes';
import type { SignedData, SignerInfo } from './signed-data';
import type { CmsProblem } from './types';

export interface SignerCheckInput {
  sd: SignedData;
  si: SignerInfo;
  /** Digest of the covered content by node hash name, or null when not available. */
  contentDigest: (nodeName: string) => Buffer | null;
  /** The covered content itself, when the caller has it (needed for ECDSA/EdDSA without signed attributes). */
  content: Buffer | null;
  extraCerts: readonly Certificate[];
}

export interface SignerCheck {
  digest: DigestInfo | null;
  sigAlg: SignatureAlgorithm | null;
  signerCertificate: Certificate | null;
  digestMatches: boolean;
  signatureValid: boolean;
  signingCertificateAttribute: 'absent' | 'match' | 'mismatch';
  claimedSigningTime: Date | null;
  problems: CmsProblem[];
}

/** Resolve the SignerInfo's algorithms; unsupported ones come back null with a problem. */
export function signerAlgorithms(si: SignerInfo): { digest: DigestInfo | null; sigAlg: SignatureAlgorithm | null; problems: CmsProblem[] } {
  const problems: CmsProblem[] = [];
  const digest = digestForSignerInfo(si.digestAlgorithm);
  if (!digest || !digest.node) problems.push({ code: 'UNSUPPORTED_ALGORITHM', detail: `digest algorithm ${digest?.display ?? si.digestAlgorithm.oid}` });
  let sigAlg: SignatureAlgorithm | null = null;
  try {
    sigAlg = resolveSignatureAlgorithm(si.signatureAlgorithm, digest && digest.node ? digest : null);
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) problems.push({ code: 'UNSUPPORTED_ALGORITHM', detail: e.message });
    else problems.push({ code: 'CMS_MALFORMED', detail: e instanceof Error ? e.message : String(e) });
  }
  return { digest: digest && digest.node ? digest : null, sigAlg, problems };
}

/** Node hash names the caller must compute over the covered content for this SignerInfo. */
export function neededDigests(si: SignerInfo): { algorithms: string[]; needsContent: boolean } {
  const { digest, sigAlg } = signerAlgorithms(si);
  if (si.signedAttrs) return { algorithms: digest ? [digest.node!] : [], needsContent: false };
  if (sigAlg && canVerifyDigest(sigAlg) && sigAlg.hash?.node) return { algorithms: [sigAlg.hash.node], needsContent: false };
  return { algorithms: [], needsContent: sigAlg !== null };
}

/** Certificates the sid designates: CMS certificates first, then the caller's extra ones (DSS). */
export function signerCandidates(sd: SignedData, si: SignerInfo, extra: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  const out: Certificate[] = [];
  for (const c of [...sd.certificates, ...extra]) {
    if (seen.has(c.fingerprintSha256)) continue;
    seen.add(c.fingerprintSha256);
    if (si.sid.kind === 'issuerAndSerial') {
      if (normalizeSerialHex(c.serialNumberHex) === normalizeSerialHex(si.sid.serialHex) && c.issuer.matchKey === si.sid.issuer.matchKey) out.push(c);
    } else {
      const ski = c.subjectKeyId ?? hashBytes('sha1', c.publicKeyBits).toString('hex');
      if (ski === si.sid.ski) out.push(c);
    }
  }
  return out;
}

export function checkSigner(input: SignerCheckInput): SignerCheck {
  const { sd, si } = input;
  const { digest, sigAlg, problems } = signerAlgorithms(si);
  const result: SignerCheck = {
    digest,
    sigAlg,
    signerCertificate: null,
    digestMatches: false,
    signatureValid: false,
    signingCertificateAttribute: 'absent',
    claimedSigningTime: null,
    problems,
  };

  // ── signed attributes: contentType, messageDigest, signingTime ──
  if (si.signedAttrs) {
    try {
      const ct = contentTypeAttr(si.signedAttrs);
      if (ct === null) problems.push({ code: 'CONTENT_TYPE_MISSING', detail: 'signed attributes lack contentType' });
      else if (ct !== sd.eContentType) problems.push({ code: 'CONTENT_TYPE_MISMATCH', detail: `contentType ${ct} ≠ eContentType ${sd.eContentType}` });
    } catch (e) {
      problems.push(attrProblem(e, 'contentType'));
    }
    try {
      const md = messageDigestAttr(si.signedAttrs);
      if (md === null) problems.push({ code: 'MESSAGE_DIGEST_MISSING', detail: 'signed attributes lack messageDigest' });
      else if (digest) {
        const actual = input.contentDigest(digest.node!);
        if (!actual) problems.push({ code: 'DIGEST_NOT_PROVIDED', detail: `no ${digest.display} digest of the signed content was computed` });
        else if (actual.equals(md)) result.digestMatches = true;
        else problems.push({ code: 'MESSAGE_DIGEST_MISMATCH', detail: `messageDigest does not equal the ${digest.display} of the signed content` });
      }
    } catch (e) {
      problems.push(attrProblem(e, 'messageDigest'));
    }
    try {
      result.claimedSigningTime = signingTimeAttr(si.signedAttrs);
    } catch {
      // An unreadable signingTime is only a missing claim; it cannot make a bad signature good.
    }
  }

  // ── signer certificate and signature ──
  const candidates = signerCandidates(sd, si, input.extraCerts);
  if (candidates.length === 0) {
    problems.push({ code: 'SIGNER_NOT_FOUND', detail: describeSid(si) });
  } else if (sigAlg) {
    let verdict: boolean | 'no-data' = false;
    for (const cert of candidates) {
      verdict = verifyWith(input, sigAlg, cert);
      if (verdict === true) {
        result.signerCertificate = cert;
        break;
      }
    }
    result.signerCertificate ??= candidates[0]!;
    if (verdict === true) result.signatureValid = true;
    else if (verdict === 'no-data') problems.push({ code: 'DIGEST_NOT_PROVIDED', detail: 'the signed bytes are needed to verify this signature' });
    else problems.push({ code: 'SIGNATURE_INVALID', detail: `${sigAlg.name} signature does not verify with the signer's key` });
  } else {
    result.signerCertificate = candidates[0]!;
  }
  // Without signed attributes the signature covers the content itself: it is the digest check.
  if (!si.signedAttrs) result.digestMatches = result.signatureValid;

  // ── ESS signing certificate ──
  if (si.signedAttrs) {
    try {
      const refs = signingCertificateAttrs(si.signedAttrs);
      if (refs.length > 0) {
        const cert = result.signerCertificate;
        const ok = cert !== null && refs.every((r) => essRefMatches(r, cert));
        result.signingCertificateAttribute = ok ? 'match' : 'mismatch';
        if (!ok && cert) problems.push({ code: 'SIGNING_CERTIFICATE_MISMATCH', detail: 'the signing-certificate attribute does not designate the signer certificate' });
      }
    } catch (e) {
      result.signingCertificateAttribute = 'mismatch';
      problems.push({ code: 'SIGNING_CERTIFICATE_MISMATCH', detail: `unreadable signing-certificate attribute: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return result;
}

function verifyWith(input: SignerCheckInput, sigAlg: SignatureAlgorithm, cert: Certificate): boolean | 'no-data' {
  let key;
  try {
    key = cert.publicKey();
  } catch {
    return false;
  }
  const si = input.si;
  if (si.signedAttrsForSignature) return verifySignature(sigAlg, key, si.signedAttrsForSignature, si.signature);
  if (canVerifyDigest(sigAlg) && sigAlg.hash?.node) {
    const d = input.contentDigest(sigAlg.hash.node);
    if (d) return verifySignatureOverDigest(sigAlg, key, d, si.signature);
  }
  if (input.content) return verifySignature(sigAlg, key, input.content, si.signature);
  return 'no-data';
}

function attrProblem(e: unknown, what: string): CmsProblem {
  if (e instanceof AttributeError) return { code: e.code, detail: e.message };
  return { code: 'CMS_MALFORMED', detail: `unreadable ${what} attribute: ${e instanceof Error ? e.message : String(e)}` };
}

export function describeSid(si: SignerInfo): string {
  return si.sid.kind === 'issuerAndSerial'
    ? `no certificate with issuer '${si.sid.issuer.toString()}' and serial ${si.sid.serialHex}`
    : `no certificate with subject key identifier ${si.sid.ski}`;
}
