import type { Outline } from './outline';

/**
 * An Outline laid out as a DOCX (the `docx` package): the draft an inspector edits in Word or LibreOffice.
 * Being written: see the helper's branch.
 */
export async function renderDocx(outline: Outline): Promise<Uint8Array> {
  throw new Error(`renderDocx: not written yet (${outline.documentTitle})`);
}
