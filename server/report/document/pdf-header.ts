import { rgb } from 'pdf-lib';
import type { Outline, OutlineHeader } from './outline';
import { BODY_SIZE, LEADING, MM, type Canvas } from './pdf-canvas';

/**
 * The top of the first page as Phụ lục I of Decree 30/2020 draws it: the issuing body at the left (its parent in
 * regular type, itself in bold with a short rule under it, then "Số: …"), the quốc hiệu and tiêu ngữ at the right
 * (the motto with a rule as wide as itself, then place and date in italic); then the draft mark and the title.
 */

const DRAFT_RED = rgb(0.72, 0.1, 0.1);

/** Centred lines in a column; returns the width of the last line drawn (for the rule under it). */
function centred(canvas: Canvas, text: string, bold: boolean, italic: boolean, size: number, x: number, width: number, down: number): { down: number; lastWidth: number } {
  let lastWidth = 0;
  for (const line of canvas.lines(canvas.styled(text, bold, italic), size, width)) {
    canvas.drawLine(line, x, width, down, size, 'center');
    down += size * LEADING;
    lastWidth = line.width;
  }
  return { down, lastWidth };
}

function drawHeader(canvas: Canvas, header: OutlineHeader): void {
  const leftWidth = canvas.width * 0.4;
  const rightX = canvas.left + leftWidth;
  const rightWidth = canvas.width - leftWidth;

  let left = 0;
  if (header.parentAgency.trim() !== '') left = centred(canvas, header.parentAgency, false, false, 12, canvas.left, leftWidth, left).down;
  const agency = centred(canvas, header.agency, true, false, 12, canvas.left, leftWidth, left);
  left = agency.down + 2;
  // The rule under the issuing body is a third to a half of its line (Phụ lục I).
  const agencyRule = Math.max(agency.lastWidth * 0.4, 15 * MM);
  canvas.rule(canvas.left + (leftWidth - agencyRule) / 2, canvas.left + (leftWidth + agencyRule) / 2, left);
  left += 6;

  let right = centred(canvas, header.nation, true, false, 12, rightX, rightWidth, 0).down;
  const motto = centred(canvas, header.motto, true, false, 13, rightX, rightWidth, right);
  right = motto.down + 2;
  canvas.rule(rightX + (rightWidth - motto.lastWidth) / 2, rightX + (rightWidth + motto.lastWidth) / 2, right);
  right += 6;

  // "Số: …" and the place and date stand on one line, as in the decree's model.
  const row = Math.max(left, right);
  const number = centred(canvas, header.numberLine, false, false, BODY_SIZE, canvas.left, leftWidth, row).down;
  const date = centred(canvas, header.placeDate, false, true, BODY_SIZE, rightX, rightWidth, row).down;
  canvas.y = Math.max(number, date) + 8 * MM;
}

function drawDraftMark(canvas: Canvas, mark: string): void {
  const size = 12;
  const lines = canvas.lines(canvas.styled(mark, true), size, canvas.width * 0.6);
  const textWidth = Math.max(...lines.map((l) => l.width));
  const pad = 4;
  const height = lines.length * size * LEADING + 2 * pad;
  const x = canvas.left + (canvas.width - textWidth) / 2 - 2 * pad;
  canvas.page.drawRectangle({
    x,
    y: canvas.pdfY(canvas.y + height),
    width: textWidth + 4 * pad,
    height,
    borderColor: DRAFT_RED,
    borderWidth: 1,
  });
  let down = canvas.y + pad;
  for (const line of lines) {
    canvas.drawLine(line, canvas.left, canvas.width, down, size, 'center', DRAFT_RED);
    down += size * LEADING;
  }
  canvas.y += height + 8;
}

/** Header, draft mark and title: what opens the document; the cursor ends under the title. */
export function drawOpening(canvas: Canvas, outline: Outline): void {
  if (outline.header) drawHeader(canvas, outline.header);
  if (outline.draftMark !== null && outline.draftMark.trim() !== '') drawDraftMark(canvas, outline.draftMark);
  outline.title.forEach((text, index) => {
    canvas.flow(canvas.styled(text, true), index === 0 ? 14 : BODY_SIZE, { align: 'center' });
  });
  if (outline.title.length > 0) canvas.y += 12;
}
