/**
 * CMS ContentInfo → SignedData (RFC 5652 5.1–5.3). The outer layers are read with BER allowed, since some PDF
 * signers emit indefinite lengths there; embedded certificates are re-parsed strictly as DER.
 */
import { Asn1, Asn1Error, Tag, decodeIntegerHex, decodeOctetString, decodeOid, decodeSmallInt, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { AlgorithmIdentifier, parseAlgorithmIdentifier } from '../pki/algorithms';
import { Certificate } from '../pki/certificate';
import { Name } from '../pki/name';

export interface Attribute {
  oid: string;
  values: Asn1[];
  /** The whole Attribute encoding. */
  der: Buffer;
}

export type SignerIdentifier = { kind: 'issuerAndSerial'; issuer: Name; serialHex: string } | { kind: 'subjectKeyIdentifier'; ski: string };

export interface SignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: AlgorithmIdentifier;
  signedAttrs: Attribute[] | null;
  /**
   * The signed attributes re-tagged as a SET (0x31): the bytes the signature covers (RFC 5652 5.4). A copy, so the
   * original CMS buffer is never modified.
   */
  signedAttrsForSignature: Buffer | null;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Buffer;
  unsignedAttrs: Attribute[] | null;
}

export interface SignedData {
  version: number;
  digestAlgorithms: AlgorithmIdentifier[];
  eContentType: string;
  /** eContent octets (segments of a constructed OCTET STRING concatenated), or null when detached. */
  eContent: Buffer | null;
  certificates: Certificate[];
  /** Why some certificate choices were skipped (attribute certificates are skipped silently). */
  certificateErrors: string[];
  crls: Buffer[];
  /** OCSP responses carried as RevocationInfoChoice other / id-ri-ocsp-response. */
  ocsps: Buffer[];
  signerInfos: SignerInfo[];
  /** Length of the ContentInfo encoding (the rest of /Contents is padding). */
  encodedLength: number;
}

/** Parse a ContentInfo holding SignedData. `allowTrailing`: bytes after the ContentInfo are ignored (PDF padding). */
export function parseSignedDataContentInfo(buf: Buffer, allowTrailing = true): SignedData {
  const ci = parseDer(buf, { ber: true, allowTrailing }).expect(Tag.SEQUENCE, 'ContentInfo');
  const c = ci.children();
  if (c.length !== 2) throw new Asn1Error('ContentInfo must have 2 elements', ci.start);
  const type = decodeOid(c[0]!);
  if (type !== OID.signedData) throw new Asn1Error(`ContentInfo type ${type} is not signedData`, ci.start);
  const sd = parseSignedData(c[1]!.expectContext(0, 'ContentInfo.content').explicitInner('content'));
  sd.encodedLength = ci.end;
  return sd;
}

function parseSignedData(node: Asn1): SignedData {
  node.expect(Tag.SEQUENCE, 'SignedData');
  const f = node.children();
  let i = 0;
  const need = (what: string): Asn1 => {
    const n = f[i++];
    if (!n) throw new Asn1Error(`SignedData: missing ${what}`, node.start);
    return n;
  };
  const version = decodeSmallInt(need('version'));
  const digestAlgorithms = need('digestAlgorithms')
    .expect(Tag.SET, 'digestAlgorithms')
    .children()
    .map((n) => parseAlgorithmIdentifier(n, 'digestAlgorithm'));
  const eci = need('encapContentInfo').expect(Tag.SEQUENCE, 'EncapsulatedContentInfo');
  const eciC = eci.children();
  if (eciC.length < 1 || eciC.length > 2) throw new Asn1Error('EncapsulatedContentInfo: bad element count', eci.start);
  const eContentType = decodeOid(eciC[0]!);
  const eContent = eciC[1] ? decodeOctetString(eciC[1].expectContext(0, 'eContent').explicitInner('eContent')) : null;

  const certificates: Certificate[] = [];
  const certificateErrors: string[] = [];
  const crls: Buffer[] = [];
  const ocsps: Buffer[] = [];
  if (f[i]?.isContext(0)) {
    const set = f[i++]!;
    if (!set.constructed) throw new Asn1Error('certificates must be constructed', set.start);
    for (const choice of set.children()) {
      // Only plain certificates; [0]–[3] are extended/attribute/other certificate formats, irrelevant to signing.
      if (!choice.isUniversal(Tag.SEQUENCE)) continue;
      try {
        certificates.push(Certificate.fromDer(choice.raw));
      } catch (e) {
        certificateErrors.push(e instanceof Error ? e.message : String(e));
      }
    }
  }
  if (f[i]?.isContext(1)) {
    const set = f[i++]!;
    if (!set.constructed) throw new Asn1Error('crls must be constructed', set.start);
    for (const choice of set.children()) {
      if (choice.isUniversal(Tag.SEQUENCE)) crls.push(Buffer.from(choice.raw));
      else if (choice.isContext(1) && choice.constructed) {
        // OtherRevocationInfoFormat, implicitly tagged: { otherRevInfoFormat OID, otherRevInfo ANY }.
        const oc = choice.children();
        if (oc.length === 2 && decodeOid(oc[0]!) === OID.riOcspResponse) ocsps.push(Buffer.from(oc[1]!.raw));
      }
    }
  }
  const infos = need('signerInfos').expect(Tag.SET, 'signerInfos');
  if (i !== f.length) throw new Asn1Error('SignedData: unexpected trailing elements', node.start);
  const signerInfos = infos.children().map(parseSignerInfo);
  return { version, digestAlgorithms, eContentType, eContent, certificates, certificateErrors, crls, ocsps, signerInfos, encodedLength: 0 };
}

function parseSignerInfo(node: Asn1): SignerInfo {
  node.expect(Tag.SEQUENCE, 'SignerInfo');
  const f = node.children();
  let i = 0;
  const need = (what: string): Asn1 => {
    const n = f[i++];
    if (!n) throw new Asn1Error(`SignerInfo: missing ${what}`, node.start);
    return n;
  };
  const version = decodeSmallInt(need('version'));
  const sidNode = need('sid');
  let sid: SignerIdentifier;
  if (sidNode.isUniversal(Tag.SEQUENCE)) {
    const s = sidNode.children();
    if (s.length !== 2) throw new Asn1Error('IssuerAndSerialNumber must have 2 elements', sidNode.start);
    sid = { kind: 'issuerAndSerial', issuer: Name.fromNode(s[0]!), serialHex: decodeIntegerHex(s[1]!) };
  } else if (sidNode.isContext(0)) {
    sid = { kind: 'subjectKeyIdentifier', ski: decodeOctetString(sidNode, false).toString('hex') };
  } else throw new Asn1Error('SignerInfo: bad sid', sidNode.start);
  const digestAlgorithm = parseAlgorithmIdentifier(need('digestAlgorithm'));
  let signedAttrs: Attribute[] | null = null;
  let signedAttrsForSignature: Buffer | null = null;
  if (f[i]?.isContext(0)) {
    const n = f[i++]!;
    if (!n.constructed) throw new Asn1Error('signedAttrs must be constructed', n.start);
    signedAttrs = parseAttributes(n);
    const copy = Buffer.from(n.raw);
    copy[0] = 0x31; // [0] IMPLICIT → universal SET, constructed
    signedAttrsForSignature = copy;
  }
  const signatureAlgorithm = parseAlgorithmIdentifier(need('signatureAlgorithm'));
  const signature = decodeOctetString(need('signature'));
  let unsignedAttrs: Attribute[] | null = null;
  if (f[i]?.isContext(1)) {
    const n = f[i++]!;
    if (!n.constructed) throw new Asn1Error('unsignedAttrs must be constructed', n.start);
    unsignedAttrs = parseAttributes(n);
  }
  if (i !== f.length) throw new Asn1Error('SignerInfo: unexpected trailing elements', node.start);
  return { version, sid, digestAlgorithm, signedAttrs, signedAttrsForSignature, signatureAlgorithm, signature, unsignedAttrs };
}

function parseAttributes(set: Asn1): Attribute[] {
  return set.children().map((a) => {
    a.expect(Tag.SEQUENCE, 'Attribute');
    const c = a.children();
    if (c.length !== 2) throw new Asn1Error('Attribute must have 2 elements', a.start);
    const values = c[1]!.expect(Tag.SET, 'attrValues').children();
    return { oid: decodeOid(c[0]!), values, der: a.raw };
  });
}
