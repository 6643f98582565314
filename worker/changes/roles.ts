import type { PdfDocument } from '../pdf/index';
import { PdfDict, PdfRef, PdfStream, type PdfValue } from '../pdf/objects';
import type { ChangeKind } from './types';
import { dictOfValue, nameIn } from './values';

/**
 * What each object does for the pages as of one revision (page dictionary, its content, fonts, images, form
 * XObjects, annotations and their appearances). Only built when a change is unexplained, to name it for the
 * inspector: "the content stream of page 1", not just "object 7".
 */
export interface Role {
  kind: ChangeKind;
  page: number | null;
  detail?: string;
}

const MAX_FORM_DEPTH = 4;

export function pageRoles(doc: PdfDocument, rev: number): Map<number, Role> {
  const roles = new Map<number, Role>();
  const set = (v: PdfValue | undefined, role: Role): void => {
    if (v instanceof PdfRef && !roles.has(v.num)) roles.set(v.num, role);
  };
  let budget = 20_000;
  const resources = (res: PdfValue | undefined, page: number, depth: number): void => {
    set(res, { kind: 'page-resources', page });
    const rd = doc.resolve(res, rev);
    if (!(rd instanceof PdfDict)) return;
    const fonts = doc.resolve(rd.get('Font'), rev);
    if (fonts instanceof PdfDict) for (const f of fonts.map.values()) set(f, { kind: 'font', page });
    const xobjects = doc.resolve(rd.get('XObject'), rev);
    if (!(xobjects instanceof PdfDict)) return;
    for (const x of xobjects.map.values()) {
      if (--budget < 0 || !(x instanceof PdfRef) || roles.has(x.num)) continue;
      const xs = doc.resolve(x, rev);
      const subtype = nameIn(dictOfValue(xs), 'Subtype');
      if (subtype === 'Image') roles.set(x.num, { kind: 'image', page });
      else {
        roles.set(x.num, { kind: 'form-xobject', page });
        if (xs instanceof PdfStream && depth < MAX_FORM_DEPTH) resources(xs.dict.get('Resources'), page, depth + 1);
      }
    }
  };
  const appearance = (ap: PdfValue | undefined, page: number): void => {
    const apd = doc.resolve(ap, rev);
    if (!(apd instanceof PdfDict)) return;
    for (const key of ['N', 'R', 'D']) {
      const v = apd.get(key);
      if (v instanceof PdfRef) set(v, { kind: 'widget-appearance', page });
      const states = doc.resolve(v, rev);
      if (states instanceof PdfDict) for (const s of states.map.values()) set(s, { kind: 'widget-appearance', page });
    }
  };

  doc.pages(rev).forEach((p, i) => {
    if (--budget < 0) return;
    if (p.ref) roles.set(p.ref.num, { kind: 'page', page: i });
    const contents = p.dict.get('Contents');
    set(contents, { kind: 'page-content', page: i });
    const list = doc.resolve(contents, rev);
    if (Array.isArray(list)) for (const c of list) set(c, { kind: 'page-content', page: i });
    resources(p.dict.get('Resources'), i, 0);
    const annotsValue = p.dict.get('Annots');
    set(annotsValue, { kind: 'annotations-array', page: i });
    const annots = doc.resolve(annotsValue, rev);
    if (!Array.isArray(annots)) return;
    for (const a of annots) {
      if (--budget < 0) return;
      const ad = doc.resolve(a, rev);
      if (!(ad instanceof PdfDict)) continue;
      const subtype = nameIn(ad, 'Subtype');
      set(a, { kind: subtype === 'Widget' ? 'widget' : 'annotation', page: i, detail: subtype ? `/${subtype}` : undefined });
      appearance(ad.get('AP'), i);
    }
  });
  return roles;
}

/** Names an object from its own dictionary when no page role is known. */
export function kindOfValue(v: PdfValue, change: 'added' | 'modified' | 'freed'): { kind: ChangeKind; detail?: string } {
  const d = dictOfValue(v);
  const type = nameIn(d, 'Type');
  const subtype = nameIn(d, 'Subtype');
  if (type === 'Page') return { kind: change === 'added' ? 'new-page' : 'page' };
  if (type === 'Pages') return { kind: 'page-tree' };
  if (type === 'Catalog') return { kind: 'catalog' };
  if (type === 'Sig' || type === 'DocTimeStamp') return { kind: 'signature-dictionary' };
  if (type === 'ObjStm' || type === 'XRef') return { kind: 'object-stream' };
  if (type === 'DSS' || type === 'VRI') return { kind: 'dss' };
  if (type === 'Metadata') return { kind: 'metadata' };
  if (type === 'Font' || type === 'FontDescriptor') return { kind: 'font' };
  if (subtype === 'Widget') return { kind: 'widget' };
  if (type === 'Annot' || (subtype !== null && ANNOTATION_SUBTYPES.has(subtype))) return { kind: 'annotation', detail: subtype ? `/${subtype}` : undefined };
  if (d?.has('FT')) return { kind: nameIn(d, 'FT') === 'Sig' ? 'signature-field' : 'form-field' };
  if (v instanceof PdfStream) {
    if (subtype === 'Image') return { kind: 'image' };
    if (subtype === 'Form') return { kind: 'form-xobject' };
    return { kind: 'stream' };
  }
  return { kind: 'object' };
}

const ANNOTATION_SUBTYPES = new Set([
  'Text', 'Link', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly',
  'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Sound', 'Movie', 'Screen', 'PrinterMark',
  'TrapNet', 'Watermark', '3D', 'Redact', 'RichMedia',
]);

