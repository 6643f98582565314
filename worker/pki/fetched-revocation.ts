import type { Certificate } from './certificate';
import { NO_REVOCATION_DATA, decodeRevocation, type RevocationData } from './revocation';

/**
 * Revocation fetched from the network (`--revocation online`), handed to the policy as data. The core never opens a
 * socket: verifyDocument asks an injected fetcher (server side) for what the document's chains need, between
 * collecting the facts and judging them, so the policy stays a pure function of facts, trust store and this data.
 */

/** A certificate whose revocation can be asked for, with the CA that issued it (whose key must sign the answer). */
export interface RevocationTarget {
  certificate: Certificate;
  issuer: Certificate;
}

export type RevocationProblemCode = 'REVOCATION_SOURCE_UNREACHABLE' | 'REVOCATION_RESPONSE_INVALID';

/** A source named by a certificate that gave nothing usable. */
export interface RevocationProblem {
  code: RevocationProblemCode;
  /** SHA-256 fingerprint of the certificate whose status was asked for. */
  certificate: string;
  url: string;
  /** Why, in English (a network error, a size limit, a bad signature…). */
  reason: string;
}

/** One source failing for one certificate in one way: what is said once, kept once and counted once. */
export function problemKey(p: RevocationProblem): string {
  return `${p.code} ${p.certificate} ${p.url}`;
}

/** What a fetch brought: DER (so a stored record can keep the bytes) and the sources that failed. */
export interface FetchedRevocation {
  crls: Buffer[];
  ocsps: Buffer[];
  problems: RevocationProblem[];
}

export interface RevocationFetcher {
  fetch(targets: readonly RevocationTarget[]): Promise<FetchedRevocation>;
}

/** Fetched data as the policy reads it: decoded once, with the problems beside it. */
export interface FetchedEvidence {
  revocation: RevocationData;
  problems: readonly RevocationProblem[];
}

export const NO_FETCHED_EVIDENCE: FetchedEvidence = { revocation: NO_REVOCATION_DATA, problems: [] };

export function decodeFetched(f: FetchedRevocation): FetchedEvidence {
  return { revocation: decodeRevocation(f.crls, f.ocsps), problems: f.problems };
}
