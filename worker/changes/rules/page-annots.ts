import type { RevisionContext } from '../context';
import { changedKeys, dictOfValue, nameIn, sameValue } from '../values';
import { asArray, refNum } from './refs';
import type { ChangeRule } from './rule';

/** A page may gain /Annots entries, and only for the widgets of signature fields this revision adds. */
function rulePageAnnots(ctx: RevisionContext): void {
  const pages = ctx.doc.pages(ctx.rev);
  pages.forEach((p, i) => {
    if (p.ref === null) return;
    const pageNum = p.ref.num;
    const annotsValue = p.dict.get('Annots');
    const arrNum = refNum(annotsValue);
    const pageWritten = ctx.isWritten(pageNum);
    const arrWritten = arrNum !== null && ctx.isWritten(arrNum);
    if (!pageWritten && !arrWritten) return;
    if (pageWritten && ctx.isAdded(pageNum)) return; // a new page: the sweep names it
    const oldPage = dictOfValue(ctx.old(pageNum));
    if (nameIn(oldPage, 'Type') !== 'Page' && !(oldPage?.has('Contents') || oldPage?.has('MediaBox'))) return;
    if (pageWritten) {
      const keys = changedKeys(ctx.doc, oldPage, p.dict).filter((k) => k !== 'Annots');
      if (keys.length > 0) {
        const kind = keys.includes('Contents') ? 'page-content' : keys.includes('Resources') ? 'page-resources' : 'page';
        ctx.violate({ object: pageNum, change: 'modified', kind, page: i, detail: keys.map((k) => `/${k}`).join(' ') });
      } else ctx.claim(pageNum, 'rule_page_annots_append_sig_widget');
    }
    const before = asArray(ctx.resolveOld(oldPage?.get('Annots')));
    const after = asArray(ctx.resolveNew(annotsValue));
    const beforeNums = new Set(before.map(refNum).filter((n): n is number => n !== null));
    const afterNums = new Set(after.map(refNum).filter((n): n is number => n !== null));
    for (const n of beforeNums) {
      if (afterNums.has(n)) continue;
      const d = dictOfValue(ctx.old(n));
      const subtype = nameIn(d, 'Subtype');
      ctx.violate({
        object: n,
        change: 'modified',
        kind: subtype === 'Widget' ? 'widget' : 'annotation',
        page: i,
        detail: `${subtype ? `/${subtype} ` : ''}bị gỡ khỏi trang`,
        detailEn: `${subtype ? `/${subtype} ` : ''}removed from the page`,
      });
    }
    for (const a of after) {
      const n = refNum(a);
      if (n !== null && (beforeNums.has(n) || ctx.newSignatureWidgets.has(n))) continue;
      if (n === null && before.some((b) => sameValue(ctx.doc, b, a))) continue;
      const d = dictOfValue(ctx.resolveNew(a));
      const subtype = nameIn(d, 'Subtype');
      ctx.violate({
        object: n,
        change: n !== null && !ctx.isAdded(n) ? 'modified' : 'added',
        kind: subtype === 'Widget' ? 'widget' : 'annotation',
        page: i,
        detail: subtype ? `/${subtype}` : null,
      });
      // The annotation's own objects (appearance, popup) belong to the violation just reported.
      if (n !== null) ctx.claimAddedTree(d, 'rule_page_annots_append_sig_widget');
    }
    const oldArrNum = refNum(oldPage?.get('Annots'));
    if (arrNum !== null && arrWritten && (ctx.isAdded(arrNum) || arrNum === oldArrNum)) ctx.claim(arrNum, 'rule_page_annots_append_sig_widget');
  });
}

export const PAGE_ANNOTS: ChangeRule = { name: 'page_annots_append_sig_widget', apply: rulePageAnnots };
