import type { PdfDocument } from '../pdf/index';
import { PdfName, PdfString } from '../pdf/objects';
import { decodeTextString } from '../pdf/text';
import { dictOfValue } from './values';
import { RevisionContext, type RevisionPolicy } from './context';
import { CHANGE_RULES } from './rules/index';
import type { ExplainedChange, RevisionDiff } from './types';

/**
 * Compares revision `rev` with `rev - 1`, one revision at a time so that an object added and hidden again later
 * is still seen where it was added. Only the objects this revision writes or frees are examined, plus the few
 * dictionaries needed to classify them (catalog, AcroForm, the pages' /Annots).
 */
export function analyzeRevision(doc: PdfDocument, rev: number, policy: RevisionPolicy): RevisionDiff {
  const ctx = new RevisionContext(doc, rev, policy);
  for (const rule of CHANGE_RULES) rule.apply(ctx);
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
