import type * as ExcelJS from 'exceljs';
import { loadExcel } from '../excel';
import type { Cell } from './table';

/** The first worksheet of an XLSX register as rows of plain cells (rich text, formulas and links flattened). */
export async function readXlsxTable(bytes: Buffer): Promise<Cell[][]> {
  const workbook = new (loadExcel().Workbook)();
  // exceljs declares its own pre-generic Buffer type; the bytes are a Node Buffer all the same.
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = plain(cell.value);
    });
    table[rowNumber - 1] = Array.from(cells, (c) => c ?? null);
  });
  return Array.from(table, (r) => r ?? []);
}

function plain(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result === undefined || result === null || typeof result === 'object' && !(result instanceof Date)) return null;
    return typeof result === 'boolean' ? String(result) : result;
  }
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return null;
  return null;
}
