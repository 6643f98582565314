import { parseRegisterDate } from './dates';
import { matchHeaders, type ColumnMap, type RegisterField } from './headers';
import { MAX_COLUMNS, RegisterLimitError, type RegisterLimits } from '../shared/register-limits';
import type { RegisterRow } from '../shared/types';

/**
 * A register sheet (CSV or XLSX) row by row, turned into register rows as it is read: the header row is the first
 * one that names at least two known columns (titles and the agency's letterhead often come first); only the rows
 * after it are kept, and only their register columns. The limits on rows and text are counted here, for both
 * formats alike.
 */

export type Cell = string | number | Date | null;

/** The row's shape is the service's too (a batch item carries it): it is declared with the service's types. */
export type { RegisterRow } from '../shared/types';

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
  // A NUL cannot be stored (PostgreSQL refuses it in text and JSON): it is shown as U+FFFD.
  const text = String(cell).replace(/\s+/g, ' ').replace(/\0/g, '\ufffd').trim();
  return text === '' ? null : text;
}

const NO_LIMITS: RegisterLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: Number.MAX_SAFE_INTEGER, maxCellChars: Number.MAX_SAFE_INTEGER };

export class RegisterRowsBuilder {
  readonly rows: RegisterRow[] = [];
  private columns: ColumnMap | null = null;
  private count = 0;
  private chars = 0;

  constructor(private readonly limits: RegisterLimits = NO_LIMITS) {}

  /** The next row of the sheet, `line` its 1-based row number (an XLSX may skip numbers). */
  row(line: number, cells: readonly Cell[]): void {
    if (++this.count > this.limits.maxRows) throw new RegisterLimitError('rows', this.limits.maxRows);
    const n = Math.min(cells.length, MAX_COLUMNS);
    for (let c = 0; c < n; c++) {
      const cell = cells[c];
      if (typeof cell !== 'string') continue;
      if (cell.length > this.limits.maxCellChars) throw new RegisterLimitError('cell', this.limits.maxCellChars, line);
      // An XLSX may name one long shared string in every cell: what is read is counted, not what is stored.
      this.chars += cell.length;
      if (this.chars > this.limits.maxBytes) throw new RegisterLimitError('text', this.limits.maxBytes);
    }
    if (this.columns === null) {
      if (line > HEADER_SEARCH_ROWS) throw new RegisterFormatError('noHeader');
      const map = matchHeaders(cells.slice(0, n).map((c) => cellText(c ?? null) ?? ''));
      if (Object.keys(map).length < 2) return;
      if (map.file === undefined) throw new RegisterFormatError('noFileColumn');
      this.columns = map;
      return;
    }
    this.addData(line, cells);
  }

  /** The data rows; a sheet that ended before a header row is a format error. */
  finish(): RegisterRow[] {
    if (this.columns === null) throw new RegisterFormatError('noHeader');
    return this.rows;
  }

  private addData(line: number, cells: readonly Cell[]): void {
    const columns = this.columns ?? {};
    const get = (field: RegisterField): Cell => {
      const column = columns[field];
      return column === undefined ? null : (cells[column] ?? null);
    };
    const row: RegisterRow = {
      line,
      file: cellText(get('file')),
      number: cellText(get('number')),
      date: null,
      summary: cellText(get('summary')),
      signer: cellText(get('signer')),
      unit: cellText(get('unit')),
    };
    const rawDate = get('date');
    row.date = parseRegisterDate(typeof rawDate === 'string' ? rawDate.trim() || null : rawDate) ?? cellText(rawDate);
    if (row.file || row.number) this.rows.push(row);
  }
}
