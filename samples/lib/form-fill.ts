/**
 * A text field on the page, and filling it in later updates: the form-filling changes DocMDP P=2 permits and the
 * shadow attacks use (a field whose appearance draws new words over the signed page).
 */
import { PdfFile } from './pdf-reader';
import { appendUpdate, makeStreamBody } from './pdf-writer';
import { arr, asRef, dget, dict, dset, literalString, rawStr, ref, serialize, type PdfDictVal } from './pdf-syntax';

export interface TextFieldOptions {
  name: string;
  /** [x1 y1 x2 y2] in points on page 1. */
  rect: [number, number, number, number];
  value: string;
}

/** What the appearance stream of a text field draws: a white box and the value in the base document's font. */
function appearance(width: number, height: number, value: string): Buffer {
  const draw = `q 1 1 1 rg 0 0 ${width} ${height} re f Q BT /F1 14 Tf 0 g 4 ${Math.max(2, height / 2 - 5)} Td ${literalString(value)} Tj ET\n`;
  return makeStreamBody(`/Type /XObject /Subtype /Form /BBox [0 0 ${width} ${height}] /Resources << /Font << /F1 3 0 R >> >>`, draw);
}

/** Adds a text field (field and widget in one dictionary) with its appearance to page 1, creating the AcroForm if need be. */
export function addTextField(pdf: Buffer, o: TextFieldOptions): Buffer {
  const f = new PdfFile(pdf);
  const pageNum = f.pageNums()[0]!;
  const page = f.dictOf(pageNum);
  const catalog = f.dictOf(f.rootNum);
  let next = f.size;
  const field = next++;
  const ap = next++;
  const updates: { num: number; body: string | Buffer }[] = [];
  const afRef = asRef(dget(catalog, 'AcroForm'));
  if (afRef) {
    const af = f.dictOf(afRef.num);
    const fields = dget(af, 'Fields');
    dset(af, 'Fields', arr([...(fields && fields.t === 'arr' ? fields.items : []), ref(field)]));
    updates.push({ num: afRef.num, body: serialize(af) });
  } else {
    const af = next++;
    updates.push({ num: af, body: `<< /Fields [${field} 0 R] /DA (/F1 14 Tf 0 g) /DR << /Font << /F1 3 0 R >> >> >>` });
    dset(catalog, 'AcroForm', ref(af));
    updates.push({ num: f.rootNum, body: serialize(catalog) });
  }
  const annots = dget(page, 'Annots');
  dset(page, 'Annots', arr([...(annots && annots.t === 'arr' ? annots.items : []), ref(field)]));
  updates.push({ num: pageNum, body: serialize(page) });
  const [x1, y1, x2, y2] = o.rect;
  updates.push({
    num: field,
    body: `<< /Type /Annot /Subtype /Widget /FT /Tx /T ${literalString(o.name)} /F 4 /Rect [${x1} ${y1} ${x2} ${y2}] /P ${pageNum} 0 R /DA (/F1 14 Tf 0 g) /V ${literalString(o.value)} /AP << /N ${ap} 0 R >> >>`,
  });
  updates.push({ num: ap, body: appearance(x2 - x1, y2 - y1, o.value) });
  return appendUpdate(pdf, updates);
}

function findField(f: PdfFile, name: string): { num: number; dict: PdfDictVal } {
  const catalog = f.dictOf(f.rootNum);
  const af = f.dictOf(asRef(dget(catalog, 'AcroForm'))!.num);
  const fields = dget(af, 'Fields');
  for (const item of fields && fields.t === 'arr' ? fields.items : []) {
    const r = asRef(item);
    if (!r) continue;
    const d = f.dictOf(r.num);
    const t = dget(d, 'T');
    if (t && t.t === 'str' && t.raw === literalString(name)) return { num: r.num, dict: d };
  }
  throw new Error(`no field ${name}`);
}

/**
 * Fills the field in an unsigned update: a new value and, as form-filling tools do, a new appearance stream — or,
 * with `overwriteAppearance`, the field's old appearance stream rewritten in place under its old number.
 */
export function fillTextField(pdf: Buffer, name: string, value: string, o: { overwriteAppearance?: boolean } = {}): Buffer {
  const f = new PdfFile(pdf);
  const { num, dict: field } = findField(f, name);
  const rect = dget(field, 'Rect');
  const n = rect && rect.t === 'arr' ? rect.items.map((x) => (x.t === 'num' ? Number(x.raw) : 0)) : [0, 0, 200, 30];
  const body = appearance(n[2]! - n[0]!, n[3]! - n[1]!, value);
  dset(field, 'V', rawStr(literalString(value)));
  if (o.overwriteAppearance) {
    const apDict = dget(field, 'AP');
    const old = apDict && apDict.t === 'dict' ? asRef(dget(apDict, 'N')) : null;
    if (!old) throw new Error('the field has no indirect /N appearance');
    return appendUpdate(pdf, [
      { num, body: serialize(field) },
      { num: old.num, body },
    ]);
  }
  const ap = f.size;
  dset(field, 'AP', dict([['N', ref(ap)]]));
  return appendUpdate(pdf, [
    { num, body: serialize(field) },
    { num: ap, body },
  ]);
}
