/** The fields of fields.ts as kiemky's own decoders read them. Any throw is a rejection. */
import { type Asn1, decodeOctetString, parseDer } from '../../worker/asn1/der';
import { contentTypeAttr, messageDigestAttr, signingTimeAttr } from '../../worker/cms/attributes';
import { parseSignedDataContentInfo, type SignedData } from '../../worker/cms/signed-data';
import { parseTimestampToken } from '../../worker/cms/timestamp';
import { Certificate, KEY_USAGE_BITS } from '../../worker/pki/certificate';
import { CertificateList, CRL_REASONS } from '../../worker/pki/crl';
import type { Name } from '../../worker/pki/name';
import { OcspResponse } from '../../worker/pki/ocsp';
import type { BlobKind } from './blobs';
import { type CertFields, type CmsFields, type CrlFields, type NameFields, type OcspFields, type Outcome, type TstFields, hex, iso, magnitude, sha } from './fields';

const nameFields = (n: Name): NameFields => n.attributes.map((a) => [a.oid, a.value]);

export function kiemkyCert(der: Buffer): CertFields {
  const c = Certificate.fromDer(der);
  return {
    version: c.version,
    serial: c.serialNumberHex,
    issuer: nameFields(c.issuer),
    subject: nameFields(c.subject),
    notBefore: iso(c.notBefore),
    notAfter: iso(c.notAfter),
    spki: sha(c.spki),
    publicKeyBits: sha(c.publicKeyBits),
    keyAlgorithm: c.keyAlgorithm,
    keyBits: c.keyBits,
    curve: c.curve ?? null,
    signatureAlgorithm: c.signatureAlgorithm.oid,
    signature: sha(c.signatureValue),
    tbs: sha(c.tbs),
    basicConstraints: c.basicConstraints ? { ca: c.basicConstraints.ca, pathLen: c.basicConstraints.pathLen } : null,
    keyUsage: c.keyUsage ? KEY_USAGE_BITS.map((b, i) => (c.keyUsage!.has(b) ? i : -1)).filter((i) => i >= 0) : null,
    extKeyUsage: c.extKeyUsage ? [...c.extKeyUsage] : null,
    subjectKeyId: c.subjectKeyId,
    authorityKeyId: c.authorityKeyId,
    emails: [...c.emails].sort(),
    crlDistributionPoints: [...c.crlDistributionPoints],
    ocspUrls: [...c.ocspUrls],
  };
}

export function kiemkyCrl(der: Buffer): CrlFields {
  const l = CertificateList.fromDer(der);
  return {
    issuer: nameFields(l.issuer),
    thisUpdate: iso(l.thisUpdate),
    nextUpdate: iso(l.nextUpdate),
    crlNumber: l.crlNumber,
    isDelta: l.isDelta,
    signatureAlgorithm: l.signatureAlgorithmOid,
    revoked: [...l.entries()]
      .map(([serial, e]): [string, string | null, number | null] => [magnitude(serial), iso(e.revocationDate), e.reason === null ? null : CRL_REASONS.indexOf(e.reason)])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
}

export function kiemkyOcsp(der: Buffer): OcspFields {
  const o = OcspResponse.fromDer(der);
  return {
    responder: 'byName' in o.responderId ? nameFields(o.responderId.byName) : hex(o.responderId.byKeyHash),
    producedAt: iso(o.producedAt),
    responses: o.responses.map((r) => ({
      hashAlgorithm: r.certId.hashAlgorithmOid,
      nameHash: hex(r.certId.issuerNameHash),
      keyHash: hex(r.certId.issuerKeyHash),
      serial: magnitude(r.certId.serial),
      status: r.certStatus.status,
      revokedAt: r.certStatus.status === 'revoked' ? iso(r.certStatus.revocationTime) : null,
      reason: r.certStatus.status === 'revoked' && r.certStatus.reason !== null ? CRL_REASONS.indexOf(r.certStatus.reason) : null,
      thisUpdate: iso(r.thisUpdate),
      nextUpdate: iso(r.nextUpdate),
    })),
    certificates: o.certificates.map((c) => sha(c.der)),
  };
}

function cmsFields(sd: SignedData): CmsFields {
  return {
    version: sd.version,
    digestAlgorithms: sd.digestAlgorithms.map((a) => a.oid),
    eContentType: sd.eContentType,
    eContent: sd.eContent ? sha(sd.eContent) : null,
    certificates: sd.certificates.map((c) => sha(c.der)),
    crls: sd.crls.map((c) => sha(c)),
    signers: sd.signerInfos.map((si) => ({
      sid: si.sid.kind === 'issuerAndSerial' ? { issuer: nameFields(si.sid.issuer), serial: magnitude(si.sid.serialHex) } : { ski: si.sid.ski },
      digestAlgorithm: si.digestAlgorithm.oid,
      signatureAlgorithm: si.signatureAlgorithm.oid,
      signature: sha(si.signature),
      signedAttrs: si.signedAttrs ? si.signedAttrs.map((a): [string, string[]] => [a.oid, a.values.map((v) => sha(v.raw))]) : null,
      signedAttrsDer: si.signedAttrsForSignature ? sha(si.signedAttrsForSignature) : null,
      contentType: attr(() => contentTypeAttr(si.signedAttrs)),
      messageDigest: attr(() => {
        const d = messageDigestAttr(si.signedAttrs);
        return d ? hex(d) : null;
      }),
      signingTime: attr(() => iso(signingTimeAttr(si.signedAttrs))),
      unsignedAttrs: si.unsignedAttrs ? si.unsignedAttrs.map((a) => a.oid) : null,
    })),
  };
}

/** A signed attribute kiemky cannot read is recorded as such (the CMS layer turns it into a problem, not a throw). */
function attr(read: () => string | null): string | null {
  try {
    return read();
  } catch {
    return 'unreadable';
  }
}

export function kiemkyCms(der: Buffer): CmsFields {
  return cmsFields(parseSignedDataContentInfo(der));
}

export function kiemkyTimestamp(der: Buffer): { cms: CmsFields; tst: TstFields } {
  const t = parseTimestampToken(der);
  const i = t.tstInfo;
  return {
    cms: cmsFields(t.signedData),
    tst: {
      version: i.version,
      policy: i.policy,
      imprintAlgorithm: i.messageImprint.hashAlgorithmOid,
      imprint: hex(i.messageImprint.hashedMessage),
      serial: magnitude(i.serialHex),
      genTime: iso(i.genTime),
      accuracyMs: i.accuracyMs,
      ordering: i.ordering,
      nonce: i.nonceHex === null ? null : magnitude(i.nonceHex),
    },
  };
}

const READERS: Record<BlobKind, (der: Buffer) => unknown> = {
  certificate: kiemkyCert,
  crl: kiemkyCrl,
  ocsp: kiemkyOcsp,
  cms: kiemkyCms,
  timestamp: kiemkyTimestamp,
};

/**
 * kiemky skips a certificate it cannot read in a SignedData or an OCSP response: said in the notes, since the
 * fields cannot show it.
 */
function notesOf(kind: BlobKind, der: Buffer): string[] {
  if (kind === 'cms' || kind === 'timestamp') {
    const sd = parseSignedDataContentInfo(der, kind === 'cms');
    const notes = sd.certificateErrors.length > 0 ? ['certificate skipped'] : [];
    // Attribute values are read when looked up: one whose insides are no DER is a problem only then.
    if (sd.signerInfos.some((si) => (si.signedAttrs ?? []).some((a) => a.values.some((v) => !wellFormed(v))))) notes.push('attribute value not well-formed');
    return notes;
  }
  if (kind !== 'ocsp') return [];
  // OCSPResponse → responseBytes → BasicOCSPResponse; its certs [0] holds the certificates the response carries.
  const basic = parseDer(decodeOctetString(parseDer(der).child(1).explicitInner('responseBytes').child(1)));
  const certs = basic.children()[3];
  const carried = certs ? certs.explicitInner('certs').children().length : 0;
  return carried > OcspResponse.fromDer(der).certificates.length ? ['certificate skipped'] : [];
}

function wellFormed(v: Asn1): boolean {
  try {
    v.checkWellFormed();
    return true;
  } catch {
    return false;
  }
}

export function readWithKiemky(kind: BlobKind, der: Buffer): Outcome<unknown> {
  try {
    return { ok: true, fields: READERS[kind](der), notes: notesOf(kind, der) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
