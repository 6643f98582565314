/**
 * The vocabulary of the change analysis: which rule explained an object, and what an unexplained change was.
 * Plain data only (no PDF objects): explanations travel inside DocumentFacts, which may be stored and re-judged.
 */

/** How an object differs between revision r-1 and revision r. */
export type ChangeType = 'added' | 'modified' | 'freed';

/** What a changed object is (or was), as an inspector would name it. */
export type ChangeKind =
  | 'page-content'
  | 'page'
  | 'page-resources'
  | 'page-tree'
  | 'new-page'
  | 'annotation'
  | 'annotations-array'
  | 'font'
  | 'image'
  | 'form-xobject'
  | 'widget'
  | 'widget-appearance'
  | 'form-field'
  | 'signature-field'
  | 'signature-dictionary'
  | 'catalog'
  | 'acroform'
  | 'dss'
  | 'metadata'
  | 'object-stream'
  | 'stream'
  | 'xref'
  | 'trailer'
  | 'object';

/** The whitelist: every changed object after a signature must be claimed by one of these. */
export type RuleName =
  | 'rule_unchanged_rewrite'
  | 'rule_xref_structure'
  | 'rule_catalog_allowed_keys'
  | 'rule_acroform_fields_append'
  | 'rule_new_signature_field'
  | 'rule_doc_timestamp'
  | 'rule_page_annots_append_sig_widget'
  | 'rule_sig_field_fill'
  | 'rule_form_fill'
  | 'rule_dss_update'
  | 'rule_metadata_stream'
  | 'rule_doc_info'
  | 'rule_unreferenced_new_object';

export interface ChangeViolation {
  revision: number;
  /** Object number; null when the change is not one object (e.g. a direct dictionary inside another). */
  object: number | null;
  change: ChangeType;
  kind: ChangeKind;
  /** 0-based page index when known. */
  page: number | null;
  /** Annotation subtype (`/FreeText`), changed keys (`/Contents`), or a short reason; ASCII or Vietnamese. */
  detail: string | null;
  /** English twin of `detail` when `detail` is a sentence rather than PDF syntax. */
  detailEn?: string | null;
}

/**
 * A change a rule explains, described as an inspector names it. Recorded for the revisions no later signature
 * covers: there only a DSS or a document timestamp is acceptable, so the policy may have to name every object.
 */
export interface ExplainedChange extends ChangeViolation {
  rule: RuleName;
}

export interface RevisionDiff {
  revision: number;
  /** Object number → rule that explained it. */
  explained: { object: number; change: ChangeType; rule: RuleName }[];
  violations: ChangeViolation[];
  /** For a revision no later valid signature covers: every explained change, described (xref containers aside). */
  unvouched: ExplainedChange[] | null;
}

interface ExplanationCommon {
  /** Rules that explained at least one object of the revision. */
  rules?: RuleName[];
  /** Changes no rule explains; empty or absent for an allowed revision. */
  violations?: ChangeViolation[];
  /**
   * Present when no valid approval signature covers the revision (it follows the last one): every change the
   * rules explained, described, since there only a DSS or a document timestamp leaves the document intact.
   */
  unvouched?: ExplainedChange[];
  /** With `unvouched`: the DocMDP /P of a certification signature made before the revision, null when none. */
  docMdpP?: number | null;
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
