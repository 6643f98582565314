/**
 * CRLs and OCSP responses for the test PKI encoded by pkijs/asn1js, not by samples/lib's own DER writer: test data from an
 * encoder that shares nothing with the decoder reading it (issue 21, item 2; the first slice of it). The bytes are
 * signed with node:crypto (pkijs would want a WebCrypto key; the signature is not what is being cross-checked).
 *
 * pkijs is ESM-only and a devDependency: this module is for the tests (jest transpiles pkijs), not for
 * `npm run samples`, whose compiled output must run on any Node 20 without loading ES modules from CommonJS.
 */
import { createHash, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signData } from './pki-alg';
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

const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest());
const whole = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

function parse(der: Buffer): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der);
}

/** signatureAlgorithm for the responder's key (the test PKI's responders are RSA or P-256/P-384 ECDSA). */
function algorithmFor(key: KeyObject): pkijs.AlgorithmIdentifier {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });
  if (type === 'ec') return new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' });
  throw new Error(`revocation-pkijs: no signature algorithm for a ${String(type)} responder key`);
}

function certStatus(o: OcspRequest): asn1js.AsnType {
  if (o.status === 'good') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  if (o.status === 'unknown') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  // RevokedInfo, [1] IMPLICIT: revocationTime, then revocationReason [0] EXPLICIT CRLReason.
  const value: asn1js.AsnType[] = [new asn1js.GeneralizedTime({ valueDate: whole(o.revokedAt ?? o.producedAt) })];
  if (o.revocationReason !== undefined) value.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: o.revocationReason })] }));
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
}

/** A successful id-pkix-ocsp-basic OCSPResponse about `o.cert`, issued by `issuer` (or its delegated responder). */
export function makeOcspResponseWithPkijs(issuer: TestIdentity, o: OcspRequest): Buffer {
  const ca = parse(issuer.cert);
  const target = parse(o.cert);
  const certID = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: sha1(new Uint8Array(ca.subject.toSchema().toBER())) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: sha1(ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
    serialNumber: new asn1js.Integer({ valueHex: target.serialNumber.valueBlock.valueHexView }),
  });
  const thisUpdate = whole(o.thisUpdate ?? o.producedAt);
  const single = new pkijs.SingleResponse({
    certID,
    certStatus: certStatus(o),
    thisUpdate,
    nextUpdate: whole(o.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * 86400_000)),
  });
  const responder = o.responder ?? issuer;
  const responderCert = parse(responder.cert);
  const tbs = new pkijs.ResponseData({
    responderID: new asn1js.OctetString({ valueHex: sha1(responderCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
    producedAt: whole(o.producedAt),
    responses: [single],
  });
  const tbsDer = Buffer.from(tbs.toSchema(true).toBER());
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: tbs,
    signatureAlgorithm: algorithmFor(responder.key),
    signature: new asn1js.BitString({ valueHex: new Uint8Array(signData(responder.key, 'sha256', tbsDer)) }),
    ...(o.responder ? { certs: [responderCert] } : {}),
  });
  // The signature covers tbsDer: the BasicOCSPResponse must carry exactly those bytes.
  basic.tbsResponseData.tbsView = new Uint8Array(tbsDer);
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({ responseType: OCSP_BASIC, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }) }),
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
function crlTime(d: Date): pkijs.Time {
  const value = whole(d);
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

/**
 * CRL v2 by `issuer`, signed with sha256: the same contract as samples/lib/revocation-builder.ts's makeCrl (reason is
 * a CRLReason code; crlNumber defaults to thisUpdate in seconds; an authorityKeyIdentifier from the issuer's SKI).
 */
export function makeCrlWithPkijs(
  issuer: TestIdentity,
  revoked: { serial: bigint; date: Date; reason?: number }[],
  o: { thisUpdate: Date; nextUpdate: Date; crlNumber?: bigint },
): Buffer {
  const ca = parse(issuer.cert);
  const ski = ca.extensions?.find((e) => e.extnID === '2.5.29.14');
  if (!ski) throw new Error('revocation-pkijs: the issuer has no subjectKeyIdentifier');
  const keyId = (asn1js.fromBER(ski.extnValue.valueBlock.valueHexView).result as asn1js.OctetString).valueBlock.valueHexView;
  const crlNumber = o.crlNumber ?? BigInt(Math.floor(o.thisUpdate.getTime() / 1000));
  const alg = algorithmFor(issuer.key);
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: alg,
    issuer: ca.subject,
    thisUpdate: crlTime(o.thisUpdate),
    nextUpdate: crlTime(o.nextUpdate),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        new pkijs.Extension({ extnID: '2.5.29.35', critical: false, extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: keyId }) }).toSchema().toBER() }),
        new pkijs.Extension({ extnID: '2.5.29.20', critical: false, extnValue: new asn1js.Integer({ valueHex: integerOctets(crlNumber) }).toBER() }),
      ],
    }),
  });
  // revokedCertificates must be absent, not empty, when nothing is revoked.
  if (revoked.length > 0) {
    crl.revokedCertificates = revoked.map(
      (r) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: integerOctets(r.serial) }),
          revocationDate: crlTime(r.date),
          ...(r.reason === undefined ? {} : { crlEntryExtensions: new pkijs.Extensions({ extensions: [new pkijs.Extension({ extnID: '2.5.29.21', critical: false, extnValue: new asn1js.Enumerated({ value: r.reason }).toBER() })] }) }),
        }),
    );
  }
  // The tbsCertList as pkijs encodes it: the first element of the whole list, encoded before there is a signature.
  crl.signatureAlgorithm = alg;
  crl.signatureValue = new asn1js.BitString({ valueHex: new Uint8Array(0) });
  const tbs = Buffer.from((crl.toSchema(true) as asn1js.Sequence).valueBlock.value[0]!.toBER());
  crl.tbsView = new Uint8Array(tbs);
  crl.signatureValue = new asn1js.BitString({ valueHex: new Uint8Array(signData(issuer.key, 'sha256', tbs)) });
  return Buffer.from(crl.toSchema().toBER());
}
