/**
 * Detached CMS SignedData (RFC 5652) encoded by pkijs/asn1js, not by samples/lib's own DER writer (issue 21, item 2):
 * the first slice of the CMS port, the plain adbe.pkcs7.detached signature every signed sample carries — signed
 * attributes contentType, messageDigest, signingTime (optional) and signingCertificateV2, signer named by issuer and
 * serial, RSA PKCS#1 v1.5 with SHA-256. test/samples/cms-pkijs.test.ts holds it to cms-builder.ts byte for byte.
 * Timestamp tokens, SHA-1/SHAKE/PSS/ECDSA/EdDSA signers and the negative switches are still cms-builder.ts's.
 *
 * The signature is made with node:crypto (pkijs would want a WebCrypto key; the signature is not what is being
 * cross-checked). pkijs is an ES module (pkijs-modules.ts), so the encoder comes from the promise `pkijsCms()`.
 */
import { createHash } from 'node:crypto';
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';
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
} as const;

export interface PkijsSignOptions {
  /** An RSA signer (PKCS#1 v1.5, SHA-256). */
  signer: TestIdentity;
  /** Certificates to embed besides the signer's; default signer.chain minus the root (as cms-builder.ts). */
  chain?: Buffer[];
  /** null: no signingTime attribute; default new Date(). */
  signingTime?: Date | null;
  /** Default true. */
  signingCertificateV2?: boolean;
}

export interface CmsEncoders {
  /** Detached CMS ContentInfo(SignedData) over `signedBytes` (the PDF ByteRange bytes). */
  signDetached(signedBytes: Buffer, o: PkijsSignOptions): Buffer;
}

let loaded: Promise<CmsEncoders> | undefined;

/** The pkijs CMS encoder, once asn1js and pkijs are loaded (pkijs-modules.ts). */
export function pkijsCms(): Promise<CmsEncoders> {
  loaded ??= loadPkijs().then((m) => encoders(m.asn1js, m.pkijs));
  return loaded;
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

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

  function signDetached(signedBytes: Buffer, o: PkijsSignOptions): Buffer {
    if (o.signer.key.asymmetricKeyType !== 'rsa') throw new Error('cms-pkijs: only RSA PKCS#1 v1.5 signers so far');
    const signer = parse(o.signer.cert);

    const attrs = [
      new PK.Attribute({ type: OID.contentType, values: [new A1.ObjectIdentifier({ value: OID.data })] }),
      new PK.Attribute({ type: OID.messageDigest, values: [new A1.OctetString({ valueHex: sha256(signedBytes) })] }),
    ];
    const st = o.signingTime === undefined ? new Date() : o.signingTime;
    if (st !== null) {
      const at = new Date(Math.floor(st.getTime() / 1000) * 1000);
      // RFC 5652 §11.3: UTCTime for 1950 through 2049, GeneralizedTime otherwise.
      const y = at.getUTCFullYear();
      const time = y >= 1950 && y <= 2049 ? new A1.UTCTime({ valueDate: at }) : new A1.GeneralizedTime({ valueDate: at });
      attrs.push(new PK.Attribute({ type: OID.signingTime, values: [time] }));
    }
    if (o.signingCertificateV2 ?? true) {
      attrs.push(new PK.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(o.signer.cert, signer)] }));
    }
    const signedAttrs = new PK.SignedAndUnsignedAttributes({
      type: 0,
      attributes: derOrder(attrs, (a) => Buffer.from(a.toSchema().toBER())),
    });
    // RFC 5652 §5.4: the signature covers the attributes as an explicit SET OF, not as the [0] IMPLICIT they travel in.
    const asSet = Buffer.from(signedAttrs.toSchema().toBER());
    asSet[0] = 0x31;

    const signerInfo = new PK.SignerInfo({
      version: 1,
      sid: new PK.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
      digestAlgorithm: new PK.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      signedAttrs,
      signatureAlgorithm: new PK.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new A1.Null() }),
      signature: new A1.OctetString({ valueHex: signData(o.signer.key, 'sha256', asSet, 'pkcs1') }),
    });

    const chain = o.chain ?? o.signer.chain.slice(0, Math.max(0, o.signer.chain.length - 1));
    const certs: Buffer[] = [];
    for (const c of [o.signer.cert, ...chain]) if (!certs.some((x) => x.equals(c))) certs.push(c);

    const signedData = new PK.SignedData({
      version: 1,
      digestAlgorithms: [new PK.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
      encapContentInfo: new PK.EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates: derOrder(certs, (c) => c).map(parse),
      signerInfos: [signerInfo],
    });
    const contentInfo = new PK.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() });
    return Buffer.from(contentInfo.toSchema().toBER());
  }

  return { signDetached };
}
