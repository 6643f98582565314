import type { Writable } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import type { Lang } from '../shared/messages';
import { displayWidth } from '../shared/text';
import { drained } from './output';
import type { Cell } from './row-spool';
import { typedCell, verdictStyles, type CellKind } from './xlsx-cells';

/**
 * One sheet of the workbook, streamed: its header row sized to be read whole, its print setup, then its rows as
 * they are read from the spool, each committed before the next so the sheet never piles up in memory.
 */

export interface Column {
  header: string;
  /** The width its values want, in characters; the header may widen it (headerWidth). */
  width: number;
  kind?: CellKind;
}

export interface SheetOptions {
  lang: Lang;
  /** The last row is the total: bold. */
  boldLast?: boolean;
  /** Printed on a single page (the unit summary); else as many pages down as it takes, one page wide. */
  onePage?: boolean;
}

/** Written to the output a block of rows at a time; a slow reader (an HTTP client) is waited for in between. */
const ROWS_PER_WAIT = 256;

/** A column at most this wide for its header; a longer header wraps onto more lines. */
const MAX_HEADER_WIDTH = 24;
/** Excel's default row height is 15 points a line of 11-point Calibri. */
const LINE_HEIGHT = 15;

/** Bold text is wider than the width unit (a `0` of the regular font): a margin, and the filter button's room. */
function headerTextWidth(text: string): number {
  return Math.ceil(displayWidth(text) * 1.15) + 3;
}

/**
 * A column no narrower than this. exceljs leaves a column of width 9 out of the file as if it were the default,
 * and Excel's default is 8.43: a header sized to 9 would be cut again.
 */
const MIN_WIDTH = 10;

/** The column's width: its values', or its header's when longer, up to MAX_HEADER_WIDTH (then it wraps). */
export function columnWidth(column: Column): number {
  return Math.max(MIN_WIDTH, column.width, Math.min(headerTextWidth(column.header), MAX_HEADER_WIDTH));
}

/** How many lines the header row needs once each header wraps at its column's width. */
export function headerLines(columns: Column[]): number {
  return Math.max(1, ...columns.map((c) => Math.ceil(headerTextWidth(c.header) / columnWidth(c))));
}

/**
 * A4 landscape, one page wide, the header row repeated on every page, narrow margins: what an inspector prints to
 * attach to the report. exceljs's streaming writer puts the repeated row in the workbook's defined names.
 */
function pageSetup(onePage: boolean): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: onePage ? 1 : 0,
    printTitlesRow: '1:1',
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
}

export async function writeSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  out: Writable,
  name: string,
  columns: Column[],
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>,
  options: SheetOptions,
): Promise<void> {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: pageSetup(options.onePage ?? false),
    headerFooter: { oddFooter: '&P / &N' },
  });
  sheet.columns = columns.map((c) => ({ header: c.header, width: columnWidth(c) }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  header.height = LINE_HEIGHT * headerLines(columns);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const verdicts = verdictStyles(options.lang);
  const kinds = columns.map((c) => c.kind ?? 'text');
  // A row is committed once the next one is known, so the last can still be made bold (the total row).
  let held: ExcelJS.Row | null = null;
  let written = 0;
  for await (const values of rows) {
    held?.commit();
    const cells = values.map((v, i) => typedCell(kinds[i] ?? 'text', v, verdicts));
    held = sheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.style) Object.assign(held!.getCell(i + 1), c.style);
    });
    if (++written % ROWS_PER_WAIT === 0) await drained(out);
  }
  if (held && options.boldLast) held.font = { bold: true };
  held?.commit();
  sheet.commit();
}
