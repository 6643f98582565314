/**
 * X.509 CRL (RFC 5280 5.1). Parsed once per distinct DER (CRLs of big CAs are megabytes and recur in every
 * document of a batch); the revoked-entry index is built lazily on the first lookup.
 */
import { BoundedCache } from './bounded-cache';
import { parseSignedEnvelope } from './signed-envelope';
import { pemBlocks } from './pem';
import {
  Asn1,
  Asn1Error,
  Tag,
  decodeBoolean,
  decodeIntegerHex,
  decodeOctetString,
  decodeOid,
  decodeSmallInt,
  decodeTime,
  normalizeSerialHex,
  parseDer,
} from '../asn1/der';
import { OID } from '../asn1/oids';
import { AlgorithmIdentifier, SignatureAlgorithm, parseAlgorithmIdentifier, resolveSignatureAlgorithm, verifySignature } from './algorithms';
import type { Certificate } from './certificate';
import { Name } from './name';

/** CRLReason (RFC 5280 5.3.1). */
export const CRL_REASONS: readonly string[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused(7)',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

export function crlReasonName(code: number): string {
  return CRL_REASONS[code] ?? `reason(${code})`;
}

export interface RevokedEntry {
  revocationDate: Date;
  reason: string | null;
}

const CACHE_LIMIT = 64;
const cache = new BoundedCache<CertificateList>(CACHE_LIMIT);

export class CertificateList {
  readonly der: Buffer;
  readonly sha256: string;
  readonly tbs: Buffer;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly crlNumber: string | null;
  /** A delta CRL lists only changes since a base CRL. */
  readonly isDelta: boolean;
  /** Critical CRL extensions this code does not process (an issuingDistributionPoint scoping the CRL, …). */
  readonly unknownCriticalExtensions: readonly string[];
  readonly signatureAlgorithmOid: string;

  private readonly revokedNode: Asn1 | null;
  private index: Map<string, RevokedEntry> | null = null;
  private readonly sigAlg: SignatureAlgorithm | null;
  private readonly sigAlgId: AlgorithmIdentifier;
  private readonly tbsSigAlgId: AlgorithmIdentifier;
  private readonly signature: Buffer;
  private readonly verifiedBy = new Map<string, boolean>();

  static fromDer(der: Buffer): CertificateList {
    return cache.parseOnce(der, (copy, fp) => new CertificateList(copy, fp));
  }

  /** PEM ('X509 CRL') or DER. */
  static fromFile(data: Buffer): CertificateList[] {
    const text = data.subarray(0, 64).toString('latin1');
    if (!text.includes('-----BEGIN')) return [CertificateList.fromDer(data)];
    return pemBlocks(data.toString('latin1'), ['X509 CRL']).map((der) => CertificateList.fromDer(der));
  }

  private constructor(der: Buffer, sha256: string) {
    this.der = der;
    this.sha256 = sha256;
    const envelope = parseSignedEnvelope(der, 'CertificateList', 'TBSCertList');
    const tbsNode = envelope.tbsNode;
    this.tbs = envelope.tbs;
    this.sigAlgId = envelope.sigAlgId;
    this.signatureAlgorithmOid = this.sigAlgId.oid;
    this.signature = envelope.signature;
    let sigAlg: SignatureAlgorithm | null = null;
    try {
      sigAlg = resolveSignatureAlgorithm(this.sigAlgId);
    } catch {
      sigAlg = null;
    }
    this.sigAlg = sigAlg;

    const f = tbsNode.children();
    let i = 0;
    if (f[i]?.isUniversal(Tag.INTEGER)) {
      const v = decodeSmallInt(f[i]!);
      if (v !== 1) throw new Asn1Error(`unknown CRL version ${v + 1}`, f[i]!.start);
      i++;
    }
    const need = (what: string): Asn1 => {
      const n = f[i++];
      if (!n) throw new Asn1Error(`TBSCertList: missing ${what}`, tbsNode.start);
      return n;
    };
    this.tbsSigAlgId = parseAlgorithmIdentifier(need('signature'));
    this.issuer = Name.fromNode(need('issuer'));
    this.thisUpdate = decodeTime(need('thisUpdate'));
    let nextUpdate: Date | null = null;
    if (f[i] && (f[i]!.isUniversal(Tag.UTC_TIME) || f[i]!.isUniversal(Tag.GENERALIZED_TIME))) nextUpdate = decodeTime(f[i++]!);
    this.nextUpdate = nextUpdate;
    let revoked: Asn1 | null = null;
    if (f[i]?.isUniversal(Tag.SEQUENCE)) revoked = f[i++]!;
    this.revokedNode = revoked;
    let crlNumber: string | null = null;
    let isDelta = false;
    const unknownCritical: string[] = [];
    if (f[i]?.isContext(0)) {
      const exts = f[i++]!.explicitInner('crlExtensions').expect(Tag.SEQUENCE, 'Extensions');
      for (const ext of exts.children()) {
        const { oid, critical, value } = readExtension(ext);
        if (oid === OID.crlNumber) crlNumber = decodeIntegerHex(parseDer(value));
        else if (oid === OID.deltaCrlIndicator) isDelta = true;
        else if (critical && oid !== OID.authorityKeyIdentifier) unknownCritical.push(oid);
      }
    }
    if (i !== f.length) throw new Asn1Error('TBSCertList: unexpected trailing elements', tbsNode.start);
    this.crlNumber = crlNumber;
    this.isDelta = isDelta;
    this.unknownCriticalExtensions = unknownCritical;
  }

  /** Number of revoked entries (builds the index). */
  get size(): number {
    return this.entries().size;
  }

  /**
   * Entries keyed by normalised serial (magnitude hex, no leading zero octets) so that encodings with and without
   * a sign octet compare equal. removeFromCRL entries (delta CRLs) are not revocations and are left out.
   */
  entries(): ReadonlyMap<string, RevokedEntry> {
    if (this.index) return this.index;
    const map = new Map<string, RevokedEntry>();
    for (const entry of this.revokedNode?.children() ?? []) {
      entry.expect(Tag.SEQUENCE, 'revokedCertificate');
      const c = entry.children();
      if (c.length < 2 || c.length > 3) throw new Asn1Error('malformed CRL entry', entry.start);
      const serial = normalizeSerialHex(decodeIntegerHex(c[0]!));
      const revocationDate = decodeTime(c[1]!);
      let reason: string | null = null;
      let reasonCode = -1;
      if (c[2]) {
        for (const ext of c[2].expect(Tag.SEQUENCE, 'crlEntryExtensions').children()) {
          const { oid, value } = readExtension(ext);
          if (oid === OID.crlReason) {
            reasonCode = decodeSmallInt(parseDer(value), Tag.ENUMERATED);
            reason = crlReasonName(reasonCode);
          }
        }
      }
      if (reasonCode === 8) continue;
      const prev = map.get(serial);
      // Keep the earliest date if a serial is listed twice: the conservative reading.
      if (!prev || prev.revocationDate > revocationDate) map.set(serial, { revocationDate, reason });
    }
    this.index = map;
    return map;
  }

  /** Lookup by serial hex as encoded anywhere (normalised here). */
  lookup(serialHex: string): RevokedEntry | null {
    return this.entries().get(normalizeSerialHex(serialHex)) ?? null;
  }

  /** The CRL's signature verifies with `issuer`'s key (cached per issuer certificate). */
  isSignedBy(issuer: Certificate): boolean {
    const hit = this.verifiedBy.get(issuer.fingerprintSha256);
    if (hit !== undefined) return hit;
    let ok = false;
    if (this.sigAlg && this.tbsSigAlgId.der.equals(this.sigAlgId.der)) {
      try {
        ok = verifySignature(this.sigAlg, issuer.publicKey(), this.tbs, this.signature);
      } catch {
        ok = false;
      }
    }
    if (this.verifiedBy.size < 16) this.verifiedBy.set(issuer.fingerprintSha256, ok);
    return ok;
  }
}

export function readExtension(ext: Asn1): { oid: string; critical: boolean; value: Buffer } {
  ext.expect(Tag.SEQUENCE, 'Extension');
  const c = ext.children();
  if (c.length < 2 || c.length > 3) throw new Asn1Error('malformed Extension', ext.start);
  const oid = decodeOid(c[0]!);
  let critical = false;
  let v = c[1]!;
  if (c.length === 3) {
    critical = decodeBoolean(v);
    v = c[2]!;
  }
  return { oid, critical, value: decodeOctetString(v) };
}
