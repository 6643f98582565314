import { DocumentError, type Budget } from '../errors';
import type { PdfDocument } from '../pdf/index';
import type { PdfSignatureInfo, PdfStructure } from '../pdf/types';
import { analyzeRevision } from './analyze';
import type { RevisionPolicy } from './context';
import type { RevisionExplanation, RuleName } from './types';
import { integrityHolds, type IntegrityFacts } from '../integrity/holds';

/**
 * Explains each incremental revision after the first signature by comparing it, object by object, with the
 * revision before it (analyze.ts). A revision is the revision of a signature (with valid integrity), a
 * DSS update, another allowed update (metadata, form filling), or carries violations: changes no named rule
 * explains, each with its object, page and kind.
 */

interface SigLike extends IntegrityFacts {
  index: number;
  pdf: Pick<PdfSignatureInfo, 'revision'> & Partial<Pick<PdfSignatureInfo, 'objectNumber' | 'type' | 'subFilter' | 'references' | 'certification'>>;
}

export function explainRevisions(doc: PdfDocument, structure: PdfStructure, sigs: SigLike[], budget: Budget): (RevisionExplanation | null)[] {
  const out: (RevisionExplanation | null)[] = [null];
  const signed = sigs.map((s) => s.pdf.revision).filter((r): r is number => r !== null);
  const firstSigned = signed.length > 0 ? Math.min(...signed) : Infinity;
  const lastVouched = lastVouchedRevision(sigs);
  // Every update after the first signature is read whole, as a repairing reader reads it, before any is judged.
  if (Number.isFinite(firstSigned)) doc.revealUnlistedObjects(firstSigned + 1);
  for (let rev = 1; rev < structure.revisions.length; rev++) {
    budget.check();
    if (rev <= firstSigned) {
      out.push({ kind: 'before-signing' });
      continue;
    }
    out.push(explainOne(doc, structure, sigs, rev, rev <= lastVouched));
  }
  return out;
}

/**
 * The newest revision a valid approval signature covers. A document timestamp is nobody's signature: it proves
 * when the bytes existed, not that anyone approved them, so it vouches for nothing.
 */
function lastVouchedRevision(sigs: SigLike[]): number {
  let last = -1;
  for (const s of sigs) {
    const timestamp = s.pdf.type === 'DocTimeStamp' || s.pdf.subFilter === 'ETSI.RFC3161';
    if (!timestamp && s.pdf.revision !== null && integrityHolds(s)) last = Math.max(last, s.pdf.revision);
  }
  return last;
}

function explainOne(doc: PdfDocument, structure: PdfStructure, sigs: SigLike[], rev: number, vouched: boolean): RevisionExplanation {
  const signer = sigs.find((s) => s.pdf.revision === rev && integrityHolds(s)) ?? null;
  const policy = policyFor(structure, sigs, rev, signer, vouched);
  let diff;
  try {
    diff = analyzeRevision(doc, rev, policy);
  } catch (e) {
    // Running out of time or memory is the document's verdict; anything else only loses this revision's analysis.
    if (e instanceof DocumentError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw e;
    return { kind: 'unexplained', detail: `analysis failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const rules = [...new Set(diff.explained.map((x) => x.rule))] as RuleName[];
  const common = {
    rules,
    violations: diff.violations,
    ...(diff.unvouched !== null ? { unvouched: diff.unvouched, docMdpP: policy.docMdpP } : {}),
  };
  if (signer) return { kind: 'signature', signature: signer.index, ...common };
  if (rules.includes('rule_dss_update') && rules.every((r) => DSS_ONLY.has(r))) return { kind: 'dss', ...common };
  return { kind: 'update', ...common };
}

const DSS_ONLY = new Set<RuleName>(['rule_dss_update', 'rule_catalog_allowed_keys', 'rule_xref_structure', 'rule_unchanged_rewrite']);

/** What the signatures made before `rev` permit: DocMDP P of a certification, FieldMDP locks. */
function policyFor(structure: PdfStructure, sigs: SigLike[], rev: number, signer: SigLike | null, vouched: boolean): RevisionPolicy {
  const before = sigs.filter((s) => s.pdf.revision !== null && s.pdf.revision < rev);
  let docMdpP: number | null = null;
  for (const s of before) {
    if (!s.pdf.certification) continue;
    const p = s.pdf.references?.find((r) => r.transformMethod === 'DocMDP')?.permission ?? structure.docMdp?.permission ?? 2;
    docMdpP = docMdpP === null ? p : Math.min(docMdpP, p);
  }
  const locks = before.flatMap((s) => (s.pdf.references ?? []).filter((r) => r.transformMethod === 'FieldMDP'));
  const isLocked = (name: string): boolean =>
    locks.some((l) => {
      if (l.action === 'All') return true;
      if (l.action === 'Include') return l.fields.includes(name);
      if (l.action === 'Exclude') return !l.fields.includes(name);
      return false;
    });
  const timestamp = signer !== null && (signer.pdf.type === 'DocTimeStamp' || signer.pdf.subFilter === 'ETSI.RFC3161');
  return {
    docMdpP,
    isLocked,
    signer: signer === null ? null : { index: signer.index, objectNumber: signer.pdf.objectNumber ?? null, timestamp },
    vouched,
  };
}
