import { partText, zipParts } from './docx-package';
import { pdfText, popplerAvailable } from './poppler';

/**
 * The words of a report file as a person's tools give them back, to look for names in: a DOCX's body
 * (word/document.xml, its tags taken out, so a name split over runs reads whole) and a PDF's text through poppler's
 * pdftotext, whitespace made single spaces so a name wrapped over two lines reads whole.
 */

export async function docxText(bytes: Uint8Array): Promise<string> {
  const xml = partText(await zipParts(bytes), 'word/document.xml');
  return xml
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .normalize('NFC');
}

/** pdftotext's words, whitespace made single spaces; null where poppler is absent (popplerAvailable says so). */
export function pdfWords(bytes: Uint8Array, what = 'the PDF\'s words'): string | null {
  return popplerAvailable(what) ? pdfText(bytes).replace(/\s+/g, ' ') : null;
}
