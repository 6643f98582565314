/**
 * adbe.x509.rsa_sha1 signatures (ISO 32000-1 12.8.3.2): no CMS at all. /Contents is a PKCS#1 v1.5 RSA signature
 * over the digest of the signed bytes, as a DER OCTET STRING (or, as some writers leave it, the bare value), and
 * the signer's certificate, then its chain, go in the signature dictionary's /Cert.
 */
import { constants, createHash, privateEncrypt, sign as cryptoSign } from 'node:crypto';
import { octets } from './der';
import { type HashName } from './pki-alg';
import type { TestIdentity } from './test-pki';

export interface RawRsaOptions {
  signer: TestIdentity;
  /** The hash the DigestInfo names and holds; default SHA-1, as the SubFilter's name says. */
  digest?: HashName;
  /** Default true: the DER OCTET STRING around the value. false: the bare value (it is then followed by zero padding). */
  wrap?: boolean;
  /**
   * Negative tests: the DigestInfo to sign in place of the right one, given the digest of the signed bytes (a
   * wrong algorithm, parameters that are neither absent nor NULL, bytes after it …).
   */
  digestInfo?: (digest: Buffer) => Buffer;
}

/** The /Contents bytes of an adbe.x509.rsa_sha1 signature over `signedBytes`. */
export function signX509RsaSha1(signedBytes: Buffer, o: RawRsaOptions): Buffer {
  const h = o.digest ?? 'sha1';
  let value: Buffer;
  if (o.digestInfo) {
    // privateEncrypt with PKCS#1 padding is the type-1 (signature) block around exactly the bytes given.
    const di = o.digestInfo(createHash(h).update(signedBytes).digest());
    value = privateEncrypt({ key: o.signer.key, padding: constants.RSA_PKCS1_PADDING }, di);
  } else {
    value = cryptoSign(h, signedBytes, { key: o.signer.key, padding: constants.RSA_PKCS1_PADDING });
  }
  return o.wrap === false ? value : octets(value);
}
