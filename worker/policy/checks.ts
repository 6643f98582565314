import type { Checks, Finding } from '../report';
import { finding } from './messages';
import type { SignatureJudgement } from './signature';

/**
 * The six checks of a document, one function each, listed in the order the report gives them (after EU DSS's one
 * check per constraint). Each reads the judged signatures and the change analysis' verdict, nothing else.
 */

export interface CheckInput {
  judged: readonly SignatureJudgement[];
  /** After the first signature only signatures; after the last only a DSS or a document timestamp (changes.ts). */
  changesIntact: boolean;
  /** Bytes after the last %%EOF that are not an update. */
  trailingBytes: number;
}

const approvals = (i: CheckInput): SignatureJudgement[] => i.judged.filter((j) => !j.facts.isDocumentTimestamp);
const validApprovals = (i: CheckInput): SignatureJudgement[] => approvals(i).filter((j) => j.integrity);
const revisionOf = (j: SignatureJudgement): number => j.facts.pdf.revision ?? -1;

export const CHECKS: readonly { name: keyof Checks; holds: (i: CheckInput) => boolean }[] = [
  /** At least one signature (a document timestamp is nobody's) with valid integrity. */
  { name: 'signed', holds: (i) => validApprovals(i).length > 0 },
  /** A valid personal signature, then, in a later revision, a valid organization signature (ND 30, Art. 5, 14, 32). */
  {
    name: 'twoLayer',
    holds: (i) => {
      const valid = validApprovals(i);
      return valid.some((p) => p.kind === 'personal' && valid.some((o) => o.kind === 'organization' && revisionOf(o) > revisionOf(p)));
    },
  },
  /** A signature, and every signature chains to a government (BCY) root. */
  { name: 'governmentCa', holds: (i) => approvals(i).length > 0 && approvals(i).every((j) => j.report.ca.category === 'government') },
  /** A signature, all of them with valid integrity, nothing after signing but what the change analysis allows. */
  {
    name: 'intact',
    holds: (i) =>
      i.judged.length > 0 &&
      i.judged.every((j) => j.integrity) &&
      i.judged.every((j) => j.report.changesAfter !== 'disallowed') &&
      i.changesIntact &&
      i.trailingBytes === 0,
  },
  /** Every signer certificate valid (trusted, not expired, not yet valid nor revoked) at its signing time. */
  { name: 'certificatesValid', holds: (i) => i.judged.length > 0 && i.judged.every((j) => j.report.certificate === 'valid') },
  /** No document signature hashes with SHA-1 or weaker (the CAs' own signatures do not count). */
  { name: 'strongAlgorithms', holds: (i) => i.judged.every((j) => !j.report.weakAlgorithm) },
];

export function runChecks(input: CheckInput): Checks {
  const out = {} as Record<keyof Checks, boolean>;
  for (const c of CHECKS) out[c.name] = c.holds(input);
  return out;
}

/** Why a signed document is not two-layer, or that it is not signed at all: the first thing the clerk must read. */
export function signingGap(input: CheckInput, checks: Checks): Finding | null {
  if (!checks.signed) return finding('NOT_SIGNED');
  if (checks.twoLayer) return null;
  const valid = validApprovals(input);
  if (!valid.some((j) => j.kind === 'personal')) return finding('NO_PERSONAL_SIGNATURE');
  if (!valid.some((j) => j.kind === 'organization')) return finding('NO_ORGANIZATION_SIGNATURE');
  return finding('WRONG_SIGNING_ORDER');
}
