import { parseRegisterDate } from './dates';
import { matchHeaders, type ColumnMap, type RegisterField } from './headers';

/**
 * A register sheet (CSV or XLSX) as rows of cells, turned into register rows: the header row is the first one
 * that names at least two known columns (titles and the agency's letterhead often come first).
 */

export type Cell = string | number | Date | null;

export interface RegisterRow {
  /** 1-based row of the sheet, for messages that point the clerk at it. */
  line: number;
  file: string | null;
  number: string | null;
  /** ISO YYYY-MM-DD when it could be read as a date, else the text as written. */
  date: string | null;
  summary: string | null;
  signer: string | null;
  unit: string | null;
}

export class RegisterFormatError extends Error {
  constructor(readonly reason: 'noHeader' | 'noFileColumn') {
    super(reason);
    this.name = 'RegisterFormatError';
  }
}

const HEADER_SEARCH_ROWS = 30;

function cellText(cell: Cell): string | null {
  if (cell === null) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const text = String(cell).replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

export function rowsFromTable(table: Cell[][]): RegisterRow[] {
  let headerIndex = -1;
  let columns: ColumnMap = {};
  for (let i = 0; i < Math.min(table.length, HEADER_SEARCH_ROWS); i++) {
    const map = matchHeaders(table[i].map((c) => cellText(c) ?? ''));
    if (Object.keys(map).length >= 2) {
      headerIndex = i;
      columns = map;
      break;
    }
  }
  if (headerIndex < 0) throw new RegisterFormatError('noHeader');
  if (columns.file === undefined) throw new RegisterFormatError('noFileColumn');

  const rows: RegisterRow[] = [];
  for (let i = headerIndex + 1; i < table.length; i++) {
    const cells = table[i];
    const get = (field: RegisterField): Cell => {
      const column = columns[field];
      return column === undefined ? null : (cells[column] ?? null);
    };
    const row: RegisterRow = {
      line: i + 1,
      file: cellText(get('file')),
      number: cellText(get('number')),
      date: null,
      summary: cellText(get('summary')),
      signer: cellText(get('signer')),
      unit: cellText(get('unit')),
    };
    const rawDate = get('date');
    row.date = parseRegisterDate(typeof rawDate === 'string' ? rawDate.trim() || null : rawDate) ?? cellText(rawDate);
    if (row.file || row.number) rows.push(row);
  }
  return rows;
}
