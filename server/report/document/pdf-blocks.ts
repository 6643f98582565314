import { rgb } from 'pdf-lib';
import type { OutlineBlock, OutlineClosing, OutlineRun } from './outline';
import { AFTER_PARAGRAPH, BODY_SIZE, LEADING, MM, type Canvas } from './pdf-canvas';
import { chartHeight, drawChart } from './pdf-chart';
import { drawTable, tableLeadHeight } from './pdf-table';
import { printable, type StyledText, type TextLine } from './pdf-text';

/** The body's blocks and the closing, laid out at the cursor in the order the Outline gives them. */

const INDENT = 10 * MM;
const NOTE_FILL = rgb(1, 0.97, 0.86);
const NOTE_BORDER = rgb(0.8, 0.68, 0.3);

function styledRuns(canvas: Canvas, runs: OutlineRun[]): StyledText[] {
  return runs.map((run) => ({ text: printable(run.text), font: canvas.font(run.bold === true, run.italic === true) }));
}

function drawHeading(canvas: Canvas, level: 1 | 2 | 3, text: string, next: OutlineBlock | undefined): void {
  const upper = level === 1 ? text.toLocaleUpperCase('vi') : text;
  const parts = canvas.styled(upper, true, level === 3);
  canvas.y += canvas.fresh ? 0 : level === 1 ? 6 : 3;
  // A heading is not left alone at the foot of a page: it goes with two lines of what follows, or with the chart.
  const own = canvas.lines(parts, BODY_SIZE, canvas.width).length * BODY_SIZE * LEADING + AFTER_PARAGRAPH;
  const follows = next?.kind === 'chart' ? chartHeight(canvas, next) : next?.kind === 'table' ? tableLeadHeight(canvas, next) : 2 * BODY_SIZE * LEADING;
  canvas.need(own + Math.min(follows, canvas.areaHeight - own));
  canvas.flow(parts, BODY_SIZE);
  canvas.y += AFTER_PARAGRAPH;
}

function drawBullets(canvas: Canvas, items: OutlineRun[][]): void {
  const dash = printable('- ');
  const font = canvas.font();
  const dashWidth = canvas.measure.width(font, dash, BODY_SIZE);
  const x = canvas.left + INDENT + dashWidth;
  const width = canvas.width - INDENT - dashWidth;
  for (const item of items) {
    const lines = canvas.lines(styledRuns(canvas, item), BODY_SIZE, width);
    lines.forEach((line, index) => {
      canvas.need(BODY_SIZE * LEADING);
      if (index === 0) canvas.drawLine({ pieces: [{ text: dash, font, x: 0 }], width: dashWidth }, canvas.left + INDENT, dashWidth, canvas.y, BODY_SIZE, 'left');
      canvas.drawLine(line, x, width, canvas.y, BODY_SIZE, 'left');
      canvas.y += BODY_SIZE * LEADING;
    });
    canvas.y += 2;
  }
  canvas.y += AFTER_PARAGRAPH - 2;
}

/** The note's lines in a tinted box, one box per page when it runs over. */
function drawNote(canvas: Canvas, text: string): void {
  const size = 12;
  const pad = 3 * MM;
  const lineHeight = size * LEADING;
  const lines = canvas.lines(canvas.styled(text, false, true), size, canvas.width - 2 * pad);
  canvas.need(Math.min(lines.length * lineHeight + 2 * pad, canvas.areaHeight));
  let rest: TextLine[] = lines;
  while (rest.length > 0) {
    const fit = Math.max(1, Math.floor((canvas.room - 2 * pad) / lineHeight));
    const part = rest.slice(0, fit);
    rest = rest.slice(fit);
    const height = part.length * lineHeight + 2 * pad;
    canvas.page.drawRectangle({
      x: canvas.left,
      y: canvas.pdfY(canvas.y + height),
      width: canvas.width,
      height,
      color: NOTE_FILL,
      borderColor: NOTE_BORDER,
      borderWidth: 0.8,
    });
    let down = canvas.y + pad;
    for (const line of part) {
      canvas.drawLine(line, canvas.left + pad, canvas.width - 2 * pad, down, size, 'left');
      down += lineHeight;
    }
    canvas.y += height;
    if (rest.length > 0) canvas.newPage();
  }
  canvas.y += AFTER_PARAGRAPH;
}

type TableBlock = Extract<OutlineBlock, { kind: 'table' }>;
type ChartBlock = Extract<OutlineBlock, { kind: 'chart' }>;

/** A table at the left and its chart at the right, both from the cursor; the cursor ends under the longer. */
function drawSideBySide(canvas: Canvas, table: TableBlock, chart: ChartBlock, lang: 'vi' | 'en'): void {
  const gap = 6 * MM;
  const tableWidth = canvas.width * 0.62;
  // Both start on the same page: a new one when not even the chart's title, legend and a few bars fit here.
  canvas.need(Math.min(canvas.areaHeight, 120));
  const page = canvas.page;
  const top = canvas.y;
  drawTable(canvas, table, { x: canvas.left, width: tableWidth });
  const tableEnd = { page: canvas.page, y: canvas.y };
  canvas.page = page;
  canvas.y = top;
  // The chart is as tall as the table beside it (when that leaves its bars 4 pt at least), so what follows the
  // pair keeps the room under the table.
  const tableHeight = tableEnd.page === page ? tableEnd.y - top : canvas.room;
  const available = Math.min(canvas.room, Math.max(tableHeight, chartHeight(canvas, chart, 4)));
  drawChart(canvas, chart, lang, { x: canvas.left + tableWidth + gap, width: canvas.width - tableWidth - gap }, available);
  const chartEnd = canvas.y;
  canvas.page = tableEnd.page;
  canvas.y = tableEnd.page === page ? Math.max(tableEnd.y, chartEnd) : tableEnd.y;
}

/** The body's blocks in order; a chart marked `beside` goes at the right of the table before it. */
export function drawBlocks(canvas: Canvas, blocks: OutlineBlock[], lang: 'vi' | 'en'): void {
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const next = blocks[i + 1];
    if (block.kind === 'table' && next?.kind === 'chart' && next.beside === true) {
      drawSideBySide(canvas, block, next, lang);
      i++;
    } else {
      drawBlock(canvas, block, next, lang);
    }
  }
}

/** One block at the cursor; `next` is the block after it, which a heading keeps on its page. */
function drawBlock(canvas: Canvas, block: OutlineBlock, next: OutlineBlock | undefined, lang: 'vi' | 'en'): void {
  switch (block.kind) {
    case 'heading':
      return drawHeading(canvas, block.level, block.text, next);
    case 'paragraph': {
      const align = block.align === 'center' || block.align === 'right' ? block.align : 'left';
      canvas.flow(styledRuns(canvas, block.runs), BODY_SIZE, { align, firstIndent: block.indent ? INDENT : 0 });
      canvas.y += AFTER_PARAGRAPH;
      return;
    }
    case 'bullets':
      return drawBullets(canvas, block.items);
    case 'table':
      return drawTable(canvas, block);
    case 'chart':
      return drawChart(canvas, block, lang);
    case 'note':
      return drawNote(canvas, block.text);
    case 'pageBreak':
      if (!canvas.fresh) canvas.newPage();
      return;
  }
}

/** "Nơi nhận:" and its list at the left, the signer's title, signature space and name at the right: one piece. */
export function drawClosing(canvas: Canvas, closing: OutlineClosing): void {
  const leftWidth = canvas.width * 0.45;
  const rightX = canvas.left + leftWidth;
  const rightWidth = canvas.width - leftWidth;
  const titleLines = canvas.lines(canvas.styled(closing.recipientsTitle, true, true), 12, leftWidth);
  const recipientLines = closing.recipients.flatMap((r) => canvas.lines(canvas.styled(`- ${r}`), 11, leftWidth));
  const signerLines = canvas.lines(canvas.styled(closing.signerTitle, true), BODY_SIZE, rightWidth);
  const nameLines = canvas.lines(canvas.styled(closing.signerName, true), BODY_SIZE, rightWidth);
  const leftHeight = titleLines.length * 12 * LEADING + recipientLines.length * 11 * LEADING;
  const rightHeight = (signerLines.length + nameLines.length) * BODY_SIZE * LEADING + 25 * MM;
  canvas.y += canvas.fresh ? 0 : 6;
  canvas.need(Math.max(leftHeight, rightHeight));

  let down = canvas.y;
  for (const line of titleLines) {
    canvas.drawLine(line, canvas.left, leftWidth, down, 12, 'left');
    down += 12 * LEADING;
  }
  for (const line of recipientLines) {
    canvas.drawLine(line, canvas.left, leftWidth, down, 11, 'left');
    down += 11 * LEADING;
  }
  let right = canvas.y;
  for (const line of signerLines) {
    canvas.drawLine(line, rightX, rightWidth, right, BODY_SIZE, 'center');
    right += BODY_SIZE * LEADING;
  }
  right += 25 * MM;
  for (const line of nameLines) {
    canvas.drawLine(line, rightX, rightWidth, right, BODY_SIZE, 'center');
    right += BODY_SIZE * LEADING;
  }
  canvas.y = Math.max(down, right);
}
