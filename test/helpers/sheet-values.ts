import ExcelJS from 'exceljs';

/** Every sheet's name and cell values: two workbooks compared by what a reader sees, not by their bytes. */
export async function sheetValues(bytes: Buffer): Promise<unknown> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook.worksheets.map((w) => ({ name: w.name, rows: w.getSheetValues() }));
}
