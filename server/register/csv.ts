import { MAX_COLUMNS, RegisterLimitError } from '../shared/register-limits';

/**
 * RFC 4180 CSV as registers are exported: UTF-8 with or without BOM, CRLF or LF, `,` or `;` (Vietnamese-locale
 * Excel writes `;` because `,` is the decimal separator), quoted fields that may hold separators and newlines.
 * Parsed as a stream, a chunk at a time, so a register is never one string in memory (a 212 MB one overflowed V8's
 * longest string), and a field is refused as soon as it passes the cell limit rather than when it ends.
 */

/** The separator that occurs most, outside quotes, in the first lines (a title line may have none). */
export function detectSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 20; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === ',') commas++;
    else if (c === ';') semicolons++;
    else if (c === '\n') lines++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Text held back to choose the separator: 20 lines, or this much of a file whose first lines are longer. */
const DETECT_CHARS = 64 * 1024;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export class CsvParser {
  private separator: number | null;
  /** Text seen before the separator was chosen. */
  private head = '';
  private started = false;
  private field = '';
  private cells: string[] = [];
  private inQuotes = false;
  /** A quote inside a quoted field ended the last chunk: the next character says whether it was `""` or the end. */
  private quoteSeen = false;
  /** A CR ended the last chunk: an LF that starts the next one belongs to it. */
  private afterCr = false;
  private records = 0;

  constructor(
    private readonly onRecord: (cells: string[], line: number) => void,
    private readonly maxCellChars: number,
    separator?: ',' | ';',
  ) {
    this.separator = separator === undefined ? null : separator.charCodeAt(0);
  }

  push(chunk: string): void {
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.separator === null) {
      this.head += text;
      if (this.head.length < DETECT_CHARS && countLines(this.head, 20) < 20) return;
      this.chooseSeparator();
      return;
    }
    this.parse(text);
  }

  end(): void {
    if (this.separator === null) this.chooseSeparator();
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.inQuotes = false;
    }
    // An unterminated quoted field keeps what it had, as Excel does.
    if (this.field !== '' || this.cells.length > 0) this.endRecord();
  }

  private chooseSeparator(): void {
    const head = this.head;
    this.head = '';
    this.separator = detectSeparator(head).charCodeAt(0);
    this.parse(head);
  }

  private parse(text: string): void {
    const sep = this.separator ?? 0x2c;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.afterCr) {
        this.afterCr = false;
        if (text.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (text.charCodeAt(i) === QUOTE) {
            this.append('"');
            i++;
          } else {
            // The quote closed the field; this character is read again, unquoted.
            this.inQuotes = false;
          }
          continue;
        }
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.append(text.slice(i));
          return;
        }
        this.append(text.slice(i, q));
        this.quoteSeen = true;
        i = q + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE && this.field === '') {
        this.inQuotes = true;
        i++;
      } else if (c === sep) {
        this.endField();
        i++;
      } else if (c === CR || c === LF) {
        this.endRecord();
        this.afterCr = c === CR;
        i++;
      } else {
        // A run of plain characters at once; a quote inside an unquoted field is kept as written (lenient, like Excel).
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === sep || d === CR || d === LF) break;
          j++;
        }
        this.append(text.slice(i, j));
        i = j;
      }
    }
  }

  private append(text: string): void {
    this.field += text;
    if (this.field.length > this.maxCellChars) throw new RegisterLimitError('cell', this.maxCellChars, this.records + 1);
  }

  private endField(): void {
    // Cells far to the right of any register column are read past, not kept.
    if (this.cells.length < MAX_COLUMNS) this.cells.push(this.field);
    this.field = '';
  }

  private endRecord(): void {
    this.endField();
    const cells = this.cells;
    this.cells = [];
    this.onRecord(cells, ++this.records);
  }
}

function countLines(text: string, enough: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && lines < enough; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** A whole CSV text at once (tests, small inputs). */
export function parseCsv(input: string, separator?: ',' | ';'): string[][] {
  const rows: string[][] = [];
  const parser = new CsvParser((cells) => rows.push(cells), Number.MAX_SAFE_INTEGER, separator);
  parser.push(input);
  parser.end();
  return rows;
}
