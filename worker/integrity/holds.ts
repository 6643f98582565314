/**
 * Whether a signature's integrity holds, from its facts alone (no trust store): the /ByteRange is exactly what it
 * must be, the CMS parsed, its digest matches the signed bytes and its signature verifies with the signer's key.
 * Fact collection (the change analysis asks which signatures vouch for a revision) and the policy both ask.
 */

/** What integrity is read from: the byte-range judgement and the CMS facts of one signature. */
export interface IntegrityFacts {
  byteRange: { problems: unknown[] };
  cms: { problems: { code: string }[]; digestMatches: boolean; signatureValid: boolean } | null;
  cmsError: unknown;
}

/** Problems a CMS may carry that do not touch integrity: they are reported, but the signature still holds. */
const NON_BREAKING = (code: string): boolean => code.startsWith('TIMESTAMP_') || code === 'MULTIPLE_SIGNERS';

export function integrityHolds(s: IntegrityFacts): boolean {
  return (
    s.byteRange.problems.length === 0 &&
    s.cmsError === null &&
    s.cms !== null &&
    s.cms.problems.every((p) => NON_BREAKING(p.code)) &&
    s.cms.digestMatches &&
    s.cms.signatureValid
  );
}
