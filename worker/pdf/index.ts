import { DocumentError, type Budget } from '../errors';
import type { ByteSource } from '../source';
import { PdfDocument } from './document';
import { readStructure } from './structure';
import type { PdfLimits, PdfStructure } from './types';

export { PdfDocument, type ObjectLocation, type ResolvedObject, type PageEntry, type OpenOptions } from './document';
export { readStructure } from './structure';
export type { XrefEntry } from './xref';
export * from './objects';
export * from './types';
export { decodeTextString, parsePdfDate } from './text';

/** Opens a PDF for reading by revision; throws DocumentError when the file is not a readable PDF. */
export function openPdf(source: ByteSource, opts?: { limits?: Partial<PdfLimits>; budget?: Budget }): PdfDocument {
  return guardStack(() => new PdfDocument(source, opts));
}

/** Opens a PDF and reads its structure. */
export function analyzePdf(
  source: ByteSource,
  opts?: { limits?: Partial<PdfLimits>; budget?: Budget },
): { doc: PdfDocument; structure: PdfStructure } {
  const doc = openPdf(source, opts);
  return { doc, structure: guardStack(() => readStructure(doc)) };
}

/**
 * Every recursion is bounded by the limits; should a structure still exhaust the stack, the document is refused
 * as too deep rather than crashing the worker.
 */
function guardStack<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RangeError' && /call stack/i.test(String((e as { message?: unknown }).message))) {
      throw new DocumentError('TOO_DEEP', 'structure nested too deeply');
    }
    throw e;
  }
}
