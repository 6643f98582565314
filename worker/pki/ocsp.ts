/**
 * OCSP responses (RFC 6960 4.2.1): OCSPResponse → BasicOCSPResponse, and the check that a response was signed by
 * the CA itself or by a responder the CA delegated with id-kp-OCSPSigning.
 */
import {
  Asn1,
  Asn1Error,
  Tag,
  decodeBitString,
  decodeIntegerHex,
  decodeOctetString,
  decodeOid,
  decodeSmallInt,
  decodeTime,
  normalizeSerialHex,
  parseDer,
} from '../asn1/der';
import { OID } from '../asn1/oids';
import {
  AlgorithmIdentifier,
  DigestInfo,
  SignatureAlgorithm,
  digestByOid,
  hashBytes,
  parseAlgorithmIdentifier,
  resolveSignatureAlgorithm,
  verifySignature,
} from './algorithms';
import { Certificate } from './certificate';
import { crlReasonName } from './crl';
import { Name } from './name';

export interface CertId {
  hashAlgorithm: DigestInfo | null;
  hashAlgorithmOid: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  /** Normalised serial hex. */
  serial: string;
}

export type CertStatus =
  | { status: 'good' }
  | { status: 'revoked'; revocationTime: Date; reason: string | null }
  | { status: 'unknown' };

export interface SingleResponse {
  certId: CertId;
  certStatus: CertStatus;
  thisUpdate: Date;
  nextUpdate: Date | null;
}

export type ResponderId = { byName: Name } | { byKeyHash: Buffer };

const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', 'unused(4)', 'sigRequired', 'unauthorized'];

export class OcspResponse {
  readonly der: Buffer;
  readonly responseStatus: string;
  readonly responderId: ResponderId;
  readonly producedAt: Date;
  readonly responses: readonly SingleResponse[];
  /** Certificates carried in the response (a delegated responder's, usually). */
  readonly certificates: readonly Certificate[];
  private readonly tbs: Buffer;
  private readonly sigAlg: SignatureAlgorithm | null;
  private readonly signature: Buffer;

  /** Throws Asn1Error when malformed or when the response is not a successful basic response. */
  static fromDer(der: Buffer): OcspResponse {
    return new OcspResponse(der);
  }

  private constructor(der: Buffer) {
    this.der = der;
    const root = parseDer(der).expect(Tag.SEQUENCE, 'OCSPResponse');
    const status = decodeSmallInt(root.child(0), Tag.ENUMERATED);
    this.responseStatus = RESPONSE_STATUS[status] ?? `status(${status})`;
    if (status !== 0) throw new Asn1Error(`OCSP response status ${this.responseStatus}`, root.start);
    const bytes = root.child(1).expectContext(0, 'responseBytes').explicitInner('responseBytes').expect(Tag.SEQUENCE, 'ResponseBytes');
    if (decodeOid(bytes.child(0)) !== OID.ocspBasic) throw new Asn1Error('OCSP response type is not id-pkix-ocsp-basic', bytes.start);
    const basicDer = decodeOctetString(bytes.child(1));
    const basic = parseDer(basicDer).expect(Tag.SEQUENCE, 'BasicOCSPResponse');
    const b = basic.children();
    if (b.length < 3 || b.length > 4) throw new Asn1Error('BasicOCSPResponse: bad element count', basic.start);
    const tbsNode = b[0]!.expect(Tag.SEQUENCE, 'ResponseData');
    this.tbs = tbsNode.raw;
    const algId: AlgorithmIdentifier = parseAlgorithmIdentifier(b[1]!);
    let sigAlg: SignatureAlgorithm | null = null;
    try {
      sigAlg = resolveSignatureAlgorithm(algId);
    } catch {
      sigAlg = null;
    }
    this.sigAlg = sigAlg;
    const sig = decodeBitString(b[2]!);
    if (sig.unusedBits !== 0) throw new Asn1Error('OCSP signature with unused bits', b[2]!.start);
    this.signature = sig.bytes;
    const certs: Certificate[] = [];
    if (b[3]) {
      for (const c of b[3].expectContext(0, 'certs').explicitInner('certs').expect(Tag.SEQUENCE, 'certs').children()) {
        try {
          certs.push(Certificate.fromDer(c.raw));
        } catch {
          // A broken embedded certificate only removes a delegation candidate.
        }
      }
    }
    this.certificates = certs;

    const f = tbsNode.children();
    let i = 0;
    if (f[i]?.isContext(0)) {
      if (decodeSmallInt(f[i]!.explicitInner('version')) !== 0) throw new Asn1Error('unknown OCSP ResponseData version', f[i]!.start);
      i++;
    }
    const rid = f[i++];
    if (!rid) throw new Asn1Error('ResponseData: missing responderID', tbsNode.start);
    if (rid.isContext(1)) this.responderId = { byName: Name.fromNode(rid.explicitInner('byName')) };
    else if (rid.isContext(2)) this.responderId = { byKeyHash: decodeOctetString(rid.explicitInner('byKey')) };
    else throw new Asn1Error('ResponseData: bad responderID', rid.start);
    const produced = f[i++];
    if (!produced) throw new Asn1Error('ResponseData: missing producedAt', tbsNode.start);
    this.producedAt = decodeTime(produced);
    const list = f[i++];
    if (!list) throw new Asn1Error('ResponseData: missing responses', tbsNode.start);
    this.responses = list.expect(Tag.SEQUENCE, 'responses').children().map(parseSingleResponse);
  }

  /**
   * The response is authentic for certificates issued by `ca`: signed by the CA's own key, or by a responder
   * certificate (carried in the response or in `pool`) that the CA signed and that carries id-kp-OCSPSigning and is
   * within its validity when the response was produced. Returns the signing certificate, or null.
   */
  verifiedSigner(ca: Certificate, pool: readonly Certificate[] = []): Certificate | null {
    if (!this.sigAlg) return null;
    if (this.signedWith(ca)) return ca;
    for (const r of [...this.certificates, ...pool]) {
      if (r.sameKeyAs(ca)) continue;
      if (!r.extKeyUsage?.includes(OID.kpOcspSigning)) continue;
      if (!r.isValidAt(this.producedAt)) continue;
      if (!r.isSignedBy(ca)) continue;
      if (this.signedWith(r)) return r;
    }
    return null;
  }

  private signedWith(cert: Certificate): boolean {
    try {
      return verifySignature(this.sigAlg!, cert.publicKey(), this.tbs, this.signature);
    } catch {
      return false;
    }
  }

  /** Single responses about `cert` issued by `issuer` (serial and issuer key hash; name hash checked when computable). */
  responsesFor(cert: Certificate, issuer: Certificate): SingleResponse[] {
    const serial = normalizeSerialHex(cert.serialNumberHex);
    return this.responses.filter((r) => {
      if (r.certId.serial !== serial) return false;
      const h = r.certId.hashAlgorithm?.node;
      if (!h) return false;
      const keyHash = hashBytes(h, issuer.publicKeyBits);
      if (!keyHash.equals(r.certId.issuerKeyHash)) return false;
      return hashBytes(h, issuer.subject.der).equals(r.certId.issuerNameHash);
    });
  }
}

function parseSingleResponse(node: Asn1): SingleResponse {
  node.expect(Tag.SEQUENCE, 'SingleResponse');
  const c = node.children();
  const idNode = c[0]?.expect(Tag.SEQUENCE, 'CertID');
  if (!idNode || !c[1] || !c[2]) throw new Asn1Error('SingleResponse: missing fields', node.start);
  const alg = parseAlgorithmIdentifier(idNode.child(0));
  const certId: CertId = {
    hashAlgorithm: digestByOid(alg.oid),
    hashAlgorithmOid: alg.oid,
    issuerNameHash: decodeOctetString(idNode.child(1)),
    issuerKeyHash: decodeOctetString(idNode.child(2)),
    serial: normalizeSerialHex(decodeIntegerHex(idNode.child(3))),
  };
  const s = c[1];
  let certStatus: CertStatus;
  if (s.isContext(0)) certStatus = { status: 'good' };
  else if (s.isContext(2)) certStatus = { status: 'unknown' };
  else if (s.isContext(1)) {
    // RevokedInfo, IMPLICIT: the [1] element holds revocationTime and an optional [0] EXPLICIT CRLReason.
    if (!s.constructed) throw new Asn1Error('RevokedInfo must be constructed', s.start);
    const revocationTime = decodeTime(s.child(0));
    const r = s.children()[1];
    const reason = r ? crlReasonName(decodeSmallInt(r.expectContext(0, 'revocationReason').explicitInner('reason'), Tag.ENUMERATED)) : null;
    certStatus = { status: 'revoked', revocationTime, reason };
  } else throw new Asn1Error('SingleResponse: bad certStatus', s.start);
  const thisUpdate = decodeTime(c[2]);
  let nextUpdate: Date | null = null;
  for (const extra of c.slice(3)) {
    if (extra.isContext(0)) nextUpdate = decodeTime(extra.explicitInner('nextUpdate'));
  }
  return { certId, certStatus, thisUpdate, nextUpdate };
}

