import {
  AlignmentType,
  BorderStyle,
  HeadingLevel,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  WidthType,
} from 'docx';
import { chartContent } from './docx-chart';
import { outlineRuns, textRuns } from './docx-runs';
import { DASH_LIST, INDENT, TABLE_TEXT, TABLE_TEXT_COMPACT } from './docx-styles';
import type { OutlineAlign, OutlineBlock } from './outline';

/** The body's blocks as DOCX paragraphs and tables, `width` twips of text wide and `height` tall. */

type TableBlock = Extract<OutlineBlock, { kind: 'table' }>;

const ALIGN = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
} as const satisfies Record<OutlineAlign, unknown>;

const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

const THIN = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;

/** Each column's share of the text width, by its relative `width`; the last takes what rounding left over. */
function columnWidths(widths: number[], total: number): number[] {
  const safe = widths.map((w) => (Number.isFinite(w) && w > 0 ? w : 1));
  const sum = safe.reduce((a, b) => a + b, 0);
  const out = safe.map((w) => Math.floor((w / sum) * total));
  out[out.length - 1] += total - out.reduce((a, b) => a + b, 0);
  return out;
}

function table(block: TableBlock, width: number): Table {
  const widths = columnWidths(block.columns.map((c) => c.width), width);
  // Size and spacing come from the paragraph style, not each run: fewer objects for a table of thousands of cells.
  const style = block.compact ? TABLE_TEXT_COMPACT : TABLE_TEXT;
  const emphasis = new Set(block.emphasis ?? []);
  const row = (texts: string[], header: boolean, bold: boolean): TableRow =>
    new TableRow({
      ...(header ? { tableHeader: true } : {}),
      // A row is never cut across two pages: the reader would not know the second half belongs to it.
      cantSplit: true,
      children: block.columns.map(
        (column, i) =>
          new TableCell({
            width: { size: widths[i], type: WidthType.DXA },
            ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'D9D9D9' } } : {}),
            children: [
              new Paragraph({
                style,
                alignment: header ? AlignmentType.CENTER : ALIGN[column.align],
                children: textRuns(texts[i] ?? '', bold ? { bold: true } : {}),
              }),
            ],
          }),
      ),
    });
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    // Fixed: Word lays a long table out from the grid instead of measuring every cell (the appendix has thousands).
    layout: TableLayoutType.FIXED,
    borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
    // A compact table's columns are narrow (the appendix has many): its cells give the text more of their width.
    margins: block.compact ? { top: 0, bottom: 0, left: 40, right: 40 } : { top: 20, bottom: 20, left: 80, right: 80 },
    rows: [
      row(block.columns.map((c) => c.title), true, true),
      ...block.rows.map((cells, i) => row(cells, false, emphasis.has(i))),
    ],
  });
}

export function blockContent(block: OutlineBlock, width: number, height: number): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADING[block.level], children: textRuns(block.text) })];
    case 'paragraph':
      return [
        new Paragraph({
          alignment: ALIGN[block.align ?? 'justify'],
          ...(block.indent ? { indent: { firstLine: INDENT } } : {}),
          children: outlineRuns(block.runs),
        }),
      ];
    case 'bullets':
      return block.items.map(
        (runs) =>
          new Paragraph({ alignment: AlignmentType.JUSTIFIED, numbering: { reference: DASH_LIST, level: 0 }, children: outlineRuns(runs) }),
      );
    case 'table':
      // A table without columns has nothing to show, and Word refuses a row without cells.
      if (block.columns.length === 0) return [];
      // A paragraph after the table: Word would join two tables that touch.
      return [table(block, width), new Paragraph({ spacing: { after: 0 }, children: [] })];
    case 'chart':
      return chartContent(block, width, height);
    case 'note':
      return [
        new Paragraph({
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'FFF2CC' },
          border: { top: THIN, bottom: THIN, left: THIN, right: THIN },
          spacing: { before: 120, after: 120 },
          children: textRuns(block.text, { italics: true }),
        }),
      ];
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}
