import type { PdfStructure } from '../pdf/types';
import type { Finding } from '../report';
import { describeViolation } from './labels';
import type { ExplainedChange, RevisionExplanation, RuleName } from '../changes/types';
import { finding } from './messages';

/**
 * What happened after each signature, revision by revision. Every revision after the first signed one is
 * compared object by object with the one before it (worker/changes); a revision is allowed when every object
 * it writes or frees is explained by a named rule. One violation in revision r makes `changesAfter` disallowed
 * for every signature made before r, and it is reported once, object by object, for the inspector.
 */

export interface RevisionExplainer {
  /** Explains revision `rev` (> 0) relative to `rev - 1`. */
  explain(rev: number): RevisionExplanation;
}

export interface ChangesJudgement {
  /** Per signature (same order as structure.signatures): none / allowed / disallowed. */
  changesAfter: ('none' | 'allowed' | 'disallowed')[];
  /**
   * Nothing after the first signature but signatures, and after the last one nothing but a DSS or a document
   * timestamp. False also for a change a certification permits: permitted is not vouched for.
   */
  intact: boolean;
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

/** What long-term validation adds after the last signature: the only updates that leave a document intact. */
const LTA_RULES: ReadonlySet<RuleName> = new Set(['rule_dss_update', 'rule_doc_timestamp']);
/**
 * What writers refresh or leave behind alongside any update: catalog keys, the timestamp's field entries, metadata,
 * unchanged copies, and orphans nothing refers to (iText leaves the font of an invisible timestamp's appearance).
 * An update made only of these is still not a DSS or a timestamp, so it is not intact.
 */
const COMPANION_RULES: ReadonlySet<RuleName> = new Set([
  ...LTA_RULES,
  'rule_xref_structure',
  'rule_unchanged_rewrite',
  'rule_catalog_allowed_keys',
  'rule_acroform_fields_append',
  'rule_page_annots_append_sig_widget',
  'rule_metadata_stream',
  'rule_doc_info',
  'rule_unreferenced_new_object',
]);
/** What a certification signature with DocMDP P=2 or P=3 permits: filling in forms and signing (ISO 32000-1 12.8.2.2). */
const FORM_RULES: ReadonlySet<RuleName> = new Set(['rule_form_fill', 'rule_sig_field_fill', 'rule_new_signature_field']);

/**
 * A revision's standing: `allowed` (explained, and a later signature vouches for it, or it is a DSS or document
 * timestamp update, or it writes nothing); `permitted` (after the last signature, a change a certification's DocMDP
 * permits — named so, but no signature vouches for it); `unvouched` (after the last signature, any other change the
 * rules can explain); `disallowed` (changes no rule explains).
 */
type Standing = 'allowed' | 'permitted' | 'unvouched' | 'disallowed';

function standingOf(e: RevisionExplanation | undefined): { standing: Standing; named: ExplainedChange[] } {
  if (isDisallowed(e)) return { standing: 'disallowed', named: [] };
  const changes = e!.unvouched;
  if (changes === undefined || changes.length === 0) return { standing: 'allowed', named: [] };
  const primary = changes.filter((c) => !COMPANION_RULES.has(c.rule));
  const lta = changes.some((c) => LTA_RULES.has(c.rule));
  if (lta && primary.length === 0) return { standing: 'allowed', named: [] };
  const named = primary.length > 0 ? primary : changes;
  const p = e!.docMdpP ?? null;
  const formOnly = primary.length > 0 && primary.every((c) => FORM_RULES.has(c.rule));
  return { standing: p !== null && p >= 2 && formOnly ? 'permitted' : 'unvouched', named };
}

export function judgeChanges(structure: PdfStructure, explainer: RevisionExplainer): ChangesJudgement {
  const last = structure.revisions.length - 1;
  const explanations = new Map<number, RevisionExplanation>();
  for (let rev = 1; rev <= last; rev++) explanations.set(rev, explainer.explain(rev));

  const signedRevisions = structure.signatures.map((s) => s.revision).filter((r): r is number => r !== null);
  const firstSigned = signedRevisions.length > 0 ? Math.min(...signedRevisions) : Infinity;

  const unexplained: { revision: number; detail: string }[] = [];
  const findings: Finding[] = [];
  const standings = new Map<number, Standing>();
  let intact = true;
  for (const [revision, e] of explanations) {
    // Changes before anything was signed are the document itself.
    if (revision <= firstSigned) continue;
    const { standing, named } = standingOf(e);
    standings.set(revision, standing);
    if (standing !== 'allowed') intact = false;
    if (standing === 'permitted' || standing === 'unvouched') {
      reportUnvouched(findings, revision, standing, named, e!.docMdpP ?? null);
      continue;
    }
    if (standing !== 'disallowed') continue;
    const violations = e.violations ?? [];
    const detail = e.kind === 'unexplained' ? e.detail : violations.slice(0, 3).map((v) => describeViolation(v)).map((d) => (d.detail ? `${d.vi} [${d.detail}]` : d.vi)).join('; ');
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
      findings.push(finding('DISALLOWED_CHANGE', { revision, what: d.vi, whatEn: d.en, detail: d.detail }));
    }
  }

  const changesAfter = structure.signatures.map((sig) => {
    if (sig.revision === null) return 'disallowed' as const;
    let verdict: 'none' | 'allowed' | 'disallowed' = 'none';
    for (let rev = sig.revision + 1; rev <= last; rev++) {
      const standing = standings.get(rev) ?? standingOf(explanations.get(rev)).standing;
      if (standing === 'disallowed' || standing === 'unvouched') return 'disallowed' as const;
      verdict = 'allowed';
    }
    // Bytes after the last %%EOF that are not an update: nothing can say what they are for.
    if (structure.trailingBytes > 0) return 'disallowed' as const;
    return verdict;
  });
  if (structure.trailingBytes > 0) intact = false;
  return { changesAfter, intact, unexplained, findings };
}

/**
 * Findings for a revision after the last signature that is not a DSS or document timestamp update: one naming
 * the revision and, object by object, what it changed. A change a certification permits is named as permitted.
 */
function reportUnvouched(findings: Finding[], revision: number, standing: 'permitted' | 'unvouched', named: ExplainedChange[], docMdpP: number | null): void {
  const nums = named.map((c) => c.object).filter((n): n is number => n !== null);
  const list = nums.length > 8 ? `${nums.slice(0, 8).join(', ')}, … (${nums.length})` : nums.join(', ');
  if (standing === 'permitted') findings.push(finding('CHANGE_PERMITTED_NOT_VOUCHED', { revision, permission: docMdpP, detail: list ? `obj ${list}` : '' }));
  else findings.push(finding('CHANGED_AFTER_LAST_SIGNATURE', { revision, detail: list ? `obj ${list}` : '' }));
  for (const c of named.slice(0, MAX_OBJECT_FINDINGS)) {
    const d = describeViolation(c);
    findings.push(finding(standing === 'permitted' ? 'UNVOUCHED_CHANGE' : 'DISALLOWED_CHANGE', { revision, what: d.vi, whatEn: d.en, detail: d.detail }));
  }
}
