/**
 * CMS SignedData (RFC 5652) and RFC 3161 timestamp tokens for the sample PDFs and tests:
 * adbe.pkcs7.detached / ETSI.CAdES.detached, legacy adbe.pkcs7.sha1 and ETSI.RFC3161
 * document timestamps, Ed448 with SHAKE256 (RFC 8419) and BSI plain ECDSA, with switches for
 * the negative cases the verifier must catch.
 */
import { createHash } from 'node:crypto';
import { explicit, genTime, implicit, int, octets, oid, seq, set, setOf, tlv, time } from './der';
import {
  type DigestName,
  type EcdsaEncoding,
  type HashName,
  type RsaScheme,
  OID_SHAKE256,
  OID_SHAKE256_LEN,
  digestAlgId,
  keyKind,
  signData,
  signatureAlgId,
} from './pki-alg';
import { certFields, keyIdOfSpki } from './pki-x509';
import type { TestIdentity } from './test-pki';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
} as const;

/**
 * TSA policy of the test TSA: a UUID arc under 2.25 (X.667), which anyone may mint,
 * so it cannot collide with a real authority's policy.
 */
export const TEST_TSA_POLICY = '2.25.' + BigInt('0x6b69656d6b792d746573742d74736101').toString(10);

export interface SignOptions {
  signer: TestIdentity;
  /** Certificates to embed besides the signer's; default signer.chain minus the root. */
  chain?: Buffer[];
  /** Default SHA-256; SHA-512 for Ed25519 and SHAKE256 (512 bits) for Ed448 keys, as RFC 8419 pairs them. */
  digest?: DigestName;
  /**
   * SHAKE256 only: write the digest algorithm as id-shake256-len with this output length in bits (and compute the
   * messageDigest at that length), instead of id-shake256, whose length is 512.
   */
  shake256OutputBits?: number;
  scheme?: 'pkcs1' | 'pss';
  /** ECDSA keys: 'plain' signs with the BSI TR-03111 ecdsa-plain OIDs, the value being r‖s (default 'der'). */
  ecdsa?: EcdsaEncoding;
  /** null: no signingTime attribute (PAdES/CAdES style); default new Date(). */
  signingTime?: Date | null;
  /** Default true. */
  signingCertificateV2?: boolean;
  /** Negative test: put ANOTHER certificate's hash and issuerSerial in signingCertificateV2. */
  signingCertificateOf?: Buffer;
  /** Signature timestamp (unsigned attribute id-aa-signatureTimeStampToken). */
  timestamp?: { tsa: TestIdentity; genTime: Date };
  /** CRLs (DER) for the adbe-revocationInfoArchival signed attribute. */
  crls?: Buffer[];
  /** OCSPResponses (DER) for the adbe-revocationInfoArchival signed attribute. */
  ocsps?: Buffer[];
  /** Default true. false: the signature is over the content itself (no signed attributes at all). */
  signedAttributes?: boolean;
  sid?: 'issuerSerial' | 'ski';
  /**
   * 'signature': flip a bit of the signature value; 'messageDigest': sign a wrong messageDigest; 'plainRsLength'
   * (plain ECDSA): write r and s each with one more leading zero byte, the same numbers at the wrong length.
   */
  tamper?: 'signature' | 'messageDigest' | 'plainRsLength';
  /**
   * Negative test: a detached signature that also encapsulates this content as eContent. The messageDigest still
   * covers the signed bytes, so only the eContent's presence is wrong.
   */
  encapsulate?: Buffer;
  /** Default true. */
  embedCertificates?: boolean;
  /** CRLs (DER) for the SignedData `crls` field (RFC 5652 RevocationInfoChoices). */
  signedDataCrls?: Buffer[];
}

function hash(h: HashName, data: Buffer): Buffer {
  return createHash(h).update(data).digest();
}

/** A CMS digest algorithm: its AlgorithmIdentifier and the digest it gives. */
interface CmsDigest {
  name: DigestName;
  algId: Buffer;
  of(data: Buffer): Buffer;
}

function cmsDigest(name: DigestName, shakeBits?: number): CmsDigest {
  if (name !== 'shake256') return { name, algId: digestAlgId(name), of: (d) => hash(name, d) };
  const bits = shakeBits ?? 512;
  // RFC 8419: id-shake256 has no parameters (its length is 512); id-shake256-len carries the length in bits.
  const algId = shakeBits === undefined ? seq(oid(OID_SHAKE256)) : seq(oid(OID_SHAKE256_LEN), int(bits));
  return { name, algId, of: (d) => createHash('shake256', { outputLength: bits / 8 }).update(d).digest() };
}

/** r‖s with each half one byte longer: the same integers, at a length no curve has. */
function widenPlainRs(sig: Buffer): Buffer {
  const half = sig.length / 2;
  return Buffer.concat([Buffer.alloc(1), sig.subarray(0, half), Buffer.alloc(1), sig.subarray(half)]);
}

function attribute(type: string, ...values: Buffer[]): Buffer {
  return seq(oid(type), setOf(values));
}

/** IssuerAndSerialNumber, copying the certificate's own bytes. */
function issuerAndSerial(cert: Buffer): Buffer {
  const f = certFields(cert);
  return seq(f.issuerName, tlv(0x02, f.serialContent));
}

/** SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 } with SHA-256 (the DEFAULT, so hashAlgorithm is omitted). */
function signingCertificateV2(cert: Buffer): Buffer {
  const f = certFields(cert);
  const issuerSerial = seq(seq(explicit(4, f.issuerName)), tlv(0x02, f.serialContent));
  const essCertIdV2 = seq(octets(hash('sha256', cert)), issuerSerial);
  return seq(seq(essCertIdV2));
}

/** RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse } */
function revocationInfoArchival(crls: Buffer[], ocsps: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  if (crls.length > 0) parts.push(explicit(0, seq(...crls)));
  if (ocsps.length > 0) parts.push(explicit(1, seq(...ocsps)));
  return seq(...parts);
}

function flipLastBit(b: Buffer): Buffer {
  const out = Buffer.from(b);
  out[out.length - 1] ^= 0x01;
  return out;
}

interface SignedDataInput {
  signer: TestIdentity;
  certs: Buffer[] | null;
  crls: Buffer[];
  digest: CmsDigest;
  scheme: RsaScheme;
  ecdsa?: EcdsaEncoding;
  sid: 'issuerSerial' | 'ski';
  eContentType: string;
  /** Encapsulated content, or undefined for a detached signature. */
  eContent?: Buffer;
  /** The content messageDigest covers (and the signature, without signed attributes). */
  content: Buffer;
  /** Signed attributes other than contentType and messageDigest; null = no signed attributes. */
  extraSignedAttrs: Buffer[] | null;
  tamper?: SignOptions['tamper'];
  /** Unsigned attributes computed from the final signature value. */
  unsigned?: (signatureValue: Buffer) => Buffer[];
}

function buildSignedData(x: SignedDataInput): Buffer {
  const signerFields = certFields(x.signer.cert);
  const sid = x.sid === 'ski' ? implicit(0, octets(signerFields.subjectKeyId ?? keyIdOfSpki(signerFields.spki))) : issuerAndSerial(x.signer.cert);
  const signerVersion = x.sid === 'ski' ? 3 : 1;

  let signedAttrsField: Buffer[] = [];
  let toSign: Buffer;
  if (x.extraSignedAttrs) {
    let md = x.digest.of(x.content);
    if (x.tamper === 'messageDigest') md = flipLastBit(md);
    const attrs = [attribute(OID.contentType, oid(x.eContentType)), attribute(OID.messageDigest, octets(md)), ...x.extraSignedAttrs];
    // The signature covers the explicit SET OF encoding; the SignerInfo carries it as [0] IMPLICIT.
    const signedSet = setOf(attrs);
    toSign = signedSet;
    signedAttrsField = [implicit(0, signedSet)];
  } else {
    toSign = x.content;
  }

  let signature = signData(x.signer.key, x.digest.name, toSign, x.scheme, x.ecdsa);
  if (x.tamper === 'signature') signature = flipLastBit(signature);
  if (x.tamper === 'plainRsLength') signature = widenPlainRs(signature);

  const unsignedAttrs = x.unsigned ? x.unsigned(signature) : [];
  const signerInfo = seq(
    int(signerVersion),
    sid,
    x.digest.algId,
    ...signedAttrsField,
    signatureAlgId(x.signer.key, x.digest.name, x.scheme, x.ecdsa),
    octets(signature),
    ...(unsignedAttrs.length > 0 ? [implicit(1, setOf(unsignedAttrs))] : []),
  );

  const encap = x.eContent === undefined ? seq(oid(x.eContentType)) : seq(oid(x.eContentType), explicit(0, octets(x.eContent)));
  // RFC 5652 §5.1: version 3 when any SignerInfo is v3 or the content is not id-data.
  const version = signerVersion === 3 || x.eContentType !== OID.data ? 3 : 1;
  const signedData = seq(
    int(version),
    set(x.digest.algId),
    encap,
    ...(x.certs ? [implicit(0, setOf(x.certs))] : []),
    ...(x.crls.length > 0 ? [implicit(1, setOf(x.crls))] : []),
    set(signerInfo),
  );
  return seq(oid(OID.signedData), explicit(0, signedData));
}

/** Certificates to embed: the signer plus the chain without its self-signed root, deduplicated. */
function embeddedCerts(signer: TestIdentity, chain: Buffer[] | undefined): Buffer[] {
  const rest = chain ?? signer.chain.slice(0, Math.max(0, signer.chain.length - 1));
  const out: Buffer[] = [];
  for (const c of [signer.cert, ...rest]) if (!out.some((x) => x.equals(c))) out.push(c);
  return out;
}

function defaultDigest(o: SignOptions, fallback: HashName): DigestName {
  // RFC 8419: Ed25519 signed attributes are digested with SHA-512, Ed448 ones with SHAKE256 at 512 bits.
  const kind = keyKind(o.signer.key);
  return o.digest ?? (kind === 'ed25519' ? 'sha512' : kind === 'ed448' ? 'shake256' : fallback);
}

function sign(o: SignOptions, eContent: Buffer | undefined, content: Buffer, digestName: DigestName): Buffer {
  const digest = cmsDigest(digestName, o.shake256OutputBits);
  const useAttrs = o.signedAttributes ?? true;
  let extra: Buffer[] | null = null;
  if (useAttrs) {
    extra = [];
    const st = o.signingTime === undefined ? new Date() : o.signingTime;
    if (st !== null) extra.push(attribute(OID.signingTime, time(st)));
    if (o.signingCertificateV2 ?? true) extra.push(attribute(OID.signingCertificateV2, signingCertificateV2(o.signingCertificateOf ?? o.signer.cert)));
    if ((o.crls && o.crls.length > 0) || (o.ocsps && o.ocsps.length > 0)) {
      extra.push(attribute(OID.adbeRevocationInfoArchival, revocationInfoArchival(o.crls ?? [], o.ocsps ?? [])));
    }
  }
  const ts = o.timestamp;
  return buildSignedData({
    signer: o.signer,
    certs: o.embedCertificates === false ? null : embeddedCerts(o.signer, o.chain),
    crls: o.signedDataCrls ?? [],
    digest,
    scheme: o.scheme ?? 'pkcs1',
    ecdsa: o.ecdsa,
    sid: o.sid ?? 'issuerSerial',
    eContentType: OID.data,
    eContent,
    content,
    extraSignedAttrs: extra,
    tamper: o.tamper,
    unsigned: ts
      ? (sig) => [attribute(OID.signatureTimeStampToken, timestampToken(sig, { tsa: ts.tsa, genTime: ts.genTime, digest: timestampDigest(digestName) }))]
      : undefined,
  });
}

/** The TSA's imprint follows the signature's digest, except SHAKE256, which RFC 3161 TSAs are not asked for here. */
function timestampDigest(d: DigestName): HashName {
  return d === 'shake256' ? 'sha512' : d;
}

/** Detached CMS ContentInfo(SignedData) over `signedBytes` (the PDF ByteRange bytes). */
export function signDetached(signedBytes: Buffer, o: SignOptions): Buffer {
  return sign(o, o.encapsulate, signedBytes, defaultDigest(o, 'sha256'));
}

/**
 * adbe.pkcs7.sha1: the encapsulated content is SHA-1(signedBytes) and the signature covers
 * that 20-byte value (through messageDigest when signed attributes are present). Digest defaults to SHA-1.
 */
export function signPkcs7Sha1(signedBytes: Buffer, o: SignOptions): Buffer {
  const eContent = hash('sha1', signedBytes);
  return sign(o, eContent, eContent, defaultDigest(o, 'sha1'));
}

/** Deterministic positive serial, so the same request gives the same token bytes (RSA PKCS#1 v1.5). */
function tstSerial(imprint: Buffer, at: Date): Buffer {
  const h = createHash('sha256').update(imprint).update(String(at.getTime())).digest().subarray(0, 10);
  h[0] &= 0x7f;
  h[0] |= 0x01;
  return h;
}

/**
 * RFC 3161 TimeStampToken over hash(imprintedData): ContentInfo(SignedData) with an encapsulated
 * TSTInfo, signed attributes contentType = id-ct-TSTInfo, messageDigest, signingCertificateV2.
 */
export function timestampToken(
  imprintedData: Buffer,
  o: { tsa: TestIdentity; genTime: Date; digest?: 'sha256' | 'sha1' | 'sha384' | 'sha512' },
): Buffer {
  const h: HashName = o.digest ?? 'sha256';
  const imprint = hash(h, imprintedData);
  const tsaName = certFields(o.tsa.cert).subjectName;
  const tstInfo = seq(
    int(1),
    oid(TEST_TSA_POLICY),
    seq(digestAlgId(h), octets(imprint)),
    int(tstSerial(imprint, o.genTime)),
    genTime(o.genTime),
    seq(int(1)), // accuracy: 1 second
    explicit(0, explicit(4, tsaName)), // tsa [0] GeneralName, directoryName [4]
  );
  return buildSignedData({
    signer: o.tsa,
    certs: embeddedCerts(o.tsa, undefined),
    crls: [],
    digest: cmsDigest('sha256'),
    scheme: 'pkcs1',
    sid: 'issuerSerial',
    eContentType: OID.tstInfo,
    eContent: tstInfo,
    content: tstInfo,
    extraSignedAttrs: [attribute(OID.signingCertificateV2, signingCertificateV2(o.tsa.cert))],
  });
}

/** /DocTimeStamp (SubFilter ETSI.RFC3161): a timestamp token whose imprint is SHA-256 of the ByteRange bytes. */
export function documentTimestamp(signedBytes: Buffer, o: { tsa: TestIdentity; genTime: Date }): Buffer {
  return timestampToken(signedBytes, { tsa: o.tsa, genTime: o.genTime, digest: 'sha256' });
}
