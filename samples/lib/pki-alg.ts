/**
 * Signing for every sample encoder (node:crypto, synchronous), and the AlgorithmIdentifiers the hand-written
 * certificate and CRL/OCSP encoders write, chosen from the signing key's type. The pkijs encoders build their own
 * AlgorithmIdentifiers with asn1js (cms-pkijs.ts, x509-pkijs.ts) from the OIDs exported here.
 */
import { sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import { explicit, int, nul, oid, seq } from './der';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';
/** A CMS digest: a hash, or SHAKE256 at 512 bits (RFC 8419), which only EdDSA (Ed448) signers pair with. */
export type DigestName = HashName | 'shake256';
export type RsaScheme = 'pkcs1' | 'pss';

export const DIGEST_OID: Record<HashName, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

export const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export const RSA_PKCS1_OID: Record<HashName, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};

/** BSI TR-03111 ecdsa-plain-SHA*: the signature value is r‖s, not a DER SEQUENCE. */
export const ECDSA_PLAIN_OID: Record<HashName, string> = {
  sha1: '0.4.0.127.0.7.1.1.4.1.1',
  sha256: '0.4.0.127.0.7.1.1.4.1.3',
  sha384: '0.4.0.127.0.7.1.1.4.1.4',
  sha512: '0.4.0.127.0.7.1.1.4.1.5',
};

export const ECDSA_OID: Record<HashName, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_MGF1 = '1.2.840.113549.1.1.8';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_SHAKE256 = '2.16.840.1.101.3.4.2.12';
export const OID_SHAKE256_LEN = '2.16.840.1.101.3.4.2.18';

/**
 * Digest AlgorithmIdentifier. Parameters are omitted for SHA-2 (RFC 5754 "SHOULD omit");
 * SHA-1 carries NULL as most legacy producers (and RFC 3370 examples) do.
 */
export function digestAlgId(h: HashName): Buffer {
  return h === 'sha1' ? seq(oid(DIGEST_OID.sha1), nul()) : seq(oid(DIGEST_OID[h]));
}

export type KeyKind = 'rsa' | 'ec' | 'ed25519' | 'ed448';

export function keyKind(key: KeyObject): KeyKind {
  const t = key.asymmetricKeyType;
  if (t === 'rsa' || t === 'rsa-pss') return 'rsa';
  if (t === 'ec') return 'ec';
  if (t === 'ed25519') return 'ed25519';
  if (t === 'ed448') return 'ed448';
  throw new Error(`unsupported key type ${String(t)}`);
}

/** RSASSA-PSS-params; DER omits components equal to their DEFAULT (SHA-1, MGF1-SHA-1, salt 20). */
function pssParams(h: HashName): Buffer {
  const parts: Buffer[] = [];
  if (h !== 'sha1') {
    parts.push(explicit(0, digestAlgId(h)));
    parts.push(explicit(1, seq(oid(OID_MGF1), digestAlgId(h))));
  }
  if (HASH_LENGTH[h] !== 20) parts.push(explicit(2, int(HASH_LENGTH[h])));
  return seq(...parts);
}

/** ECDSA signature value: a DER SEQUENCE of r and s (X9.62), or r‖s at fixed length (BSI TR-03111 "plain"). */
export type EcdsaEncoding = 'der' | 'plain';

/** The hash a signature by `key` applies itself; EdDSA takes none, and no RSA or ECDSA OID here pairs with SHAKE. */
function signatureHash(key: KeyObject, h: DigestName): HashName {
  if (h === 'shake256') throw new Error(`no ${keyKind(key)} signature algorithm with SHAKE256 in the test PKI`);
  return h;
}

/** signatureAlgorithm AlgorithmIdentifier for a signature by `key`. */
export function signatureAlgId(key: KeyObject, h: DigestName, scheme: RsaScheme = 'pkcs1', ecdsa: EcdsaEncoding = 'der'): Buffer {
  switch (keyKind(key)) {
    case 'rsa': {
      const hash = signatureHash(key, h);
      return scheme === 'pss' ? seq(oid(OID_RSASSA_PSS), pssParams(hash)) : seq(oid(RSA_PKCS1_OID[hash]), nul());
    }
    case 'ec':
      return seq(oid((ecdsa === 'plain' ? ECDSA_PLAIN_OID : ECDSA_OID)[signatureHash(key, h)]));
    case 'ed25519':
      return seq(oid(OID_ED25519));
    case 'ed448':
      return seq(oid(OID_ED448));
  }
}

/** Signs `data` (hashing it with `h`, except EdDSA, which signs the message itself). */
export function signData(key: KeyObject, h: DigestName, data: Buffer, scheme: RsaScheme = 'pkcs1', ecdsa: EcdsaEncoding = 'der'): Buffer {
  switch (keyKind(key)) {
    case 'rsa': {
      const hash = signatureHash(key, h);
      if (scheme === 'pss') {
        return cryptoSign(hash, data, {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: HASH_LENGTH[hash],
        });
      }
      return cryptoSign(hash, data, { key, padding: constants.RSA_PKCS1_PADDING });
    }
    case 'ec':
      return cryptoSign(signatureHash(key, h), data, { key, dsaEncoding: ecdsa === 'plain' ? 'ieee-p1363' : 'der' });
    case 'ed25519':
    case 'ed448':
      return cryptoSign(null, data, key);
  }
}
