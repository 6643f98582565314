import { PdfDict, PdfRef, type PdfValue } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import type { RuleName } from '../types';
import { dictOfValue, isVisibleWidget, nameIn } from '../values';
import { MAX_FIELD_DEPTH } from './fields';
import { asArray, refNum } from './refs';

function isTimestampDict(d: PdfDict | null): boolean {
  return nameIn(d, 'Type') === 'DocTimeStamp' || nameIn(d, 'SubFilter') === 'ETSI.RFC3161';
}

/**
 * A new field in /Fields. Only signature fields may be added; each of their widgets becomes an annotation pages
 * may gain. A visible one must be the field of the signature this very revision applies (the agency's seal in
 * the two-layer case): an unsigned visible field is a picture drawn over the signed page (Sneaky Signature).
 * After a certification no new visible signature field may be added, and with P=1 only document timestamps.
 */
export function ruleNewField(ctx: RevisionContext, field: PdfRef | PdfDict, depth: number): void {
  if (depth > MAX_FIELD_DEPTH) return;
  const num = field instanceof PdfRef ? field.num : null;
  if (num !== null && !ctx.isAdded(num)) {
    const desc = ctx.describe(num, ctx.changeOf(num));
    ctx.violate({
      object: num,
      change: ctx.changeOf(num),
      kind: desc.kind === 'object' ? 'form-field' : desc.kind,
      page: desc.page,
      detail: 'đối tượng có sẵn được gắn vào làm trường mới',
      detailEn: 'an existing object attached as a new field',
    });
    return;
  }
  const d = field instanceof PdfRef ? dictOfValue(ctx.cur(field.num)) : field;
  if (d === null) return;
  const ft = nameIn(d, 'FT');
  if (ft !== 'Sig') {
    ctx.violate({ object: num, change: 'added', kind: 'form-field', page: ctx.pageFromP(d), detail: ft ? `/FT /${ft}` : 'no /FT' });
    return;
  }
  const v = d.get('V');
  const vd = dictOfValue(ctx.resolveNew(v));
  const timestamp = isTimestampDict(vd);
  const signer = ctx.policy.signer;
  const signedHere =
    signer !== null && ((v instanceof PdfRef && signer.objectNumber === v.num) || (v instanceof PdfDict && signer.objectNumber === null));
  const widgets: { num: number | null; dict: PdfDict }[] = [];
  if (d.has('Rect') || nameIn(d, 'Subtype') === 'Widget') widgets.push({ num, dict: d });
  const kidWidgets: PdfValue[] = [];
  for (const kid of asArray(ctx.resolveNew(d.get('Kids')))) {
    const kd = dictOfValue(ctx.resolveNew(kid));
    if (kd === null) continue;
    if (kd.has('T')) {
      if (kid instanceof PdfRef || kid instanceof PdfDict) ruleNewField(ctx, kid, depth + 1);
      continue;
    }
    const kidNum = refNum(kid);
    if (kidNum !== null && !ctx.isAdded(kidNum)) continue; // an existing object as a widget: the sweep or /Annots reports it
    const subtype = nameIn(kd, 'Subtype');
    if (subtype !== null && subtype !== 'Widget') continue; // not a widget: if it reaches a page, /Annots reports it
    kidWidgets.push(kid);
    widgets.push({ num: kidNum, dict: kd });
  }
  // A document timestamp is validation data only while it draws nothing: a visible one is a picture on the page.
  const visibleWidget = widgets.some((w) => isVisibleWidget(ctx.doc, w.dict, ctx.rev));
  const rule: RuleName = timestamp && !visibleWidget ? 'rule_doc_timestamp' : 'rule_new_signature_field';
  if (num !== null) ctx.claim(num, rule);
  // The field's own new objects: its signature dictionary, /Lock, /MK, /AP … (kids are judged one by one above).
  for (const [key, value] of d.map) if (key !== 'Kids') ctx.claimAddedTree(value, rule);
  const kidsNum = refNum(d.get('Kids'));
  if (kidsNum !== null && ctx.isAdded(kidsNum)) ctx.claim(kidsNum, rule);
  for (const kid of kidWidgets) ctx.claimAddedTree(kid, rule);
  for (const w of widgets) {
    if (w.num !== null) ctx.newSignatureWidgets.add(w.num);
    const visible = isVisibleWidget(ctx.doc, w.dict, ctx.rev);
    if (visible && ctx.policy.docMdpP !== null) {
      // Sneaky Signature: after a certification, whatever P, a new visible signature draws over the certified
      // page; P=2 permits signing, not new pictures on the page.
      ctx.violate({
        object: w.num ?? num,
        change: 'added',
        kind: 'signature-field',
        page: ctx.pageFromP(w.dict),
        detail: `trường chữ ký mới hiển thị trên trang sau chữ ký chứng nhận (DocMDP P=${ctx.policy.docMdpP})`,
        detailEn: `a new visible signature field after a certification signature (DocMDP P=${ctx.policy.docMdpP})`,
      });
    } else if (visible && !signedHere) {
      ctx.violate({
        object: w.num ?? num,
        change: 'added',
        kind: 'signature-field',
        page: ctx.pageFromP(w.dict),
        detail: 'trường chữ ký mới hiển thị trên trang nhưng không được ký hợp lệ trong chính phiên bản này',
        detailEn: 'a new visible signature field not validly signed in its own revision',
      });
    }
  }
  if (ctx.policy.docMdpP === 1 && !timestamp) {
    ctx.violate({
      object: num,
      change: 'added',
      kind: 'signature-field',
      page: widgets.length > 0 ? ctx.pageFromP(widgets[0]!.dict) : null,
      detail: 'chữ ký chứng nhận DocMDP P=1 không cho phép thay đổi nào',
      detailEn: 'a DocMDP P=1 certification permits no change',
    });
  }
}
