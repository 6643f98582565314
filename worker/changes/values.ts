import type { PdfDocument } from '../pdf/index';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../pdf/objects';

/** Streams larger than this are compared by location only: reading them whole would cost more than the check is worth. */
const MAX_STREAM_COMPARE = 4 * 1024 * 1024;

/**
 * Structural equality as a viewer would see it: references compared by number (a changed reference is a change,
 * what it points at is judged where that object is written), streams by dictionary and raw bytes.
 */
export function sameValue(doc: PdfDocument, a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfString) return b instanceof PdfString && a.bytes.equals(b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(doc, x, b[i], depth + 1));
  if (a instanceof PdfDict) return b instanceof PdfDict && sameDict(doc, a, b, depth);
  if (a instanceof PdfStream) {
    if (!(b instanceof PdfStream)) return false;
    if (!sameDict(doc, a.dict, b.dict, depth)) return false;
    if (a.dataOffset === b.dataOffset && a.dataLength === b.dataLength) return true;
    if (a.dataLength !== b.dataLength || a.dataLength > MAX_STREAM_COMPARE || a.dataOffset < 0 || b.dataOffset < 0) return false;
    return doc.readBytes(a.dataOffset, a.dataLength).equals(doc.readBytes(b.dataOffset, b.dataLength));
  }
  return false;
}

function sameDict(doc: PdfDocument, a: PdfDict, b: PdfDict, depth: number): boolean {
  if (a.map.size !== b.map.size) return false;
  for (const [k, v] of a.map) if (!b.has(k) || !sameValue(doc, v, b.get(k), depth + 1)) return false;
  return true;
}

/** Keys whose values differ between two dictionaries (added, removed or changed). */
export function changedKeys(doc: PdfDocument, a: PdfDict | null, b: PdfDict | null): string[] {
  const out: string[] = [];
  const keys = new Set<string>([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
  for (const k of keys) if (!sameValue(doc, a?.get(k), b?.get(k))) out.push(k);
  return out;
}

export function dictOfValue(v: PdfValue | undefined): PdfDict | null {
  if (v instanceof PdfDict) return v;
  if (v instanceof PdfStream) return v.dict;
  return null;
}

export function nameIn(d: PdfDict | null, key: string): string | null {
  const v = d?.get(key);
  return v instanceof PdfName ? v.name : null;
}

/** A rectangle with area and neither Hidden (2) nor NoView (32) set: something a reader sees on the page. */
export function isVisibleWidget(doc: PdfDocument, d: PdfDict, rev: number): boolean {
  const f = doc.resolve(d.get('F'), rev);
  if (typeof f === 'number' && (f & (2 | 32)) !== 0) return false;
  const r = doc.resolve(d.get('Rect'), rev);
  if (!Array.isArray(r) || r.length !== 4) return false;
  const n = r.map((x) => doc.resolve(x, rev));
  if (!n.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) return false;
  return Math.abs(n[2] - n[0]) > 0 && Math.abs(n[3] - n[1]) > 0;
}
