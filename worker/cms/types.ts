import type { Certificate } from '../pki/certificate';

/**
 * What a signature's CMS blob says and whether its cryptography holds, with no trust judgement: the chain, the
 * dates and the CA category are the pki layer's; the verdict is the policy layer's.
 */

export interface CmsProblem {
  /** Stable code, e.g. CMS_MALFORMED, MESSAGE_DIGEST_MISMATCH, SIGNATURE_INVALID, SIGNER_NOT_FOUND. */
  code: string;
  detail: string;
}

export interface TimestampFacts {
  genTime: Date;
  /** Hash algorithm of the message imprint (display name, e.g. 'SHA-256'). */
  imprintAlgorithm: string | null;
  /** The imprint equals the hash of what the token must cover (the signature value, or the signed bytes). */
  imprintMatches: boolean;
  /** The token's own CMS signature verifies with the TSA certificate's key. */
  signatureValid: boolean;
  tsaCertificate: Certificate | null;
  /** Certificates carried in the token. */
  certificates: Certificate[];
  problems: CmsProblem[];
}

export interface CmsSignatureFacts {
  /** Digest algorithm of the SignerInfo, display name ('SHA-256'), or null when unreadable. */
  digestAlgorithm: string | null;
  /** e.g. 'RSA (PKCS#1 v1.5) with SHA-256', 'RSA-PSS with SHA-256', 'ECDSA with SHA-384'. */
  signatureAlgorithm: string | null;
  /** The digest or the signature's hash is SHA-1 or weaker (MD5, MD2, RIPEMD-160 …). */
  weakAlgorithm: boolean;
  signerCertificate: Certificate | null;
  certificates: Certificate[];
  signedAttributesPresent: boolean;
  /** messageDigest (or the adbe.pkcs7.sha1 eContent, or a document timestamp's imprint) equals the digest of the signed bytes. */
  digestMatches: boolean;
  /** The signature verifies with the signer certificate's public key. */
  signatureValid: boolean;
  signingCertificateAttribute: 'absent' | 'match' | 'mismatch';
  /** signingTime signed attribute. */
  claimedSigningTime: Date | null;
  /** Signature timestamp token (unsigned attribute id-aa-timeStampToken), or for a document timestamp its own token. */
  timestamp: TimestampFacts | null;
  /** Revocation data carried by the CMS: SignedData crls and adbe-revocationInfoArchival. DER. */
  crls: Buffer[];
  ocsps: Buffer[];
  /** Everything that makes integrity fail; empty when digest and signature both hold. */
  problems: CmsProblem[];
}

/** What the caller must hash over the signed byte ranges before the CMS can be finished. */
export interface DigestPlan {
  /** Node hash names ('sha256', 'sha1' …) whose digests of the signed bytes are needed. */
  algorithms: string[];
  /** The signature covers the signed bytes directly (no signed attributes): the raw bytes are needed. */
  needsContent: boolean;
}
