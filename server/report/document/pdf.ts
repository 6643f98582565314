import { PDFDocument, type PDFFont } from 'pdf-lib';
import type { Outline } from './outline';
import { FONT_STYLES, loadFonts, pdfFontkit, type FontStyle } from './fonts';
import { Canvas, GREY, MM } from './pdf-canvas';
import { drawBlocks, drawClosing } from './pdf-blocks';
import { drawOpening } from './pdf-header';
import { printable, truncate } from './pdf-text';

/**
 * An Outline laid out as a PDF (pdf-lib, Tinos embedded as subsets): what a leader prints and an inspector files.
 * A4 with Decree 30/2020's margins, Times-metric type, text a reader can search and copy with its diacritics.
 */

const FOOTER_SIZE = 9;

/** "Trang 2/5" on every page, and the outline's footer: written once the number of pages is known. */
function drawFooters(canvas: Canvas, outline: Outline, lang: 'vi' | 'en'): void {
  const font = canvas.font();
  const footer = printable(outline.footer);
  const total = canvas.pages.length;
  const baseline = 10 * MM;
  canvas.pages.forEach((page, index) => {
    const number = `${lang === 'vi' ? 'Trang' : 'Page'} ${index + 1}/${total}`;
    const numberWidth = canvas.measure.width(font, number, FOOTER_SIZE);
    page.drawText(number, { x: canvas.right - numberWidth, y: baseline, size: FOOTER_SIZE, font, color: GREY });
    const text = truncate(footer, font, FOOTER_SIZE, canvas.width - numberWidth - 6 * MM, canvas.measure);
    if (text !== '') page.drawText(text, { x: canvas.left, y: baseline, size: FOOTER_SIZE, font, color: GREY });
  });
}

export async function renderPdf(outline: Outline): Promise<Uint8Array> {
  const lang = outline.lang ?? 'vi';
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfFontkit);
  const { bytes } = loadFonts();
  const fonts = {} as Record<FontStyle, PDFFont>;
  for (const style of FONT_STYLES) fonts[style] = await doc.embedFont(bytes[style], { subset: true });

  const title = printable(outline.documentTitle);
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setCreator('kiemky');
  doc.setProducer('kiemky');
  doc.setLanguage(lang);

  const canvas = new Canvas(doc, fonts, outline.orientation === 'landscape');
  drawOpening(canvas, outline);
  drawBlocks(canvas, outline.blocks, lang);
  if (outline.closing) drawClosing(canvas, outline.closing);
  if (outline.annex && outline.annex.length > 0) {
    // The phụ lục starts a page of its own, after the signature (Decree 30/2020).
    if (!canvas.fresh) canvas.newPage();
    drawBlocks(canvas, outline.annex, lang);
  }
  drawFooters(canvas, outline, lang);
  return doc.save();
}
