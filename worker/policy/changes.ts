import type { PdfStructure } from '../pdf/types';

/**
 * What happened after each signature, revision by revision. A later revision is explained only when it is the
 * revision of another signature (or document timestamp) with valid integrity, or a DSS update; anything else is
 * an unsigned change made after signing (the incremental saving attack) and is disallowed.
 *
 * This is the coarse first layer; object-level diff rules (what a signature revision itself may change) belong to
 * the change analysis of the next issue and plug in through `RevisionExplainer`.
 */

export type RevisionExplanation =
  | { kind: 'signature'; signature: number }
  | { kind: 'dss' }
  | { kind: 'unexplained'; detail: string };

export interface RevisionExplainer {
  /** Explains revision `rev` (> 0) relative to `rev - 1`. */
  explain(rev: number): RevisionExplanation;
}

export interface ChangesJudgement {
  /** Per signature (same order as structure.signatures): none / allowed / disallowed. */
  changesAfter: ('none' | 'allowed' | 'disallowed')[];
  /** Unexplained revisions, for findings. */
  unexplained: { revision: number; detail: string }[];
}

export function judgeChanges(structure: PdfStructure, explainer: RevisionExplainer): ChangesJudgement {
  const last = structure.revisions.length - 1;
  const explanations = new Map<number, RevisionExplanation>();
  for (let rev = 1; rev <= last; rev++) explanations.set(rev, explainer.explain(rev));

  const unexplained: { revision: number; detail: string }[] = [];
  for (const [revision, e] of explanations) if (e.kind === 'unexplained') unexplained.push({ revision, detail: e.detail });

  const changesAfter = structure.signatures.map((sig) => {
    if (sig.revision === null) return 'disallowed' as const;
    let verdict: 'none' | 'allowed' | 'disallowed' = 'none';
    for (let rev = sig.revision + 1; rev <= last; rev++) {
      const e = explanations.get(rev);
      if (!e || e.kind === 'unexplained') return 'disallowed' as const;
      verdict = 'allowed';
    }
    if (structure.trailingBytes > 0) return 'disallowed' as const;
    return verdict;
  });
  return { changesAfter, unexplained };
}
