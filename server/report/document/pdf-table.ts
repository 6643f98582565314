import { rgb } from 'pdf-lib';
import type { OutlineBlock } from './outline';
import { LEADING, MM, AFTER_PARAGRAPH, type Align, type Canvas } from './pdf-canvas';
import { truncate, type TextLine } from './pdf-text';

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

function layout(canvas: Canvas, block: TableBlock, region: Region): Layout {
  const size = block.compact ? 10 : 12;
  const raw = block.columns.map((c) => (Number.isFinite(c.width) && c.width > 0 ? c.width : 0));
  const total = raw.reduce((sum, w) => sum + w, 0);
  const widths = raw.map((w) => (total > 0 ? w / total : 1 / raw.length) * region.width);
  const xs: number[] = [];
  let x = region.x;
  for (const width of widths) {
    xs.push(x);
    x += width;
  }
  return { oneLine: block.oneLine === true, size, padX: (block.compact ? 1 : 1.5) * MM, padY: 2, lineHeight: size * LEADING, xs, widths };
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
