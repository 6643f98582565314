import type { PdfValue } from '../../pdf/objects';
import { PdfDict, PdfRef, PdfStream } from '../../pdf/objects';
import type { RevisionContext } from '../context';

/**
 * Small readers the rules share: arrays and references as they are written, the trailer entry in force, and a
 * bounded walk over references.
 */

export function asArray(v: PdfValue): PdfValue[] {
  return Array.isArray(v) ? v : [];
}

export function refNum(v: PdfValue | undefined): number | null {
  return v instanceof PdfRef ? v.num : null;
}

/** Trailer entry `key` in force as of `rev` (the newest trailer up to it that has the key). */
export function trailerRef(ctx: RevisionContext, key: string, rev: number): PdfValue | undefined {
  return ctx.doc.trailerEntry(key, rev);
}

/** Depth-first over references; `visit` says whether to descend into an object. Stream data is never read. */
export function walk(start: PdfValue | undefined, get: (n: number) => PdfValue, visit: (n: number) => boolean, limit = 50_000): void {
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
