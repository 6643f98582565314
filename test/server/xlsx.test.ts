import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DocumentReport, Finding } from '../../worker/report';
import { batchFinding } from '../../server/shared/messages';
import { formatXlsx, XlsxReportWriter } from '../../server/report/format-xlsx';
import { buildBatchReport, SummaryTally } from '../../server/report/summary';
import { displayWidth } from '../../server/shared/text';
import { ALL_CHECKS, report, signature } from './helpers/reports';

/**
 * The workbook written from documents that come one at a time, its rows waiting in spool files: what the sheets
 * hold, and that the spool goes away however the writing ends (and that a failed output fails it, never hangs it).
 */

// The spool goes in a folder of this file's own, so what is left there is the writer's.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-xlsx-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const leftInTmp = (): string[] => fs.readdirSync(tmp);

function month(count: number): DocumentReport[] {
  return Array.from({ length: count }, (_, i) =>
    report(`CV-${String(i).padStart(5, '0')}.pdf`, {
      unit: i % 3 === 0 ? 'Phòng Tư pháp' : 'UBND xã A',
      verdict: i % 4 === 0 ? 'noncompliant' : 'compliant',
      checks: i % 4 === 0 ? { ...ALL_CHECKS, governmentCa: false } : { ...ALL_CHECKS },
      findings: i % 4 === 0 ? [{ code: 'NOT_GOVERNMENT_CA', severity: 'error', message: `dòng ${i}\nhai dòng`, signature: 1 }] : [],
    }),
  );
}

/** Collects what the writer streams; `failAfter` bytes in, it fails the way a full disk would. */
function sink(failAfter = Infinity): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  let taken = 0;
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      taken += chunk.length;
      if (taken > failAfter) return done(new Error('ENOSPC: no space left on device'));
      chunks.push(chunk);
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

async function writeMonth(docs: DocumentReport[], findings: Finding[], out: Writable): Promise<void> {
  const writer = new XlsxReportWriter('vi', new Date('2024-11-30T00:00:00Z'), tmp);
  const tally = new SummaryTally();
  for (const d of docs) {
    tally.add(d);
    writer.document(d);
  }
  await writer.end(tally.result(), findings, out);
}

test('a month written a document at a time: every row in order, the summary first, batch findings first', async () => {
  const docs = month(3000);
  const { out, bytes } = sink();
  const refused = batchFinding('ZIP_UNSAFE_PATH', { archive: 'a.zip', entry: '../evil.pdf' });
  const writing = writeMonth(docs, [refused], out);
  // The documents' rows wait on disk, not in memory, until the sheets are written.
  const [spool] = leftInTmp();
  expect(fs.readdirSync(path.join(tmp, spool!)).map((f) => fs.statSync(path.join(tmp, spool!, f)).size).reduce((a, b) => a + b)).toBeGreaterThan(500_000);
  await writing;
  expect(leftInTmp()).toEqual([]);
  const workbook = await load(bytes());
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['Tổng hợp đơn vị', 'Văn bản', 'Chữ ký', 'Phát hiện']);

  const units = workbook.getWorksheet('Tổng hợp đơn vị')!;
  expect(units.getColumn(1).values.slice(2)).toEqual(['Phòng Tư pháp', 'UBND xã A', 'Tổng cộng']);
  const total = units.getRow(4);
  expect(total.getCell(2).value).toBe(3000);
  expect(total.getCell(9).value).toBe(2250);
  expect(total.getCell(10).value).toBe(0.75);
  expect(total.font?.bold).toBe(true);
  expect(units.getRow(3).font?.bold).toBeFalsy();
  // Percentages are fractions shown with one decimal and a %, and every sheet has its filter on the header row.
  expect(total.getCell(10).numFmt).toBe('0.0%');
  expect(units.autoFilter).toBeTruthy();

  const documents = workbook.getWorksheet('Văn bản')!;
  expect(documents.rowCount).toBe(3001);
  expect(documents.getColumn(1).values.slice(2)).toEqual(docs.map((d) => d.file));
  expect(documents.getRow(1).font?.bold).toBe(true);
  expect(documents.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(workbook.getWorksheet('Chữ ký')!.rowCount).toBe(1 + 2 * 3000);

  const findings = workbook.getWorksheet('Phát hiện')!;
  expect(findings.rowCount).toBe(1 + 1 + 750);
  expect(findings.getRow(2).getCell(3).value).toBe('ZIP_UNSAFE_PATH');
  expect(findings.getRow(3).getCell(1).value).toBe('CV-00000.pdf');
  expect(findings.getRow(3).getCell(5).value).toBe('dòng 0\nhai dòng');
});

test('nothing to list is a blank cell, not empty text', async () => {
  const unsigned = report('khong-ky.pdf', { verdict: 'noncompliant', checks: { ...ALL_CHECKS, signed: false }, signatures: [] });
  const workbook = await load(await formatXlsx(buildBatchReport([unsigned], [], new Date(0)), 'vi'));
  const row = workbook.getWorksheet('Văn bản')!.getRow(2);
  // Providers, personal signer, organization signer, reasons.
  expect([13, 14, 15, 16].map((c) => row.getCell(c).value)).toEqual([null, null, null, null]);
});

test('an output that fails midway fails the report with its error, and the spool is removed', async () => {
  const { out } = sink(8 * 1024);
  await expect(writeMonth(month(2000), [], out)).rejects.toThrow('ENOSPC');
  expect(leftInTmp()).toEqual([]);
});

test('an output closed before the end (a client gone) fails the report instead of leaving it waiting', async () => {
  const { out } = sink();
  const written = writeMonth(month(2000), [], out);
  out.destroy();
  await expect(written).rejects.toThrow(/closed before the workbook was written/);
  expect(leftInTmp()).toEqual([]);
});

test('a batch given up before its report removes the spool', () => {
  const writer = new XlsxReportWriter('en', new Date(0), tmp);
  for (const d of month(1000)) writer.document(d);
  expect(leftInTmp()).toHaveLength(1);
  writer.dispose();
  expect(leftInTmp()).toEqual([]);
});

describe('a workbook that opens and prints right', () => {
  const docs = [
    report('a.pdf', {
      unit: 'Phòng Tư pháp',
      register: { number: '01/UBND', date: '2024-11-05', summary: 'Về việc A', signer: null },
      // 17:30 UTC is half past midnight the next day in Hà Nội.
      signatures: [signature({ signingTime: '2024-11-05T17:30:00Z' })],
    }),
    report('b.pdf', {
      unit: 'Ủy ban nhân dân xã Vạn Thắng',
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, governmentCa: false },
      register: { number: '02/UBND', date: 'khoảng tháng 11', summary: null, signer: null },
    }),
    report('c.pdf', { unit: 'Phòng Tư pháp', verdict: 'error', checks: { ...ALL_CHECKS, signed: false }, signatures: [] }),
  ];
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await load(await formatXlsx(buildBatchReport(docs, [], new Date(0)), 'vi'));
  });

  test("dates are Excel dates in Vietnam's time, shown dd/mm/yyyy; a register date it cannot read stays its text", () => {
    const documents = workbook.getWorksheet('Văn bản')!;
    const issued = documents.getRow(2).getCell(4);
    expect(issued.type).toBe(ExcelJS.ValueType.Date);
    expect(issued.value).toEqual(new Date(Date.UTC(2024, 10, 5)));
    expect(issued.numFmt).toBe('dd/mm/yyyy');
    expect(documents.getRow(3).getCell(4).value).toBe('khoảng tháng 11');
    const signed = workbook.getWorksheet('Chữ ký')!.getRow(2).getCell(4);
    expect(signed.type).toBe(ExcelJS.ValueType.Date);
    expect(signed.value).toEqual(new Date(Date.UTC(2024, 10, 6, 0, 30)));
    expect(signed.numFmt).toBe('dd/mm/yyyy HH:mm');
  });

  test('verdict cells are coloured and still say the verdict', () => {
    const verdicts = [2, 3, 4].map((r) => workbook.getWorksheet('Văn bản')!.getRow(r).getCell(6));
    expect(verdicts.map((c) => c.value)).toEqual(['Đạt', 'Không đạt', 'Lỗi']);
    const fills = verdicts.map((c) => (c.fill as ExcelJS.FillPattern).fgColor?.argb);
    expect(fills).toEqual(['FFC6EFCE', 'FFFFC7CE', 'FFFFEB9C']);
    expect(verdicts.map((c) => c.font?.color?.argb)).toEqual(['FF006100', 'FF9C0006', 'FF9C5700']);
    // The file name beside it is not coloured.
    expect(workbook.getWorksheet('Văn bản')!.getRow(3).getCell(1).fill).toBeUndefined();
  });

  test('A4 landscape one page wide, header row repeated on each page; the unit summary on one page', () => {
    for (const sheet of workbook.worksheets) {
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, printTitlesRow: '1:1' });
      expect(sheet.pageSetup.fitToHeight).toBe(sheet.name === 'Tổng hợp đơn vị' ? 1 : 0);
    }
  });

  test('every header is read whole: its column is wide enough, or its row tall enough for it wrapped', () => {
    for (const sheet of workbook.worksheets) {
      const header = sheet.getRow(1);
      const lines = (header.height ?? 15) / 15;
      header.eachCell((cell, col) => {
        const width = sheet.getColumn(col).width!;
        const text = String(cell.value);
        if (width >= displayWidth(text) + 2) return;
        expect(cell.alignment?.wrapText).toBe(true);
        expect(lines).toBeGreaterThanOrEqual(Math.ceil((displayWidth(text) * 1.15) / (width - 2)));
      });
    }
    // The header the issue found cut ("% CA Chính p") fits its column.
    const units = workbook.getWorksheet('Tổng hợp đơn vị')!;
    expect(units.getColumn(8).width).toBeGreaterThanOrEqual(displayWidth('% CA Chính phủ') + 2);
  });
});
