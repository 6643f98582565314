/**
 * adbe.x509.rsa_sha1 (ISO 32000-1 12.8.3.2): no CMS at all. /Contents holds a PKCS#1 v1.5 RSA signature (a DER
 * OCTET STRING, or the bare value, either followed by zero padding) over a DigestInfo of the signed bytes' digest;
 * the signature dictionary's /Cert holds the signer's certificate, then its chain. There are no signed attributes,
 * no signing time and no timestamp.
 *
 * The DigestInfo names the digest (SHA-1 as a rule, whatever the SubFilter says, not always), so it is recovered
 * with the signer's key when the signature is prepared, to know which digest of the signed bytes to compute; the
 * verdict is then the same PKCS#1 check CMS signatures without signed attributes get, over that digest.
 */
import { Tag, parseDer } from '../asn1/der';
import { type DigestInfo, digestByOid, recoverPkcs1DigestInfo, rsaPkcs1Algorithm, verifySignatureOverDigest } from '../pki/algorithms';
import { Certificate } from '../pki/certificate';
import type { CmsProblem, CmsSignatureFacts, DigestPlan } from './types';

export const X509_RSA_SHA1 = 'adbe.x509.rsa_sha1';

export interface PreparedRawRsa {
  mode: 'x509.rsa_sha1';
  subFilter: string;
  /** Every readable /Cert certificate, the signer's first: the pool chains are built from. */
  certificates: Certificate[];
  /** The first /Cert entry, when it is a readable certificate. */
  signerCertificate: Certificate | null;
  /** The signature value found in /Contents, when it holds a well-formed DigestInfo for the signer's key. */
  value: Buffer | null;
  /** OID the DigestInfo names, and the digest kiemky computes for it (null when it cannot). */
  digestOid: string | null;
  digest: DigestInfo | null;
  /** Problems found while preparing; any of them breaks integrity. */
  problems: CmsProblem[];
}

export function prepareRawRsa(contents: Buffer, cert: readonly (Buffer | null)[] | null): PreparedRawRsa {
  const p: PreparedRawRsa = {
    mode: 'x509.rsa_sha1',
    subFilter: X509_RSA_SHA1,
    certificates: [],
    signerCertificate: null,
    value: null,
    digestOid: null,
    digest: null,
    problems: [],
  };
  const signerProblem = readCertificates(p, cert);
  if (signerProblem) {
    p.problems.push(signerProblem);
    return p;
  }
  const key = p.signerCertificate!.publicKey();
  const modulusBits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  if (!modulusBits) {
    p.problems.push({ code: 'UNSUPPORTED_ALGORITHM', detail: `${X509_RSA_SHA1} needs an RSA key; the /Cert certificate's key is ${key.asymmetricKeyType ?? 'unknown'}` });
    return p;
  }
  const candidates = signatureValues(contents, Math.ceil(modulusBits / 8));
  if (candidates.length === 0) {
    p.problems.push({ code: 'CMS_MALFORMED', detail: `/Contents holds no ${Math.ceil(modulusBits / 8)}-byte RSA signature value, wrapped or bare` });
    return p;
  }
  for (const value of candidates) {
    const di = recoverPkcs1DigestInfo(key, value);
    if (di === null) continue;
    p.value = value;
    p.digestOid = di.oid;
    break;
  }
  if (p.value === null) {
    p.problems.push({ code: 'SIGNATURE_INVALID', detail: 'the signature value holds no well-formed PKCS#1 v1.5 DigestInfo for the /Cert key' });
    return p;
  }
  const digest = digestByOid(p.digestOid!);
  // PKCS#1 v1.5 pairs with fixed-length hashes only; an XOF there is no defined algorithm.
  if (!digest || !digest.node || digest.xof) {
    p.problems.push({ code: 'UNSUPPORTED_ALGORITHM', detail: `the DigestInfo names ${digest?.display ?? p.digestOid}` });
  } else {
    p.digest = digest;
  }
  return p;
}

/** The signer's certificate from the first /Cert entry, the rest as its chain; a problem when there is none. */
function readCertificates(p: PreparedRawRsa, cert: readonly (Buffer | null)[] | null): CmsProblem | null {
  if (cert === null || cert.length === 0) return { code: 'SIGNER_NOT_FOUND', detail: `${X509_RSA_SHA1} signature dictionary without /Cert` };
  let firstError: string | null = null;
  cert.forEach((der, i) => {
    let c: Certificate | null = null;
    try {
      if (der !== null) c = Certificate.fromDer(der);
    } catch (e) {
      if (i === 0) firstError = e instanceof Error ? e.message : String(e);
    }
    // A chain certificate that does not parse only loses that certificate: chains that need it will not build.
    if (c === null) return;
    if (i === 0) p.signerCertificate = c;
    p.certificates.push(c);
  });
  if (p.signerCertificate !== null) return null;
  return { code: 'SIGNER_NOT_FOUND', detail: `the first /Cert entry is not a readable certificate${firstError ? `: ${firstError}` : ''}` };
}

/**
 * The values /Contents may hold, `k` bytes each: the content of a DER OCTET STRING at its start, then the bare
 * value when only zero padding follows it. Both are tried: a bare value can begin with bytes that read as an
 * OCTET STRING header, and only a well-formed DigestInfo under the key decides.
 */
function signatureValues(contents: Buffer, k: number): Buffer[] {
  const out: Buffer[] = [];
  try {
    const node = parseDer(contents, { allowTrailing: true });
    if (node.isUniversal(Tag.OCTET_STRING) && !node.constructed && node.content.length === k) out.push(node.content);
  } catch {
    // Not an OCTET STRING: the bare form may still be there.
  }
  if (contents.length >= k && contents.subarray(k).every((b) => b === 0)) out.push(contents.subarray(0, k));
  return out;
}

export function rawRsaDigestPlan(p: PreparedRawRsa): DigestPlan {
  return { algorithms: p.digest?.node ? [p.digest.node] : [], needsContent: false };
}

export function finishRawRsa(p: PreparedRawRsa, digests: Map<string, Buffer>): CmsSignatureFacts {
  const named = p.digestOid ? digestByOid(p.digestOid) : null;
  const facts: CmsSignatureFacts = {
    digestAlgorithm: named?.display ?? p.digestOid,
    signatureAlgorithm: p.digest ? rsaPkcs1Algorithm(p.digest).name : null,
    // An unsupported digest that is known weak (MD2) still counts as weak.
    weakAlgorithm: named?.weak ?? false,
    signerCertificate: p.signerCertificate,
    certificates: p.certificates,
    signedAttributesPresent: false,
    digestMatches: false,
    signatureValid: false,
    signingCertificateAttribute: 'absent',
    claimedSigningTime: null,
    timestamp: null,
    crls: [],
    ocsps: [],
    problems: [...p.problems],
  };
  if (p.problems.length > 0 || !p.digest || !p.value || !p.signerCertificate) return facts;
  const digest = digests.get(p.digest.node!);
  if (!digest) {
    facts.problems.push({ code: 'DIGEST_NOT_PROVIDED', detail: `no ${p.digest.display} digest of the signed bytes was computed` });
    return facts;
  }
  // The signature covers the digest directly: it verifying is the digest matching.
  const ok = verifySignatureOverDigest(rsaPkcs1Algorithm(p.digest), p.signerCertificate.publicKey(), digest, p.value);
  facts.digestMatches = ok;
  facts.signatureValid = ok;
  if (!ok) facts.problems.push({ code: 'MESSAGE_DIGEST_MISMATCH', detail: `the signed ${p.digest.display} digest is not the digest of the signed bytes` });
  return facts;
}
