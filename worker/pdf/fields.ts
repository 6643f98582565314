import { DocumentError } from '../errors';
import type { PdfDocument } from './document';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from './objects';
import { decodeTextString } from './text';

/** A widget annotation as found in the field tree. */
export interface WidgetRef {
  ref: PdfRef | null;
  dict: PdfDict;
}

/** A signature field with a value, as of one revision. */
export interface SignatureFieldHit {
  fullName: string;
  /** The field object; null when the field is a direct dictionary in its parent's /Kids or /Fields. */
  fieldRef: PdfRef | null;
  /** /V as written: a reference, or a direct dictionary. */
  value: PdfRef | PdfDict;
  widgets: WidgetRef[];
}

/**
 * Signature fields reachable from the catalog's /AcroForm /Fields as of `rev`. Cycle-safe: a /Kids loop or a
 * field reachable twice is visited once; the walk is bounded by the document's limits. More signature fields with
 * a value than `limits.maxSignatures` end the document with TOO_COMPLEX as soon as the walk finds one too many.
 */
export function signatureFields(doc: PdfDocument, rev: number): SignatureFieldHit[] {
  const hits: SignatureFieldHit[] = [];
  const catalog = doc.catalog(rev);
  if (catalog === null) return hits;
  const acroForm = doc.resolve(catalog.get('AcroForm'), rev);
  if (!(acroForm instanceof PdfDict)) return hits;
  const fields = doc.resolve(acroForm.get('Fields'), rev);
  if (!Array.isArray(fields)) return hits;
  const seen = new Set<number>();
  let visits = 0;

  const walk = (node: PdfValue, parentName: string, inheritedFt: string | null, depth: number): void => {
    doc.budget.check();
    if (depth > doc.limits.maxDepth || ++visits > doc.limits.maxObjects) return;
    let ref: PdfRef | null = null;
    if (node instanceof PdfRef) {
      if (seen.has(node.num)) return;
      seen.add(node.num);
      ref = node;
    }
    const dict = doc.resolve(node, rev);
    if (!(dict instanceof PdfDict)) return;
    const t = doc.resolve(dict.get('T'), rev);
    const partial = t instanceof PdfString ? decodeTextString(t.bytes) : null;
    const name = partial === null ? parentName : parentName === '' ? partial : `${parentName}.${partial}`;
    const ftValue = doc.resolve(dict.get('FT'), rev);
    const ft = ftValue instanceof PdfName ? ftValue.name : inheritedFt;
    const kidsValue = doc.resolve(dict.get('Kids'), rev);
    const kids = Array.isArray(kidsValue) ? kidsValue : [];

    const v = dict.get('V');
    if (ft === 'Sig' && (v instanceof PdfRef || v instanceof PdfDict)) {
      const target = v instanceof PdfRef ? doc.resolve(v, rev) : v;
      if (target instanceof PdfDict) {
        const widgets: WidgetRef[] = [];
        if (dict.has('Rect')) widgets.push({ ref, dict });
        for (const kid of kids) {
          const kd = doc.resolve(kid, rev);
          if (kd instanceof PdfDict && !kd.has('T') && kd.has('Rect')) widgets.push({ ref: kid instanceof PdfRef ? kid : null, dict: kd });
        }
        if (hits.length >= doc.limits.maxSignatures) {
          throw new DocumentError('TOO_COMPLEX', `more than ${doc.limits.maxSignatures} signature fields with a value`);
        }
        hits.push({ fullName: name, fieldRef: ref, value: v, widgets });
      }
    }
    for (const kid of kids) walk(kid, name, ft, depth + 1);
  };

  for (const f of fields) walk(f, '', null, 0);
  return hits;
}
