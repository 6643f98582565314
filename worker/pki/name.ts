/**
 * X.501 Name (RDNSequence). Keeps the exact DER (for OCSP name hashes and display fidelity) and a normalised
 * `matchKey` for issuer/subject matching. The key only nominates chain candidates and CRL issuers: every edge is
 * still proven by a signature check, so normalising generously here cannot make a forged chain verify.
 */
import { Asn1, Asn1Error, Tag, decodeOid, decodeString, isStringNode, parseDer } from '../asn1/der';
import { NAME_SHORT } from '../asn1/oids';
import { BoundedCache } from './bounded-cache';

export interface NameAttribute {
  oid: string;
  /** Short name (CN, O, …) when known, else the dotted OID. */
  type: string;
  /** Decoded string; non-string values are shown as '#' + hex of their DER (RFC 4514 2.4). */
  value: string;
}

const SHORT_TO_OID: ReadonlyMap<string, string> = new Map(
  [...NAME_SHORT.entries()].map(([oid, short]) => [short.toUpperCase(), oid]),
);

/**
 * Names repeat across a batch (every signature names its issuer, and the ESS reference names it again): each
 * distinct DER is decoded and normalised once.
 */
const cache = new BoundedCache<Name>(5000);

export class Name {
  /** All attributes, flattened, in encoded order. */
  readonly attributes: readonly NameAttribute[];

  private constructor(
    /** RDNs in encoded order (most significant first, as in the certificate). Each RDN is a set of attributes. */
    readonly rdns: readonly (readonly NameAttribute[])[],
    readonly der: Buffer,
  ) {
    this.attributes = rdns.flat();
  }

  static fromDer(der: Buffer): Name {
    return Name.fromNode(parseDer(der));
  }

  static fromNode(node: Asn1): Name {
    node.expect(Tag.SEQUENCE, 'Name');
    // Decoded from the node as parsed (a BER signature may hold an indefinite-length name); kept as a copy.
    return cache.parseOnce(node.raw, (copy) => Name.decode(node, copy));
  }

  private static decode(node: Asn1, der: Buffer): Name {
    const rdns: NameAttribute[][] = [];
    for (const set of node.children()) {
      set.expect(Tag.SET, 'RelativeDistinguishedName');
      const attrs: NameAttribute[] = [];
      for (const atv of set.children()) {
        atv.expect(Tag.SEQUENCE, 'AttributeTypeAndValue');
        const c = atv.children();
        if (c.length !== 2) throw new Asn1Error('AttributeTypeAndValue must have 2 elements', atv.start);
        const oid = decodeOid(c[0]!);
        const v = c[1]!;
        if (!isStringNode(v)) v.checkWellFormed(); // kept as its DER, so that DER must be sound
        const value = isStringNode(v) ? decodeString(v) : `#${v.raw.toString('hex')}`;
        attrs.push({ oid, type: NAME_SHORT.get(oid) ?? oid, value });
      }
      if (attrs.length === 0) throw new Asn1Error('empty RDN', set.start);
      rdns.push(attrs);
    }
    return new Name(rdns, der);
  }

  // A Name is immutable and shared by every document signed with the same certificate (see the cache above): what
  // is derived from it for each report (its display form, its CN and O) is worked out once.
  private display: string | null = null;
  private readonly firstByType = new Map<string, string | null>();

  /** First value of an attribute by short name ('CN', 'O', 'UID', 'E' …, case-insensitive) or dotted OID. */
  get(typeOrOid: string): string | null {
    let v = this.firstByType.get(typeOrOid);
    if (v === undefined) {
      v = this.getAll(typeOrOid)[0] ?? null;
      this.firstByType.set(typeOrOid, v);
    }
    return v;
  }

  getAll(typeOrOid: string): string[] {
    const oid = resolveType(typeOrOid);
    return this.attributes.filter((a) => a.oid === oid).map((a) => a.value);
  }

  get isEmpty(): boolean {
    return this.rdns.length === 0;
  }

  /** Display form, most specific first like RFC 4514: 'CN=…, O=…, C=VN'. */
  toString(): string {
    if (this.display === null) {
      this.display = [...this.rdns]
        .reverse()
        .map((rdn) => rdn.map((a) => `${a.type}=${escapeValue(a.value)}`).join(' + '))
        .join(', ');
    }
    return this.display;
  }

  private key: string | null = null;

  /**
   * Normalised comparison key (RFC 5280 7.1 in spirit): per RDN, attributes sorted by OID; values NFC, case-folded,
   * inner whitespace collapsed, trimmed, typographic dashes mapped to '-' (the 2025 NEAC roots write their CRL issuer
   * with an EN DASH). RDN order is kept: it is part of a name's identity.
   */
  get matchKey(): string {
    if (this.key === null) {
      this.key = this.rdns
        .map((rdn) =>
          rdn
            .map((a) => `${a.oid}=${normalizeNameValue(a.value)}`)
            .sort()
            .join('\u0002'),
        )
        .join('\u0001');
    }
    return this.key;
  }

  equals(other: Name): boolean {
    return this.matchKey === other.matchKey;
  }
}

function resolveType(typeOrOid: string): string {
  if (/^\d+(\.\d+)+$/.test(typeOrOid)) return typeOrOid;
  const upper = typeOrOid.toUpperCase();
  if (upper === 'EMAILADDRESS') return '1.2.840.113549.1.9.1';
  return SHORT_TO_OID.get(upper) ?? typeOrOid;
}

export function normalizeNameValue(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .toLowerCase();
}

function escapeValue(v: string): string {
  let s = v.replace(/([\\,+"<>;])/g, '\\$1');
  if (s.startsWith(' ') || s.startsWith('#')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}
