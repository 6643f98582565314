/**
 * The fields of fields.ts as pkijs (and asn1js under it) read them: the independent reading. pkijs keeps a broken
 * extension as `parsingError` instead of throwing, and tolerates BER everywhere; both are turned into a rejection
 * only where kiemky's contract says so (see differences.ts).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { BlobKind } from './blobs';
import { type CertFields, type CmsFields, type CrlFields, type NameFields, type OcspFields, type Outcome, type Refusal, type SignerFields, type TstFields, KEY_ALGORITHMS, hex, iso, magnitude, sha } from './fields';

const CURVES: Record<string, [string, number]> = {
  '1.2.840.10045.3.1.7': ['P-256', 256],
  '1.3.132.0.34': ['P-384', 384],
  '1.3.132.0.35': ['P-521', 521],
  '1.3.132.0.10': ['secp256k1', 256],
  '1.3.36.3.3.2.8.1.1.7': ['brainpoolP256r1', 256],
  '1.3.36.3.3.2.8.1.1.11': ['brainpoolP384r1', 384],
  '1.3.36.3.3.2.8.1.1.13': ['brainpoolP512r1', 512],
};

/**
 * asn1js refuses more than 10,000 nodes by default (a resource cap, not a reading of DER): a CRL listing thousands
 * of serials passes it, so the comparison lifts the cap; kiemky's own bounds are its depth cap and the time budget.
 */
function fromBer(der: Uint8Array, part: string): asn1js.AsnType {
  const r = decode('asn1js', part, () => asn1js.fromBER(der, { maxNodes: 10_000_000 }));
  if (r.offset === -1) throw new Refused('asn1js', part, `asn1js: ${r.result.error}`);
  return r.result;
}

/**
 * A refusal and where it happened (fields.ts Refusal), so that differences.ts decides on the part and on who refused,
 * not on the wording of pkijs's and asn1js's messages (which is theirs to change).
 */
class Refused extends Error {
  constructor(
    readonly by: Refusal['by'],
    readonly part: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs one asn1js or pkijs step of the reading of `part`: what it throws is a refusal by that library, except a
 * TypeError, RangeError or ReferenceError, which is a crash (of pkijs or of this view) and is passed on as it is, so no
 * difference entry can explain it.
 */
function decode<T>(by: 'asn1js' | 'pkijs', part: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof Refused || e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || !(e instanceof Error)) throw e;
    throw new Refused(by, part, e.message);
  }
}

function bytesOf(block: { valueBlock: { valueHexView: Uint8Array } }): Uint8Array {
  return block.valueBlock.valueHexView;
}

function encoded(v: asn1js.AsnType): Uint8Array {
  const raw = (v as unknown as { valueBeforeDecodeView?: Uint8Array }).valueBeforeDecodeView;
  return raw && raw.length > 0 ? raw : new Uint8Array(v.toBER());
}

function intHex(i: asn1js.Integer): string {
  return hex(i.valueBlock.valueHexView);
}

function stringValue(v: asn1js.AsnType): string | null {
  const block = (v as unknown as { valueBlock?: { value?: unknown } }).valueBlock;
  const cls = (v as unknown as { idBlock: { tagClass: number; tagNumber: number } }).idBlock;
  // The string types kiemky decodes: UTF8, Numeric, Printable, T61, IA5, Visible, General, Universal, BMP.
  if (cls.tagClass === 1 && [12, 18, 19, 20, 22, 26, 27, 28, 30].includes(cls.tagNumber) && typeof block?.value === 'string') return block.value;
  return null;
}

function nameFields(n: pkijs.RelativeDistinguishedNames): NameFields {
  return n.typesAndValues.map((tv) => [tv.type, stringValue(tv.value) ?? `#${hex(encoded(tv.value))}`]);
}

function timeOf(t: pkijs.Time | undefined): string | null {
  return t ? iso(t.value) : null;
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

function parsed<T>(e: pkijs.Extension, type: new (...a: never[]) => T): T {
  // pkijs decodes extnValue lazily, in the parsedValue getter, with asn1js (which throws on a GeneralizedTime whose
  // text is no time instead of returning its error result): a step of its own, named after the extension.
  const v = decode('asn1js', `extension ${e.extnID}`, () => e.parsedValue) as unknown;
  if (!(v instanceof type) || (v as { parsingError?: string }).parsingError) throw new Refused('view', `extension ${e.extnID}`, `pkijs: extension ${e.extnID} malformed`);
  return v;
}

/**
 * The SubjectPublicKeyInfo as encoded, from asn1js's tree (pkijs re-encodes what it parsed: a zero-length BIT STRING
 * in the parameters comes out as 03 01 00): tbsCertificate's seventh field, or sixth without the version [0].
 */
function rawSpki(tree: asn1js.AsnType): Uint8Array {
  const tbs = (tree as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const fields = tbs.valueBlock.value;
  const versioned = fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0;
  return encoded(fields[versioned ? 6 : 5]!);
}

function generalNameStrings(names: pkijs.GeneralName[], type: number): string[] {
  return names.filter((g) => g.type === type).map((g) => String(g.value));
}

export function pkijsCert(der: Buffer): CertFields {
  const tree = fromBer(der, 'Certificate');
  const c = decode('pkijs', 'Certificate', () => new pkijs.Certificate({ schema: tree }));
  const spki = c.subjectPublicKeyInfo;
  const algOid = spki.algorithm.algorithmId;
  const keyAlgorithm = KEY_ALGORITHMS[algOid] ?? 'unknown';
  const keyBytes = spki.subjectPublicKey.valueBlock.valueHexView;
  let keyBits = 0;
  let curve: string | null = null;
  if (keyAlgorithm === 'RSA' || keyAlgorithm === 'RSA-PSS') {
    const rsa = decode('pkijs', 'RSAPublicKey', () => new pkijs.RSAPublicKey({ schema: fromBer(keyBytes, 'RSAPublicKey') }));
    keyBits = bitLength(rsa.modulus.valueBlock.valueHexView);
  } else if (keyAlgorithm === 'EC') {
    const p = spki.algorithm.algorithmParams as asn1js.AsnType | undefined;
    const oid = p instanceof asn1js.ObjectIdentifier ? p.valueBlock.toString() : null;
    const known = oid ? CURVES[oid] : undefined;
    curve = known?.[0] ?? oid;
    keyBits = known?.[1] ?? 0;
  } else if (keyAlgorithm === 'Ed25519') keyBits = 256;
  else if (keyAlgorithm === 'Ed448') keyBits = 456;
  else if (keyAlgorithm === 'DSA') {
    const p = spki.algorithm.algorithmParams as asn1js.AsnType | undefined;
    const first = p instanceof asn1js.Sequence ? p.valueBlock.value[0] : undefined;
    keyBits = first instanceof asn1js.Integer ? bitLength(first.valueBlock.valueHexView) : 0;
  }
  const f: CertFields = {
    version: c.version + 1,
    serial: intHex(c.serialNumber),
    issuer: nameFields(c.issuer),
    subject: nameFields(c.subject),
    notBefore: timeOf(c.notBefore),
    notAfter: timeOf(c.notAfter),
    spki: sha(rawSpki(tree)),
    publicKeyBits: sha(keyBytes),
    keyAlgorithm,
    keyBits,
    curve,
    signatureAlgorithm: c.signatureAlgorithm.algorithmId,
    signature: sha(c.signatureValue.valueBlock.valueHexView),
    tbs: sha(c.tbsView),
    basicConstraints: null,
    keyUsage: null,
    extKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    emails: [],
    crlDistributionPoints: [],
    ocspUrls: [],
  };
  const emails = new Set<string>();
  for (const e of c.extensions ?? []) {
    switch (e.extnID) {
      case '2.5.29.19': {
        const b = parsed(e, pkijs.BasicConstraints);
        const pl = b.pathLenConstraint;
        f.basicConstraints = { ca: b.cA, pathLen: pl === undefined ? null : typeof pl === 'number' ? pl : pl.valueBlock.valueDec };
        break;
      }
      case '2.5.29.15': {
        const bits = parsed(e, asn1js.BitString);
        const bytes = bits.valueBlock.valueHexView;
        const unused = bits.valueBlock.unusedBits;
        const on: number[] = [];
        for (let i = 0; i < 9; i++) if (i < bytes.length * 8 - unused && ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0) on.push(i);
        f.keyUsage = on;
        break;
      }
      case '2.5.29.37':
        f.extKeyUsage = [...parsed(e, pkijs.ExtKeyUsage).keyPurposes];
        break;
      case '2.5.29.14':
        f.subjectKeyId = hex(bytesOf(parsed(e, asn1js.OctetString)));
        break;
      case '2.5.29.35': {
        const kid = parsed(e, pkijs.AuthorityKeyIdentifier).keyIdentifier;
        f.authorityKeyId = kid ? hex(bytesOf(kid)) : null;
        break;
      }
      case '2.5.29.17':
        for (const m of generalNameStrings(parsed(e, pkijs.AltName).altNames, 1)) emails.add(m.toLowerCase());
        break;
      case '2.5.29.31':
        for (const dp of parsed(e, pkijs.CRLDistributionPoints).distributionPoints) {
          if (Array.isArray(dp.distributionPoint)) f.crlDistributionPoints.push(...generalNameStrings(dp.distributionPoint, 6));
        }
        break;
      case '1.3.6.1.5.5.7.1.1':
        for (const ad of parsed(e, pkijs.InfoAccess).accessDescriptions) {
          if (ad.accessMethod === '1.3.6.1.5.5.7.48.1' && ad.accessLocation.type === 6) f.ocspUrls.push(String(ad.accessLocation.value));
        }
        break;
      default:
        break;
    }
  }
  for (const [oid, v] of f.subject) if (oid === '1.2.840.113549.1.9.1') emails.add(v.toLowerCase());
  f.emails = [...emails].sort();
  return f;
}

function reasonOf(exts: pkijs.Extension[] | undefined): number | null {
  for (const e of exts ?? []) {
    if (e.extnID !== '2.5.29.21') continue;
    const v = fromBer(e.extnValue.valueBlock.valueHexView, 'CRLReason');
    if (!(v instanceof asn1js.Enumerated)) throw new Refused('view', 'CRLReason', 'pkijs: CRLReason is not ENUMERATED');
    return v.valueBlock.valueDec;
  }
  return null;
}

export function pkijsCrl(der: Buffer): CrlFields {
  const l = decode('pkijs', 'CertificateList', () => new pkijs.CertificateRevocationList({ schema: fromBer(der, 'CertificateList') }));
  let crlNumber: string | null = null;
  let isDelta = false;
  for (const e of l.crlExtensions?.extensions ?? []) {
    if (e.extnID === '2.5.29.20') crlNumber = intHex(fromBer(e.extnValue.valueBlock.valueHexView, 'CRLNumber') as asn1js.Integer);
    if (e.extnID === '2.5.29.27') isDelta = true;
  }
  const revoked = new Map<string, [string | null, number | null, number]>();
  for (const r of l.revokedCertificates ?? []) {
    const code = reasonOf(r.crlEntryExtensions?.extensions);
    if (code === 8) continue; // removeFromCRL: not a revocation
    const serial = magnitude(intHex(r.userCertificate));
    const when = r.revocationDate.value;
    const prev = revoked.get(serial);
    if (!prev || prev[2] > when.getTime()) revoked.set(serial, [iso(when), code === null ? null : code <= 10 ? code : -1, when.getTime()]);
  }
  return {
    issuer: nameFields(l.issuer),
    thisUpdate: timeOf(l.thisUpdate),
    nextUpdate: timeOf(l.nextUpdate),
    crlNumber,
    isDelta,
    signatureAlgorithm: l.signatureAlgorithm.algorithmId,
    revoked: [...revoked].map(([s, [d, r]]): [string, string | null, number | null] => [s, d, r]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
}

export function pkijsOcsp(der: Buffer): OcspFields {
  const o = decode('pkijs', 'OCSPResponse', () => new pkijs.OCSPResponse({ schema: fromBer(der, 'OCSPResponse') }));
  if (o.responseStatus.valueBlock.valueDec !== 0) throw new Refused('view', 'OCSPResponse', 'pkijs: OCSP response not successful');
  if (!o.responseBytes || o.responseBytes.responseType !== '1.3.6.1.5.5.7.48.1.1') throw new Refused('view', 'OCSPResponse', 'pkijs: not a basic OCSP response');
  const basicTree = fromBer(o.responseBytes.response.valueBlock.valueHexView, 'BasicOCSPResponse');
  const b = decode('pkijs', 'BasicOCSPResponse', () => new pkijs.BasicOCSPResponse({ schema: basicTree }));
  const t = b.tbsResponseData;
  const rid = t.responderID;
  return {
    responder: rid instanceof pkijs.RelativeDistinguishedNames ? nameFields(rid) : hex(bytesOf(rid as asn1js.OctetString)),
    producedAt: iso(t.producedAt),
    responses: t.responses.map((r) => {
      const s = r.certStatus as asn1js.AsnType & { idBlock: { tagClass: number; tagNumber: number } };
      const tag = s.idBlock.tagClass === 3 ? s.idBlock.tagNumber : -1;
      let revokedAt: string | null = null;
      let reason: number | null = null;
      if (tag === 1) {
        const inner = (s as unknown as asn1js.Constructed).valueBlock.value;
        const time = inner[0];
        if (!(time instanceof asn1js.GeneralizedTime)) throw new Refused('view', 'SingleResponse', 'pkijs: revocationTime is not GeneralizedTime');
        revokedAt = iso(time.toDate());
        const rr = inner[1] as asn1js.Constructed | undefined;
        if (rr) {
          const en = rr.valueBlock.value[0];
          if (!(en instanceof asn1js.Enumerated)) throw new Refused('view', 'SingleResponse', 'pkijs: revocationReason is not ENUMERATED');
          reason = en.valueBlock.valueDec <= 10 ? en.valueBlock.valueDec : -1;
        }
      } else if (tag !== 0 && tag !== 2) throw new Refused('view', 'SingleResponse', 'pkijs: bad certStatus');
      return {
        hashAlgorithm: r.certID.hashAlgorithm.algorithmId,
        nameHash: hex(bytesOf(r.certID.issuerNameHash)),
        keyHash: hex(bytesOf(r.certID.issuerKeyHash)),
        serial: magnitude(intHex(r.certID.serialNumber)),
        status: tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown',
        revokedAt,
        reason,
        thisUpdate: iso(r.thisUpdate),
        nextUpdate: iso(r.nextUpdate ?? null),
      };
    }),
    certificates: b.certs ? rawCertificates(basicTree, 3).map(sha) : [],
  };
}

function attributeValue(attrs: pkijs.Attribute[] | undefined, oid: string): asn1js.AsnType | null {
  const a = attrs?.find((x) => x.type === oid);
  return a ? (a.values[0] ?? null) : null;
}

function signerFields(si: pkijs.SignerInfo): SignerFields {
  const signed = si.signedAttrs?.attributes;
  const ct = attributeValue(signed, '1.2.840.113549.1.9.3');
  const md = attributeValue(signed, '1.2.840.113549.1.9.4');
  const st = attributeValue(signed, '1.2.840.113549.1.9.5');
  const sid = si.sid;
  return {
    sid: sid instanceof pkijs.IssuerAndSerialNumber ? { issuer: nameFields(sid.issuer), serial: magnitude(intHex(sid.serialNumber)) } : { ski: hex(skiBytes(sid as asn1js.AsnType)) },
    digestAlgorithm: si.digestAlgorithm.algorithmId,
    signatureAlgorithm: si.signatureAlgorithm.algorithmId,
    signature: sha(bytesOf(si.signature)),
    signedAttrs: signed ? signed.map((a): [string, string[]] => [a.type, a.values.map((v) => sha(encoded(v)))]) : null,
    signedAttrsDer: si.signedAttrs ? sha(setTagged(si.signedAttrs.encodedValue)) : null,
    contentType: ct ? (ct instanceof asn1js.ObjectIdentifier ? ct.valueBlock.toString() : 'unreadable') : null,
    messageDigest: md ? (md instanceof asn1js.OctetString ? hex(bytesOf(md)) : 'unreadable') : null,
    signingTime: st ? (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime ? iso(st.toDate()) : 'unreadable') : null,
    unsignedAttrs: si.unsignedAttrs ? si.unsignedAttrs.attributes.map((a) => a.type) : null,
  };
}

/** subjectKeyIdentifier [0]: pkijs keeps the tagged element as it came, primitive (IMPLICIT) or, from old encoders, wrapping an OCTET STRING. */
function skiBytes(sid: asn1js.AsnType): Uint8Array {
  if (sid instanceof asn1js.Constructed) {
    const inner = sid.valueBlock.value[0];
    if (!(inner instanceof asn1js.OctetString)) throw new Refused('view', 'SignerInfo', 'pkijs: bad subjectKeyIdentifier');
    return inner.valueBlock.valueHexView;
  }
  return (sid as asn1js.Primitive).valueBlock.valueHexView;
}

/**
 * asn1js writes an OID arc above 2^53 as '{hex}' of its 7-bit groups (one per octet); the same number in decimal,
 * as kiemky writes it (UUID arcs under 2.25 are that large).
 */
function oidText(oid: string): string {
  return oid.replace(/\{([0-9a-f]+)\}/gi, (_, h: string) => {
    let v = 0n;
    for (let i = 0; i < h.length; i += 2) v = v * 128n + BigInt(parseInt(h.slice(i, i + 2), 16));
    return v.toString();
  });
}

/** The signed attributes as the signature covers them: their [0] IMPLICIT encoding re-tagged as SET (RFC 5652 5.4). */
function setTagged(encoded: ArrayBuffer): Uint8Array {
  const b = new Uint8Array(encoded.slice(0));
  if (b.length > 0) b[0] = 0x31;
  return b;
}

function signedDataOf(der: Uint8Array): { sd: pkijs.SignedData; tree: asn1js.AsnType } {
  const ci = decode('pkijs', 'ContentInfo', () => new pkijs.ContentInfo({ schema: fromBer(der, 'ContentInfo') }));
  if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Refused('view', 'ContentInfo', `pkijs: ContentInfo type ${ci.contentType}`);
  const tree = ci.content as asn1js.AsnType;
  return { sd: decode('pkijs', 'SignedData', () => new pkijs.SignedData({ schema: tree })), tree };
}

/**
 * The certificates as they were encoded (pkijs re-encodes what it parsed, and a mutated certificate need not come
 * out the same), read from asn1js's tree: the [0] of a SignedData (`at` null: wherever it stands) or the [0] EXPLICIT
 * at position `at` of a BasicOCSPResponse. Only the Certificate choice (a SEQUENCE) is kept.
 */
function rawCertificates(tree: asn1js.AsnType, at: number | null): Uint8Array[] {
  const fields = (tree as asn1js.Sequence).valueBlock.value;
  const tagged = (at === null ? fields.find((f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0) : fields[at]) as asn1js.Constructed | undefined;
  if (!tagged) return [];
  const list = at === null ? tagged.valueBlock.value : ((tagged.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value ?? []);
  return list.filter((c) => c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16).map(encoded);
}

function cmsFieldsOf(sd: pkijs.SignedData, tree: asn1js.AsnType): CmsFields {
  const content = sd.encapContentInfo.eContent;
  return {
    version: sd.version,
    digestAlgorithms: sd.digestAlgorithms.map((a) => a.algorithmId),
    eContentType: sd.encapContentInfo.eContentType,
    eContent: content ? sha(octets(content)) : null,
    certificates: rawCertificates(tree, null).map(sha),
    crls: (sd.crls ?? []).filter((c): c is pkijs.CertificateRevocationList => c instanceof pkijs.CertificateRevocationList).map((c) => sha(encoded(c.toSchema()))),
    signers: sd.signerInfos.map(signerFields),
  };
}

/** eContent octets, a constructed (BER) OCTET STRING's segments joined. */
function octets(o: asn1js.OctetString): Uint8Array {
  if (!o.idBlock.isConstructed) return o.valueBlock.valueHexView;
  return Buffer.concat(o.valueBlock.value.map((s) => Buffer.from(octets(s as asn1js.OctetString))));
}

export function pkijsCms(der: Buffer): CmsFields {
  const { sd, tree } = signedDataOf(der);
  return cmsFieldsOf(sd, tree);
}

export function pkijsTimestamp(der: Buffer): { cms: CmsFields; tst: TstFields } {
  const { sd, tree } = signedDataOf(der);
  const cms = cmsFieldsOf(sd, tree);
  if (sd.encapContentInfo.eContentType !== '1.2.840.113549.1.9.16.1.4') throw new Refused('view', 'TSTInfo', 'pkijs: not a TSTInfo');
  const content = sd.encapContentInfo.eContent;
  if (!content) throw new Refused('view', 'TSTInfo', 'pkijs: timestamp token without TSTInfo');
  const t = decode('pkijs', 'TSTInfo', () => new pkijs.TSTInfo({ schema: fromBer(octets(content), 'TSTInfo') }));
  const acc = t.accuracy;
  return {
    cms,
    tst: {
      version: t.version,
      policy: oidText(t.policy),
      imprintAlgorithm: t.messageImprint.hashAlgorithm.algorithmId,
      imprint: hex(bytesOf(t.messageImprint.hashedMessage)),
      serial: magnitude(intHex(t.serialNumber)),
      genTime: iso(t.genTime),
      accuracyMs: acc ? (acc.seconds ?? 0) * 1000 + (acc.millis ?? 0) + (acc.micros ?? 0) / 1000 : null,
      ordering: t.ordering ?? false,
      nonce: t.nonce ? magnitude(intHex(t.nonce)) : null,
    },
  };
}

const READERS: Record<BlobKind, (der: Buffer) => unknown> = {
  certificate: pkijsCert,
  crl: pkijsCrl,
  ocsp: pkijsOcsp,
  cms: pkijsCms,
  timestamp: pkijsTimestamp,
};

export function readWithPkijs(kind: BlobKind, der: Buffer): Outcome<unknown> {
  try {
    return { ok: true, fields: READERS[kind](der) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.message, refusal: { by: e.by, part: e.part } };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
