import { ACROFORM } from './acroform';
import { CATALOG } from './catalog';
import { DOC_INFO } from './doc-info';
import { DSS } from './dss';
import { FORM_FILL } from './form-fill';
import { METADATA } from './metadata';
import { PAGE_ANNOTS } from './page-annots';
import type { ChangeRule } from './rule';
import { FREED_OBJECTS_WERE_UNUSED, UNEXPLAINED_IS_VIOLATION } from './sweep';
import { TRAILER } from './trailer';
import { UNCHANGED_REWRITE } from './unchanged-rewrite';
import { UNREFERENCED_NEW_OBJECT } from './unreferenced';
import { XREF_STRUCTURE } from './xref-structure';
import { XREF_TELLS_THE_WHOLE_UPDATE } from './xref-whole-update';

export type { ChangeRule } from './rule';

/**
 * The change analysis, in the order its rules run on each revision after the first signature. Order matters:
 * - what the update hides from its xref, and trailer changes, are reported before any rule could explain them away;
 * - unchanged rewrites are claimed before the rules that judge a change by its keys;
 * - new fields (AcroForm) come before the pages' /Annots, since they say which widgets a page may gain;
 * - form filling comes after the structural rules, so it only sees field objects nobody else explained;
 * - the DSS and orphan rules only look at what is still unclaimed (each skips itself when nothing is);
 * - last, freed live objects and everything unclaimed are violations: the list whitelists, nothing else passes.
 */
export const CHANGE_RULES: readonly ChangeRule[] = [
  XREF_TELLS_THE_WHOLE_UPDATE,
  TRAILER,
  XREF_STRUCTURE,
  UNCHANGED_REWRITE,
  CATALOG,
  ACROFORM,
  PAGE_ANNOTS,
  METADATA,
  DOC_INFO,
  FORM_FILL,
  DSS,
  UNREFERENCED_NEW_OBJECT,
  FREED_OBJECTS_WERE_UNUSED,
  UNEXPLAINED_IS_VIOLATION,
];
