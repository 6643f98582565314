import type { PdfStructure } from '../pdf/types';
import type { Finding } from '../report';
import { describeViolation } from './diff/labels';
import type { ChangeViolation, RuleName } from './diff/types';
import { finding } from './messages';

/**
 * What happened after each signature, revision by revision. Every revision after the first signed one is
 * compared object by object with the one before it (worker/policy/diff); a revision is allowed when every object
 * it writes or frees is explained by a named rule. One violation in revision r makes `changesAfter` disallowed
 * for every signature made before r, and it is reported once, object by object, for the inspector.
 */

interface ExplanationCommon {
  /** Rules that explained at least one object of the revision. */
  rules?: RuleName[];
  /** Changes no rule explains; empty or absent for an allowed revision. */
  violations?: ChangeViolation[];
}

export type RevisionExplanation = ExplanationCommon &
  (
    | { kind: 'signature'; signature: number }
    | { kind: 'dss' }
    /** An allowed update that is not a signature: metadata, form filling, a DSS with something else allowed. */
    | { kind: 'update' }
    /** A revision at or before the first signature: nothing signed can be affected, so it is not analysed. */
    | { kind: 'before-signing' }
    | { kind: 'unexplained'; detail: string }
  );

export interface RevisionExplainer {
  /** Explains revision `rev` (> 0) relative to `rev - 1`. */
  explain(rev: number): RevisionExplanation;
}

export interface ChangesJudgement {
  /** Per signature (same order as structure.signatures): none / allowed / disallowed. */
  changesAfter: ('none' | 'allowed' | 'disallowed')[];
  /** Revisions after a signature with disallowed changes, for findings and summaries. */
  unexplained: { revision: number; detail: string }[];
  /** Findings naming every disallowed change (object, page, kind), in Vietnamese with English. */
  findings: Finding[];
}

/** Per-object findings reported for one revision; the rest are counted in the revision's summary. */
const MAX_OBJECT_FINDINGS = 12;

export function isDisallowed(e: RevisionExplanation | undefined): boolean {
  return e === undefined || e.kind === 'unexplained' || (e.violations?.length ?? 0) > 0;
}

export function judgeChanges(structure: PdfStructure, explainer: RevisionExplainer): ChangesJudgement {
  const last = structure.revisions.length - 1;
  const explanations = new Map<number, RevisionExplanation>();
  for (let rev = 1; rev <= last; rev++) explanations.set(rev, explainer.explain(rev));

  const signedRevisions = structure.signatures.map((s) => s.revision).filter((r): r is number => r !== null);
  const firstSigned = signedRevisions.length > 0 ? Math.min(...signedRevisions) : Infinity;

  const unexplained: { revision: number; detail: string }[] = [];
  const findings: Finding[] = [];
  for (const [revision, e] of explanations) {
    // Changes before anything was signed are the document itself.
    if (revision <= firstSigned || !isDisallowed(e)) continue;
    const violations = e.violations ?? [];
    const detail = e.kind === 'unexplained' ? e.detail : violations.map((v) => describeViolation(v).vi).slice(0, 3).join('; ');
    unexplained.push({ revision, detail });
    if (e.kind === 'signature') {
      findings.push(finding('SIGNATURE_REVISION_EXTRA_CHANGES', { revision, signer: e.signature, count: violations.length }));
    } else {
      // Object numbers read the same in both languages; the per-object findings below say what each one is.
      const nums = violations.map((v) => v.object).filter((n): n is number => n !== null);
      const list = nums.length > 8 ? `${nums.slice(0, 8).join(', ')}, … (${nums.length})` : nums.join(', ');
      const what = e.kind === 'unexplained' ? e.detail : list ? `obj ${list}` : '';
      findings.push(finding('MODIFIED_AFTER_SIGNING', { revision, detail: what }));
    }
    for (const v of violations.slice(0, MAX_OBJECT_FINDINGS)) {
      const d = describeViolation(v);
      findings.push(finding('DISALLOWED_CHANGE', { revision, what: d.vi, whatEn: d.en }));
    }
  }

  const changesAfter = structure.signatures.map((sig) => {
    if (sig.revision === null) return 'disallowed' as const;
    let verdict: 'none' | 'allowed' | 'disallowed' = 'none';
    for (let rev = sig.revision + 1; rev <= last; rev++) {
      if (isDisallowed(explanations.get(rev))) return 'disallowed' as const;
      verdict = 'allowed';
    }
    // Bytes after the last %%EOF that are not an update: nothing can say what they are for.
    if (structure.trailingBytes > 0) return 'disallowed' as const;
    return verdict;
  });
  return { changesAfter, unexplained, findings };
}
