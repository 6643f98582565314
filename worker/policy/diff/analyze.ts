import type { PdfDocument } from '../../pdf/index';
import { RevisionContext, type RevisionPolicy } from './context';
import {
  ruleAcroForm,
  ruleCatalog,
  ruleDocInfo,
  ruleDss,
  ruleFormFill,
  ruleMetadata,
  rulePageAnnots,
  ruleUnchangedRewrite,
  ruleUnreferencedNewObject,
  ruleXrefStructure,
} from './rules';
import type { RevisionDiff } from './types';

/**
 * Compares revision `rev` with `rev - 1`, one revision at a time so that an object added and hidden again later
 * is still seen where it was added. Only the objects this revision writes or frees are examined, plus the few
 * dictionaries needed to classify them (catalog, AcroForm, the pages' /Annots).
 */
export function analyzeRevision(doc: PdfDocument, rev: number, policy: RevisionPolicy): RevisionDiff {
  const ctx = new RevisionContext(doc, rev, policy);
  const oldCat = doc.catalog(rev - 1);
  const newCat = doc.catalog(rev);

  ruleXrefStructure(ctx);
  ruleUnchangedRewrite(ctx);
  ruleCatalog(ctx, oldCat, newCat);
  // New fields first: they say which widgets the pages may gain.
  ruleAcroForm(ctx, oldCat, newCat);
  rulePageAnnots(ctx);
  ruleMetadata(ctx, oldCat, newCat);
  ruleDocInfo(ctx);
  ruleFormFill(ctx);
  if (hasUnclaimed(ctx)) ruleDss(ctx, oldCat, newCat);
  if (hasUnclaimed(ctx)) ruleUnreferencedNewObject(ctx);

  for (const num of ctx.freed) {
    // Freeing a number that was never in use changes nothing; freeing a live object hides it.
    if (ctx.old(num) === null) continue;
    const d = ctx.describe(num, 'freed');
    ctx.violate({ object: num, change: 'freed', kind: d.kind, page: d.page, detail: d.detail });
  }
  for (const num of ctx.written) {
    if (ctx.isClaimed(num) || ctx.isReported(num)) continue;
    const change = ctx.changeOf(num);
    const d = ctx.describe(num, change);
    ctx.violate({ object: num, change, kind: d.kind, page: d.page, detail: d.detail });
  }
  return {
    revision: rev,
    explained: [...ctx.claimed].map(([object, rule]) => ({ object, change: ctx.changeOf(object), rule })),
    violations: ctx.violations,
  };
}

function hasUnclaimed(ctx: RevisionContext): boolean {
  for (const n of ctx.written) if (!ctx.isClaimed(n) && !ctx.isReported(n)) return true;
  return false;
}
