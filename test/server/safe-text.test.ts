import ExcelJS from 'exceljs';
import { parseCsv } from '../../server/register/csv';
import { csvCell, formatCsv } from '../../server/report/format-csv';
import { formatJson } from '../../server/report/format-json';
import { formatTable } from '../../server/report/format-table';
import { formatXlsx } from '../../server/report/format-xlsx';
import { buildBatchReport } from '../../server/report/summary';
import { logLine } from '../../server/shared/log-line';
import { jsonVisible, visible, visibleInCell, visibleLines } from '../../server/shared/safe-text';
import { batchFinding } from '../../server/shared/messages';
import type { BatchReport } from '../../worker/report';
import { ALL_CHECKS, report, signature } from './helpers/reports';
import { unwrapTable } from './helpers/table';

/**
 * Text from documents and uploads is anybody's: it reaches CSV cells, spreadsheets, terminals and logs neutralized
 * — no formula, no escape sequence, no bidi trick — and Vietnamese text and the program's numbers unchanged.
 */

/** Raw controls a terminal would obey (all but a line break), and the characters that reorder text on screen. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;pwned\x07';
const RLO = '\u202e';
const CSI_C1 = '\u009b';

describe('visible', () => {
  test.each([
    [`a${CLEAR}b`, 'a\\x1b[2Jb'],
    [`x${TITLE}y`, 'x\\x1b]0;pwned\\x07y'],
    ['\r\n\t\0', '\\x0d\\x0a\\x09\\x00'],
    [`del\x7f c1${CSI_C1}31m`, 'del\\x7f c1\\x9b31m'],
    [`hóa đơn${RLO}fdp.exe`, 'hóa đơn\\u202efdp.exe'],
    ['\u2066\u2069\u200f\u061c\u2028', '\\u2066\\u2069\\u200f\\u061c\\u2028'],
  ])('%j → %j', (raw, shown) => {
    expect(visible(raw)).toBe(shown);
  });

  test('Vietnamese, composed or decomposed, and other text are left as they are', () => {
    const texts = ['Ủy ban nhân dân xã Vạn Thắng', 'Nguyễn Thị Ánh Tuyết'.normalize('NFD'), 'Đồng Tháp — 100,0% ✓', '中文 😀 ‍'];
    for (const text of texts) {
      expect(visible(text)).toBe(text);
      expect(visibleLines(text)).toBe(text);
      expect(visibleInCell(text)).toBe(text);
    }
  });

  test('a message keeps its own line breaks; a cell keeps its whitespace; nothing else raw in either', () => {
    expect(visibleLines(`dòng 1\ndòng ${CLEAR}2\r`)).toBe('dòng 1\ndòng \\x1b[2J2\\x0d');
    expect(visibleInCell(`a\tb\r\nc${CLEAR}${RLO}`)).toBe('a\tb\r\nc\\x1b[2J\\u202e');
  });

  test('JSON: the same value once parsed, and no character a terminal would act on', () => {
    const value = { file: `a${CSI_C1}b${RLO}c\x7f\u2028.pdf`, n: -1.5, vi: 'Trích yếu' };
    const text = jsonVisible(JSON.stringify(value));
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(value);
  });

  test('a log entry is one line per entry: a name with a line break cannot forge another', () => {
    const entry = logLine('queue', `tệp a.pdf\n[kiemky queue] giả mạo${CLEAR}\n    at f (x.js:1)`);
    expect(entry).toBe('[kiemky queue] tệp a.pdf\n    [kiemky queue] giả mạo\\x1b[2J\n        at f (x.js:1)\n');
    expect(entry.split('\n').filter((l) => l.startsWith('['))).toHaveLength(1);
  });
});

describe('CSV cells (OWASP)', () => {
  test.each([
    ['=HYPERLINK("http://evil.example","bấm")', `"'=HYPERLINK(""http://evil.example"",""bấm"")"`],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-1+2', "'-1+2"],
    ['+84 912', "'+84 912"],
    ['\t=1', "'\\x09=1"],
    ['\r=1', "'\\x0d=1"],
    ['=1,2', `"'=1,2"`],
    ['  =1+1', "'  =1+1"],
    ['\n-1', `'\\x0a-1`],
  ])('%j is text: %s', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  test('quoted for the separator in use: `;` cells under `;`, tabs escaped so never a separator', () => {
    expect(csvCell('=1;2', ';')).toBe(`"'=1;2"`);
    expect(csvCell('1;2', ',')).toBe('1;2');
    expect(csvCell('1,2', ';')).toBe('1,2');
    expect(csvCell('a"b', ';')).toBe('"a""b"');
    expect(csvCell('a\tb', '\t')).toBe('a\\x09b');
  });

  test('ordinary text, Vietnamese and a leading apostrophe are left alone; numbers stay numbers', () => {
    expect(csvCell('Ủy ban nhân dân xã Vạn Thắng')).toBe('Ủy ban nhân dân xã Vạn Thắng');
    expect(csvCell('12/UBND-VP')).toBe('12/UBND-VP');
    expect(csvCell("'quoted")).toBe("'quoted");
    expect(csvCell(' Số 5')).toBe(' Số 5');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
  });
});

/** A batch whose every text field is hostile. */
const hostile: BatchReport = buildBatchReport(
  [
    report('=HYPERLINK("http://evil.example","bấm").pdf', {
      unit: '-1+2',
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, twoLayer: false },
      register: { number: '@SUM(A1)', date: '2024-11-05', summary: `Trích yếu${CLEAR}`, signer: '+1' },
      signatures: [signature({ cn: `=cmd|' /C calc'!A0`, reason: `Phê duyệt${TITLE}` })],
      findings: [{ code: 'NO_ORGANIZATION_SIGNATURE', severity: 'error', message: `Thiếu chữ ký của ${CLEAR}cơ quan`, signature: null }],
    }),
    report(`Công văn${CLEAR}${TITLE}${RLO}fdp.exe.pdf`, {
      unit: `Phòng ${CSI_C1}2J Tư pháp`,
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, intact: false },
      findings: [{ code: 'W', severity: 'warning', message: `cảnh báo\r${CLEAR}`, signature: null }],
    }),
  ],
  [batchFinding('ZIP_UNSAFE_PATH', { archive: `a${TITLE}.zip`, entry: `../${CLEAR}evil.pdf` })],
  new Date('2024-11-30T01:02:03Z'),
);

describe('every report format of a hostile batch', () => {
  test('CSV: no cell begins a formula, no raw control; the cells read back as the text, escaped', () => {
    const text = formatCsv(hostile, 'vi');
    expect(text.replace(/\r\n/g, '')).not.toMatch(RAW);
    const rows = parseCsv(text.replace(/^\ufeff/, ''), ';').filter((r) => r.length > 1);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows[1].slice(0, 3)).toEqual([`'=HYPERLINK("http://evil.example","bấm").pdf`, "'-1+2", "'@SUM(A1)"]);
    expect(rows[1][11]).toBe(`'=cmd|' /C calc'!A0`);
    expect(rows[2][0]).toBe('Công văn\\x1b[2J\\x1b]0;pwned\\x07\\u202efdp.exe.pdf');
    expect(rows[2][1]).toBe('Phòng \\x9b2J Tư pháp');
  });

  test('table: names and messages shown, not obeyed; the figures as before', () => {
    const text = unwrapTable(formatTable(hostile, 'vi'));
    expect(text).not.toMatch(RAW);
    expect(text).toContain('✗ Công văn\\x1b[2J\\x1b]0;pwned\\x07\\u202efdp.exe.pdf:');
    expect(text).toContain('Thiếu chữ ký của \\x1b[2Jcơ quan');
    expect(text).toContain('cảnh báo\\x0d\\x1b[2J');
    expect(text).toContain('Phòng \\x9b2J Tư pháp');
    expect(text).toContain('../\\x1b[2Jevil.pdf');
    expect(text).toContain('Tổng: 2 văn bản — 0 đạt (0,0%), 2 không đạt, 0 lỗi.');
  });

  test('JSON: every name exactly as it is once parsed, none raw in the text', () => {
    const text = formatJson(hostile);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(hostile)));
  });

  test('XLSX: the formula-looking names are string cells beginning with an apostrophe, never formulas; controls shown; numbers are numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await formatXlsx(hostile, 'vi')) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const cells: ExcelJS.Cell[] = [];
    for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((cell) => void cells.push(cell)));
    expect(cells.filter((c) => c.formula !== undefined || c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    const texts = cells.filter((c) => typeof c.value === 'string').map((c) => c.value as string);
    // As in the CSV: a reader who edits the cell and presses Enter, or pastes it as text, gets text, not a formula.
    for (const text of texts) expect(text).not.toMatch(/^\s*[=+\-@\t\r]/);
    expect(texts).toContain(`'=HYPERLINK("http://evil.example","bấm").pdf`);
    expect(texts).toContain(`'=cmd|' /C calc'!A0`);
    expect(texts).toContain("'-1+2");
    expect(texts).toContain("'@SUM(A1)");
    expect(texts).toContain('Công văn\\x1b[2J\\x1b]0;pwned\\x07\\u202efdp.exe.pdf');
    for (const text of texts) expect(text).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]/);
    const documents = workbook.getWorksheet('Văn bản');
    expect(documents?.getRow(2).getCell(19).value).toBe(100);
  });
});
