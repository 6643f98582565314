import { PdfDict, PdfRef, PdfStream, PdfString, type PdfValue } from '../pdf/objects';
import { decodeTextString } from '../pdf/text';
import type { RevisionContext } from './context';
import type { RuleName } from './types';
import { changedKeys, dictOfValue, isVisibleWidget, nameIn, sameValue } from './values';

/**
 * The named whitelist rules, after pyHanko's difference analysis. Each rule looks at one part of the document
 * (catalog, AcroForm, a new signature field, a page's /Annots, the DSS, metadata, a filled field), claims the
 * objects of this revision its change legitimately writes, and reports as a violation what it can see is wrong
 * (a removed field, a new FreeText annotation, a locked field filled). Whatever no rule claims is reported by the
 * final sweep, named by what it was.
 */

const MAX_FIELD_DEPTH = 16;
/** Catalog keys a later revision may change (ISO 32000-2 12.8.2.2 plus PAdES' DSS and extensions). */
export const CATALOG_ALLOWED_KEYS = new Set(['AcroForm', 'DSS', 'Extensions', 'Metadata', 'Version']);
/**
 * Keys of an AcroForm dictionary that adding a signature field may touch. /DR and /DA are only defaults for
 * generating new appearances (existing widgets draw their own /AP streams); /NeedAppearances is not here: it
 * makes a viewer redraw every field.
 */
const ACROFORM_ALLOWED_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA']);
/** Keys of a field or widget that filling it changes: the value, its appearance and the appearance state. */
const FILL_KEYS = new Set(['V', 'AP', 'AS']);

function asArray(v: PdfValue): PdfValue[] {
  return Array.isArray(v) ? v : [];
}

function refNum(v: PdfValue | undefined): number | null {
  return v instanceof PdfRef ? v.num : null;
}

/** Trailer entry `key` in force as of `rev` (the newest trailer up to it that has the key). */
function trailerRef(ctx: RevisionContext, key: string, rev: number): PdfValue | undefined {
  return ctx.doc.trailerEntry(key, rev);
}

/** XRef streams and object streams are containers: their members are judged one by one. */
export function ruleXrefStructure(ctx: RevisionContext): void {
  for (const num of ctx.written) {
    const type = nameIn(dictOfValue(ctx.cur(num)), 'Type');
    if (type !== 'XRef' && type !== 'ObjStm') continue;
    // A container may take a fresh number or replace an old xref stream; replacing an old object stream would
    // silently change the members earlier revisions still point into.
    if (ctx.isAdded(num) || nameIn(dictOfValue(ctx.old(num)), 'Type') === 'XRef') ctx.claim(num, 'rule_xref_structure');
  }
}

/**
 * Writers often rewrite objects unchanged; an identical object changes nothing — except a form field whose name
 * another field shares: viewers merge same-named fields and take the value of the one read last, so rewriting
 * one unchanged switches what is shown (the shadow attack "hide form via form").
 */
export function ruleUnchangedRewrite(ctx: RevisionContext): void {
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

export function rootNum(ctx: RevisionContext, rev: number): number | null {
  return refNum(trailerRef(ctx, 'Root', rev));
}

/** The catalog may change only in the keys adding signatures, validation data and metadata need. */
export function ruleCatalog(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const oldRoot = rootNum(ctx, ctx.rev - 1);
  const newRoot = rootNum(ctx, ctx.rev);
  if (newCat === null) {
    ctx.violate({
      object: newRoot,
      change: 'modified',
      kind: 'catalog',
      page: null,
      detail: 'không còn đọc được danh mục tài liệu (bị xóa, hoặc /Root trỏ tới đối tượng không có)',
      detailEn: 'the catalog can no longer be read (freed, or /Root points at nothing)',
    });
    return;
  }
  const bad = changedKeys(ctx.doc, oldCat, newCat).filter((k) => !CATALOG_ALLOWED_KEYS.has(k));
  if (bad.length > 0) {
    ctx.violate({ object: newRoot, change: 'modified', kind: 'catalog', page: null, detail: bad.map((k) => `/${k}`).join(' ') });
  }
  if (newRoot !== null && ctx.isWritten(newRoot)) {
    // The catalog may move to a fresh number, but not onto an object that was something else.
    if (newRoot === oldRoot || ctx.isAdded(newRoot)) ctx.claim(newRoot, 'rule_catalog_allowed_keys');
  }
  ctx.claimAddedTree(newCat.get('Extensions'), 'rule_catalog_allowed_keys');
}

/**
 * AcroForm: /Fields may only grow (every new entry is then judged as a new field), /SigFlags may be set, /DR may
 * gain resources. A field dropped from /Fields is a signature or value hidden from the reader.
 */
export function ruleAcroForm(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const oldAFv = oldCat?.get('AcroForm');
  const newAFv = newCat?.get('AcroForm');
  const oldAF = dictOfValue(ctx.resolveOld(oldAFv));
  const newAF = dictOfValue(ctx.resolveNew(newAFv));
  const afNum = refNum(newAFv);
  const fieldsNum = refNum(newAF?.get('Fields'));
  const touched =
    !sameValue(ctx.doc, oldAFv, newAFv) || (afNum !== null && ctx.isWritten(afNum)) || (fieldsNum !== null && ctx.isWritten(fieldsNum));
  if (!touched) return;
  const owner = afNum ?? rootNum(ctx, ctx.rev);
  if (newAF === null) {
    if (oldAF !== null) ctx.violate({ object: owner, change: 'modified', kind: 'acroform', page: null, detail: 'AcroForm removed', detailEn: 'AcroForm removed' });
    return;
  }
  const bad = changedKeys(ctx.doc, oldAF, newAF).filter((k) => !ACROFORM_ALLOWED_KEYS.has(k));
  if (bad.length > 0) ctx.violate({ object: owner, change: 'modified', kind: 'acroform', page: null, detail: bad.map((k) => `/${k}`).join(' ') });
  ctx.claimAddedTree(newAF.get('DR'), 'rule_acroform_fields_append');

  const oldFields = asArray(ctx.resolveOld(oldAF?.get('Fields')));
  const newFields = asArray(ctx.resolveNew(newAF.get('Fields')));
  const oldNums = new Set(oldFields.map(refNum).filter((n): n is number => n !== null));
  const newNums = new Set(newFields.map(refNum).filter((n): n is number => n !== null));
  for (const n of oldNums) {
    if (newNums.has(n)) continue;
    const ft = nameIn(dictOfValue(ctx.old(n)), 'FT');
    ctx.violate({
      object: n,
      change: 'modified',
      kind: ft === 'Sig' ? 'signature-field' : 'form-field',
      page: null,
      detail: 'bị gỡ khỏi danh sách trường của biểu mẫu',
      detailEn: 'removed from the form\'s field list',
    });
  }
  for (const f of newFields) {
    if (f instanceof PdfRef && !oldNums.has(f.num)) ruleNewField(ctx, f, 0);
    else if (f instanceof PdfDict && !oldFields.some((o) => sameValue(ctx.doc, o, f))) ruleNewField(ctx, f, 0);
  }
  // The containers are explained when they are fresh or the same objects as before (not someone else's number).
  const oldAFNum = refNum(oldAFv);
  if (afNum !== null && (ctx.isAdded(afNum) || afNum === oldAFNum)) ctx.claim(afNum, 'rule_acroform_fields_append');
  const oldFieldsNum = refNum(oldAF?.get('Fields'));
  if (fieldsNum !== null && (ctx.isAdded(fieldsNum) || fieldsNum === oldFieldsNum)) ctx.claim(fieldsNum, 'rule_acroform_fields_append');
}

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

/** A page may gain /Annots entries, and only for the widgets of signature fields this revision adds. */
export function rulePageAnnots(ctx: RevisionContext): void {
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

/** XMP metadata of the catalog: a new stream, or the old metadata stream rewritten. */
export function ruleMetadata(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const num = refNum(newCat?.get('Metadata'));
  if (num === null || !ctx.isWritten(num)) return;
  const v = ctx.cur(num);
  const d = dictOfValue(v);
  if (!(v instanceof PdfStream) || (nameIn(d, 'Type') !== 'Metadata' && nameIn(d, 'Subtype') !== 'XML')) return;
  if (ctx.isAdded(num) || refNum(oldCat?.get('Metadata')) === num) ctx.claim(num, 'rule_metadata_stream');
}

/** The trailer's document information dictionary (title, producer, dates): shown as properties, never on a page. */
export function ruleDocInfo(ctx: RevisionContext): void {
  const num = refNum(trailerRef(ctx, 'Info', ctx.rev));
  if (num === null || !ctx.isWritten(num)) return;
  if (!(ctx.cur(num) instanceof PdfDict)) return;
  if (ctx.isAdded(num) || refNum(trailerRef(ctx, 'Info', ctx.rev - 1)) === num) {
    ctx.claim(num, 'rule_doc_info');
    ctx.claimAddedTree(ctx.cur(num), 'rule_doc_info');
  }
}

/** Fully qualified name of a field as of this revision. */
function fieldName(ctx: RevisionContext, d: PdfDict): string {
  const parts: string[] = [];
  let cur: PdfDict | null = d;
  for (let i = 0; cur !== null && i < MAX_FIELD_DEPTH; i++) {
    const t = ctx.resolveNew(cur.get('T'));
    if (t instanceof PdfString) parts.unshift(decodeTextString(t.bytes));
    cur = dictOfValue(ctx.resolveNew(cur.get('Parent')));
  }
  return parts.join('.');
}

function inheritedFt(ctx: RevisionContext, d: PdfDict): string | null {
  let cur: PdfDict | null = d;
  for (let i = 0; cur !== null && i < MAX_FIELD_DEPTH; i++) {
    const ft = nameIn(cur, 'FT');
    if (ft !== null) return ft;
    cur = dictOfValue(ctx.resolveNew(cur.get('Parent')));
  }
  return null;
}

/** Appearance streams named by a widget's /AP (N, R, D; each a stream or a dictionary of states). */
function appearanceStreams(ctx: RevisionContext, ap: PdfValue | undefined, old: boolean): number[] {
  const resolve = (v: PdfValue | undefined): PdfValue => (old ? ctx.resolveOld(v) : ctx.resolveNew(v));
  const apd = dictOfValue(resolve(ap));
  const out: number[] = [];
  if (apd === null) return out;
  for (const key of ['N', 'R', 'D']) {
    const v = apd.get(key);
    const n = refNum(v);
    if (n !== null && resolve(v) instanceof PdfStream) out.push(n);
    const states = resolve(v);
    if (states instanceof PdfDict) for (const s of states.map.values()) if (refNum(s) !== null) out.push(refNum(s)!);
  }
  const apNum = refNum(ap);
  if (apNum !== null) out.push(apNum);
  return out;
}

/**
 * Form filling: an existing field's /V (with its widgets' /AP and /AS) may change when no DocMDP P=1
 * certification and no FieldMDP lock of an earlier signature forbids it. Signing an existing empty signature
 * field is the same change, allowed only for the signature this revision applies. A widget's appearance changed
 * without its field's value is a picture swapped under a signature, never allowed.
 */
export function ruleFormFill(ctx: RevisionContext): void {
  interface Candidate {
    num: number;
    before: PdfDict;
    after: PdfDict;
    keys: string[];
  }
  const candidates: Candidate[] = [];
  for (const num of ctx.written) {
    if (ctx.isClaimed(num) || ctx.isReported(num) || ctx.isAdded(num)) continue;
    const before = dictOfValue(ctx.old(num));
    const after = ctx.cur(num);
    if (before === null || !(after instanceof PdfDict)) continue;
    if (!(before.has('FT') || before.has('T') || before.has('Parent') || nameIn(before, 'Subtype') === 'Widget')) continue;
    candidates.push({ num, before, after, keys: changedKeys(ctx.doc, before, after) });
  }
  if (candidates.length === 0) return;
  const filled = new Map<number, RuleName>();
  const fieldNumOf = (c: Candidate): number => (c.before.has('T') || c.before.has('FT') ? c.num : (refNum(c.after.get('Parent')) ?? c.num));
  const pageOf = (d: PdfDict): number | null => ctx.pageFromP(d);

  for (const c of candidates.filter((x) => x.keys.includes('V'))) {
    const ft = inheritedFt(ctx, c.after);
    const kind = ft === 'Sig' ? 'signature-field' : 'form-field';
    // Signing an empty signature field may also make its widget printable (/F), as signing tools do.
    const extra = c.keys.filter((k) => !FILL_KEYS.has(k) && !(ft === 'Sig' && k === 'F' && !c.before.has('V')));
    const report = (detail: string, detailEn: string): void =>
      ctx.violate({ object: c.num, change: 'modified', kind, page: pageOf(c.after), detail, detailEn });
    if (extra.length > 0) {
      const keys = extra.map((k) => `/${k}`).join(' ');
      report(keys, keys);
      continue;
    }
    const name = fieldName(ctx, c.after);
    if (ctx.policy.docMdpP === 1) {
      report('chữ ký chứng nhận DocMDP P=1 không cho phép điền biểu mẫu', 'a DocMDP P=1 certification forbids form filling');
      continue;
    }
    if (ctx.policy.isLocked(name)) {
      report(`trường "${name}" đã bị khóa bởi FieldMDP của chữ ký trước`, `field "${name}" is locked by an earlier signature's FieldMDP`);
      continue;
    }
    let rule: RuleName = 'rule_form_fill';
    if (ft === 'Sig') {
      const v = c.after.get('V');
      const signer = ctx.policy.signer;
      if (c.before.has('V')) {
        report('giá trị chữ ký của trường bị thay thế', 'the field\'s signature value was replaced');
        continue;
      }
      if (signer === null || !(v instanceof PdfRef) || signer.objectNumber !== v.num) {
        report('trường chữ ký được điền mà không có chữ ký hợp lệ trong phiên bản này', 'a signature field filled without a valid signature in this revision');
        continue;
      }
      // A document timestamp in an existing invisible field is long-term validation data; anything visible is not.
      rule = signer.timestamp && !isVisibleWidget(ctx.doc, c.after, ctx.rev) ? 'rule_doc_timestamp' : 'rule_sig_field_fill';
    }
    ctx.claim(c.num, rule);
    ctx.claimAddedTree(c.after.get('V'), rule);
    filled.set(c.num, rule);
  }

  for (const c of candidates.filter((x) => !x.keys.includes('V'))) {
    const extra = c.keys.filter((k) => k !== 'AP' && k !== 'AS' && !(k === 'F' && filled.get(fieldNumOf(c)) === 'rule_sig_field_fill'));
    const ownField = c.before.has('T') || c.before.has('FT');
    const fieldNum = ownField ? c.num : refNum(c.after.get('Parent'));
    const rule = fieldNum === null ? undefined : filled.get(fieldNum);
    if (extra.length === 0 && rule !== undefined) {
      ctx.claim(c.num, rule);
      continue;
    }
    ctx.violate({
      object: c.num,
      change: 'modified',
      kind: c.keys.includes('AP') ? 'widget-appearance' : ownField ? 'form-field' : 'widget',
      page: pageOf(c.after),
      detail: c.keys.map((k) => `/${k}`).join(' '),
    });
  }

  // The appearances of filled fields: new streams, or the field's own old appearance streams regenerated.
  for (const [fieldNum, rule] of filled) {
    const fd = dictOfValue(ctx.cur(fieldNum));
    if (fd === null) continue;
    const widgets: { num: number; dict: PdfDict }[] = [];
    if (fd.has('Rect') || nameIn(fd, 'Subtype') === 'Widget') widgets.push({ num: fieldNum, dict: fd });
    for (const kid of asArray(ctx.resolveNew(fd.get('Kids')))) {
      const kd = dictOfValue(ctx.resolveNew(kid));
      const kn = refNum(kid);
      if (kd !== null && kn !== null && !kd.has('T')) widgets.push({ num: kn, dict: kd });
    }
    for (const w of widgets) {
      ctx.claimAddedTree(w.dict.get('AP') ?? null, rule);
      const oldW = dictOfValue(ctx.old(w.num));
      assertOldAppearanceNotOverwritten(ctx, w.num, oldW);
      assertOldAppearanceOwnedByWidget(ctx, w.num, oldW, w.dict);
    }
  }
}

/**
 * A filled field gets a new appearance in new objects. Writing over the objects of its old appearance is never
 * explained: an appearance stream is a picture other pages or annotations may draw too, and an earlier signature
 * vouched for it as it was.
 */
function assertOldAppearanceNotOverwritten(ctx: RevisionContext, widgetNum: number, oldWidget: PdfDict | null): void {
  for (const n of appearanceStreams(ctx, oldWidget?.get('AP'), true)) {
    if (!ctx.isWritten(n) || ctx.isAdded(n) || ctx.claimed.get(n) === 'rule_unchanged_rewrite') continue;
    ctx.violate({
      object: n,
      change: 'modified',
      kind: 'widget-appearance',
      page: ctx.pageFromP(oldWidget),
      detail: `hình hiển thị cũ của trường (đối tượng ${widgetNum}) bị ghi đè tại chỗ thay vì tạo hình mới`,
      detailEn: `the old appearance of the field (object ${widgetNum}) overwritten in place instead of a new one`,
    });
  }
}

/**
 * Replacing a widget's indirect /AP dictionary is only a change to that widget when nothing else uses the old
 * dictionary. Anything else that refers to it (another annotation, a page, even the trailer) is a second context the
 * swap was not explained for — pyHanko's reference-context rule, kept as conservative as it is there.
 */
function assertOldAppearanceOwnedByWidget(ctx: RevisionContext, widgetNum: number, oldWidget: PdfDict | null, newWidget: PdfDict): void {
  const oldAp = oldWidget?.get('AP');
  if (!(oldAp instanceof PdfRef) || sameValue(ctx.doc, oldAp, newWidget.get('AP'))) return;
  const others = ctx.usagesAsOfPrevious(oldAp.num).filter((u) => !(u.holder === widgetNum && u.key === 'AP'));
  if (others.length === 0) return;
  const where = others.slice(0, 3).map((u) => (u.holder === null ? `trailer /${u.key}` : `đối tượng ${u.holder} /${u.key}`)).join(', ');
  const whereEn = others.slice(0, 3).map((u) => (u.holder === null ? `trailer /${u.key}` : `object ${u.holder} /${u.key}`)).join(', ');
  ctx.violate({
    object: widgetNum,
    change: 'modified',
    kind: 'widget-appearance',
    page: ctx.pageFromP(newWidget),
    detail: `từ điển hình hiển thị cũ (đối tượng ${oldAp.num}) bị thay nhưng còn được dùng ở nơi khác: ${where}`,
    detailEn: `the old appearance dictionary (object ${oldAp.num}) was replaced but is used elsewhere too: ${whereEn}`,
  });
}

/**
 * DSS (ISO 32000-2 12.8.4.3): validation data a later revision adds — certificates, CRLs, OCSP responses, VRI
 * entries. Objects reachable from the new DSS are explained when they are fresh or were part of the old DSS.
 */
export function ruleDss(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const start = newCat?.get('DSS');
  if (start === undefined) return;
  let oldReach: Set<number> | null = null;
  const reachOld = (): Set<number> => {
    if (oldReach !== null) return oldReach;
    oldReach = new Set();
    walk(oldCat?.get('DSS'), (n) => ctx.doc.getObject(n, ctx.rev - 1)?.value ?? null, (n) => {
      oldReach!.add(n);
      return true;
    });
    return oldReach;
  };
  walk(start, (n) => ctx.cur(n), (n) => {
    if (!ctx.isWritten(n)) return true;
    if (ctx.isAdded(n) || (reachOld().has(n) && mayBeRewrittenAsDss(ctx, n))) ctx.claim(n, 'rule_dss_update');
    return ctx.isClaimed(n);
  });
}

/**
 * A DSS update rewrites the DSS dictionary, its arrays and VRI dictionaries; it never needs to rewrite a stream
 * (certificates, CRLs and OCSP responses are added, not edited) nor anything the pages use. Without this, a DSS
 * that merely lists an existing object (say the page content) would license overwriting it later.
 */
function mayBeRewrittenAsDss(ctx: RevisionContext, n: number): boolean {
  const old = ctx.old(n);
  if (old instanceof PdfStream) return false;
  if (ctx.roles('old').has(n)) return false;
  const d = dictOfValue(old);
  if (d !== null && ['FT', 'T', 'Kids', 'Parent', 'Subtype', 'Contents', 'Resources', 'AP'].some((k) => d.has(k))) return false;
  const type = d !== null ? nameIn(d, 'Type') : null;
  return type === null || type === 'DSS' || type === 'VRI';
}

/**
 * An object this revision adds that nothing points at — no object of this revision, nor the catalog, AcroForm
 * or any page structure as of this revision — is never read by a viewer (writers leave such orphans: iText's old
 * appearance copies, an unlinked VRI). A later revision that links it has to write the link, and is judged then.
 */
export function ruleUnreferencedNewObject(ctx: RevisionContext): void {
  const pending = [...ctx.written].filter((n) => ctx.isAdded(n) && !ctx.isClaimed(n) && !ctx.isReported(n));
  if (pending.length === 0) return;
  const referenced = new Set<number>();
  const note = (v: PdfValue | undefined): void => {
    walk(v, () => null, (n) => {
      referenced.add(n);
      return false;
    });
  };
  for (const n of ctx.written) {
    const v = ctx.cur(n);
    note(v instanceof PdfStream ? v.dict : v);
  }
  const catalog = ctx.doc.catalog(ctx.rev);
  note(catalog);
  note(ctx.resolveNew(catalog?.get('AcroForm')));
  note(ctx.doc.trailer(ctx.rev));
  const roles = ctx.roles('new');
  for (const n of pending) if (!referenced.has(n) && !roles.has(n)) ctx.claim(n, 'rule_unreferenced_new_object');
}

/** Depth-first over references; `visit` says whether to descend into an object. Stream data is never read. */
function walk(start: PdfValue | undefined, get: (n: number) => PdfValue, visit: (n: number) => boolean, limit = 50_000): void {
  const seen = new Set<number>();
  const stack: PdfValue[] = [start ?? null];
  let steps = 0;
  while (stack.length > 0 && steps++ < limit) {
    const v = stack.pop()!;
    if (v instanceof PdfRef) {
      if (seen.has(v.num)) continue;
      seen.add(v.num);
      if (visit(v.num)) stack.push(get(v.num));
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof PdfDict) stack.push(...v.map.values());
    else if (v instanceof PdfStream) stack.push(v.dict);
  }
}
