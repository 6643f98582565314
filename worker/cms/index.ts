/**
 * The CMS layer's API for PDF signatures. Two steps, because the caller streams the PDF: `prepareSignature` parses
 * /Contents and `digestPlan` says which digests of the signed byte ranges are needed; `finishSignature` then judges
 * digests, signature, signing-certificate attribute and timestamp. Nothing here throws on hostile input: every
 * failure becomes a coded CmsProblem. adbe.x509.rsa_sha1, a bare RSA signature with its certificates in /Cert, goes
 * through the same two steps (x509-rsa.ts) and gives the same facts.
 */
import { OID } from '../asn1/oids';
import { digestForSignerInfo, hashBytes } from '../pki/algorithms';
import type { Certificate } from '../pki/certificate';
import { revocationInfoArchival, timestampTokens } from './attributes';
import { SignedData, SignerInfo, parseSignedDataContentInfo } from './signed-data';
import { checkSigner, neededDigests } from './signer';
import { ParsedToken, parseTimestampToken, verifyTimestampToken } from './timestamp';
import type { CmsProblem, CmsSignatureFacts, DigestPlan, TimestampFacts } from './types';
import { type PreparedRawRsa, X509_RSA_SHA1, finishRawRsa, prepareRawRsa, rawRsaDigestPlan } from './x509-rsa';

export type SignatureMode = 'detached' | 'sha1' | 'rfc3161';

export type PreparedSignature = PreparedCms | PreparedRawRsa;
export type { PreparedRawRsa } from './x509-rsa';

export interface PreparedCms {
  subFilter: string | null;
  mode: SignatureMode;
  signedData: SignedData;
  /** The SignerInfo judged (the first). */
  signer: SignerInfo;
  /** For ETSI.RFC3161: the token's TSTInfo. */
  token: ParsedToken | null;
  /** Problems found while preparing (MULTIPLE_SIGNERS …), carried into the facts. */
  problems: CmsProblem[];
}

const SUBFILTER_MODES: ReadonlyMap<string, SignatureMode> = new Map([
  ['adbe.pkcs7.detached', 'detached'],
  ['ETSI.CAdES.detached', 'detached'],
  ['adbe.pkcs7.sha1', 'sha1'],
  ['ETSI.RFC3161', 'rfc3161'],
]);

/**
 * Parse a signature's /Contents. Trailing bytes after the DER (the zero padding of the placeholder) are ignored.
 * Unknown or missing subFilters are treated as detached CMS, the only form that is safe to assume: the
 * messageDigest must then equal the signed bytes' digest. `cert` is the signature dictionary's /Cert, which only
 * adbe.x509.rsa_sha1 reads.
 */
export function prepareSignature(
  contents: Buffer,
  subFilter: string | null,
  cert: readonly (Buffer | null)[] | null = null,
): PreparedSignature | { error: CmsProblem } {
  if (subFilter === X509_RSA_SHA1) {
    try {
      return prepareRawRsa(contents, cert);
    } catch (e) {
      return { error: { code: 'CMS_MALFORMED', detail: e instanceof Error ? e.message : String(e) } };
    }
  }
  const mode: SignatureMode = (subFilter && SUBFILTER_MODES.get(subFilter)) || 'detached';
  let signedData: SignedData;
  let token: ParsedToken | null = null;
  try {
    if (mode === 'rfc3161') {
      signedData = parseSignedDataContentInfo(contents, true);
      token = parseTimestampToken(contents.subarray(0, signedData.encodedLength));
      signedData = token.signedData;
    } else {
      signedData = parseSignedDataContentInfo(contents, true);
    }
  } catch (e) {
    return { error: { code: 'CMS_MALFORMED', detail: e instanceof Error ? e.message : String(e) } };
  }
  const signer = signedData.signerInfos[0];
  if (!signer) return { error: { code: 'CMS_MALFORMED', detail: 'SignedData has no SignerInfo' } };
  const problems: CmsProblem[] = [];
  if (signedData.signerInfos.length > 1) {
    problems.push({ code: 'MULTIPLE_SIGNERS', detail: `${signedData.signerInfos.length} SignerInfos; the first is judged` });
  }
  if (mode === 'sha1' && !signedData.eContent) return { error: { code: 'CMS_MALFORMED', detail: 'adbe.pkcs7.sha1 signature without eContent' } };
  // With eContent, CMS verification checks messageDigest against that content (RFC 5652 5.4), not the PDF's
  // bytes: the signature then vouches for what it encapsulates, even when its messageDigest happens to be the
  // digest of the document. Only adbe.pkcs7.sha1 encapsulates (the SHA-1 of the signed bytes).
  if (mode === 'detached' && signedData.eContent !== null) {
    problems.push({
      code: 'ECONTENT_IN_DETACHED',
      detail: `${subFilter ?? 'a signature without /SubFilter'} encapsulates ${signedData.eContent.length} bytes of eContent; a detached signature has none`,
    });
  }
  return { subFilter, mode, signedData, signer, token, problems };
}

export function digestPlan(p: PreparedSignature): DigestPlan {
  switch (p.mode) {
    case 'x509.rsa_sha1':
      return rawRsaDigestPlan(p);
    case 'detached':
      return neededDigests(p.signer);
    case 'sha1':
      // The signer digests the eContent (which we hold); only SHA-1 of the signed bytes is needed.
      return { algorithms: ['sha1'], needsContent: false };
    case 'rfc3161': {
      const h = p.token!.tstInfo.messageImprint.hashAlgorithm?.node;
      return { algorithms: h ? [h] : [], needsContent: false };
    }
  }
}

/**
 * Judge the signature. `digests` maps node hash names to digests of the signed bytes; `content` is the signed bytes
 * when the plan asked for them (or the caller has them anyway); `extraCerts` (DSS) are searched for the signer
 * certificate after the CMS's own certificates.
 */
export function finishSignature(p: PreparedSignature, digests: Map<string, Buffer>, content: Buffer | null, extraCerts: Certificate[]): CmsSignatureFacts {
  try {
    // adbe.x509.rsa_sha1 names its signer in /Cert: a DSS certificate is never its signer.
    if (p.mode === 'x509.rsa_sha1') return finishRawRsa(p, digests);
    return finish(p, digests, content, extraCerts);
  } catch (e) {
    // Defensive: parsing was lazy, so deep malformation may only surface now.
    return {
      ...emptyFacts(p),
      problems: [...p.problems, { code: 'CMS_MALFORMED', detail: e instanceof Error ? e.message : String(e) }],
    };
  }
}

function emptyFacts(p: PreparedSignature): CmsSignatureFacts {
  return {
    digestAlgorithm: null,
    signatureAlgorithm: null,
    weakAlgorithm: false,
    signerCertificate: null,
    certificates: p.mode === 'x509.rsa_sha1' ? p.certificates : p.signedData.certificates,
    signedAttributesPresent: p.mode !== 'x509.rsa_sha1' && p.signer.signedAttrs !== null,
    digestMatches: false,
    signatureValid: false,
    signingCertificateAttribute: 'absent',
    claimedSigningTime: null,
    timestamp: null,
    crls: [],
    ocsps: [],
    problems: [],
  };
}

function digestLookup(given: Map<string, Buffer>, content: Buffer | null): (h: string) => Buffer | null {
  const digests = new Map(given); // computed digests are memoised here, never written into the caller's map
  return (h) => {
    const d = digests.get(h);
    if (d) return d;
    if (content) {
      const computed = hashBytes(h, content);
      digests.set(h, computed);
      return computed;
    }
    return null;
  };
}

function finish(p: PreparedCms, digests: Map<string, Buffer>, content: Buffer | null, extraCerts: Certificate[]): CmsSignatureFacts {
  const sd = p.signedData;
  const si = p.signer;
  const ofSignedBytes = digestLookup(digests, content);
  const facts = emptyFacts(p);
  facts.problems.push(...p.problems);

  // Revocation material carried in the CMS: SignedData crls/other, and Adobe's signed attribute.
  facts.crls.push(...sd.crls);
  facts.ocsps.push(...sd.ocsps);
  try {
    const archival = revocationInfoArchival(si.signedAttrs);
    facts.crls.push(...archival.crls);
    facts.ocsps.push(...archival.ocsps);
  } catch {
    // Unreadable revocation data only means less evidence; it is not an integrity failure.
  }

  if (p.mode === 'rfc3161') return finishDocumentTimestamp(p, facts, ofSignedBytes, extraCerts);

  let contentDigest = ofSignedBytes;
  let coveredContent = content;
  let sha1ContentOk = true;
  if (p.mode === 'sha1') {
    // adbe.pkcs7.sha1: the eContent is SHA-1(signed bytes); the CMS signs the eContent.
    const eContent = sd.eContent!;
    const sha1 = ofSignedBytes('sha1');
    if (!sha1) {
      sha1ContentOk = false;
      facts.problems.push({ code: 'DIGEST_NOT_PROVIDED', detail: 'no SHA-1 digest of the signed bytes was computed' });
    } else if (!sha1.equals(eContent)) {
      sha1ContentOk = false;
      facts.problems.push({ code: 'MESSAGE_DIGEST_MISMATCH', detail: 'eContent does not equal the SHA-1 of the signed bytes' });
    }
    contentDigest = (h) => hashBytes(h, eContent);
    coveredContent = eContent;
  }

  const check = checkSigner({ sd, si, contentDigest, content: coveredContent, extraCerts });
  facts.problems.push(...check.problems);
  facts.digestAlgorithm = check.digest?.display ?? digestDisplay(si);
  facts.signatureAlgorithm = check.sigAlg?.name ?? null;
  facts.weakAlgorithm =
    (check.digest?.weak ?? weakByOid(si)) || (check.sigAlg?.weak ?? false) || p.mode === 'sha1';
  facts.signerCertificate = check.signerCertificate;
  facts.digestMatches = check.digestMatches && sha1ContentOk;
  facts.signatureValid = check.signatureValid;
  facts.signingCertificateAttribute = check.signingCertificateAttribute;
  facts.claimedSigningTime = check.claimedSigningTime;

  // Signature timestamp: the imprint must be the hash of this SignerInfo's signature value.
  const tokens = safeTokens(si);
  if (tokens.error) facts.problems.push(tokens.error);
  if (tokens.first) {
    try {
      const token = parseTimestampToken(tokens.first);
      facts.timestamp = stripExtras(verifyTimestampToken(token, (h) => hashBytes(h, si.signature), extraCerts));
    } catch (e) {
      facts.problems.push({ code: 'TIMESTAMP_MALFORMED', detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return facts;
}

function finishDocumentTimestamp(
  p: PreparedCms,
  facts: CmsSignatureFacts,
  ofSignedBytes: (h: string) => Buffer | null,
  extraCerts: Certificate[],
): CmsSignatureFacts {
  const token = p.token!;
  const v = verifyTimestampToken(token, ofSignedBytes, extraCerts);
  const ts = stripExtras(v);
  facts.timestamp = ts;
  facts.digestAlgorithm = v.imprintAlgorithm;
  facts.signatureAlgorithm = v.signatureAlgorithm;
  facts.weakAlgorithm = v.weak;
  facts.signerCertificate = v.tsaCertificate;
  facts.digestMatches = v.imprintMatches;
  facts.signatureValid = v.signatureValid;
  // For a document timestamp the token is the signature: its problems are integrity problems, unprefixed.
  for (const pr of v.problems) facts.problems.push({ code: pr.code.replace(/^TIMESTAMP_/, ''), detail: pr.detail });
  if (!v.imprintMatches && !facts.problems.some((x) => x.code === 'MESSAGE_DIGEST_MISMATCH' || x.code === 'IMPRINT_MISMATCH')) {
    facts.problems.push({ code: 'MESSAGE_DIGEST_MISMATCH', detail: 'the timestamp imprint does not match the signed bytes' });
  }
  facts.problems = facts.problems.map((x) => (x.code === 'IMPRINT_MISMATCH' ? { code: 'MESSAGE_DIGEST_MISMATCH', detail: x.detail } : x));
  const ess = token.signedData.signerInfos[0];
  facts.signingCertificateAttribute = 'absent';
  if (ess?.signedAttrs?.some((a) => a.oid === OID.signingCertificate || a.oid === OID.signingCertificateV2)) {
    facts.signingCertificateAttribute = facts.problems.some((x) => x.code === 'SIGNING_CERTIFICATE_MISMATCH') ? 'mismatch' : 'match';
  }
  return facts;
}

function stripExtras(v: TimestampFacts & { signatureAlgorithm?: string | null; weak?: boolean }): TimestampFacts {
  return {
    genTime: v.genTime,
    imprintAlgorithm: v.imprintAlgorithm,
    imprintMatches: v.imprintMatches,
    signatureValid: v.signatureValid,
    tsaCertificate: v.tsaCertificate,
    certificates: v.certificates,
    problems: v.problems,
  };
}

function safeTokens(si: SignerInfo): { first: Buffer | null; error: CmsProblem | null } {
  try {
    return { first: timestampTokens(si.unsignedAttrs)[0] ?? null, error: null };
  } catch (e) {
    return { first: null, error: { code: 'TIMESTAMP_MALFORMED', detail: e instanceof Error ? e.message : String(e) } };
  }
}

function digestDisplay(si: SignerInfo): string | null {
  return digestForSignerInfo(si.digestAlgorithm)?.display ?? si.digestAlgorithm.oid;
}

function weakByOid(si: SignerInfo): boolean {
  // An unsupported digest that is known weak (MD2) still counts as weak.
  return digestForSignerInfo(si.digestAlgorithm)?.weak ?? false;
}

export type { CmsProblem, CmsSignatureFacts, DigestPlan, TimestampFacts } from './types';
