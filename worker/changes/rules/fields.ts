import type { PdfValue } from '../../pdf/objects';
import { PdfDict, PdfStream, PdfString } from '../../pdf/objects';
import { decodeTextString } from '../../pdf/text';
import type { RevisionContext } from '../context';
import { dictOfValue, nameIn } from '../values';
import { refNum } from './refs';

/**
 * Form fields as the rules need them: a field's fully qualified name and inherited type, and the appearance
 * streams a widget names.
 */

export const MAX_FIELD_DEPTH = 16;

/** Fully qualified name of a field as of this revision. */
export function fieldName(ctx: RevisionContext, d: PdfDict): string {
  const parts: string[] = [];
  let cur: PdfDict | null = d;
  for (let i = 0; cur !== null && i < MAX_FIELD_DEPTH; i++) {
    const t = ctx.resolveNew(cur.get('T'));
    if (t instanceof PdfString) parts.unshift(decodeTextString(t.bytes));
    cur = dictOfValue(ctx.resolveNew(cur.get('Parent')));
  }
  return parts.join('.');
}

export function inheritedFt(ctx: RevisionContext, d: PdfDict): string | null {
  let cur: PdfDict | null = d;
  for (let i = 0; cur !== null && i < MAX_FIELD_DEPTH; i++) {
    const ft = nameIn(cur, 'FT');
    if (ft !== null) return ft;
    cur = dictOfValue(ctx.resolveNew(cur.get('Parent')));
  }
  return null;
}

/** Appearance streams named by a widget's /AP (N, R, D; each a stream or a dictionary of states). */
export function appearanceStreams(ctx: RevisionContext, ap: PdfValue | undefined, old: boolean): number[] {
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
