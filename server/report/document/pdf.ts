import type { Outline } from './outline';

/**
 * An Outline laid out as a PDF (pdf-lib, a Vietnamese font embedded): what a leader prints and an inspector files.
 * Being written: see the helper's branch.
 */
export async function renderPdf(outline: Outline): Promise<Uint8Array> {
  throw new Error(`renderPdf: not written yet (${outline.documentTitle})`);
}
