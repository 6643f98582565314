import { PageSizes, rgb, type Color, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import type { FontStyle } from './fonts';
import { Measure, printable, wrap, type StyledText, type TextLine } from './pdf-text';

/**
 * The page being filled and where on it: the margins of Decree 30/2020's Phụ lục on presentation (top and bottom
 * 20 mm, left 30 mm, right 15 mm, on A4), a cursor that moves down, and a new page when the next thing does not fit.
 * Coordinates given to callers run down from the top of the text area, as a page is read; pdf-lib's run up.
 */

export const MM = 72 / 25.4;

export const BODY_SIZE = 13;
/** Line height as a multiple of the font size: Word's "single" for Times New Roman is about 1.15. */
export const LEADING = 1.2;
export const AFTER_PARAGRAPH = 6;

export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.4, 0.4, 0.4);

export type Align = 'left' | 'center' | 'right';

export class Canvas {
  readonly measure = new Measure();
  readonly pages: PDFPage[] = [];
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly left = 30 * MM;
  readonly right: number;
  readonly top: number;
  readonly bottom = 20 * MM;
  /** Distance below the top of the text area. */
  y = 0;
  page!: PDFPage;
  /** Called on each new page after the first, before anything else is drawn on it (a table's header). */
  onNewPage: (() => void) | null = null;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Record<FontStyle, PDFFont>,
    landscape: boolean,
  ) {
    const [a, b] = PageSizes.A4;
    this.pageWidth = landscape ? b : a;
    this.pageHeight = landscape ? a : b;
    this.right = this.pageWidth - 15 * MM;
    this.top = this.pageHeight - 20 * MM;
    this.addPage();
  }

  get width(): number {
    return this.right - this.left;
  }

  /** Height of the whole text area of a page. */
  get areaHeight(): number {
    return this.top - this.bottom;
  }

  /** What is left on this page below the cursor. */
  get room(): number {
    return this.areaHeight - this.y;
  }

  /** True when nothing has been drawn on this page yet. */
  get fresh(): boolean {
    return this.y === 0;
  }

  font(bold = false, italic = false): PDFFont {
    return this.fonts[bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular'];
  }

  private addPage(): void {
    this.page = this.doc.addPage([this.pageWidth, this.pageHeight]);
    this.pages.push(this.page);
    this.y = 0;
  }

  newPage(): void {
    this.addPage();
    this.onNewPage?.();
  }

  /** A new page unless `height` still fits on this one (or this one is still empty). */
  need(height: number): void {
    if (height > this.room && !this.fresh) this.newPage();
  }

  /** pdf-lib's y of a point `down` below the top of the text area. */
  pdfY(down: number): number {
    return this.top - down;
  }

  /** Lines of styled text, already printable(), laid out `maxWidth` wide. */
  lines(parts: StyledText[], size: number, maxWidth: number, firstIndent = 0): TextLine[] {
    return wrap(parts, size, maxWidth, this.measure, firstIndent);
  }

  /** One line drawn with its top at `down`, aligned inside [x, x + width]. */
  drawLine(line: TextLine, x: number, width: number, down: number, size: number, align: Align, color: Color = BLACK): void {
    const offset = align === 'center' ? (width - line.width) / 2 : align === 'right' ? width - line.width : 0;
    const baseline = this.pdfY(down + size * 0.95);
    for (const piece of line.pieces) {
      this.page.drawText(piece.text, { x: x + offset + piece.x, y: baseline, size, font: piece.font, color });
    }
  }

  /**
   * Wrapped text drawn at the cursor, a line at a time, onto as many pages as it needs; the cursor ends under it.
   * The text must be printable() already.
   */
  flow(parts: StyledText[], size: number, options: { x?: number; width?: number; align?: Align; firstIndent?: number; color?: Color } = {}): void {
    const x = options.x ?? this.left;
    const width = options.width ?? this.width;
    const lineHeight = size * LEADING;
    for (const line of this.lines(parts, size, width, options.firstIndent ?? 0)) {
      this.need(lineHeight);
      this.drawLine(line, x, width, this.y, size, options.align ?? 'left', options.color);
      this.y += lineHeight;
    }
  }

  /** Plain text in one style made printable, for the renderer's own calls. */
  styled(text: string, bold = false, italic = false): StyledText[] {
    return [{ text: printable(text), font: this.font(bold, italic) }];
  }

  /** A horizontal rule `down` below the top of the text area. */
  rule(x1: number, x2: number, down: number, thickness = 0.6, color: Color = BLACK): void {
    this.page.drawLine({ start: { x: x1, y: this.pdfY(down) }, end: { x: x2, y: this.pdfY(down) }, thickness, color });
  }
}
