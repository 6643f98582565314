/**
 * Digest and signature algorithms: OID tables, RSASSA-PSS parameters, and the one place signatures are checked
 * (node:crypto does the mathematics; this file only decides which primitive and parameters apply).
 */
import * as crypto from 'node:crypto';
import { Asn1, Asn1Error, Tag, decodeBitString, decodeOctetString, decodeOid, decodeSmallInt, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { digestBytes } from './digest-hash';

export interface AlgorithmIdentifier {
  oid: string;
  /** The parameters element, or null when absent (an explicit NULL is kept as a node). */
  params: Asn1 | null;
  /** The whole AlgorithmIdentifier encoding. */
  der: Buffer;
}

export function parseAlgorithmIdentifier(node: Asn1, what = 'AlgorithmIdentifier'): AlgorithmIdentifier {
  node.expect(Tag.SEQUENCE, what);
  const c = node.children();
  if (c.length < 1 || c.length > 2) throw new Asn1Error(`${what}: bad element count`, node.start);
  return { oid: decodeOid(c[0]!), params: c[1] ?? null, der: node.raw };
}

export interface DigestInfo {
  oid: string;
  /** node:crypto hash name, or null when node cannot compute it. */
  node: string | null;
  display: string;
  /** SHA-1 or weaker. */
  weak: boolean;
  /** Output length in bytes. */
  size: number;
  /**
   * An extendable-output function read at a fixed length (SHAKE256 at 512 bits): fit for a messageDigest, never
   * for a signature scheme that hashes by name (RSA, ECDSA, DSA, MGF1), where no standard defines its use.
   */
  xof: boolean;
}

const DIGESTS: ReadonlyMap<string, DigestInfo> = new Map(
  (
    [
      ['1.2.840.113549.2.2', null, 'MD2', true, 16],
      ['1.2.840.113549.2.5', 'md5', 'MD5', true, 16],
      ['1.3.14.3.2.26', 'sha1', 'SHA-1', true, 20],
      ['1.3.36.3.2.1', 'ripemd160', 'RIPEMD-160', true, 20],
      ['2.16.840.1.101.3.4.2.4', 'sha224', 'SHA-224', false, 28],
      ['2.16.840.1.101.3.4.2.1', 'sha256', 'SHA-256', false, 32],
      ['2.16.840.1.101.3.4.2.2', 'sha384', 'SHA-384', false, 48],
      ['2.16.840.1.101.3.4.2.3', 'sha512', 'SHA-512', false, 64],
      ['2.16.840.1.101.3.4.2.5', 'sha512-224', 'SHA-512/224', false, 28],
      ['2.16.840.1.101.3.4.2.6', 'sha512-256', 'SHA-512/256', false, 32],
      ['2.16.840.1.101.3.4.2.7', 'sha3-224', 'SHA3-224', false, 28],
      ['2.16.840.1.101.3.4.2.8', 'sha3-256', 'SHA3-256', false, 32],
      ['2.16.840.1.101.3.4.2.9', 'sha3-384', 'SHA3-384', false, 48],
      ['2.16.840.1.101.3.4.2.10', 'sha3-512', 'SHA3-512', false, 64],
      // id-shake256 as a CMS digest is SHAKE256 with a 512-bit output (RFC 8419 3.1); see digest-hash.ts.
      ['2.16.840.1.101.3.4.2.12', 'shake256-512', 'SHAKE256', false, 64],
    ] as const
  ).map(([oid, node, display, weak, size]) => [oid, { oid, node, display, weak, size, xof: node === 'shake256-512' }]),
);

/** id-shake256-len: SHAKE256 whose output length in bits is the parameter (RFC 8419 3.1). */
const OID_SHAKE256_LEN = '2.16.840.1.101.3.4.2.18';

export function digestByOid(oid: string): DigestInfo | null {
  return DIGESTS.get(oid) ?? null;
}

/**
 * Digest named by a SignerInfo digestAlgorithm. Some signers write a signature OID there (sha1WithRSAEncryption);
 * such an OID names its hash unambiguously, so it is read as that hash, as other verifiers do. id-shake256-len is
 * computable only with the 512 bits RFC 8419 fixes: any other length, or none, comes back without a node name.
 */
export function digestForSignerInfo(alg: AlgorithmIdentifier): DigestInfo | null {
  if (alg.oid === OID_SHAKE256_LEN) return shake256Len(alg.params);
  const direct = DIGESTS.get(alg.oid);
  if (direct) return direct;
  const named = SIGNATURE_OIDS.get(alg.oid);
  return named ? (DIGESTS.get(named[1]) ?? null) : null;
}

function shake256Len(params: Asn1 | null): DigestInfo {
  let bits: number | null = null;
  try {
    if (params) bits = decodeSmallInt(params);
  } catch {
    // Not an INTEGER, or one too large to be a length: no output length kiemky can compute.
  }
  const base = { oid: OID_SHAKE256_LEN, weak: false, xof: true };
  if (bits === 512) return { ...base, node: 'shake256-512', display: 'SHAKE256', size: 64 };
  const display = bits === null ? 'SHAKE256 with no readable output length' : `SHAKE256 with a ${bits}-bit output`;
  return { ...base, node: null, display, size: bits !== null && bits > 0 && bits % 8 === 0 ? bits / 8 : 0 };
}

export function hashBytes(nodeName: string, ...parts: Buffer[]): Buffer {
  return digestBytes(nodeName, ...parts);
}

/** 'ecdsa-plain': BSI TR-03111 ECDSA, whose signature value is r‖s at fixed length instead of a DER SEQUENCE. */
export type SignatureScheme = 'rsa' | 'rsa-pss' | 'ecdsa' | 'ecdsa-plain' | 'ed25519' | 'ed448' | 'dsa';

export interface PssParams {
  hash: DigestInfo;
  mgfHash: DigestInfo;
  saltLength: number;
}

export interface SignatureAlgorithm {
  oid: string;
  scheme: SignatureScheme;
  /** Hash applied to the signed data; null for pure EdDSA. */
  hash: DigestInfo | null;
  pss: PssParams | null;
  /** 'RSA with SHA-256', 'RSA-PSS with SHA-256', 'ECDSA with SHA-384', 'Ed25519'. */
  name: string;
  /** Signature hash is SHA-1 or weaker. */
  weak: boolean;
}

/** Signature OIDs that name their hash: oid → [scheme, digest oid]. */
const SIGNATURE_OIDS: ReadonlyMap<string, [SignatureScheme, string]> = new Map([
  ['1.2.840.113549.1.1.2', ['rsa', '1.2.840.113549.2.2']],
  ['1.2.840.113549.1.1.4', ['rsa', '1.2.840.113549.2.5']],
  ['1.2.840.113549.1.1.5', ['rsa', '1.3.14.3.2.26']],
  ['1.3.14.3.2.29', ['rsa', '1.3.14.3.2.26']],
  ['1.2.840.113549.1.1.14', ['rsa', '2.16.840.1.101.3.4.2.4']],
  ['1.2.840.113549.1.1.11', ['rsa', '2.16.840.1.101.3.4.2.1']],
  ['1.2.840.113549.1.1.12', ['rsa', '2.16.840.1.101.3.4.2.2']],
  ['1.2.840.113549.1.1.13', ['rsa', '2.16.840.1.101.3.4.2.3']],
  ['1.2.840.113549.1.1.15', ['rsa', '2.16.840.1.101.3.4.2.5']],
  ['1.2.840.113549.1.1.16', ['rsa', '2.16.840.1.101.3.4.2.6']],
  ['1.3.36.3.3.1.2', ['rsa', '1.3.36.3.2.1']],
  ['2.16.840.1.101.3.4.3.13', ['rsa', '2.16.840.1.101.3.4.2.7']],
  ['2.16.840.1.101.3.4.3.14', ['rsa', '2.16.840.1.101.3.4.2.8']],
  ['2.16.840.1.101.3.4.3.15', ['rsa', '2.16.840.1.101.3.4.2.9']],
  ['2.16.840.1.101.3.4.3.16', ['rsa', '2.16.840.1.101.3.4.2.10']],
  ['1.2.840.10045.4.1', ['ecdsa', '1.3.14.3.2.26']],
  ['1.2.840.10045.4.3.1', ['ecdsa', '2.16.840.1.101.3.4.2.4']],
  ['1.2.840.10045.4.3.2', ['ecdsa', '2.16.840.1.101.3.4.2.1']],
  ['1.2.840.10045.4.3.3', ['ecdsa', '2.16.840.1.101.3.4.2.2']],
  ['1.2.840.10045.4.3.4', ['ecdsa', '2.16.840.1.101.3.4.2.3']],
  ['2.16.840.1.101.3.4.3.9', ['ecdsa', '2.16.840.1.101.3.4.2.7']],
  ['2.16.840.1.101.3.4.3.10', ['ecdsa', '2.16.840.1.101.3.4.2.8']],
  ['2.16.840.1.101.3.4.3.11', ['ecdsa', '2.16.840.1.101.3.4.2.9']],
  ['2.16.840.1.101.3.4.3.12', ['ecdsa', '2.16.840.1.101.3.4.2.10']],
  // BSI TR-03111 ecdsa-plain-* (bsi-de 0.4.0.127.0.7 … ecdsa-plain-signatures 1.1.4.1); 7 is not assigned.
  ['0.4.0.127.0.7.1.1.4.1.1', ['ecdsa-plain', '1.3.14.3.2.26']],
  ['0.4.0.127.0.7.1.1.4.1.2', ['ecdsa-plain', '2.16.840.1.101.3.4.2.4']],
  ['0.4.0.127.0.7.1.1.4.1.3', ['ecdsa-plain', '2.16.840.1.101.3.4.2.1']],
  ['0.4.0.127.0.7.1.1.4.1.4', ['ecdsa-plain', '2.16.840.1.101.3.4.2.2']],
  ['0.4.0.127.0.7.1.1.4.1.5', ['ecdsa-plain', '2.16.840.1.101.3.4.2.3']],
  ['0.4.0.127.0.7.1.1.4.1.6', ['ecdsa-plain', '1.3.36.3.2.1']],
  ['0.4.0.127.0.7.1.1.4.1.8', ['ecdsa-plain', '2.16.840.1.101.3.4.2.7']],
  ['0.4.0.127.0.7.1.1.4.1.9', ['ecdsa-plain', '2.16.840.1.101.3.4.2.8']],
  ['0.4.0.127.0.7.1.1.4.1.10', ['ecdsa-plain', '2.16.840.1.101.3.4.2.9']],
  ['0.4.0.127.0.7.1.1.4.1.11', ['ecdsa-plain', '2.16.840.1.101.3.4.2.10']],
  ['1.2.840.10040.4.3', ['dsa', '1.3.14.3.2.26']],
  ['2.16.840.1.101.3.4.3.1', ['dsa', '2.16.840.1.101.3.4.2.4']],
  ['2.16.840.1.101.3.4.3.2', ['dsa', '2.16.840.1.101.3.4.2.1']],
]);

const SCHEME_DISPLAY: Record<SignatureScheme, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ecdsa: 'ECDSA',
  'ecdsa-plain': 'ECDSA (plain)',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  dsa: 'DSA',
};

export class UnsupportedAlgorithmError extends Error {
  readonly code = 'UNSUPPORTED_ALGORITHM';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedAlgorithmError';
  }
}

function build(oid: string, scheme: SignatureScheme, hash: DigestInfo | null, pss: PssParams | null): SignatureAlgorithm {
  let name = SCHEME_DISPLAY[scheme];
  if (hash) name += ` with ${hash.display}`;
  if (pss && pss.mgfHash.oid !== pss.hash.oid) name += ` (MGF1 ${pss.mgfHash.display})`;
  const weak = hash !== null && (hash.weak || (pss !== null && pss.mgfHash.weak));
  return { oid, scheme, hash, pss, name, weak };
}

/**
 * Resolve a signature AlgorithmIdentifier. `digestHint` is the CMS SignerInfo digest algorithm, used when the
 * signature OID names only the key type (rsaEncryption, ecPublicKey — both occur in real CMS).
 * Throws UnsupportedAlgorithmError for anything it cannot check.
 */
export function resolveSignatureAlgorithm(alg: AlgorithmIdentifier, digestHint: DigestInfo | null = null): SignatureAlgorithm {
  const named = SIGNATURE_OIDS.get(alg.oid);
  if (named) {
    const hash = digestByOid(named[1]);
    if (!hash || !hash.node) throw new UnsupportedAlgorithmError(`signature hash of ${alg.oid} is not supported`);
    return build(alg.oid, named[0], hash, null);
  }
  switch (alg.oid) {
    case OID.rsaEncryption:
    case OID.ecPublicKey:
    case OID.dsa: {
      if (!digestHint || !digestHint.node) throw new UnsupportedAlgorithmError(`${alg.oid} needs a supported digest algorithm`);
      if (digestHint.xof) throw new UnsupportedAlgorithmError(`${alg.oid} with ${digestHint.display} is not a defined signature algorithm`);
      const scheme: SignatureScheme = alg.oid === OID.rsaEncryption ? 'rsa' : alg.oid === OID.dsa ? 'dsa' : 'ecdsa';
      return build(alg.oid, scheme, digestHint, null);
    }
    case OID.rsassaPss: {
      const pss = parsePssParams(alg.params);
      return build(alg.oid, 'rsa-pss', pss.hash, pss);
    }
    case OID.ed25519:
      return build(alg.oid, 'ed25519', null, null);
    case OID.ed448:
      return build(alg.oid, 'ed448', null, null);
    default:
      throw new UnsupportedAlgorithmError(`signature algorithm ${alg.oid} is not supported`);
  }
}

/**
 * RSASSA-PSS-params (RFC 8017 A.2.3): hashAlgorithm [0] default SHA-1, maskGenAlgorithm [1] default MGF1(SHA-1),
 * saltLength [2] default 20, trailerField [3] default 1 (the only value defined).
 */
export function parsePssParams(params: Asn1 | null): PssParams {
  const sha1 = digestByOid('1.3.14.3.2.26')!;
  let hash = sha1;
  let mgfHash = sha1;
  let saltLength = 20;
  if (params && !params.isUniversal(Tag.NULL)) {
    params.expect(Tag.SEQUENCE, 'RSASSA-PSS-params');
    for (const field of params.children()) {
      if (field.tagClass !== 2) throw new Asn1Error('RSASSA-PSS-params: unexpected element', field.start);
      const inner = field.explicitInner('RSASSA-PSS-params field');
      switch (field.tagNumber) {
        case 0: {
          const h = digestByOid(parseAlgorithmIdentifier(inner).oid);
          if (!h || !h.node || h.xof) throw new UnsupportedAlgorithmError('RSA-PSS hash not supported');
          hash = h;
          break;
        }
        case 1: {
          const mgf = parseAlgorithmIdentifier(inner);
          if (mgf.oid !== OID.mgf1 || !mgf.params) throw new UnsupportedAlgorithmError('RSA-PSS mask generation other than MGF1');
          const h = digestByOid(parseAlgorithmIdentifier(mgf.params).oid);
          if (!h || !h.node || h.xof) throw new UnsupportedAlgorithmError('RSA-PSS MGF1 hash not supported');
          mgfHash = h;
          break;
        }
        case 2:
          saltLength = decodeSmallInt(inner);
          if (saltLength < 0 || saltLength > 1024) throw new Asn1Error('RSA-PSS salt length out of range', inner.start);
          break;
        case 3:
          if (decodeSmallInt(inner) !== 1) throw new UnsupportedAlgorithmError('RSA-PSS trailer field other than 1');
          break;
        default:
          throw new Asn1Error('RSASSA-PSS-params: unknown field', field.start);
      }
    }
  }
  return { hash, mgfHash, saltLength };
}

/** Verify `signature` over `data` (the full message; hashing happens here). Never throws: malformed → false. */
export function verifySignature(alg: SignatureAlgorithm, key: crypto.KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (!keyFitsScheme(key, alg.scheme)) return false;
    switch (alg.scheme) {
      case 'rsa':
        return crypto.verify(alg.hash!.node!, data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss': {
        const pss = alg.pss!;
        if (pss.mgfHash.oid === pss.hash.oid && key.asymmetricKeyType === 'rsa') {
          return crypto.verify(
            pss.hash.node!,
            data,
            { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
            signature,
          );
        }
        return verifyPssDigest(key, pss, hashBytes(pss.hash.node!, data), signature);
      }
      case 'ecdsa':
      case 'dsa':
        return crypto.verify(alg.hash!.node!, data, { key, dsaEncoding: 'der' }, signature);
      case 'ecdsa-plain':
        // r‖s at exactly twice the field size: a longer value could carry the same r and s with leading zeros.
        if (signature.length !== 2 * ecFieldBytes(key)) return false;
        return crypto.verify(alg.hash!.node!, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'ed25519':
      case 'ed448':
        return crypto.verify(null, data, key, signature);
    }
  } catch {
    return false;
  }
}

/** Whether the signature can be checked from a digest alone (no need to buffer the signed bytes). */
export function canVerifyDigest(alg: SignatureAlgorithm): boolean {
  return alg.scheme === 'rsa' || alg.scheme === 'rsa-pss';
}

/**
 * Verify a signature given only the digest of the message (legacy PKCS#7 without signed attributes over large
 * PDFs). RSA PKCS#1 v1.5: recover the DigestInfo and compare algorithm and value. RSA-PSS: EMSA-PSS-VERIFY.
 */
export function verifySignatureOverDigest(alg: SignatureAlgorithm, key: crypto.KeyObject, digest: Buffer, signature: Buffer): boolean {
  try {
    if (!keyFitsScheme(key, alg.scheme)) return false;
    if (alg.scheme === 'rsa') return verifyPkcs1DigestInfo(key, alg.hash!, digest, signature);
    if (alg.scheme === 'rsa-pss') return verifyPssDigest(key, alg.pss!, digest, signature);
    return false;
  } catch {
    return false;
  }
}

function keyFitsScheme(key: crypto.KeyObject, scheme: SignatureScheme): boolean {
  const t = key.asymmetricKeyType;
  switch (scheme) {
    case 'rsa':
      return t === 'rsa';
    case 'rsa-pss':
      return t === 'rsa' || t === 'rsa-pss';
    case 'ecdsa':
    case 'ecdsa-plain':
      return t === 'ec';
    case 'dsa':
      return t === 'dsa';
    case 'ed25519':
      return t === 'ed25519';
    case 'ed448':
      return t === 'ed448';
  }
}

// An EC key's field size, read once per key: certificate keys are made once per certificate and reused.
const fieldBytesOf = new WeakMap<crypto.KeyObject, number>();

/**
 * Bytes of an EC key's field elements, from its public point (X9.62: 04‖x‖y, or 02/03‖x compressed), so any named
 * curve node:crypto loads is covered. Throws for anything else.
 */
function ecFieldBytes(key: crypto.KeyObject): number {
  let n = fieldBytesOf.get(key);
  if (n === undefined) {
    const spki = parseDer(key.export({ format: 'der', type: 'spki' })).expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
    const point = decodeBitString(spki.child(1)).bytes;
    if (point[0] === 0x04 && point.length % 2 === 1) n = (point.length - 1) / 2;
    else if ((point[0] === 0x02 || point[0] === 0x03) && point.length > 1) n = point.length - 1;
    else throw new Error('EC public point of unknown form');
    fieldBytesOf.set(key, n);
  }
  return n;
}

function modulusBits(key: crypto.KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new Error('not an RSA key');
  return bits;
}

/** RSA public operation without padding: s^e mod n, left-padded to the modulus length. */
function rsaPublicRaw(key: crypto.KeyObject, signature: Buffer): Buffer | null {
  const k = Math.ceil(modulusBits(key) / 8);
  if (signature.length !== k) return null; // RFC 8017 8.2.2 step 1: length must equal k
  return crypto.publicDecrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, signature);
}

function verifyPkcs1DigestInfo(key: crypto.KeyObject, hash: DigestInfo, digest: Buffer, signature: Buffer): boolean {
  if (digest.length !== hash.size) return false;
  const di = recoverPkcs1DigestInfo(key, signature);
  if (di === null || di.oid !== hash.oid) return false;
  return di.digest.length === digest.length && crypto.timingSafeEqual(di.digest, digest);
}

/**
 * The DigestInfo a PKCS#1 v1.5 signature holds (RFC 8017 9.2), or null unless all of it is well formed: a value as
 * long as the modulus, a type-1 block, a DER DigestInfo with nothing after it, parameters absent or NULL. Only the
 * key's owner can make one; which digest it names is read from it, and is still to be compared with the message's.
 * Never throws.
 */
export function recoverPkcs1DigestInfo(key: crypto.KeyObject, signature: Buffer): { oid: string; digest: Buffer } | null {
  try {
    if (key.asymmetricKeyType !== 'rsa') return null;
    const k = Math.ceil(modulusBits(key) / 8);
    if (signature.length !== k) return null;
    // publicDecrypt with PKCS#1 padding strips and checks the type-1 block (00 01 FF…FF 00).
    const recovered = crypto.publicDecrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
    const di = parseDer(recovered);
    di.expect(Tag.SEQUENCE, 'DigestInfo');
    const c = di.children();
    if (c.length !== 2) return null;
    const algId = parseAlgorithmIdentifier(c[0]!);
    // Parameters must be absent or NULL: anything else would let bytes hide inside the DigestInfo.
    if (algId.params && !(algId.params.isUniversal(Tag.NULL) && algId.params.length === 0)) return null;
    // DER: the digest is a primitive OCTET STRING, never one assembled from segments.
    if (c[1]!.constructed) return null;
    return { oid: algId.oid, digest: decodeOctetString(c[1]!) };
  } catch {
    return null;
  }
}

/** RSA PKCS#1 v1.5 with `hash`, for signatures whose format names no AlgorithmIdentifier (adbe.x509.rsa_sha1). */
export function rsaPkcs1Algorithm(hash: DigestInfo): SignatureAlgorithm {
  return build(OID.rsaEncryption, 'rsa', hash, null);
}

/** MGF1 (RFC 8017 B.2.1). */
function mgf1(hashName: string, seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let counter = 0; filled < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = hashBytes(hashName, seed, c);
    block.copy(out, filled, 0, Math.min(block.length, length - filled));
    filled += block.length;
  }
  return out;
}

/** EMSA-PSS-VERIFY (RFC 8017 9.1.2) over a precomputed message hash. */
function verifyPssDigest(key: crypto.KeyObject, pss: PssParams, mHash: Buffer, signature: Buffer): boolean {
  const hLen = pss.hash.size;
  const sLen = pss.saltLength;
  if (mHash.length !== hLen) return false;
  const modBits = modulusBits(key);
  const m = rsaPublicRaw(key, signature);
  if (!m) return false;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  // m has k octets; when emLen < k the leading octet must be zero.
  if (m.length < emLen) return false;
  for (let i = 0; i < m.length - emLen; i++) if (m[i] !== 0) return false;
  const em = m.subarray(m.length - emLen);
  if (emLen < hLen + sLen + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  const topMask = (0xff << (8 - zeroBits)) & 0xff;
  if ((maskedDb[0]! & topMask) !== 0) return false;
  const dbMask = mgf1(pss.mgfHash.node!, h, maskedDb.length);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ dbMask[i]!;
  db[0] = db[0]! & (0xff >> zeroBits);
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = hashBytes(pss.hash.node!, Buffer.alloc(8), mHash, salt);
  return crypto.timingSafeEqual(h, h2);
}
