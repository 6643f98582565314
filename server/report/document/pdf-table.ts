import { rgb } from 'pdf-lib';
import type { OutlineBlock } from './outline';
import { LEADING, MM, AFTER_PARAGRAPH, type Align, type Canvas } from './pdf-canvas';
import { printable, truncate, type TextLine } from './pdf-text';

/**
 * A table across as many pages as it takes: its header row at the top of each, no row cut in two unless it is
 * taller than a page. Rows are laid out and drawn one at a time, so a 2000-row appendix holds one row in memory.
 */

type TableBlock = Extract<OutlineBlock, { kind: 'table' }>;

const HEADER_FILL = rgb(0.88, 0.88, 0.88);
const BORDER = rgb(0.25, 0.25, 0.25);
const BORDER_WIDTH = 0.5;

/** The part of the page's width a block is drawn in. */
export interface Region {
  x: number;
  width: number;
}

interface Layout {
  oneLine: boolean;
  size: number;
  padX: number;
  padY: number;
  lineHeight: number;
  xs: number[];
  widths: number[];
}

/** The widest word of a cell: the least its column can be without cutting a word ("20/11/2026", "STT"). */
function widestWord(canvas: Canvas, text: string, bold: boolean, size: number): number {
  const font = canvas.font(bold);
  let widest = 0;
  for (const word of printable(text).split(/ +/)) widest = Math.max(widest, canvas.measure.width(font, word, size));
  return widest;
}

/**
 * Columns share the width in the proportions the Outline gives, then a column too narrow for its widest word takes
 * what it lacks from the columns with room to spare (when they have enough), so dates and numbers are not cut.
 */
function columnWidths(canvas: Canvas, block: TableBlock, region: Region, size: number, padX: number): number[] {
  const raw = block.columns.map((c) => (Number.isFinite(c.width) && c.width > 0 ? c.width : 0));
  const total = raw.reduce((sum, w) => sum + w, 0);
  const widths = raw.map((w) => (total > 0 ? w / total : 1 / raw.length) * region.width);
  const need = block.columns.map((column, i) => {
    let widest = widestWord(canvas, column.title, true, size);
    // A one-line table cuts its cells anyway: only its header is measured.
    if (block.oneLine !== true) for (const row of block.rows) widest = Math.max(widest, widestWord(canvas, row[i] ?? '', false, size));
    return Math.min(widest + 2 * padX + 0.5, region.width * 0.3);
  });
  const lacking = widths.reduce((sum, w, i) => sum + Math.max(0, need[i] - w), 0);
  const spare = widths.reduce((sum, w, i) => sum + Math.max(0, w - need[i]), 0);
  if (lacking === 0 || spare < lacking) return widths;
  return widths.map((w, i) => (w < need[i] ? need[i] : w - ((w - need[i]) / spare) * lacking));
}

const layouts = new WeakMap<TableBlock, Map<string, Layout>>();

function layout(canvas: Canvas, block: TableBlock, region: Region): Layout {
  const key = `${region.x}:${region.width}`;
  const known = layouts.get(block)?.get(key);
  if (known) return known;
  const size = block.compact ? 10 : 12;
  const padX = (block.compact ? 1 : 1.5) * MM;
  const widths = columnWidths(canvas, block, region, size, padX);
  const xs: number[] = [];
  let x = region.x;
  for (const width of widths) {
    xs.push(x);
    x += width;
  }
  const made: Layout = { oneLine: block.oneLine === true, size, padX, padY: 2, lineHeight: size * LEADING, xs, widths };
  if (!layouts.has(block)) layouts.set(block, new Map());
  layouts.get(block)!.set(key, made);
  return made;
}

/** A row's cells as lines; `cut` (oneLine tables, never their header) keeps one line each. */
function cellLines(canvas: Canvas, l: Layout, texts: string[], bold: boolean, cut = l.oneLine): TextLine[][] {
  return l.widths.map((width, i) => {
    const room = Math.max(width - 2 * l.padX, l.size);
    const [text] = canvas.styled(texts[i] ?? '', bold);
    if (!cut) return canvas.lines([text], l.size, room);
    const short = truncate(text.text, text.font, l.size, room, canvas.measure);
    return canvas.lines([{ text: short, font: text.font }], l.size, room * 2).slice(0, 1);
  });
}

/** Draws lines [from, from + count) of each cell, the row's box `height` tall at the cursor. */
function drawRow(canvas: Canvas, l: Layout, cells: TextLine[][], aligns: Align[], from: number, count: number, height: number, fill: boolean): void {
  const top = canvas.y;
  const bottomY = canvas.pdfY(top + height);
  const x0 = l.xs[0];
  const x1 = l.xs[l.xs.length - 1] + l.widths[l.widths.length - 1];
  if (fill) canvas.page.drawRectangle({ x: x0, y: bottomY, width: x1 - x0, height, color: HEADER_FILL });
  cells.forEach((lines, i) => {
    let down = top + l.padY;
    for (const line of lines.slice(from, from + count)) {
      canvas.drawLine(line, l.xs[i] + l.padX, l.widths[i] - 2 * l.padX, down, l.size, aligns[i]);
      down += l.lineHeight;
    }
  });
  const line = (ax: number, ay: number, bx: number, by: number): void =>
    canvas.page.drawLine({ start: { x: ax, y: ay }, end: { x: bx, y: by }, thickness: BORDER_WIDTH, color: BORDER });
  const topY = canvas.pdfY(top);
  line(x0, topY, x1, topY);
  line(x0, bottomY, x1, bottomY);
  for (const x of [...l.xs, x1]) line(x, topY, x, bottomY);
  canvas.y = top + height;
}

/** The header row and the first row: what a heading before the table keeps on its page. */
export function tableLeadHeight(canvas: Canvas, block: TableBlock, region: Region = { x: canvas.left, width: canvas.width }): number {
  if (block.columns.length === 0) return 0;
  const l = layout(canvas, block, region);
  const height = (cells: TextLine[][]): number => Math.max(1, ...cells.map((c) => c.length)) * l.lineHeight + 2 * l.padY;
  const header = height(cellLines(canvas, l, block.columns.map((c) => c.title), true, false));
  return header + (block.rows.length > 0 ? height(cellLines(canvas, l, block.rows[0], (block.emphasis ?? []).includes(0))) : 0);
}

export function drawTable(canvas: Canvas, block: TableBlock, region: Region = { x: canvas.left, width: canvas.width }): void {
  if (block.columns.length === 0) return;
  const l = layout(canvas, block, region);
  const header = cellLines(canvas, l, block.columns.map((c) => c.title), true, false);
  const headerLines = Math.max(1, ...header.map((c) => c.length));
  const headerHeight = headerLines * l.lineHeight + 2 * l.padY;
  const headerAligns: Align[] = block.columns.map(() => 'center');
  const aligns: Align[] = block.columns.map((c) => c.align);
  const drawHeader = (): void => drawRow(canvas, l, header, headerAligns, 0, headerLines, headerHeight, true);
  const emphasis = new Set(block.emphasis ?? []);

  const previous = canvas.onNewPage;
  // A header with no row under it is not left at the foot of a page.
  const first = block.rows.length > 0 ? cellLines(canvas, l, block.rows[0], emphasis.has(0)) : [];
  const firstHeight = Math.max(1, ...first.map((c) => c.length)) * l.lineHeight + 2 * l.padY;
  canvas.need(headerHeight + Math.min(firstHeight, canvas.areaHeight - headerHeight));
  drawHeader();
  canvas.onNewPage = drawHeader;
  try {
    block.rows.forEach((row, index) => {
      const cells = index === 0 ? first : cellLines(canvas, l, row, emphasis.has(index));
      const count = Math.max(1, ...cells.map((c) => c.length));
      const height = count * l.lineHeight + 2 * l.padY;
      if (height <= canvas.room || height > canvas.areaHeight - headerHeight) {
        if (height > canvas.room && canvas.room < l.lineHeight + 2 * l.padY) canvas.newPage();
      } else {
        canvas.newPage();
      }
      // A row taller than a page goes on, cut at line boundaries, over the pages it needs.
      let from = 0;
      while (from < count) {
        const fit = Math.max(1, Math.floor((canvas.room - 2 * l.padY) / l.lineHeight));
        const take = Math.min(fit, count - from);
        drawRow(canvas, l, cells, aligns, from, take, take * l.lineHeight + 2 * l.padY, false);
        from += take;
        if (from < count) canvas.newPage();
      }
    });
  } finally {
    canvas.onNewPage = previous;
  }
  canvas.y += AFTER_PARAGRAPH;
}
