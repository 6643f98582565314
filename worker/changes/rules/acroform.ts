import { PdfDict, PdfRef } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { changedKeys, dictOfValue, nameIn, sameValue } from '../values';
import { rootNum } from './catalog';
import { ruleNewField } from './new-field';
import { asArray, refNum } from './refs';
import type { ChangeRule } from './rule';

/**
 * Keys of an AcroForm dictionary that adding a signature field may touch. /DR and /DA are only defaults for
 * generating new appearances (existing widgets draw their own /AP streams); /NeedAppearances is not here: it
 * makes a viewer redraw every field.
 */
const ACROFORM_ALLOWED_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA']);

/**
 * AcroForm: /Fields may only grow (every new entry is then judged as a new field), /SigFlags may be set, /DR may
 * gain resources. A field dropped from /Fields is a signature or value hidden from the reader.
 */
function ruleAcroForm(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
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

export const ACROFORM: ChangeRule = { name: 'acroform_fields_append', apply: (ctx) => ruleAcroForm(ctx, ctx.oldCatalog, ctx.newCatalog) };
