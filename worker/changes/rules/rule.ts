import type { RevisionContext } from '../context';

/**
 * One named rule of the change analysis, after pyHanko's StandardDiffPolicy: it looks at one part of what a revision
 * changed (the catalog, the AcroForm, a page's /Annots, a filled field, the DSS …), claims the objects the change it
 * explains legitimately writes, and reports as a violation what it can see is wrong. What no rule claims is a
 * violation too (the last rule of the list): the rules whitelist, they never blacklist.
 */
export interface ChangeRule {
  /** Stable name, as the list in rules/index.ts gives it. */
  readonly name: string;
  apply(ctx: RevisionContext): void;
}
