import * as fs from 'node:fs';
import { parseCsv } from './csv';
import { rowsFromTable, type RegisterRow } from './table';
import { readXlsxTable } from './xlsx';

export type { RegisterRow } from './table';
export { RegisterFormatError } from './table';

/** Reads a register file: XLSX by its extension (or its ZIP signature), CSV otherwise. */
export async function readRegister(path: string): Promise<RegisterRow[]> {
  const bytes = fs.readFileSync(path);
  const isXlsx = /\.xlsx$/i.test(path) || (bytes[0] === 0x50 && bytes[1] === 0x4b);
  if (isXlsx) return rowsFromTable(await readXlsxTable(bytes));
  return rowsFromTable(parseCsv(bytes.toString('utf8')));
}
