import { MAX_COLUMNS, RegisterLimitError, type RegisterLimits, XLSX_UNPACKED_FACTOR } from '../shared/register-limits';
import type { Cell, RegisterRowsBuilder } from './table';
import { RelationshipsSink, relsOf, resolveTarget, XlsxPackage } from './xlsx-package';
import type { XmlSink } from './xml';

/**
 * The first worksheet of an XLSX register, streamed row by row into the register builder: the shared strings are
 * read first (bounded as the register's text is), then the sheet, so no sheet is ever held whole, on disk or in
 * memory. Cells are given as the sheet shows them: text (shared, inline, rich text flattened, phonetic guides left
 * out), numbers, dates (a number in a date format), booleans as "true"/"false", formulas by their cached result.
 */

/** Excel's built-in number formats that show a date or a time. */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format shows a date when, outside quoted text, colours and locales, it has a day, month, year or time. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** styles.xml: which cell styles (the `s` index of a cell) show a date. */
class StylesSink implements XmlSink {
  readonly dateStyles = new Set<number>();
  private readonly customDates = new Set<number>();
  private inCellXfs = false;
  private xf = 0;
  open(name: string, a: Record<string, string>): void {
    if (name === 'numFmt' && isDateFormat(a.formatCode ?? '')) this.customDates.add(Number(a.numFmtId));
    else if (name === 'cellXfs') this.inCellXfs = true;
    else if (name === 'xf' && this.inCellXfs) {
      const id = Number(a.numFmtId ?? 0);
      if (BUILTIN_DATE_FORMATS.has(id) || this.customDates.has(id)) this.dateStyles.add(this.xf);
      this.xf++;
    }
  }
  close(name: string): void {
    if (name === 'cellXfs') this.inCellXfs = false;
  }
  text(): void {}
}

/** Text of `<t>` elements, outside phonetic runs (`<rPh>`), up to the cell limit. */
class TextCollector {
  private parts: string[] = [];
  private length = 0;
  private inT = false;
  private inPhonetic = false;
  constructor(private readonly maxChars: number) {}
  open(name: string): void {
    if (name === 't' && !this.inPhonetic) this.inT = true;
    else if (name === 'rPh') this.inPhonetic = true;
  }
  close(name: string): void {
    if (name === 't') this.inT = false;
    else if (name === 'rPh') this.inPhonetic = false;
  }
  text(text: string, line: number | null): void {
    if (!this.inT) return;
    this.length += text.length;
    if (this.length > this.maxChars) throw new RegisterLimitError('cell', this.maxChars, line);
    this.parts.push(text);
  }
  take(): string {
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.length = 0;
    return text;
  }
}

/** sharedStrings.xml: the table cells of type "s" point into. */
class SharedStringsSink implements XmlSink {
  readonly strings: string[] = [];
  private chars = 0;
  private readonly collector: TextCollector;
  constructor(private readonly limits: RegisterLimits) {
    this.collector = new TextCollector(limits.maxCellChars);
  }
  open(name: string): void {
    this.collector.open(name);
  }
  close(name: string): void {
    this.collector.close(name);
    if (name !== 'si') return;
    const text = this.collector.take();
    this.chars += text.length;
    // The table is held while the sheet is read: it is bounded as the register's text is.
    if (this.chars > this.limits.maxBytes) throw new RegisterLimitError('text', this.limits.maxBytes);
    this.strings.push(text);
  }
  text(text: string): void {
    this.collector.text(text, null);
  }
}

/** "BC12" → 54 (1-based column), or 0 when the reference has no letters. */
function columnOf(ref: string): number {
  let column = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    column = column * 26 + (c - 0x60);
    if (column > 16384) return 16385;
  }
  return column;
}

/** The worksheet's rows, each handed to the builder when it closes. */
class SheetSink implements XmlSink {
  private line = 0;
  private cells: Cell[] = [];
  private column = 0;
  private cell: { type: string; style: number } | null = null;
  private value: string[] = [];
  private valueLength = 0;
  private inValue = false;
  private readonly inline: TextCollector;

  constructor(
    private readonly builder: RegisterRowsBuilder,
    private readonly shared: readonly string[],
    private readonly dateStyles: ReadonlySet<number>,
    private readonly date1904: boolean,
    private readonly limits: RegisterLimits,
  ) {
    this.inline = new TextCollector(limits.maxCellChars);
  }

  open(name: string, a: Record<string, string>): void {
    if (name === 'row') {
      const r = Number(a.r);
      this.line = Number.isSafeInteger(r) && r > this.line ? r : this.line + 1;
      this.cells = [];
      this.column = 0;
    } else if (name === 'c') {
      const column = a.r ? columnOf(a.r) : 0;
      this.column = column > 0 ? column : this.column + 1;
      this.cell = { type: a.t ?? 'n', style: Number(a.s ?? 0) };
      this.value = [];
      this.valueLength = 0;
    } else if (name === 'v' && this.cell) {
      this.inValue = true;
    } else if (this.cell) {
      this.inline.open(name);
    }
  }

  close(name: string): void {
    if (name === 'v') this.inValue = false;
    else if (name === 'c') this.endCell();
    else if (name === 'row') this.builder.row(this.line, this.cells);
    else if (this.cell) this.inline.close(name);
  }

  text(text: string): void {
    if (!this.cell) return;
    if (this.inValue) {
      this.valueLength += text.length;
      if (this.valueLength > this.limits.maxCellChars) throw new RegisterLimitError('cell', this.limits.maxCellChars, this.line);
      this.value.push(text);
    } else {
      this.inline.text(text, this.line);
    }
  }

  private endCell(): void {
    const cell = this.cell;
    this.cell = null;
    if (!cell || this.column > MAX_COLUMNS) return;
    const raw = this.value.join('');
    let value: Cell = null;
    switch (cell.type) {
      case 's':
        value = this.shared[Number(raw)] ?? null;
        break;
      case 'inlineStr':
        value = this.inline.take();
        break;
      case 'str':
      case 'd':
        value = raw;
        break;
      case 'b':
        value = raw === '1' ? 'true' : raw === '0' ? 'false' : null;
        break;
      case 'e':
        value = null;
        break;
      default: {
        const n = raw.trim() === '' ? Number.NaN : Number(raw);
        value = Number.isFinite(n) ? (this.dateStyles.has(cell.style) ? excelDate(n, this.date1904) : n) : null;
      }
    }
    this.inline.take();
    this.cells[this.column - 1] = value;
  }
}

/** A date cell's serial as the calendar day it shows, at UTC midnight (what the register's dates expect). */
function excelDate(serial: number, date1904: boolean): Date {
  const days = date1904 ? serial + 1462 : serial;
  return new Date(Math.round((days - 25569) * 86400000));
}

/** workbook.xml: the first sheet's relationship id, and whether dates count from 1904. */
class WorkbookSink implements XmlSink {
  firstSheet: string | null = null;
  date1904 = false;
  open(name: string, a: Record<string, string>): void {
    if (name === 'sheet' && this.firstSheet === null) this.firstSheet = a.id ?? null;
    else if (name === 'workbookPr') this.date1904 = a.date1904 === '1' || a.date1904 === 'true';
  }
  close(): void {}
  text(): void {}
}

/** Reads the register's first worksheet into the builder. */
export async function readXlsxRows(file: string, limits: RegisterLimits, builder: RegisterRowsBuilder): Promise<void> {
  const pkg = await XlsxPackage.open(file, limits.maxBytes * XLSX_UNPACKED_FACTOR);
  try {
    const root = new RelationshipsSink();
    await pkg.read('_rels/.rels', root);
    const workbookPart = resolveTarget('', root.ofType('officeDocument') ?? 'xl/workbook.xml');
    const workbook = new WorkbookSink();
    if (!(await pkg.read(workbookPart, workbook))) throw new Error('no workbook in the XLSX package');
    const rels = new RelationshipsSink();
    await pkg.read(relsOf(workbookPart), rels);
    const sheetTarget = workbook.firstSheet ? rels.byId.get(workbook.firstSheet)?.target : undefined;
    const sheetPart = sheetTarget ? resolveTarget(workbookPart, sheetTarget) : 'xl/worksheets/sheet1.xml';

    const styles = new StylesSink();
    await pkg.read(resolveTarget(workbookPart, rels.ofType('styles') ?? 'styles.xml'), styles);
    const shared = new SharedStringsSink(limits);
    await pkg.read(resolveTarget(workbookPart, rels.ofType('sharedStrings') ?? 'sharedStrings.xml'), shared);
    const sheet = new SheetSink(builder, shared.strings, styles.dateStyles, workbook.date1904, limits);
    if (!(await pkg.read(sheetPart, sheet))) throw new Error('no worksheet in the XLSX package');
  } finally {
    pkg.close();
  }
}
