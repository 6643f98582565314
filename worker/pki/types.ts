import type { CertificateList } from './crl';
import type { CaCategory, CertificateStatus } from '../report';
import type { Certificate } from './certificate';

export interface TrustAnchor {
  certificate: Certificate;
  category: 'government' | 'public';
  /** Provider name: the sub-folder of public/ (or government/) the file sits in; null at the top of the folder. */
  provider: string | null;
  file: string;
}

export interface StoredIntermediate {
  certificate: Certificate;
  category: 'government' | 'public';
  provider: string | null;
  file: string;
}

export interface CertProblem {
  code: string; // CHAIN_NOT_FOUND, CERT_EXPIRED, CERT_NOT_YET_VALID, CA_EXPIRED, CERT_REVOKED, BASIC_CONSTRAINTS, KEY_USAGE, CRL_INVALID …
  detail: string;
  /** SHA-256 fingerprint of the certificate concerned. */
  certificate?: string;
}

export interface RevocationFacts {
  /** Some CRL or OCSP response covering the signer was found and verified. */
  checked: boolean;
  source: 'crl' | 'ocsp' | null;
  revoked: boolean;
  /** When revoked: the revocation time. */
  revokedAt: Date | null;
  reason: string | null;
}

export interface CertValidation {
  status: CertificateStatus;
  category: CaCategory;
  provider: string | null;
  /** Subject (CN) of the pinned root the chain builds to. */
  root: string | null;
  /** Leaf first, anchor last; just the leaf when no chain was built. */
  chain: Certificate[];
  revocation: RevocationFacts;
  /** Fingerprints of the path's certificates whose revocation status some verified CRL or OCSP response gave. */
  revocationChecked: readonly string[];
  problems: CertProblem[];
}

/** The pinned roots, the known intermediates and the CRLs of a trust store folder (government/, public/, crl/). */
export interface TrustStore {
  anchors: TrustAnchor[];
  intermediates: StoredIntermediate[];
  /** CRLs found under crl/, decoded when the store is loaded. */
  crls: CertificateList[];
  /** Folder it was loaded from, or null for a store built in memory. */
  source: string | null;
}
