/**
 * CMS attributes used by PDF signatures: contentType, messageDigest, signingTime (RFC 5652 11), ESS
 * signingCertificate / signingCertificateV2 (RFC 2634 5.4, RFC 5035), Adobe's revocationInfoArchival and the
 * signature timestamp token (RFC 3161 appendix A).
 */
import { Asn1, Asn1Error, Tag, decodeIntegerHex, decodeOctetString, decodeOid, decodeTime, normalizeSerialHex } from '../asn1/der';
import { OID } from '../asn1/oids';
import { DigestInfo, digestByOid, parseAlgorithmIdentifier } from '../pki/algorithms';
import type { Certificate } from '../pki/certificate';
import { digestBytes } from '../pki/digest-hash';
import { parseGeneralNames } from '../pki/general-name';
import type { Attribute } from './signed-data';

/** Thrown when an attribute that must be single is repeated or has other than one value. */
export class AttributeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AttributeError';
  }
}

/**
 * The only value of attribute `oid`, or null when absent. Several instances or values are refused: the signature
 * would then cover an ambiguity an attacker could exploit (RFC 5652 11.1, 11.2).
 */
export function singleValue(attrs: readonly Attribute[] | null, oid: string): Asn1 | null {
  if (!attrs) return null;
  const found = attrs.filter((a) => a.oid === oid);
  if (found.length === 0) return null;
  if (found.length > 1) throw new AttributeError('CMS_MALFORMED', `attribute ${oid} appears ${found.length} times`);
  const values = found[0]!.values;
  if (values.length !== 1) throw new AttributeError('CMS_MALFORMED', `attribute ${oid} has ${values.length} values`);
  return values[0]!;
}

export function contentTypeAttr(attrs: readonly Attribute[] | null): string | null {
  const v = singleValue(attrs, OID.contentType);
  return v ? decodeOid(v) : null;
}

export function messageDigestAttr(attrs: readonly Attribute[] | null): Buffer | null {
  const v = singleValue(attrs, OID.messageDigest);
  return v ? decodeOctetString(v) : null;
}

export function signingTimeAttr(attrs: readonly Attribute[] | null): Date | null {
  const v = singleValue(attrs, OID.signingTime);
  return v ? decodeTime(v) : null;
}

export interface EssCertId {
  hash: DigestInfo | null;
  hashOid: string;
  certHash: Buffer;
  issuerSerial: { issuers: string[]; serial: string } | null;
}

export interface SigningCertificateRef {
  version: 1 | 2;
  certs: EssCertId[];
}

/** signingCertificateV2 and/or signingCertificate, each parsed (either may be absent). */
export function signingCertificateAttrs(attrs: readonly Attribute[] | null): SigningCertificateRef[] {
  const out: SigningCertificateRef[] = [];
  const v2 = singleValue(attrs, OID.signingCertificateV2);
  if (v2) out.push({ version: 2, certs: parseEssCertIds(v2, 2) });
  const v1 = singleValue(attrs, OID.signingCertificate);
  if (v1) out.push({ version: 1, certs: parseEssCertIds(v1, 1) });
  return out;
}

function parseEssCertIds(value: Asn1, version: 1 | 2): EssCertId[] {
  value.expect(Tag.SEQUENCE, 'SigningCertificate');
  const certs = value.child(0).expect(Tag.SEQUENCE, 'certs').children();
  return certs.map((id) => {
    id.expect(Tag.SEQUENCE, 'ESSCertID');
    const c = id.children();
    let i = 0;
    let hashOid = '1.3.14.3.2.26'; // v1: SHA-1 always
    if (version === 2) {
      hashOid = '2.16.840.1.101.3.4.2.1'; // v2 default: SHA-256
      if (c[i]?.isUniversal(Tag.SEQUENCE)) hashOid = parseAlgorithmIdentifier(c[i++]!).oid;
    }
    const hashNode = c[i++];
    if (!hashNode) throw new Asn1Error('ESSCertID: missing certHash', id.start);
    const certHash = decodeOctetString(hashNode);
    let issuerSerial: EssCertId['issuerSerial'] = null;
    const is = c[i];
    if (is) {
      is.expect(Tag.SEQUENCE, 'IssuerSerial');
      const names = parseGeneralNames(is.child(0))
        .filter((g) => g.kind === 'directory')
        .map((g) => (g.kind === 'directory' ? g.name.matchKey : ''));
      issuerSerial = { issuers: names, serial: normalizeSerialHex(decodeIntegerHex(is.child(1))) };
    }
    return { hash: digestByOid(hashOid), hashOid, certHash, issuerSerial };
  });
}

/** Digests of certificates by algorithm: the same signing certificate is referenced by signature after signature. */
const certDigests = new WeakMap<Certificate, Map<string, Buffer>>();

function certDigest(cert: Certificate, algorithm: string): Buffer {
  let byAlg = certDigests.get(cert);
  if (byAlg === undefined) {
    byAlg = new Map();
    certDigests.set(cert, byAlg);
  }
  let d = byAlg.get(algorithm);
  if (d === undefined) {
    d = digestBytes(algorithm, cert.der);
    byAlg.set(algorithm, d);
  }
  return d;
}

/**
 * Whether the ESS reference designates `cert`: the first ESSCertID identifies the signing certificate (RFC 5035
 * 3): its hash must equal the certificate's, and a present issuerSerial must name its issuer and serial.
 */
export function essRefMatches(ref: SigningCertificateRef, cert: Certificate): boolean {
  const first = ref.certs[0];
  if (!first || !first.hash?.node) return false;
  if (!certDigest(cert, first.hash.node).equals(first.certHash)) return false;
  if (first.issuerSerial) {
    if (first.issuerSerial.serial !== normalizeSerialHex(cert.serialNumberHex)) return false;
    if (first.issuerSerial.issuers.length > 0 && !first.issuerSerial.issuers.includes(cert.issuer.matchKey)) return false;
  }
  return true;
}

/** Adobe RevocationInfoArchival: { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, … }. */
export function revocationInfoArchival(attrs: readonly Attribute[] | null): { crls: Buffer[]; ocsps: Buffer[] } {
  const crls: Buffer[] = [];
  const ocsps: Buffer[] = [];
  for (const a of attrs ?? []) {
    if (a.oid !== OID.adbeRevocationInfoArchival) continue;
    for (const v of a.values) {
      if (!v.isUniversal(Tag.SEQUENCE)) continue;
      for (const field of v.children()) {
        if (!field.isContext(0) && !field.isContext(1)) continue;
        const list = field.explicitInner('revocationInfoArchival');
        if (!list.isUniversal(Tag.SEQUENCE)) continue;
        for (const item of list.children()) (field.isContext(0) ? crls : ocsps).push(Buffer.from(item.raw));
      }
    }
  }
  return { crls, ocsps };
}

/** The signature timestamp tokens (unsigned attribute id-aa-timeStampToken), each a ContentInfo DER. */
export function timestampTokens(attrs: readonly Attribute[] | null): Buffer[] {
  const out: Buffer[] = [];
  for (const a of attrs ?? []) if (a.oid === OID.timeStampToken) for (const v of a.values) out.push(v.raw);
  return out;
}
