/**
 * Detached CMS SignedData (RFC 5652) encoded by pkijs/asn1js, not by samples/lib's own DER writer (issue 21, item
 * 2): the plain adbe.pkcs7.detached signature the signed samples carry most — signed attributes contentType,
 * messageDigest, signingTime (optional) and signingCertificateV2, signer named by issuer and serial, RSA PKCS#1 v1.5
 * with SHA-1/256/384/512, optionally with a signature timestamp or the signer named by its key identifier, and its
 * adbe.pkcs7.sha1 form; and the RFC 3161 timestamp token (also the /DocTimeStamp's).
 * test/samples/cms-pkijs.test.ts holds both to cms-builder.ts byte for byte. SHAKE/PSS/ECDSA/EdDSA signers, SignedData crls, encapsulating a detached signature,
 * revocation archival and the negative switches are still cms-builder.ts's.
 *
 * The signature is made with node:crypto (pkijs would want a WebCrypto key; the signature is not what is being
 * cross-checked). pkijs is an ES module (pkijs-modules.ts), so the encoder comes from the promise `pkijsCms()`.
 */
import { createHash } from 'node:crypto';
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';
import { TEST_TSA_POLICY } from './cms-builder';
import { signData } from './pki-alg';
import { loadPkijs } from './pkijs-modules';
import type { TestIdentity } from './test-pki';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;

type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';
const DIGEST_OID: Record<Hash, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: OID.sha256,
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const RSA_PKCS1_OID: Record<Hash, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha256: OID.sha256WithRsa,
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};

export interface PkijsSignOptions {
  /** An RSA signer (PKCS#1 v1.5, SHA-256). */
  signer: TestIdentity;
  /** Certificates to embed besides the signer's; default signer.chain minus the root (as cms-builder.ts). */
  chain?: Buffer[];
  /** null: no signingTime attribute; default new Date(). */
  signingTime?: Date | null;
  /** Default true. */
  signingCertificateV2?: boolean;
  /** Signature timestamp (unsigned attribute id-aa-signatureTimeStampToken), its imprint hashed as the signature is. */
  timestamp?: { tsa: TestIdentity; genTime: Date };
  /** Default SHA-256 (SHA-1 for signPkcs7Sha1). */
  digest?: Hash;
  /** Default 'issuerSerial'; 'ski' names the signer by subjectKeyIdentifier (SignerInfo version 3). */
  sid?: 'issuerSerial' | 'ski';
  /** Default true. */
  embedCertificates?: boolean;
}

export interface TimestampOptions {
  tsa: TestIdentity;
  genTime: Date;
  /** The imprint's hash; default SHA-256. The token itself is always signed with SHA-256. */
  digest?: Hash;
}

export interface CmsEncoders {
  /** Detached CMS ContentInfo(SignedData) over `signedBytes` (the PDF ByteRange bytes). */
  signDetached(signedBytes: Buffer, o: PkijsSignOptions): Buffer;
  /** RFC 3161 TimeStampToken over hash(imprintedData), as cms-builder.ts's timestampToken. */
  timestampToken(imprintedData: Buffer, o: TimestampOptions): Buffer;
  /** adbe.pkcs7.sha1: the encapsulated content is SHA-1(signedBytes), which messageDigest covers; digest default SHA-1. */
  signPkcs7Sha1(signedBytes: Buffer, o: PkijsSignOptions): Buffer;
}

let loaded: Promise<CmsEncoders> | undefined;

/** The pkijs CMS encoder, once asn1js and pkijs are loaded (pkijs-modules.ts). */
export function pkijsCms(): Promise<CmsEncoders> {
  loaded ??= loadPkijs().then((m) => encoders(m.asn1js, m.pkijs));
  return loaded;
}

const hash = (h: Hash, b: Uint8Array): Buffer => createHash(h).update(b).digest();
const sha256 = (b: Uint8Array): Buffer => hash('sha256', b);
const whole = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * The token's serial: deterministic, so the same request gives the same token. The same rule as cms-builder.ts's,
 * since the bytes are compared (a rule for numbering, not an encoding).
 */
function tstSerial(imprint: Buffer, at: Date): Buffer {
  const h = createHash('sha256').update(imprint).update(String(at.getTime())).digest().subarray(0, 10);
  h[0] = (h[0]! & 0x7f) | 0x01;
  return h;
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

function encoders(A1: typeof Asn1js, PK: typeof Pkijs): CmsEncoders {
  const parse = (der: Buffer): Pkijs.Certificate => PK.Certificate.fromBER(der);

  /** SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 }, SHA-256 being the DEFAULT hashAlgorithm (omitted). */
  function signingCertificateV2(certDer: Buffer, cert: Pkijs.Certificate): Asn1js.Sequence {
    // ESS IssuerSerial has the shape of pkijs's attribute-certificate IssuerSerial: GeneralNames and serial.
    const issuerSerial = new PK.IssuerSerial({
      issuer: new PK.GeneralNames({ names: [new PK.GeneralName({ type: 4, value: cert.issuer })] }),
      serialNumber: cert.serialNumber,
    });
    const essCertIdV2 = new A1.Sequence({ value: [new A1.OctetString({ valueHex: sha256(certDer) }), issuerSerial.toSchema()] });
    return new A1.Sequence({ value: [new A1.Sequence({ value: [essCertIdV2] })] });
  }

  /** What a SignedData needs besides its signer: the content, and the signed attributes after contentType and messageDigest. */
  interface Content {
    signer: TestIdentity;
    certs: Buffer[] | null;
    digest: Hash;
    sid: 'issuerSerial' | 'ski';
    eContentType: string;
    /** Encapsulated content; undefined for a detached signature. */
    eContent?: Buffer;
    /** The bytes messageDigest covers. */
    content: Buffer;
    extraSignedAttrs: Pkijs.Attribute[];
    unsigned?: (signature: Buffer) => Pkijs.Attribute[];
  }

  function signedData(x: Content): Buffer {
    if (x.signer.key.asymmetricKeyType !== 'rsa') throw new Error('cms-pkijs: only RSA PKCS#1 v1.5 signers so far');
    const signer = parse(x.signer.cert);
    const attrs = [
      new PK.Attribute({ type: OID.contentType, values: [new A1.ObjectIdentifier({ value: x.eContentType })] }),
      new PK.Attribute({ type: OID.messageDigest, values: [new A1.OctetString({ valueHex: hash(x.digest, x.content) })] }),
      ...x.extraSignedAttrs,
    ];
    const signedAttrs = new PK.SignedAndUnsignedAttributes({ type: 0, attributes: derOrder(attrs, attributeDer) });
    // RFC 5652 §5.4: the signature covers the attributes as an explicit SET OF, not as the [0] IMPLICIT they travel in.
    const asSet = Buffer.from(signedAttrs.toSchema().toBER());
    asSet[0] = 0x31;
    const signature = signData(x.signer.key, x.digest, asSet, 'pkcs1');
    const digestAlgorithm = digestAlgorithmId(x.digest);
    const unsigned = x.unsigned?.(signature) ?? [];

    const signerInfo = new PK.SignerInfo({
      // RFC 5652 §5.3: version 3 when the signer is named by subjectKeyIdentifier ([0] IMPLICIT), 1 by issuer and serial.
      version: x.sid === 'ski' ? 3 : 1,
      sid:
        x.sid === 'ski'
          ? new A1.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: subjectKeyId(signer) })
          : new PK.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
      digestAlgorithm,
      signedAttrs,
      signatureAlgorithm: new PK.AlgorithmIdentifier({ algorithmId: RSA_PKCS1_OID[x.digest], algorithmParams: new A1.Null() }),
      signature: new A1.OctetString({ valueHex: signature }),
      ...(unsigned.length > 0 ? { unsignedAttrs: new PK.SignedAndUnsignedAttributes({ type: 1, attributes: derOrder(unsigned, attributeDer) }) } : {}),
    });

    const encap = new PK.EncapsulatedContentInfo({ eContentType: x.eContentType });
    // Not through the constructor: it turns an OCTET STRING into a constructed (BER) one; DER wants it primitive.
    if (x.eContent) encap.eContent = new A1.OctetString({ valueHex: x.eContent });
    const sd = new PK.SignedData({
      version: 1,
      digestAlgorithms: [digestAlgorithm],
      encapContentInfo: encap,
      ...(x.certs ? { certificates: derOrder(x.certs, (c) => c).map(parse) } : {}),
      signerInfos: [signerInfo],
    });
    const contentInfo = new PK.ContentInfo({ contentType: OID.signedData, content: sd.toSchema() });
    return Buffer.from(contentInfo.toSchema().toBER());
  }

  /** SHA-1 with NULL parameters, the others without, as most producers (and pki-alg.ts's digestAlgId) write them. */
  function digestAlgorithmId(h: Hash): Pkijs.AlgorithmIdentifier {
    return new PK.AlgorithmIdentifier({ algorithmId: DIGEST_OID[h], ...(h === 'sha1' ? { algorithmParams: new A1.Null() } : {}) });
  }

  /** The certificate's subjectKeyIdentifier, else SHA-1 of its public key bits (RFC 5280 4.2.1.2, method 1). */
  function subjectKeyId(cert: Pkijs.Certificate): Uint8Array {
    const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
    if (ext) return (A1.fromBER(ext.extnValue.valueBlock.valueHexView).result as Asn1js.OctetString).valueBlock.valueHexView;
    return hash('sha1', cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  }

  const attributeDer = (a: Pkijs.Attribute): Buffer => Buffer.from(a.toSchema().toBER());

  /** The signer plus its chain without the self-signed root (or `chain`), each once. */
  function embedded(signer: TestIdentity, chain?: Buffer[]): Buffer[] {
    const rest = chain ?? signer.chain.slice(0, Math.max(0, signer.chain.length - 1));
    const out: Buffer[] = [];
    for (const c of [signer.cert, ...rest]) if (!out.some((y) => y.equals(c))) out.push(c);
    return out;
  }

  function signingCertificateV2Attribute(who: TestIdentity): Pkijs.Attribute {
    return new PK.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(who.cert, parse(who.cert))] });
  }

  function sign(o: PkijsSignOptions, content: Buffer, eContent: Buffer | undefined, digest: Hash): Buffer {
    const extra: Pkijs.Attribute[] = [];
    const st = o.signingTime === undefined ? new Date() : o.signingTime;
    if (st !== null) {
      const at = whole(st);
      // RFC 5652 §11.3: UTCTime for 1950 through 2049, GeneralizedTime otherwise.
      const y = at.getUTCFullYear();
      const time = y >= 1950 && y <= 2049 ? new A1.UTCTime({ valueDate: at }) : new A1.GeneralizedTime({ valueDate: at });
      extra.push(new PK.Attribute({ type: OID.signingTime, values: [time] }));
    }
    if (o.signingCertificateV2 ?? true) extra.push(signingCertificateV2Attribute(o.signer));
    const ts = o.timestamp;
    return signedData({
      signer: o.signer,
      certs: o.embedCertificates === false ? null : embedded(o.signer, o.chain),
      digest,
      sid: o.sid ?? 'issuerSerial',
      eContentType: OID.data,
      eContent,
      content,
      extraSignedAttrs: extra,
      unsigned: ts
        ? (sig) => [new PK.Attribute({ type: OID.signatureTimeStampToken, values: [A1.fromBER(timestampToken(sig, { tsa: ts.tsa, genTime: ts.genTime, digest })).result] })]
        : undefined,
    });
  }

  const signDetached = (signedBytes: Buffer, o: PkijsSignOptions): Buffer => sign(o, signedBytes, undefined, o.digest ?? 'sha256');

  function signPkcs7Sha1(signedBytes: Buffer, o: PkijsSignOptions): Buffer {
    const eContent = hash('sha1', signedBytes);
    return sign(o, eContent, eContent, o.digest ?? 'sha1');
  }

  function timestampToken(imprintedData: Buffer, o: TimestampOptions): Buffer {
    const h = o.digest ?? 'sha256';
    const imprint = hash(h, imprintedData);
    const tsa = parse(o.tsa.cert);
    const tstInfo = new PK.TSTInfo({
      version: 1,
      policy: TEST_TSA_POLICY,
      messageImprint: new PK.MessageImprint({
        hashAlgorithm: digestAlgorithmId(h),
        hashedMessage: new A1.OctetString({ valueHex: imprint }),
      }),
      serialNumber: new A1.Integer({ valueHex: tstSerial(imprint, o.genTime) }),
      genTime: whole(o.genTime),
      accuracy: new PK.Accuracy({ seconds: 1 }),
      tsa: new PK.GeneralName({ type: 4, value: tsa.subject }),
    });
    const der = Buffer.from(tstInfo.toSchema().toBER());
    return signedData({
      signer: o.tsa,
      certs: embedded(o.tsa),
      digest: 'sha256',
      sid: 'issuerSerial',
      eContentType: OID.tstInfo,
      eContent: der,
      content: der,
      extraSignedAttrs: [signingCertificateV2Attribute(o.tsa)],
    });
  }

  return { signDetached, timestampToken, signPkcs7Sha1 };
}
