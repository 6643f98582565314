import {
  AlignmentType,
  BorderStyle,
  Footer,
  HighlightColor,
  LineRuleType,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
} from 'docx';
import type { OutlineClosing, OutlineHeader } from './outline';
import { textRuns, type RunStyle } from './docx-runs';
import { mm } from './docx-styles';

/**
 * The frame of Phụ lục I around the body: the header (issuing body, number, quốc hiệu, tiêu ngữ, place and date),
 * the draft mark and the title, the closing (Nơi nhận, the signer) and the footer.
 */

const TIGHT: IParagraphOptions['spacing'] = { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO };

function line(text: string, style: RunStyle, options: IParagraphOptions = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: TIGHT, ...options, children: textRuns(text, style) });
}

/**
 * Roughly how wide a line of text is set (Times New Roman averages about half an em a letter, capitals more): the
 * rules under the agency and the motto are sized from it without font metrics.
 */
function estimatedWidth(text: string, halfPoints: number, capitals: boolean): number {
  return Array.from(text).length * halfPoints * 10 * (capitals ? 0.68 : 0.5);
}

/** A short centred rule: an empty paragraph one point high, narrowed by its indents, with a bottom border. */
function rule(length: number, within: number): Paragraph {
  const side = Math.max(0, Math.round((within - Math.min(length, within)) / 2));
  return new Paragraph({
    spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT },
    indent: { left: side, right: side },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [],
  });
}

function cell(width: number, children: Paragraph[]): TableCell {
  return new TableCell({ width: { size: width, type: WidthType.DXA }, margins: { left: 0, right: 0 }, children });
}

function borderless(widths: number[], rows: TableRow[]): Table {
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows,
  });
}

const upper = (text: string): string => text.toLocaleUpperCase('vi-VN');

export function headerTable(header: OutlineHeader, width: number): Table {
  const left = Math.round(width * 0.4);
  const right = width - left;
  const agency = upper(header.agency);
  const agencyCell: Paragraph[] = [
    // 12 pt (Phụ lục I allows 12–13): a district's or commune's name then fits the narrower column on fewer lines.
    ...(header.parentAgency.trim() === '' ? [] : [line(upper(header.parentAgency), { size: 24 })]),
    line(agency, { size: 24, bold: true }),
    // Phụ lục I: a rule a third to a half as long as the line above it (a wrapped name's line is the column).
    rule(Math.max(mm(15), Math.min(estimatedWidth(agency, 24, true), left) / 2.5), left),
  ];
  const nationCell: Paragraph[] = [
    line(upper(header.nation), { size: 24, bold: true }),
    line(header.motto, { size: 26, bold: true }),
    rule(estimatedWidth(header.motto, 26, false), right),
  ];
  const dateSpacing: IParagraphOptions = { spacing: { ...TIGHT, before: 120 } };
  return borderless(
    [left, right],
    [
      new TableRow({ cantSplit: true, children: [cell(left, agencyCell), cell(right, nationCell)] }),
      new TableRow({
        cantSplit: true,
        children: [
          cell(left, [line(header.numberLine, { size: 26 }, dateSpacing)]),
          cell(right, [line(header.placeDate, { size: 26, italics: true }, dateSpacing)]),
        ],
      }),
    ],
  );
}

/** "DỰ THẢO" where nobody can miss it: the signed report never has it. */
export function draftMark(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 0, after: 120 },
    border: {
      top: { style: BorderStyle.SINGLE, size: 8, color: 'C00000', space: 2 },
      bottom: { style: BorderStyle.SINGLE, size: 8, color: 'C00000', space: 2 },
    },
    children: textRuns(text, { bold: true, size: 26, highlight: HighlightColor.YELLOW }),
  });
}

export function titleLines(lines: string[], width: number): Paragraph[] {
  const out = lines.map(
    (text, i) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        keepNext: true,
        spacing: { before: i === 0 ? 360 : 0, after: i === lines.length - 1 ? 120 : 0 },
        children: textRuns(text, { bold: true, size: i === 0 ? 28 : 26 }),
      }),
  );
  // Phụ lục I: a rule under the trích yếu (the subject lines), a third of the line long.
  if (lines.length > 1) out.push(rule(Math.max(mm(20), estimatedWidth(lines[lines.length - 1], 26, false) / 3), width));
  if (out.length > 0) out.push(new Paragraph({ spacing: TIGHT, children: [] }));
  return out;
}

/** The closing: "Nơi nhận:" and its dash list at the left, the signer at the right with room to sign. */
export function closingTable(closing: OutlineClosing, width: number): Table {
  const left = Math.round(width * 0.45);
  const right = width - left;
  const recipients = closing.recipients.map((r) =>
    // The list is dashed as Phụ lục I writes it; an item that brings its own dash keeps it.
    line(/^\s*[-–]/.test(r) ? r : `- ${r}`, { size: 22 }, { alignment: AlignmentType.LEFT }),
  );
  const signatureSpace = Array.from({ length: 4 }, () => new Paragraph({ spacing: TIGHT, children: [] }));
  return borderless(
    [left, right],
    [
      new TableRow({
        cantSplit: true,
        children: [
          cell(left, [line(closing.recipientsTitle, { size: 24, bold: true, italics: true }, { alignment: AlignmentType.LEFT }), ...recipients]),
          cell(right, [line(closing.signerTitle, { size: 26, bold: true }), ...signatureSpace, line(closing.signerName, { size: 26, bold: true })]),
        ],
      }),
    ],
  );
}

/** The outline's footer line and the page number, "Trang 3/12" ("Page 3/12"), in 9 pt. */
export function footer(text: string, lang: 'vi' | 'en' = 'vi'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: TIGHT,
        children: [
          ...textRuns(text, { size: 18 }),
          new TextRun({ size: 18, children: [text.trim() === '' ? '' : ' — ', lang === 'en' ? 'Page ' : 'Trang ', PageNumber.CURRENT, '/', PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  });
}
