import type * as ExcelJS from 'exceljs';

/**
 * exceljs takes about a quarter of a second to load; only an XLSX register or `--format xlsx` needs it, so it is
 * loaded on first use instead of on every start of the command.
 */
export function loadExcel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJS;
}
