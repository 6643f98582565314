/**
 * X.509 v1–v3 certificate (RFC 5280 4.1). Parsed once per distinct DER and cached: a batch sees the same CA
 * certificates thousands of times, and signature checks between a pair of certificates are cached too.
 */
import { BoundedCache } from './bounded-cache';
import { parseSignedEnvelope } from './signed-envelope';
import { pemBlocks } from './pem';
import * as crypto from 'node:crypto';
import {
  Asn1,
  Asn1Error,
  Tag,
  bitIsSet,
  decodeBitString,
  decodeBoolean,
  decodeIntegerHex,
  decodeOctetString,
  decodeOid,
  decodeSmallInt,
  decodeTime,
  parseDer,
} from '../asn1/der';
import { OID } from '../asn1/oids';
import {
  AlgorithmIdentifier,
  SignatureAlgorithm,
  UnsupportedAlgorithmError,
  parseAlgorithmIdentifier,
  resolveSignatureAlgorithm,
  verifySignature,
} from './algorithms';
import { Name } from './name';
import { parseGeneralNames } from './general-name';
import { parseSpki, type KeyAlgorithm } from './spki';

export type { KeyAlgorithm } from './spki';

export interface BasicConstraints {
  ca: boolean;
  pathLen: number | null;
}

export interface CertSignatureAlgorithm {
  oid: string;
  /** Display name ('RSA with SHA-256'), or the OID when unsupported. */
  name: string;
  /** node:crypto hash name, null for EdDSA or unsupported. */
  hash: string | null;
}

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/**
 * Extensions this code understands well enough that a critical flag is no reason to reject. Certificate policies
 * are accepted without policy processing, as most path validators do; name constraints are NOT listed: they are
 * not enforced here, so a critical one must surface as unknown.
 */
const HANDLED_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.crlDistributionPoints,
  OID.freshestCrl,
  OID.certificatePolicies,
  OID.authorityInfoAccess,
  OID.subjectInfoAccess,
  OID.privateKeyUsagePeriod,
  OID.ocspNoCheck,
]);

const CACHE_LIMIT = 5000;
const cache = new BoundedCache<Certificate>(CACHE_LIMIT);

export class Certificate {
  readonly der: Buffer;
  /** DER of tbsCertificate: the signed bytes. */
  readonly tbs: Buffer;
  readonly fingerprintSha256: string;
  readonly version: number;
  /** Serial as encoded (two's complement hex, lower case). Compare with normalizeSerialHex. */
  readonly serialNumberHex: string;
  readonly subject: Name;
  readonly issuer: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER of SubjectPublicKeyInfo. */
  readonly spki: Buffer;
  /** The subjectPublicKey BIT STRING contents (what OCSP issuerKeyHash hashes). */
  readonly publicKeyBits: Buffer;
  readonly keyAlgorithm: KeyAlgorithm;
  readonly keyBits: number;
  readonly curve: string | undefined;
  readonly signatureAlgorithm: CertSignatureAlgorithm;
  readonly signatureValue: Buffer;
  readonly basicConstraints: BasicConstraints | null;
  readonly keyUsage: ReadonlySet<string> | null;
  /** Dotted OIDs. */
  readonly extKeyUsage: readonly string[] | null;
  /** Hex, lower case. */
  readonly subjectKeyId: string | null;
  readonly authorityKeyId: string | null;
  /** SAN rfc822Name entries and subject E= values, lower-cased, de-duplicated. */
  readonly emails: readonly string[];
  readonly crlDistributionPoints: readonly string[];
  readonly ocspUrls: readonly string[];
  readonly unknownCriticalExtensions: readonly string[];
  /** Subject and issuer names match (a root or a self-issued key rollover certificate). */
  readonly isSelfIssued: boolean;

  private readonly sigAlgId: AlgorithmIdentifier;
  private readonly tbsSigAlgId: AlgorithmIdentifier;
  private key: crypto.KeyObject | null = null;
  private readonly signedByCache = new Map<string, boolean>();

  /** Parse (or fetch from the cache) a DER certificate. Throws Asn1Error when malformed. */
  static fromDer(der: Buffer): Certificate {
    return cache.parseOnce(der, (copy, fp) => new Certificate(copy, fp));
  }

  static fromPem(pem: string): Certificate[] {
    return pemBlocks(pem, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']).map((der) => Certificate.fromDer(der));
  }

  private constructor(der: Buffer, fingerprint: string) {
    this.der = der;
    this.fingerprintSha256 = fingerprint;
    const envelope = parseSignedEnvelope(der, 'Certificate', 'TBSCertificate');
    const tbsNode = envelope.tbsNode;
    this.tbs = envelope.tbs;
    this.sigAlgId = envelope.sigAlgId;
    this.signatureValue = envelope.signature;

    const f = tbsNode.children();
    let i = 0;
    let version = 1;
    if (f[i]?.isContext(0)) {
      version = decodeSmallInt(f[i]!.explicitInner('version')) + 1;
      if (version < 1 || version > 3) throw new Asn1Error(`unknown certificate version ${version}`, f[i]!.start);
      i++;
    }
    this.version = version;
    const need = (what: string): Asn1 => {
      const n = f[i++];
      if (!n) throw new Asn1Error(`TBSCertificate: missing ${what}`, tbsNode.start);
      return n;
    };
    this.serialNumberHex = decodeIntegerHex(need('serialNumber'));
    this.tbsSigAlgId = parseAlgorithmIdentifier(need('signature'), 'tbs signature');
    this.issuer = Name.fromNode(need('issuer'));
    const validity = need('validity').expect(Tag.SEQUENCE, 'Validity');
    if (validity.children().length !== 2) throw new Asn1Error('Validity must have 2 elements', validity.start);
    this.notBefore = decodeTime(validity.child(0));
    this.notAfter = decodeTime(validity.child(1));
    this.subject = Name.fromNode(need('subject'));
    const spkiNode = need('subjectPublicKeyInfo');
    this.spki = spkiNode.raw;
    const key = parseSpki(spkiNode);
    this.publicKeyBits = key.publicKeyBits;
    this.keyAlgorithm = key.algorithm;
    this.keyBits = key.bits;
    this.curve = key.curve ?? undefined;

    let extensions: Asn1 | null = null;
    // RFC 5280 4.1: issuerUniqueID [1], subjectUniqueID [2], extensions [3], each at most once and in that order.
    // The IDs are IMPLICIT BIT STRINGs, primitive in DER: a constructed [1] is an extensions block relabelled, and
    // reading it as an ID would drop every extension (basicConstraints, keyUsage) without a word.
    let lastTag = 0;
    for (; i < f.length; i++) {
      const n = f[i]!;
      const tag = n.isContext(1) ? 1 : n.isContext(2) ? 2 : n.isContext(3) ? 3 : 0;
      if (tag === 0 || tag <= lastTag) throw new Asn1Error(`TBSCertificate: unexpected ${n.describe()}`, n.start);
      lastTag = tag;
      if (tag === 3) {
        if (version < 3) throw new Asn1Error('extensions in a pre-v3 certificate', n.start);
        extensions = n.explicitInner('extensions').expect(Tag.SEQUENCE, 'Extensions');
        continue;
      }
      if (version < 2) throw new Asn1Error('unique identifiers in a v1 certificate', n.start);
      if (n.constructed) throw new Asn1Error('unique identifier must be primitive (IMPLICIT BIT STRING)', n.start);
    }

    let basicConstraints: BasicConstraints | null = null;
    let keyUsage: Set<string> | null = null;
    let extKeyUsage: string[] | null = null;
    let ski: string | null = null;
    let aki: string | null = null;
    const emails = new Set<string>();
    const crlDps: string[] = [];
    const ocspUrls: string[] = [];
    const unknownCritical: string[] = [];
    const seen = new Set<string>();
    for (const ext of extensions?.children() ?? []) {
      ext.expect(Tag.SEQUENCE, 'Extension');
      const c = ext.children();
      const oid = decodeOid(c[0] ?? ext);
      // RFC 5280 4.2: an extension must not appear twice; a duplicate could hide a second, conflicting value.
      if (seen.has(oid)) throw new Asn1Error(`duplicate extension ${oid}`, ext.start);
      seen.add(oid);
      let critical = false;
      let valueNode: Asn1 | undefined = c[1];
      if (valueNode?.isUniversal(Tag.BOOLEAN)) {
        critical = decodeBoolean(valueNode);
        valueNode = c[2];
      }
      if (!valueNode || c.length > 3) throw new Asn1Error('malformed Extension', ext.start);
      const value = decodeOctetString(valueNode);
      if (critical && !HANDLED_EXTENSIONS.has(oid)) unknownCritical.push(oid);
      switch (oid) {
        case OID.basicConstraints:
          basicConstraints = parseBasicConstraints(value);
          break;
        case OID.keyUsage: {
          const bits = decodeBitString(parseDer(value));
          keyUsage = new Set(KEY_USAGE_BITS.filter((_, idx) => bitIsSet(bits, idx)));
          break;
        }
        case OID.extKeyUsage:
          extKeyUsage = parseDer(value)
            .expect(Tag.SEQUENCE, 'ExtKeyUsage')
            .children()
            .map((n) => decodeOid(n));
          break;
        case OID.subjectKeyIdentifier:
          ski = decodeOctetString(parseDer(value)).toString('hex');
          break;
        case OID.authorityKeyIdentifier: {
          const seq = parseDer(value).expect(Tag.SEQUENCE, 'AuthorityKeyIdentifier');
          const kid = seq.children().find((n) => n.isContext(0));
          if (kid) aki = decodeOctetString(kid, false).toString('hex');
          break;
        }
        case OID.subjectAltName:
          for (const gn of parseGeneralNames(parseDer(value))) if (gn.kind === 'email') emails.add(gn.value.toLowerCase());
          break;
        case OID.crlDistributionPoints:
          crlDps.push(...parseCrlDistributionPoints(value));
          break;
        case OID.authorityInfoAccess:
          ocspUrls.push(...parseOcspUrls(value));
          break;
        default:
          break;
      }
    }
    for (const e of this.subject.getAll('E')) emails.add(e.toLowerCase());
    this.basicConstraints = basicConstraints;
    this.keyUsage = keyUsage;
    this.extKeyUsage = extKeyUsage;
    this.subjectKeyId = ski;
    this.authorityKeyId = aki;
    this.emails = [...emails];
    this.crlDistributionPoints = crlDps;
    this.ocspUrls = ocspUrls;
    this.unknownCriticalExtensions = unknownCritical;
    this.isSelfIssued = this.subject.matchKey === this.issuer.matchKey;

    let sigAlg: SignatureAlgorithm | null = null;
    try {
      sigAlg = resolveSignatureAlgorithm(this.sigAlgId);
    } catch (e) {
      if (!(e instanceof UnsupportedAlgorithmError)) throw e;
    }
    this.resolvedSigAlg = sigAlg;
    this.signatureAlgorithm = sigAlg
      ? { oid: this.sigAlgId.oid, name: sigAlg.name, hash: sigAlg.hash?.node ?? null }
      : { oid: this.sigAlgId.oid, name: this.sigAlgId.oid, hash: null };
  }

  private readonly resolvedSigAlg: SignatureAlgorithm | null;

  /** Resolved signature algorithm of this certificate, null when unsupported. */
  get signatureAlgorithmDetails(): SignatureAlgorithm | null {
    return this.resolvedSigAlg;
  }

  /** The subject public key as a node:crypto KeyObject (created on first use). */
  publicKey(): crypto.KeyObject {
    if (!this.key) this.key = crypto.createPublicKey({ key: this.spki, format: 'der', type: 'spki' });
    return this.key;
  }

  private spkiText: string | null = null;

  /**
   * The whole SubjectPublicKeyInfo as text, for maps keyed by key (anchors are pinned by key): equal exactly when
   * the DER is. Made once: chain building looks it up for every candidate of every document.
   */
  get spkiKey(): string {
    if (this.spkiText === null) this.spkiText = this.spki.toString('base64');
    return this.spkiText;
  }

  /** Same subject key as `other` (byte-equal SubjectPublicKeyInfo): trust is by key, never by name. */
  sameKeyAs(other: Certificate): boolean {
    return this.spki.equals(other.spki);
  }

  isValidAt(time: Date): boolean {
    const t = time.getTime();
    return t >= this.notBefore.getTime() && t <= this.notAfter.getTime();
  }

  /**
   * The tbsCertificate signature verifies with `issuer`'s public key. Names are not compared here: the caller
   * chooses candidates; this proves the edge. Cached per (child, issuer) pair.
   */
  isSignedBy(issuer: Certificate): boolean {
    const hit = this.signedByCache.get(issuer.fingerprintSha256);
    if (hit !== undefined) return hit;
    let ok = false;
    // The signature algorithm inside the signed tbs must be the outer one (RFC 5280 4.1.1.2), else an attacker
    // could relabel the unsigned outer field.
    if (this.resolvedSigAlg && this.tbsSigAlgId.der.equals(this.sigAlgId.der)) {
      let key: crypto.KeyObject | null = null;
      try {
        key = issuer.publicKey();
      } catch {
        key = null;
      }
      if (key) ok = verifySignature(this.resolvedSigAlg, key, this.tbs, this.signatureValue);
    }
    if (this.signedByCache.size < 64) this.signedByCache.set(issuer.fingerprintSha256, ok);
    return ok;
  }
}

function parseBasicConstraints(value: Buffer): BasicConstraints {
  const seq = parseDer(value).expect(Tag.SEQUENCE, 'BasicConstraints');
  let ca = false;
  let pathLen: number | null = null;
  for (const n of seq.children()) {
    if (n.isUniversal(Tag.BOOLEAN)) ca = decodeBoolean(n);
    else if (n.isUniversal(Tag.INTEGER)) {
      pathLen = decodeSmallInt(n);
      if (pathLen < 0) throw new Asn1Error('negative pathLenConstraint', n.start);
    } else throw new Asn1Error('malformed BasicConstraints', n.start);
  }
  return { ca, pathLen };
}

/** URIs of the fullName of each DistributionPoint (RFC 5280 4.2.1.13). */
function parseCrlDistributionPoints(value: Buffer): string[] {
  const out: string[] = [];
  for (const dp of parseDer(value).expect(Tag.SEQUENCE, 'CRLDistributionPoints').children()) {
    dp.expect(Tag.SEQUENCE, 'DistributionPoint');
    const name = dp.children().find((n) => n.isContext(0));
    if (!name) continue;
    const full = name.explicitInner('DistributionPointName');
    if (!full.isContext(0)) continue; // nameRelativeToCRLIssuer: no URI
    for (const gn of parseGeneralNames(full, true)) if (gn.kind === 'uri') out.push(gn.value);
  }
  return out;
}

function parseOcspUrls(value: Buffer): string[] {
  const out: string[] = [];
  for (const ad of parseDer(value).expect(Tag.SEQUENCE, 'AuthorityInfoAccess').children()) {
    const c = ad.expect(Tag.SEQUENCE, 'AccessDescription').children();
    if (c.length !== 2) continue;
    if (decodeOid(c[0]!) !== '1.3.6.1.5.5.7.48.1') continue;
    if (c[1]!.isContext(6) && !c[1]!.constructed) out.push(c[1]!.content.toString('latin1'));
  }
  return out;
}
