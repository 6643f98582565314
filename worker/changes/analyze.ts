import type { PdfDocument } from '../pdf/index';
import { PdfName, PdfString } from '../pdf/objects';
import { decodeTextString } from '../pdf/text';
import { dictOfValue } from './values';
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
import { assertXrefTellsTheWholeUpdate, ruleTrailer } from './structure-rules';
import type { ExplainedChange, RevisionDiff } from './types';

/**
 * Compares revision `rev` with `rev - 1`, one revision at a time so that an object added and hidden again later
 * is still seen where it was added. Only the objects this revision writes or frees are examined, plus the few
 * dictionaries needed to classify them (catalog, AcroForm, the pages' /Annots).
 */
export function analyzeRevision(doc: PdfDocument, rev: number, policy: RevisionPolicy): RevisionDiff {
  const ctx = new RevisionContext(doc, rev, policy);
  const oldCat = doc.catalog(rev - 1);
  const newCat = doc.catalog(rev);

  // What the update hides from a conforming reader is reported before any rule may explain it.
  assertXrefTellsTheWholeUpdate(ctx);
  ruleTrailer(ctx);
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
    unvouched: policy.vouched ? null : describeClaims(ctx),
  };
}

/** Every object a rule explained, named for the inspector; xref streams and object streams are only containers. */
function describeClaims(ctx: RevisionContext): ExplainedChange[] {
  const out: ExplainedChange[] = [];
  for (const [num, rule] of ctx.claimed) {
    if (rule === 'rule_xref_structure') continue;
    const change = ctx.changeOf(num);
    const d = ctx.describe(num, change);
    let { kind, detail } = d;
    let detailEn = d.detail;
    if (rule === 'rule_unchanged_rewrite') {
      detail = 'ghi lại, không đổi';
      detailEn = 'rewritten unchanged';
    } else if (rule === 'rule_form_fill') {
      // A filled field is named as a field, with what it now says: that is what the reader sees on the page.
      const filled = filledValue(ctx, num);
      if (filled !== null) {
        kind = 'form-field';
        detail = `giá trị mới: ${filled}`;
        detailEn = `new value: ${filled}`;
      }
    }
    out.push({ revision: ctx.rev, object: num, change, kind, page: d.page, detail, detailEn, rule });
  }
  return out;
}

/** The new text value of a field this revision fills, quoted and shortened; null when it is not a field with a text value. */
function filledValue(ctx: RevisionContext, num: number): string | null {
  const d = dictOfValue(ctx.cur(num));
  if (d === null || !(d.has('T') || d.has('FT'))) return null;
  const v = ctx.resolveNew(d.get('V'));
  if (v instanceof PdfString) {
    const text = decodeTextString(v.bytes);
    return `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`;
  }
  return v instanceof PdfName ? `/${v.name}` : null;
}

function hasUnclaimed(ctx: RevisionContext): boolean {
  for (const n of ctx.written) if (!ctx.isClaimed(n) && !ctx.isReported(n)) return true;
  return false;
}
