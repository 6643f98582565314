/**
 * The fields kiemky uses from each kind of object, as plain data both decoders are reduced to before they are
 * compared: names, serial, validity, extensions, key, algorithms, signed attributes, digests, genTime. Bulky bytes
 * (signature values, keys, eContent) are compared by SHA-256 so a difference reads as one line.
 */
import * as crypto from 'node:crypto';

/** `notes`: what a reader did besides the fields (e.g. skipped a certificate), never compared, read by differences.ts. */
export type Outcome<T> = { ok: true; fields: T; notes?: string[] } | { ok: false; error: string; refusal?: Refusal };

/**
 * Who refused, and in which part (the pkijs view names its steps: 'Certificate', 'RSAPublicKey', 'extension 2.5.29.35',
 * 'BasicOCSPResponse', 'SingleResponse', 'ContentInfo', 'SignedData', 'TSTInfo' …): asn1js decoding the bytes, a pkijs
 * class building its object, or the view's own check of what kiemky's contract requires. Absent for a crash.
 */
export interface Refusal {
  by: 'asn1js' | 'pkijs' | 'view';
  part: string;
}

export const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Magnitude of an INTEGER as hex, leading zero octets dropped (how serials are compared). */
export const magnitude = (h: string): string => h.replace(/^(00)+(?=..)/, '');
export const iso = (d: Date | null | undefined): string | null => (d ? (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString()) : null);

/** [oid, value] in encoded order, RDNs flattened. Non-string values as '#' + hex of their DER. */
export type NameFields = [string, string][];

export interface CertFields {
  version: number;
  serial: string;
  issuer: NameFields;
  subject: NameFields;
  notBefore: string | null;
  notAfter: string | null;
  spki: string;
  publicKeyBits: string;
  keyAlgorithm: string;
  keyBits: number;
  curve: string | null;
  signatureAlgorithm: string;
  signature: string;
  tbs: string;
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  keyUsage: number[] | null;
  extKeyUsage: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  emails: string[];
  crlDistributionPoints: string[];
  ocspUrls: string[];
}

export interface CrlFields {
  issuer: NameFields;
  thisUpdate: string | null;
  nextUpdate: string | null;
  crlNumber: string | null;
  isDelta: boolean;
  signatureAlgorithm: string;
  /** serial magnitude → [earliest revocation date, reason code], removeFromCRL entries left out. */
  revoked: [string, string | null, number | null][];
}

export interface OcspFields {
  responder: NameFields | string;
  producedAt: string | null;
  responses: { hashAlgorithm: string; nameHash: string; keyHash: string; serial: string; status: string; revokedAt: string | null; reason: number | null; thisUpdate: string | null; nextUpdate: string | null }[];
  certificates: string[];
}

export interface SignerFields {
  sid: { issuer: NameFields; serial: string } | { ski: string };
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signature: string;
  /** Signed attributes: [oid, number of values, SHA of each value's DER]. */
  signedAttrs: [string, string[]][] | null;
  signedAttrsDer: string | null;
  contentType: string | null;
  messageDigest: string | null;
  signingTime: string | null;
  unsignedAttrs: string[] | null;
}

export interface CmsFields {
  version: number;
  digestAlgorithms: string[];
  eContentType: string;
  eContent: string | null;
  certificates: string[];
  crls: string[];
  signers: SignerFields[];
}

export interface TstFields {
  version: number;
  policy: string;
  imprintAlgorithm: string;
  imprint: string;
  serial: string;
  genTime: string | null;
  accuracyMs: number | null;
  ordering: boolean;
  nonce: string | null;
}

export interface TimestampFields {
  cms: CmsFields;
  tst: TstFields;
}

/** Key algorithm OIDs to the names kiemky reports. */
export const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
};
