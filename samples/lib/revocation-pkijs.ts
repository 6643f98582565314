/**
 * CRLs and OCSP responses for the test PKI encoded by pkijs/asn1js, not by samples/lib's own DER writer: test data from an
 * encoder that shares nothing with the decoder reading it (issue 21, item 2): the committed CRLs of samples/pki and the
 * OCSP responses the tests make. The bytes are signed with node:crypto (pkijs would want a WebCrypto key; the signature
 * is not what is being cross-checked).
 *
 * pkijs is an ES module (pkijs-modules.ts), so the encoders come from the promise `pkijsRevocation()`.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';
import { signData } from './pki-alg';
import { loadPkijs } from './pkijs-modules';
import type { TestIdentity } from './test-pki';

const SHA1 = '1.3.14.3.2.26';
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';

export interface OcspRequest {
  cert: Buffer;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  revocationReason?: number;
  producedAt: Date;
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** A delegated responder (EKU ocspSigning): named by key, its certificate carried in the response. */
  responder?: TestIdentity;
}

export interface RevocationEncoders {
  /** CRL v2 by `issuer`, signed with sha256 (reason: a CRLReason code; crlNumber defaults to thisUpdate in seconds). */
  makeCrl(issuer: TestIdentity, revoked: RevokedEntry[], o: CrlWindow): Buffer;
  /** A successful id-pkix-ocsp-basic OCSPResponse about `o.cert`, issued by `issuer` (or its delegated responder). */
  makeOcspResponse(issuer: TestIdentity, o: OcspRequest): Buffer;
}

export interface RevokedEntry {
  serial: bigint;
  date: Date;
  reason?: number;
}

export interface CrlWindow {
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber?: bigint;
}

let loaded: Promise<RevocationEncoders> | undefined;

/** The pkijs encoders, once asn1js and pkijs are loaded (pkijs-modules.ts). */
export function pkijsRevocation(): Promise<RevocationEncoders> {
  loaded ??= loadPkijs().then((m) => encoders(m.asn1js, m.pkijs));
  return loaded;
}

const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest());
const whole = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

function encoders(A1: typeof Asn1js, PK: typeof Pkijs): RevocationEncoders {
  function parse(der: Buffer): Pkijs.Certificate {
    return PK.Certificate.fromBER(der);
  }

  /** signatureAlgorithm for the responder's key (the test PKI's responders are RSA or P-256/P-384 ECDSA). */
  function algorithmFor(key: KeyObject): Pkijs.AlgorithmIdentifier {
    const type = key.asymmetricKeyType;
    if (type === 'rsa') return new PK.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new A1.Null() });
    if (type === 'ec') return new PK.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' });
    throw new Error(`revocation-pkijs: no signature algorithm for a ${String(type)} responder key`);
  }

  function certStatus(o: OcspRequest): Asn1js.AsnType {
    if (o.status === 'good') return new A1.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    if (o.status === 'unknown') return new A1.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
    // RevokedInfo, [1] IMPLICIT: revocationTime, then revocationReason [0] EXPLICIT CRLReason.
    const value: Asn1js.AsnType[] = [new A1.GeneralizedTime({ valueDate: whole(o.revokedAt ?? o.producedAt) })];
    if (o.revocationReason !== undefined) value.push(new A1.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new A1.Enumerated({ value: o.revocationReason })] }));
    return new A1.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
  }

  /** A successful id-pkix-ocsp-basic OCSPResponse about `o.cert`, issued by `issuer` (or its delegated responder). */
  function makeOcspResponse(issuer: TestIdentity, o: OcspRequest): Buffer {
    const ca = parse(issuer.cert);
    const target = parse(o.cert);
    const certID = new PK.CertID({
      hashAlgorithm: new PK.AlgorithmIdentifier({ algorithmId: SHA1, algorithmParams: new A1.Null() }),
      issuerNameHash: new A1.OctetString({ valueHex: sha1(new Uint8Array(ca.subject.toSchema().toBER())) }),
      issuerKeyHash: new A1.OctetString({ valueHex: sha1(ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
      serialNumber: new A1.Integer({ valueHex: target.serialNumber.valueBlock.valueHexView }),
    });
    const thisUpdate = whole(o.thisUpdate ?? o.producedAt);
    const single = new PK.SingleResponse({
      certID,
      certStatus: certStatus(o),
      thisUpdate,
      nextUpdate: whole(o.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * 86400_000)),
    });
    const responder = o.responder ?? issuer;
    const responderCert = parse(responder.cert);
    const tbs = new PK.ResponseData({
      responderID: new A1.OctetString({ valueHex: sha1(responderCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
      producedAt: whole(o.producedAt),
      responses: [single],
    });
    const tbsDer = Buffer.from(tbs.toSchema(true).toBER());
    const basic = new PK.BasicOCSPResponse({
      tbsResponseData: tbs,
      signatureAlgorithm: algorithmFor(responder.key),
      signature: new A1.BitString({ valueHex: new Uint8Array(signData(responder.key, 'sha256', tbsDer)) }),
      ...(o.responder ? { certs: [responderCert] } : {}),
    });
    // The signature covers tbsDer: the BasicOCSPResponse must carry exactly those bytes.
    basic.tbsResponseData.tbsView = new Uint8Array(tbsDer);
    const response = new PK.OCSPResponse({
      responseStatus: new A1.Enumerated({ value: 0 }),
      responseBytes: new PK.ResponseBytes({ responseType: OCSP_BASIC, response: new A1.OctetString({ valueHex: basic.toSchema().toBER() }) }),
    });
    return Buffer.from(response.toSchema().toBER());
  }

  /** A non-negative INTEGER's contents octets: minimal two's complement. */
  function integerOctets(n: bigint): Uint8Array {
    let h = n.toString(16);
    if (h.length % 2) h = `0${h}`;
    if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
    return new Uint8Array(Buffer.from(h, 'hex'));
  }

  /** UTCTime through 2049, GeneralizedTime after (RFC 5280 5.1.2.4). */
  function crlTime(d: Date): Pkijs.Time {
    const value = whole(d);
    return new PK.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
  }

  /**
   * CRL v2 by `issuer`, signed with sha256: the same contract as samples/lib/revocation-builder.ts's makeCrl (reason is
   * a CRLReason code; crlNumber defaults to thisUpdate in seconds; an authorityKeyIdentifier from the issuer's SKI).
   */
  function makeCrl(
    issuer: TestIdentity,
    revoked: RevokedEntry[],
    o: CrlWindow,
  ): Buffer {
    const ca = parse(issuer.cert);
    const ski = ca.extensions?.find((e) => e.extnID === '2.5.29.14');
    if (!ski) throw new Error('revocation-pkijs: the issuer has no subjectKeyIdentifier');
    const keyId = (A1.fromBER(ski.extnValue.valueBlock.valueHexView).result as Asn1js.OctetString).valueBlock.valueHexView;
    const crlNumber = o.crlNumber ?? BigInt(Math.floor(o.thisUpdate.getTime() / 1000));
    const alg = algorithmFor(issuer.key);
    const crl = new PK.CertificateRevocationList({
      version: 1,
      signature: alg,
      issuer: ca.subject,
      thisUpdate: crlTime(o.thisUpdate),
      nextUpdate: crlTime(o.nextUpdate),
      crlExtensions: new PK.Extensions({
        extensions: [
          new PK.Extension({ extnID: '2.5.29.35', critical: false, extnValue: new PK.AuthorityKeyIdentifier({ keyIdentifier: new A1.OctetString({ valueHex: keyId }) }).toSchema().toBER() }),
          new PK.Extension({ extnID: '2.5.29.20', critical: false, extnValue: new A1.Integer({ valueHex: integerOctets(crlNumber) }).toBER() }),
        ],
      }),
    });
    // revokedCertificates must be absent, not empty, when nothing is revoked.
    if (revoked.length > 0) {
      crl.revokedCertificates = revoked.map(
        (r) =>
          new PK.RevokedCertificate({
            userCertificate: new A1.Integer({ valueHex: integerOctets(r.serial) }),
            revocationDate: crlTime(r.date),
            ...(r.reason === undefined ? {} : { crlEntryExtensions: new PK.Extensions({ extensions: [new PK.Extension({ extnID: '2.5.29.21', critical: false, extnValue: new A1.Enumerated({ value: r.reason }).toBER() })] }) }),
          }),
      );
    }
    // The tbsCertList as pkijs encodes it: the first element of the whole list, encoded before there is a signature.
    crl.signatureAlgorithm = alg;
    crl.signatureValue = new A1.BitString({ valueHex: new Uint8Array(0) });
    const tbs = Buffer.from((crl.toSchema(true) as Asn1js.Sequence).valueBlock.value[0]!.toBER());
    crl.tbsView = new Uint8Array(tbs);
    crl.signatureValue = new A1.BitString({ valueHex: new Uint8Array(signData(issuer.key, 'sha256', tbs)) });
    return Buffer.from(crl.toSchema().toBER());
  }

  return { makeCrl, makeOcspResponse };
}
