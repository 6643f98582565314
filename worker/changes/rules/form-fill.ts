import { PdfDict, PdfRef } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import type { RuleName } from '../types';
import { changedKeys, dictOfValue, isVisibleWidget, nameIn, sameValue } from '../values';
import { appearanceStreams, fieldName, inheritedFt } from './fields';
import { asArray, refNum } from './refs';
import type { ChangeRule } from './rule';

/** Keys of a field or widget that filling it changes: the value, its appearance and the appearance state. */
const FILL_KEYS = new Set(['V', 'AP', 'AS']);

/**
 * Form filling: an existing field's /V (with its widgets' /AP and /AS) may change when no DocMDP P=1
 * certification and no FieldMDP lock of an earlier signature forbids it. Signing an existing empty signature
 * field is the same change, allowed only for the signature this revision applies. A widget's appearance changed
 * without its field's value is a picture swapped under a signature, never allowed.
 */
function ruleFormFill(ctx: RevisionContext): void {
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

export const FORM_FILL: ChangeRule = { name: 'form_fill', apply: ruleFormFill };
