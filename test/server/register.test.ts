import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyRegister } from '../../server/register/apply';
import { signerMatches, unitMatches } from '../../server/register/compare';
import { detectSeparator, parseCsv } from '../../server/register/csv';
import { excelSerialToIso, parseRegisterDate } from '../../server/register/dates';
import { headerKey, matchHeaders } from '../../server/register/headers';
import { readRegister, RegisterFormatError } from '../../server/register/read';
import { nextWorkingDay, signedInTime, vietnamDate } from '../../server/register/working-days';
import { report, signature } from './helpers/reports';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-register-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('CSV parser', () => {
  test('quoted fields with separators, doubled quotes and newlines', () => {
    const rows = parseCsv('a,"b, c","say ""hi""","line1\r\nline2"\r\nx,y,z,w\r\n');
    expect(rows).toEqual([
      ['a', 'b, c', 'say "hi"', 'line1\r\nline2'],
      ['x', 'y', 'z', 'w'],
    ]);
  });

  test('semicolon detected outside quotes', () => {
    expect(detectSeparator('"a,b,c";d;e\n1;2;3')).toBe(';');
    expect(detectSeparator('a,b;c\n1,2,3')).toBe(',');
  });

  test('BOM stripped, last line without newline kept', () => {
    expect(parseCsv('\ufeffa,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('register files', () => {
  const header = 'Tên tệp,"Số, ký hiệu văn bản",Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành';
  test('CSV with BOM and CRLF', async () => {
    const file = write('bom-crlf.csv', `\ufeff${header}\r\nCV-01.pdf,01/UBND-VP,05/11/2024,"Về việc A, B",Nguyễn Văn A,UBND xã A\r\n`);
    const rows = await readRegister(file);
    expect(rows).toEqual([
      { line: 2, file: 'CV-01.pdf', number: '01/UBND-VP', date: '2024-11-05', summary: 'Về việc A, B', signer: 'Nguyễn Văn A', unit: 'UBND xã A' },
    ]);
  });

  test('CSV without BOM, LF, title lines before the header', async () => {
    const file = write('lf.csv', `SỔ ĐĂNG KÝ VĂN BẢN ĐI\nNăm 2024\n${header}\nCV-02,02/UBND-VP,5/1/2024,Trích yếu,Trần Thị B,UBND xã B\n`);
    const rows = await readRegister(file);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 4, file: 'CV-02', date: '2024-01-05', unit: 'UBND xã B' });
  });

  test('CSV with ; separator and a multi-line quoted summary', async () => {
    const file = write('semi.csv', 'Tệp;Số ký hiệu;Ngày;Trích yếu\r\nCV-03.pdf;03/QĐ-UBND;2024-11-06;"Quyết định; về việc\r\nphê duyệt"\r\n');
    const rows = await readRegister(file);
    expect(rows[0]).toMatchObject({ file: 'CV-03.pdf', number: '03/QĐ-UBND', date: '2024-11-06', summary: 'Quyết định; về việc phê duyệt' });
  });

  test('XLSX with a Date cell, a serial-number cell, odd headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sổ đi');
    sheet.addRow(['UBND HUYỆN VẠN NINH']);
    sheet.addRow(['TÊN FILE', 'SỐ VÀ KÝ HIỆU VĂN BẢN', 'Ngay ban hanh', 'Người  Ký', 'Cơ quan ban hành']);
    sheet.addRow(['CV-10.pdf', '10/UBND', new Date(Date.UTC(2024, 10, 8)), 'Lê Văn C', 'UBND huyện Vạn Ninh']);
    sheet.addRow(['CV-11.pdf', '11/UBND', 45604, 'Lê Văn C', 'UBND huyện Vạn Ninh']);
    sheet.addRow([{ richText: [{ text: 'CV-12' }, { text: '.pdf' }] }, '12/UBND', '11.11.2024', null, null]);
    const file = path.join(dir, 'register.xlsx');
    await workbook.xlsx.writeFile(file);
    const rows = await readRegister(file);
    expect(rows.map((r) => [r.file, r.number, r.date, r.signer, r.unit])).toEqual([
      ['CV-10.pdf', '10/UBND', '2024-11-08', 'Lê Văn C', 'UBND huyện Vạn Ninh'],
      ['CV-11.pdf', '11/UBND', '2024-11-08', 'Lê Văn C', 'UBND huyện Vạn Ninh'],
      ['CV-12.pdf', '12/UBND', '2024-11-11', null, null],
    ]);
  });

  test('no header or no file column is a format error', async () => {
    await expect(readRegister(write('nohdr.csv', 'a,b\n1,2\n'))).rejects.toBeInstanceOf(RegisterFormatError);
    await expect(readRegister(write('nofile.csv', 'Số ký hiệu,Ngày\n1,2\n'))).rejects.toMatchObject({ reason: 'noFileColumn' });
  });
});

describe('header matching', () => {
  test('case, diacritics, punctuation and notes do not matter', () => {
    expect(headerKey('SỐ VÀ KÝ HIỆU VĂN BẢN')).toBe('so va ky hieu van ban');
    expect(matchHeaders(['STT', 'SỐ VÀ KÝ HIỆU VĂN BẢN', 'Ngay ban hanh', 'Tên  tệp', 'Ngày ban hành (dd/mm/yyyy)'])).toEqual({
      number: 1,
      date: 2,
      file: 3,
    });
  });

  test('the more specific alias wins over a generic one', () => {
    expect(matchHeaders(['Số', 'Số, ký hiệu văn bản', 'Ngày', 'Ngày tháng văn bản'])).toEqual({ number: 1, date: 3 });
    expect(matchHeaders(['Đơn vị, người nhận bản lưu', 'Đơn vị'])).toEqual({ unit: 1 });
  });
});

describe('dates', () => {
  test.each([
    ['05/11/2024', '2024-11-05'],
    ['5/1/2024', '2024-01-05'],
    ['05-11-2024', '2024-11-05'],
    ['05.11.2024', '2024-11-05'],
    ['2024-11-05', '2024-11-05'],
    ['2024-11-05T08:30:00+07:00', '2024-11-05'],
    ['ngày 05 tháng 11 năm 2024', '2024-11-05'],
    ['45601', '2024-11-05'],
    ['31/02/2024', null],
    ['hôm qua', null],
  ])('%s → %s', (text, expected) => {
    expect(parseRegisterDate(text)).toBe(expected);
  });

  test('Excel serials and Date cells', () => {
    expect(excelSerialToIso(45601)).toBe('2024-11-05');
    expect(excelSerialToIso(45601.75)).toBe('2024-11-05');
    expect(parseRegisterDate(new Date(Date.UTC(2024, 0, 31)))).toBe('2024-01-31');
    expect(parseRegisterDate(0)).toBeNull();
  });
});

describe('working days (ND 30 Art. 18)', () => {
  test('next working day skips the weekend', () => {
    expect(nextWorkingDay('2024-11-08')).toBe('2024-11-11'); // Friday → Monday
    expect(nextWorkingDay('2024-11-05')).toBe('2024-11-06');
  });

  test('Friday → Monday is in time, Friday → Tuesday is not, before the date is not', () => {
    expect(signedInTime('2024-11-08', '2024-11-11')).toBe(true);
    expect(signedInTime('2024-11-08', '2024-11-08')).toBe(true);
    expect(signedInTime('2024-11-08', '2024-11-12')).toBe(false);
    expect(signedInTime('2024-11-08', '2024-11-07')).toBe(false);
  });

  test('dates are taken in Asia/Ho_Chi_Minh', () => {
    expect(vietnamDate(new Date('2024-11-07T18:00:00Z'))).toBe('2024-11-08');
    expect(vietnamDate(new Date('2024-11-07T16:59:59Z'))).toBe('2024-11-07');
  });
});

describe('name comparison', () => {
  test('signer with an authority line, without diacritics', () => {
    expect(signerMatches('KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH Nguyễn Văn A', 'Nguyễn Văn A')).toBe(true);
    expect(signerMatches('nguyen van a', 'NGUYỄN VĂN A')).toBe(true);
    expect(signerMatches('Nguyễn Văn B', 'Nguyễn Văn A')).toBe(false);
    expect(signerMatches('A', 'Nguyễn Văn A')).toBe(false);
  });

  test('units by containment either way, UBND spelled out', () => {
    expect(unitMatches('UBND huyện Vạn Ninh', 'Ủy ban nhân dân huyện Vạn Ninh')).toBe(true);
    expect(unitMatches('Phòng Tư pháp', 'Phòng Tư pháp huyện Vạn Ninh')).toBe(true);
    expect(unitMatches('Phòng Tư pháp', 'Phòng Nội vụ')).toBe(false);
  });
});

describe('applyRegister', () => {
  const row = { line: 2, file: 'cv-01.PDF', number: '01/UBND', date: '2024-11-05', summary: 'Về việc A', signer: 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn A', unit: 'UBND xã A' };

  test('matches by base name, sets register and unit, no warnings when everything agrees', () => {
    const { documents, batchFindings } = applyRegister([report('thang-11.zip/di/CV-01.pdf', { unit: 'khác' })], [row]);
    expect(batchFindings).toEqual([]);
    expect(documents[0].unit).toBe('UBND xã A');
    expect(documents[0].register).toEqual({ number: '01/UBND', date: '2024-11-05', summary: 'Về việc A', signer: row.signer, unit: 'UBND xã A' });
    expect(documents[0].findings).toEqual([]);
  });

  test('signer, unit and date mismatches are warnings that keep the verdict', () => {
    const doc = report('CV-01.pdf', {
      signatures: [
        signature({ cn: 'Trần Văn B', signingTime: '2024-11-04T03:00:00Z' }),
        signature({ index: 2, kind: 'organization', cn: 'UBND xã C', signingTime: '2024-11-04T04:00:00Z' }),
      ],
    });
    const { documents } = applyRegister([doc], [row]);
    const codes = documents[0].findings.map((f) => f.code);
    expect(codes).toEqual(['REGISTER_SIGNER_MISMATCH', 'REGISTER_UNIT_MISMATCH', 'REGISTER_DATE_MISMATCH']);
    expect(documents[0].findings.every((f) => f.severity === 'warning' && f.signature === null && f.messageEn)).toBe(true);
    expect(documents[0].verdict).toBe('compliant');
  });

  test('the latest signature decides the date; a document timestamp does not count', () => {
    const doc = report('CV-01.pdf', {
      signatures: [
        signature({ signingTime: '2024-11-05T01:00:00Z' }),
        signature({ index: 2, kind: 'organization', cn: 'UBND xã A', signingTime: '2024-11-06T09:00:00Z' }),
        signature({ index: 3, type: 'document-timestamp', signer: null, signingTime: '2024-12-20T09:00:00Z' }),
      ],
    });
    expect(applyRegister([doc], [row]).documents[0].findings).toEqual([]);
  });

  test('rows without a PDF and PDFs without a row', () => {
    const { documents, batchFindings } = applyRegister([report('CV-99.pdf')], [row]);
    expect(documents[0].findings.map((f) => f.code)).toEqual(['DOCUMENT_NOT_IN_REGISTER']);
    expect(documents[0].unit).toBe('UBND xã A');
    expect(batchFindings).toHaveLength(1);
    expect(batchFindings[0]).toMatchObject({ code: 'REGISTER_ROW_WITHOUT_PDF', severity: 'warning', signature: null });
    expect(batchFindings[0].message).toContain('cv-01.PDF');
    expect(batchFindings[0].message).toContain('01/UBND');
  });
});
