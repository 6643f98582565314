import { PdfDict, PdfRef, type PdfValue } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { dictOfValue, sameValue } from '../values';
import { fieldName, MAX_FIELD_DEPTH } from './fields';
import { asArray } from './refs';
import type { ChangeRule } from './rule';

/**
 * Writers often rewrite objects unchanged; an identical object changes nothing — except a form field whose name
 * another field shares: viewers merge same-named fields and take the value of the one read last, so rewriting
 * one unchanged switches what is shown (the shadow attack "hide form via form").
 */
function ruleUnchangedRewrite(ctx: RevisionContext): void {
  let names: Map<string, number> | null = null;
  for (const num of ctx.written) {
    if (ctx.isClaimed(num) || ctx.isAdded(num)) continue;
    const value = ctx.cur(num);
    if (!sameValue(ctx.doc, ctx.old(num), value)) continue;
    if (value instanceof PdfDict && value.has('T')) {
      names ??= fieldNameCounts(ctx);
      const name = fieldName(ctx, value);
      if ((names.get(name) ?? 0) > 1) {
        ctx.violate({
          object: num,
          change: 'modified',
          kind: 'form-field',
          page: ctx.pageFromP(value),
          detail: `trường trùng tên "${name}" được ghi lại: trình đọc có thể hiển thị giá trị khác`,
          detailEn: `a field sharing the name "${name}" rewritten: viewers may show another value`,
        });
        continue;
      }
    }
    ctx.claim(num, 'rule_unchanged_rewrite');
  }
}

/** How many terminal fields carry each fully qualified name, as of this revision (bounded walk). */
function fieldNameCounts(ctx: RevisionContext): Map<string, number> {
  const counts = new Map<string, number>();
  const af = dictOfValue(ctx.resolveNew(ctx.doc.catalog(ctx.rev)?.get('AcroForm')));
  const seen = new Set<number>();
  let budget = 20_000;
  const visit = (v: PdfValue, depth: number): void => {
    if (--budget < 0 || depth > MAX_FIELD_DEPTH) return;
    if (v instanceof PdfRef) {
      if (seen.has(v.num)) return;
      seen.add(v.num);
    }
    const d = dictOfValue(ctx.resolveNew(v));
    if (d === null) return;
    const kids = asArray(ctx.resolveNew(d.get('Kids'))).filter((k) => dictOfValue(ctx.resolveNew(k))?.has('T'));
    if (kids.length === 0) {
      const name = fieldName(ctx, d);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    } else for (const k of kids) visit(k, depth + 1);
  };
  for (const f of asArray(ctx.resolveNew(af?.get('Fields')))) visit(f, 0);
  // A widget with a name that sits only in a page's /Annots still shows a field value to viewers that merge names.
  for (const page of ctx.doc.pages(ctx.rev)) for (const a of asArray(ctx.resolveNew(page.dict.get('Annots')))) if (dictOfValue(ctx.resolveNew(a))?.has('T')) visit(a, 0);
  return counts;
}

export const UNCHANGED_REWRITE: ChangeRule = { name: 'unchanged_rewrite', apply: ruleUnchangedRewrite };
