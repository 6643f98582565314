/** SubjectPublicKeyInfo (RFC 5280 4.1.2.7): key type and size, read from the DER without creating a KeyObject. */
import { Asn1, Asn1Error, Tag, decodeBitString, decodeOid, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { parseAlgorithmIdentifier } from './algorithms';

export type KeyAlgorithm = 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';

export interface SpkiFacts {
  algorithm: KeyAlgorithm;
  bits: number;
  curve: string | null;
  /** Contents of the subjectPublicKey BIT STRING. */
  publicKeyBits: Buffer;
}

/** Named curves: OID → [name, field size in bits]. */
const CURVES: ReadonlyMap<string, [string, number]> = new Map([
  ['1.2.840.10045.3.1.7', ['P-256', 256]],
  ['1.3.132.0.34', ['P-384', 384]],
  ['1.3.132.0.35', ['P-521', 521]],
  ['1.3.132.0.10', ['secp256k1', 256]],
  ['1.3.36.3.3.2.8.1.1.7', ['brainpoolP256r1', 256]],
  ['1.3.36.3.3.2.8.1.1.11', ['brainpoolP384r1', 384]],
  ['1.3.36.3.3.2.8.1.1.13', ['brainpoolP512r1', 512]],
]);

export function parseSpki(node: Asn1): SpkiFacts {
  node.expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const c = node.children();
  if (c.length !== 2) throw new Asn1Error('SubjectPublicKeyInfo must have 2 elements', node.start);
  const alg = parseAlgorithmIdentifier(c[0]!);
  const bits = decodeBitString(c[1]!);
  if (bits.unusedBits !== 0) throw new Asn1Error('public key BIT STRING with unused bits', c[1]!.start);
  const key = bits.bytes;
  switch (alg.oid) {
    case OID.rsaEncryption:
    case OID.rsassaPss: {
      const rsa = parseDer(key).expect(Tag.SEQUENCE, 'RSAPublicKey');
      const modulus = rsa.child(0).expect(Tag.INTEGER, 'modulus').content;
      return { algorithm: alg.oid === OID.rsaEncryption ? 'RSA' : 'RSA-PSS', bits: unsignedBitLength(modulus), curve: null, publicKeyBits: key };
    }
    case OID.ecPublicKey: {
      // Only named curves: explicit parameters are a known attack surface (CVE-2020-0601) and unused in practice.
      const p = alg.params;
      const curveOid = p && p.isUniversal(Tag.OID) ? decodeOid(p) : null;
      const known = curveOid ? CURVES.get(curveOid) : undefined;
      return { algorithm: 'EC', bits: known?.[1] ?? 0, curve: known?.[0] ?? curveOid, publicKeyBits: key };
    }
    case OID.ed25519:
      return { algorithm: 'Ed25519', bits: 256, curve: null, publicKeyBits: key };
    case OID.ed448:
      return { algorithm: 'Ed448', bits: 456, curve: null, publicKeyBits: key };
    case OID.dsa: {
      const p = alg.params?.isUniversal(Tag.SEQUENCE) ? alg.params.child(0).expect(Tag.INTEGER, 'p').content : null;
      return { algorithm: 'DSA', bits: p ? unsignedBitLength(p) : 0, curve: null, publicKeyBits: key };
    }
    default:
      return { algorithm: 'unknown', bits: 0, curve: null, publicKeyBits: key };
  }
}

function unsignedBitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}
