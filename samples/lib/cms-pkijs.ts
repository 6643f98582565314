/**
 * CMS SignedData (RFC 5652) and RFC 3161 timestamp tokens for the sample PDFs and tests, encoded by pkijs/asn1js and not
 * by samples/lib's own DER writer, so the encoder that makes the test data is not a mirror of the decoder that reads it
 * (issue 21, item 2): adbe.pkcs7.detached / ETSI.CAdES.detached, legacy adbe.pkcs7.sha1 and ETSI.RFC3161 document
 * timestamps; RSA PKCS#1 v1.5 and PSS, ECDSA (DER or BSI plain r‖s), Ed25519 and Ed448 with SHAKE256 (RFC 8419);
 * the adbe-revocationInfoArchival signed attribute, CRLs in SignedData, signature timestamps, and the negative
 * variants the verifier must catch (SignOptions.tamper, signingCertificateOf, encapsulate).
 *
 * pkijs is used as an encoder only: toSchema().toBER() is synchronous, and the signature is computed with node:crypto
 * over the DER that pkijs wrote (pkijs's own signing goes through an async WebCrypto engine and wants WebCrypto keys).
 * So building stays synchronous, as the scenario builders are; the modules come from pkijsNow() (pkijs-modules.ts).
 */
import { createHash } from 'node:crypto';
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';
import {
  type DigestName,
  type EcdsaEncoding,
  type HashName,
  type RsaScheme,
  DIGEST_OID,
  ECDSA_OID,
  ECDSA_PLAIN_OID,
  HASH_LENGTH,
  OID_ED25519,
  OID_ED448,
  OID_MGF1,
  OID_RSASSA_PSS,
  OID_SHAKE256,
  OID_SHAKE256_LEN,
  RSA_PKCS1_OID,
  keyKind,
  signData,
} from './pki-alg';
import { pkijsNow } from './pkijs-modules';
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
  scheme?: RsaScheme;
  /** ECDSA keys: 'plain' signs with the BSI TR-03111 ecdsa-plain OIDs, the value being r‖s (default 'der'). */
  ecdsa?: EcdsaEncoding;
  /** null: no signingTime attribute (PAdES/CAdES style); default new Date(). */
  signingTime?: Date | null;
  /** Default true. */
  signingCertificateV2?: boolean;
  /**
   * Negative test, a structure edit: signingCertificateV2 is built from ANOTHER certificate (its hash and
   * issuerSerial), then signed as usual, so only the binding to the signer is wrong.
   */
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
   * Negative tests, each an edit of one value before pkijs encodes the structure:
   * - 'signature': the last bit of the signature value is flipped after signing (the SignerInfo carries the flipped
   *   value; everything else is as signed);
   * - 'messageDigest': the messageDigest attribute holds the content's digest with its last bit flipped, and the
   *   signature is made over those attributes, so the signature is valid but binds the wrong digest;
   * - 'plainRsLength' (plain ECDSA): r and s are each written with one more leading zero byte, the same numbers at a
   *   length no curve has.
   */
  tamper?: 'signature' | 'messageDigest' | 'plainRsLength';
  /**
   * Negative test, a structure edit: a detached signature that also encapsulates this content as eContent. The
   * messageDigest still covers the signed bytes, so only the eContent's presence is wrong.
   */
  encapsulate?: Buffer;
  /** Default true. */
  embedCertificates?: boolean;
  /** CRLs (DER) for the SignedData `crls` field (RFC 5652 RevocationInfoChoices). */
  signedDataCrls?: Buffer[];
}

export interface TimestampOptions {
  tsa: TestIdentity;
  genTime: Date;
  /** The imprint's hash; default SHA-256. The token itself is always signed with SHA-256. */
  digest?: HashName;
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

/**
 * RFC 3161 TimeStampToken over hash(imprintedData): ContentInfo(SignedData) with an encapsulated TSTInfo, signed
 * attributes contentType = id-ct-TSTInfo, messageDigest, signingCertificateV2; RSA PKCS#1 v1.5 with SHA-256.
 */
export function timestampToken(imprintedData: Buffer, o: TimestampOptions): Buffer {
  const { asn1js: A1, pkijs: PK } = pkijsNow();
  const h = o.digest ?? 'sha256';
  const imprint = hash(h, imprintedData);
  const tsa = PK.Certificate.fromBER(o.tsa.cert);
  const tstInfo = new PK.TSTInfo({
    version: 1,
    policy: TEST_TSA_POLICY,
    messageImprint: new PK.MessageImprint({ hashAlgorithm: digestAlgorithm(h), hashedMessage: new A1.OctetString({ valueHex: imprint }) }),
    serialNumber: new A1.Integer({ valueHex: tstSerial(imprint, o.genTime) }),
    genTime: whole(o.genTime),
    accuracy: new PK.Accuracy({ seconds: 1 }),
    tsa: new PK.GeneralName({ type: 4, value: tsa.subject }),
  });
  const der = Buffer.from(tstInfo.toSchema().toBER());
  return signedData({
    signer: o.tsa,
    certs: embeddedCerts(o.tsa, undefined),
    crls: [],
    digest: 'sha256',
    scheme: 'pkcs1',
    sid: 'issuerSerial',
    eContentType: OID.tstInfo,
    eContent: der,
    content: der,
    extraSignedAttrs: [signingCertificateV2Attribute(o.tsa.cert)],
  });
}

/** /DocTimeStamp (SubFilter ETSI.RFC3161): a timestamp token whose imprint is SHA-256 of the ByteRange bytes. */
export function documentTimestamp(signedBytes: Buffer, o: { tsa: TestIdentity; genTime: Date }): Buffer {
  return timestampToken(signedBytes, { tsa: o.tsa, genTime: o.genTime, digest: 'sha256' });
}

function hash(h: HashName, data: Uint8Array): Buffer {
  return createHash(h).update(data).digest();
}

const whole = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

function defaultDigest(o: SignOptions, fallback: HashName): DigestName {
  // RFC 8419: Ed25519 signed attributes are digested with SHA-512, Ed448 ones with SHAKE256 at 512 bits.
  const kind = keyKind(o.signer.key);
  return o.digest ?? (kind === 'ed25519' ? 'sha512' : kind === 'ed448' ? 'shake256' : fallback);
}

/** The TSA's imprint follows the signature's digest, except SHAKE256, which RFC 3161 TSAs are not asked for here. */
function timestampDigest(d: DigestName): HashName {
  return d === 'shake256' ? 'sha512' : d;
}

/** A CMS digest algorithm: its AlgorithmIdentifier and the digest it gives. */
interface CmsDigest {
  name: DigestName;
  algorithm(): Pkijs.AlgorithmIdentifier;
  of(data: Buffer): Buffer;
}

function cmsDigest(name: DigestName, shakeBits?: number): CmsDigest {
  if (name !== 'shake256') return { name, algorithm: () => digestAlgorithm(name), of: (d) => hash(name, d) };
  const { asn1js: A1, pkijs: PK } = pkijsNow();
  const bits = shakeBits ?? 512;
  // RFC 8419: id-shake256 has no parameters (its length is 512); id-shake256-len carries the length in bits.
  const algorithm = (): Pkijs.AlgorithmIdentifier =>
    shakeBits === undefined
      ? new PK.AlgorithmIdentifier({ algorithmId: OID_SHAKE256 })
      : new PK.AlgorithmIdentifier({ algorithmId: OID_SHAKE256_LEN, algorithmParams: new A1.Integer({ value: bits }) });
  return { name, algorithm, of: (d) => createHash('shake256', { outputLength: bits / 8 }).update(d).digest() };
}

/** SHA-1 with NULL parameters as most legacy producers write it; SHA-2 without (RFC 5754 "SHOULD omit"). */
function digestAlgorithm(h: HashName): Pkijs.AlgorithmIdentifier {
  const { asn1js: A1, pkijs: PK } = pkijsNow();
  return new PK.AlgorithmIdentifier({ algorithmId: DIGEST_OID[h], ...(h === 'sha1' ? { algorithmParams: new A1.Null() } : {}) });
}

/** The hash a signature by `key` applies itself; no RSA or ECDSA OID here pairs with SHAKE. */
function signatureHash(key: TestIdentity['key'], h: DigestName): HashName {
  if (h === 'shake256') throw new Error(`no ${keyKind(key)} signature algorithm with SHAKE256 in the test PKI`);
  return h;
}

/** signatureAlgorithm for a signature by `key`. */
function signatureAlgorithm(key: TestIdentity['key'], h: DigestName, scheme: RsaScheme, ecdsa: EcdsaEncoding): Pkijs.AlgorithmIdentifier {
  const { asn1js: A1, pkijs: PK } = pkijsNow();
  switch (keyKind(key)) {
    case 'rsa': {
      const hh = signatureHash(key, h);
      if (scheme === 'pkcs1') return new PK.AlgorithmIdentifier({ algorithmId: RSA_PKCS1_OID[hh], algorithmParams: new A1.Null() });
      return new PK.AlgorithmIdentifier({ algorithmId: OID_RSASSA_PSS, algorithmParams: pssParams(A1, hh) });
    }
    case 'ec':
      return new PK.AlgorithmIdentifier({ algorithmId: (ecdsa === 'plain' ? ECDSA_PLAIN_OID : ECDSA_OID)[signatureHash(key, h)] });
    case 'ed25519':
      return new PK.AlgorithmIdentifier({ algorithmId: OID_ED25519 });
    case 'ed448':
      return new PK.AlgorithmIdentifier({ algorithmId: OID_ED448 });
  }
}

/**
 * RSASSA-PSS-params (RFC 4055): hashAlgorithm [0], maskGenAlgorithm [1] (MGF1 with the same hash), saltLength [2] the
 * hash length; DER omits the components equal to their DEFAULT (SHA-1, MGF1-SHA-1, 20), so SHA-1 gives an empty
 * SEQUENCE. Built with asn1js: pkijs's RSASSAPSSParams writes the DEFAULT values out.
 */
function pssParams(A1: typeof Asn1js, h: HashName): Asn1js.Sequence {
  const tagged = (n: number, inner: Asn1js.AsnType): Asn1js.Constructed => new A1.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value: [inner] });
  const parts: Asn1js.AsnType[] = [];
  if (h !== 'sha1') {
    parts.push(tagged(0, digestAlgorithm(h).toSchema()));
    parts.push(tagged(1, new A1.Sequence({ value: [new A1.ObjectIdentifier({ value: OID_MGF1 }), digestAlgorithm(h).toSchema()] })));
  }
  if (HASH_LENGTH[h] !== 20) parts.push(tagged(2, new A1.Integer({ value: HASH_LENGTH[h] })));
  return new A1.Sequence({ value: parts });
}

/**
 * A DER blob (a CRL, an OCSP response, a timestamp token) placed inside a structure asn1js encodes: decoded by asn1js and
 * re-encoded with it, and held to be the same bytes, since an embedded signed object must not change by a bit.
 */
function embed(der: Buffer): Asn1js.AsnType {
  const { asn1js: A1 } = pkijsNow();
  const parsed = A1.fromBER(der);
  if (parsed.offset === -1 || parsed.offset !== der.length) throw new Error(`cms-pkijs: not one BER element (${parsed.result.error})`);
  if (!Buffer.from(parsed.result.toBER()).equals(der)) throw new Error('cms-pkijs: asn1js does not re-encode the embedded object byte for byte');
  return parsed.result;
}

/**
 * DER orders a SET OF by its members' encodings compared as octet strings (X.690 §11.6); asn1js writes a Set in the
 * order it is given, so the members are put in that order here. (Two whole TLVs cannot be a prefix one of the other,
 * so X.690's zero padding of the shorter never matters.)
 */
function derOrder<T>(items: T[], encode: (t: T) => Buffer): T[] {
  return items
    .map((t) => ({ t, der: encode(t) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((x) => x.t);
}

const attributeDer = (a: Pkijs.Attribute): Buffer => Buffer.from(a.toSchema().toBER());

function attribute(type: string, value: Asn1js.AsnType): Pkijs.Attribute {
  return new (pkijsNow().pkijs.Attribute)({ type, values: [value] });
}

/** SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 } with SHA-256, the DEFAULT hashAlgorithm (so omitted). */
function signingCertificateV2Attribute(certDer: Buffer): Pkijs.Attribute {
  const { asn1js: A1, pkijs: PK } = pkijsNow();
  const cert = PK.Certificate.fromBER(certDer);
  // ESS IssuerSerial has the shape of pkijs's attribute-certificate IssuerSerial: GeneralNames and serial.
  const issuerSerial = new PK.IssuerSerial({
    issuer: new PK.GeneralNames({ names: [new PK.GeneralName({ type: 4, value: cert.issuer })] }),
    serialNumber: cert.serialNumber,
  });
  const essCertIdV2 = new A1.Sequence({ value: [new A1.OctetString({ valueHex: hash('sha256', certDer) }), issuerSerial.toSchema()] });
  return attribute(OID.signingCertificateV2, new A1.Sequence({ value: [new A1.Sequence({ value: [essCertIdV2] })] }));
}

/** RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse } */
function revocationInfoArchival(crls: Buffer[], ocsps: Buffer[]): Asn1js.Sequence {
  const { asn1js: A1 } = pkijsNow();
  const list = (n: number, ders: Buffer[]): Asn1js.Constructed =>
    new A1.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value: [new A1.Sequence({ value: ders.map(embed) })] });
  return new A1.Sequence({ value: [...(crls.length > 0 ? [list(0, crls)] : []), ...(ocsps.length > 0 ? [list(1, ocsps)] : [])] });
}

function signingTimeAttribute(at: Date): Pkijs.Attribute {
  const { asn1js: A1 } = pkijsNow();
  const t = whole(at);
  // RFC 5652 §11.3: UTCTime for 1950 through 2049, GeneralizedTime otherwise.
  const y = t.getUTCFullYear();
  return attribute(OID.signingTime, y >= 1950 && y <= 2049 ? new A1.UTCTime({ valueDate: t }) : new A1.GeneralizedTime({ valueDate: t }));
}

function flipLastBit(b: Buffer): Buffer {
  const out = Buffer.from(b);
  out[out.length - 1]! ^= 0x01;
  return out;
}

/** r‖s with each half one byte longer: the same integers, at a length no curve has. */
function widenPlainRs(sig: Buffer): Buffer {
  const half = sig.length / 2;
  return Buffer.concat([Buffer.alloc(1), sig.subarray(0, half), Buffer.alloc(1), sig.subarray(half)]);
}

/** Deterministic positive serial, so the same request gives the same token bytes (RSA PKCS#1 v1.5). */
function tstSerial(imprint: Buffer, at: Date): Buffer {
  const h = createHash('sha256').update(imprint).update(String(at.getTime())).digest().subarray(0, 10);
  h[0] = (h[0]! & 0x7f) | 0x01;
  return h;
}

/** Certificates to embed: the signer plus the chain without its self-signed root, deduplicated. */
function embeddedCerts(signer: TestIdentity, chain: Buffer[] | undefined): Buffer[] {
  const rest = chain ?? signer.chain.slice(0, Math.max(0, signer.chain.length - 1));
  const out: Buffer[] = [];
  for (const c of [signer.cert, ...rest]) if (!out.some((x) => x.equals(c))) out.push(c);
  return out;
}

/** The certificate's subjectKeyIdentifier, else SHA-1 of its public key bits (RFC 5280 4.2.1.2, method 1). */
function subjectKeyId(cert: Pkijs.Certificate): Uint8Array {
  const { asn1js: A1 } = pkijsNow();
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  if (ext) return (A1.fromBER(ext.extnValue.valueBlock.valueHexView).result as Asn1js.OctetString).valueBlock.valueHexView;
  return hash('sha1', cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}

interface SignedDataInput {
  signer: TestIdentity;
  certs: Buffer[] | null;
  crls: Buffer[];
  digest: DigestName;
  shakeBits?: number;
  scheme: RsaScheme;
  ecdsa?: EcdsaEncoding;
  sid: 'issuerSerial' | 'ski';
  eContentType: string;
  /** Encapsulated content, or undefined for a detached signature. */
  eContent?: Buffer;
  /** The content messageDigest covers (and the signature, without signed attributes). */
  content: Buffer;
  /** Signed attributes other than contentType and messageDigest; null = no signed attributes. */
  extraSignedAttrs: Pkijs.Attribute[] | null;
  tamper?: SignOptions['tamper'];
  /** Unsigned attributes computed from the final signature value. */
  unsigned?: (signatureValue: Buffer) => Pkijs.Attribute[];
}

function signedData(x: SignedDataInput): Buffer {
  const { asn1js: A1, pkijs: PK } = pkijsNow();
  const signer = PK.Certificate.fromBER(x.signer.cert);
  const digest = cmsDigest(x.digest, x.shakeBits);

  let signedAttrs: Pkijs.SignedAndUnsignedAttributes | undefined;
  let toSign = x.content;
  if (x.extraSignedAttrs) {
    let md = digest.of(x.content);
    if (x.tamper === 'messageDigest') md = flipLastBit(md);
    const attrs = [attribute(OID.contentType, new A1.ObjectIdentifier({ value: x.eContentType })), attribute(OID.messageDigest, new A1.OctetString({ valueHex: md })), ...x.extraSignedAttrs];
    signedAttrs = new PK.SignedAndUnsignedAttributes({ type: 0, attributes: derOrder(attrs, attributeDer) });
    // RFC 5652 §5.4: the signature covers the attributes as an explicit SET OF, not as the [0] IMPLICIT they travel in.
    toSign = Buffer.from(signedAttrs.toSchema().toBER());
    toSign[0] = 0x31;
  }

  let signature = signData(x.signer.key, x.digest, toSign, x.scheme, x.ecdsa);
  if (x.tamper === 'signature') signature = flipLastBit(signature);
  if (x.tamper === 'plainRsLength') signature = widenPlainRs(signature);
  const unsigned = x.unsigned?.(signature) ?? [];

  // RFC 5652 §5.3: version 3 when the signer is named by subjectKeyIdentifier ([0] IMPLICIT), 1 by issuer and serial.
  const signerVersion = x.sid === 'ski' ? 3 : 1;
  const signerInfo = new PK.SignerInfo({
    version: signerVersion,
    sid:
      x.sid === 'ski'
        ? new A1.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: subjectKeyId(signer) })
        : new PK.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
    digestAlgorithm: digest.algorithm(),
    ...(signedAttrs ? { signedAttrs } : {}),
    signatureAlgorithm: signatureAlgorithm(x.signer.key, x.digest, x.scheme, x.ecdsa ?? 'der'),
    signature: new A1.OctetString({ valueHex: signature }),
    ...(unsigned.length > 0 ? { unsignedAttrs: new PK.SignedAndUnsignedAttributes({ type: 1, attributes: derOrder(unsigned, attributeDer) }) } : {}),
  });

  const encap = new PK.EncapsulatedContentInfo({ eContentType: x.eContentType });
  // Not through the constructor: it turns an OCTET STRING into a constructed (BER) one; DER wants it primitive.
  if (x.eContent) encap.eContent = new A1.OctetString({ valueHex: x.eContent });
  if (x.eContent?.length === 0) {
    // pkijs drops an eContent equal to its empty default value, but RFC 5652 gives eContent no DEFAULT: a present, empty
    // eContent is another SignedData (a negative case: a detached signature that encapsulates), so asn1js writes it.
    const eContentType = new A1.ObjectIdentifier({ value: x.eContentType });
    const empty = new A1.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new A1.OctetString()] });
    encap.toSchema = () => new A1.Sequence({ value: [eContentType, empty] });
  }
  const sd = new PK.SignedData({
    // RFC 5652 §5.1: version 3 when any SignerInfo is v3 or the content is not id-data.
    version: signerVersion === 3 || x.eContentType !== OID.data ? 3 : 1,
    digestAlgorithms: [digest.algorithm()],
    encapContentInfo: encap,
    ...(x.certs ? { certificates: derOrder(x.certs, (c) => c).map((c) => PK.Certificate.fromBER(c)) } : {}),
    ...(x.crls.length > 0 ? { crls: derOrder(x.crls, (c) => c).map((c) => PK.CertificateRevocationList.fromBER(c)) } : {}),
    signerInfos: [signerInfo],
  });
  const contentInfo = new PK.ContentInfo({ contentType: OID.signedData, content: sd.toSchema() });
  return Buffer.from(contentInfo.toSchema().toBER());
}

function sign(o: SignOptions, eContent: Buffer | undefined, content: Buffer, digest: DigestName): Buffer {
  let extra: Pkijs.Attribute[] | null = null;
  if (o.signedAttributes ?? true) {
    extra = [];
    const st = o.signingTime === undefined ? new Date() : o.signingTime;
    if (st !== null) extra.push(signingTimeAttribute(st));
    if (o.signingCertificateV2 ?? true) extra.push(signingCertificateV2Attribute(o.signingCertificateOf ?? o.signer.cert));
    if ((o.crls?.length ?? 0) > 0 || (o.ocsps?.length ?? 0) > 0) {
      extra.push(attribute(OID.adbeRevocationInfoArchival, revocationInfoArchival(o.crls ?? [], o.ocsps ?? [])));
    }
  }
  const ts = o.timestamp;
  return signedData({
    signer: o.signer,
    certs: o.embedCertificates === false ? null : embeddedCerts(o.signer, o.chain),
    crls: o.signedDataCrls ?? [],
    digest,
    shakeBits: o.shake256OutputBits,
    scheme: o.scheme ?? 'pkcs1',
    ecdsa: o.ecdsa,
    sid: o.sid ?? 'issuerSerial',
    eContentType: OID.data,
    eContent,
    content,
    extraSignedAttrs: extra,
    tamper: o.tamper,
    unsigned: ts
      ? (sig) => [attribute(OID.signatureTimeStampToken, embed(timestampToken(sig, { tsa: ts.tsa, genTime: ts.genTime, digest: timestampDigest(digest) })))]
      : undefined,
  });
}
