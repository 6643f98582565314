import { buildZip, type ZipEntrySpec } from './zip-writer';

/**
 * A minimal XLSX package written part by part, for register tests that need what a spreadsheet program would not
 * write: the sheet before or after the shared strings, a 1904 workbook, a DOCTYPE, one shared string named by every
 * cell, a thousand columns. Rows are given as SpreadsheetML `<row>` elements.
 */
export interface XlsxSpec {
  /** The `<row>…</row>` elements of the first sheet. */
  rows: string;
  shared?: string[];
  /** Date formats for cell styles: style 1 is dd/mm/yyyy. */
  date1904?: boolean;
  /** Put xl/sharedStrings.xml after the sheet in the ZIP, as Excel does. */
  sheetFirst?: boolean;
  /** Text put before the sheet's root element (a DOCTYPE, say). */
  sheetProlog?: string;
  /** A second sheet, listed after the first in the workbook. */
  secondSheetRows?: string;
}

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** `<c>` of a shared string, an inline string or a number; `ref` like "A1". */
export const sharedCell = (ref: string, index: number): string => `<c r="${ref}" t="s"><v>${index}</v></c>`;
export const inlineCell = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
export const numberCell = (ref: string, n: number, style = 0): string => `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${n}</v></c>`;
export const row = (r: number, cells: string): string => `<row r="${r}">${cells}</row>`;

export function buildXlsx(spec: XlsxSpec): Buffer {
  const sheets = spec.secondSheetRows === undefined ? 1 : 2;
  const workbook =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${NS} xmlns:r="${REL}">` +
    `<workbookPr${spec.date1904 ? ' date1904="1"' : ''}/><sheets>` +
    Array.from({ length: sheets }, (_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const rels =
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId8" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId9" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const styles =
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>` +
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14"/></cellXfs></styleSheet>';
  const shared = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>${(spec.shared ?? []).map((t) => `<si><t xml:space="preserve">${esc(t)}</t></si>`).join('')}</sst>`;
  const sheet = (rows: string): string => `<?xml version="1.0" encoding="UTF-8"?>${spec.sheetProlog ?? ''}<worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`;
  const rootRels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: '_rels/.rels', data: rootRels },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    { name: 'xl/styles.xml', data: styles },
  ];
  const sheetEntries: ZipEntrySpec[] = [{ name: 'xl/worksheets/sheet1.xml', data: sheet(spec.rows) }];
  if (spec.secondSheetRows !== undefined) sheetEntries.push({ name: 'xl/worksheets/sheet2.xml', data: sheet(spec.secondSheetRows) });
  const sharedEntry: ZipEntrySpec = { name: 'xl/sharedStrings.xml', data: shared };
  entries.push(...(spec.sheetFirst ? [...sheetEntries, sharedEntry] : [sharedEntry, ...sheetEntries]));
  return buildZip(entries, 'deflate');
}
