import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/cli/main';
import { CsvParser, parseCsv } from '../../server/register/csv';
import { DEFAULT_REGISTER_LIMITS, MAX_CELL_CHARS, type RegisterLimits } from '../../server/shared/register-limits';
import { readRegister, RegisterFormatError, RegisterLimitError } from '../../server/register/read';
import { readRegisterOffThread } from '../../server/register/thread';
import { XmlError } from '../../server/register/xml';
import { buildXlsx, inlineCell, numberCell, row, sharedCell } from './helpers/xlsx-writer';

/**
 * A register is read as a stream under byte, row, text and cell limits, CSV and XLSX alike, so that no register can
 * take the process's memory or time, with the XLSX read through its central directory (no sheet spooled, no part
 * inflated past what it declares). The hostile registers are made here, small, against small limits.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-register-limits-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

const LIMITS: RegisterLimits = { maxBytes: 64 * 1024, maxRows: 100, maxCellChars: 1000 };
const HEADER = 'Tên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành\r\n';
const line = (i: number): string => `cv-${i}.pdf,${i}/UBND,05/11/2024,Về việc ${i},Nguyễn Văn A,UBND xã A\r\n`;

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; limit: number; line: number | null }> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RegisterLimitError);
  const e = err as RegisterLimitError;
  return { kind: e.kind, limit: e.limit, line: e.line };
}

describe('CSV', () => {
  test('within the limits it reads as before', async () => {
    const rows = await readRegister(write('ok.csv', HEADER + Array.from({ length: 99 }, (_, i) => line(i)).join('')), LIMITS);
    expect(rows).toHaveLength(99);
    expect(rows[98]).toMatchObject({ line: 100, file: 'cv-98.pdf', date: '2024-11-05' });
  });

  test('over the byte limit: refused before a byte is parsed', async () => {
    expect(await refusal(readRegister(write('big.csv', HEADER + 'x'.repeat(70 * 1024)), LIMITS))).toEqual({ kind: 'bytes', limit: 64 * 1024, line: null });
  });

  test('over the row limit, empty lines counted', async () => {
    expect(await refusal(readRegister(write('rows.csv', HEADER + Array.from({ length: 100 }, (_, i) => line(i)).join('')), LIMITS))).toEqual({ kind: 'rows', limit: 100, line: null });
    expect(await refusal(readRegister(write('blank.csv', `${HEADER}${'\n'.repeat(200)}`), LIMITS))).toMatchObject({ kind: 'rows' });
  });

  test('one long cell is refused at its row, quoted or not, whatever the chunks', async () => {
    expect(await refusal(readRegister(write('cell.csv', `${HEADER}${line(1)}a.pdf,"${'y'.repeat(5000)}"\r\n`), LIMITS))).toEqual({ kind: 'cell', limit: 1000, line: 3 });
    // One cell of 60 KB and nothing else: the old one-cell bomb, smaller.
    expect(await refusal(readRegister(write('one-cell.csv', 'z'.repeat(60 * 1024)), LIMITS))).toMatchObject({ kind: 'cell', line: 1 });
  });

  test('no header in the first 30 rows: refused there, without reading on', async () => {
    const file = write('nohdr.csv', Array.from({ length: 50 }, (_, i) => `a${i},b${i}\n`).join(''));
    await expect(readRegister(file, LIMITS)).rejects.toBeInstanceOf(RegisterFormatError);
  });

  test('a NUL in a cell becomes U+FFFD: the database could not store it', async () => {
    const rows = await readRegister(write('nul.csv', `${HEADER}a\0b.pdf,1/UBND,,,,\r\n`), LIMITS);
    expect(rows[0].file).toBe('a\ufffdb.pdf');
  });

  test('the streaming parser gives the same rows whatever the chunk boundaries', () => {
    const text =
      '\ufeffTệp;Số;"Trích ""yếu"""\r\n' + 'a.pdf;1;"dòng 1\r\ndòng 2; còn"\r\n' + 'b.pdf;"2";x"y\n' + '\r\n' + 'c.pdf;3;"không đóng';
    const whole = parseCsv(text);
    for (const size of [1, 2, 3, 7, 13]) {
      const rows: string[][] = [];
      const parser = new CsvParser((cells) => rows.push(cells), 1000);
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      parser.end();
      expect(rows).toEqual(whole);
    }
    expect(whole).toEqual([
      ['Tệp', 'Số', 'Trích "yếu"'],
      ['a.pdf', '1', 'dòng 1\r\ndòng 2; còn'],
      ['b.pdf', '2', 'x"y'],
      [''],
      ['c.pdf', '3', 'không đóng'],
    ]);
  });
});

const HEAD = row(1, ['A1', 'B1', 'C1'].map((r, i) => inlineCell(r, ['Tên tệp', 'Số ký hiệu', 'Ngày ban hành'][i])).join(''));

describe('XLSX', () => {
  test('shared strings after the sheet (as Excel writes), inline strings, date styles, a 1904 workbook, the first sheet only', async () => {
    const rows = row(3, sharedCell('A3', 0) + sharedCell('B3', 1) + numberCell('C3', 45604, 1)) + row(4, inlineCell('A4', 'cv-4.pdf') + numberCell('B4', 7) + numberCell('C4', 45604, 2));
    const file = write('order.xlsx', buildXlsx({ rows: HEAD + rows, shared: ['cv-3.pdf', '3/UBND'], sheetFirst: true, secondSheetRows: row(1, inlineCell('A1', 'không đọc')) }));
    expect(await readRegister(file, LIMITS)).toEqual([
      { line: 3, file: 'cv-3.pdf', number: '3/UBND', date: '2024-11-08', summary: null, signer: null, unit: null },
      { line: 4, file: 'cv-4.pdf', number: '7', date: '2024-11-08', summary: null, signer: null, unit: null },
    ]);
    const in1904 = write('1904.xlsx', buildXlsx({ rows: HEAD + row(2, inlineCell('A2', 'x.pdf') + numberCell('C2', 44142, 1)), date1904: true }));
    expect((await readRegister(in1904, LIMITS))[0].date).toBe('2024-11-08');
  });

  test('over the row limit', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => row(i + 2, inlineCell(`A${i + 2}`, `cv-${i}.pdf`))).join('');
    expect(await refusal(readRegister(write('rows.xlsx', buildXlsx({ rows: HEAD + rows })), LIMITS))).toEqual({ kind: 'rows', limit: 100, line: null });
  });

  test('one shared string named by every cell counts each time it is read', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => row(i + 2, ['A', 'B', 'C', 'D', 'E', 'F'].map((c) => sharedCell(`${c}${i + 2}`, 0)).join(''))).join('');
    const file = write('repeat.xlsx', buildXlsx({ rows: HEAD + rows, shared: ['w'.repeat(900)] }));
    expect(fs.statSync(file).size).toBeLessThan(8 * 1024);
    expect(await refusal(readRegister(file, LIMITS))).toEqual({ kind: 'text', limit: 64 * 1024, line: null });
  });

  test('a cell longer than the cell limit, shared or inline', async () => {
    const shared = write('long-shared.xlsx', buildXlsx({ rows: HEAD, shared: ['v'.repeat(1500)] }));
    expect(await refusal(readRegister(shared, LIMITS))).toEqual({ kind: 'cell', limit: 1000, line: null });
    const inline = write('long-inline.xlsx', buildXlsx({ rows: HEAD + row(7, inlineCell('A7', 'v'.repeat(1500))) }));
    expect(await refusal(readRegister(inline, LIMITS))).toEqual({ kind: 'cell', limit: 1000, line: 7 });
  });

  test('a sheet that unpacks past its budget is refused before it is inflated', async () => {
    // 64 KB × 10 may be unpacked; this sheet declares 1 MB of whitespace, which deflates to a kilobyte.
    const file = write('bomb.xlsx', buildXlsx({ rows: HEAD + ' '.repeat(1 << 20) }));
    expect(fs.statSync(file).size).toBeLessThan(LIMITS.maxBytes);
    expect(await refusal(readRegister(file, LIMITS))).toEqual({ kind: 'unpacked', limit: 640 * 1024, line: null });
  });

  test('a DOCTYPE (the way to an entity bomb) is refused', async () => {
    const file = write('doctype.xlsx', buildXlsx({ rows: HEAD, sheetProlog: '<!DOCTYPE x [<!ENTITY a "aaaa">]>' }));
    await expect(readRegister(file, LIMITS)).rejects.toBeInstanceOf(XmlError);
  });

  test('cells past the thousandth column are read past', async () => {
    const far = row(2, inlineCell('A2', 'far.pdf') + inlineCell('ZZZ2', 'x'));
    expect((await readRegister(write('far.xlsx', buildXlsx({ rows: HEAD + far })), LIMITS)).map((r) => r.file)).toEqual(['far.pdf']);
  });
});

describe('in a thread of its own', () => {
  const thread = { script: path.join(__dirname, '..', '..', 'server', 'register', 'thread-main.ts'), execArgv: ['-r', path.join(__dirname, '..', 'queue', 'fixtures', 'ts-register.js')] };

  test('rows, limits and format errors come back as in this thread', async () => {
    const ok = write('t-ok.csv', HEADER + line(1));
    expect(await readRegisterOffThread(ok, LIMITS, thread)).toEqual(await readRegister(ok, LIMITS));
    const rows = write('t-rows.csv', HEADER + Array.from({ length: 120 }, (_, i) => line(i)).join(''));
    expect(await refusal(readRegisterOffThread(rows, LIMITS, thread))).toEqual({ kind: 'rows', limit: 100, line: null });
    const cell = write('t-cell.csv', `${HEADER}"${'q'.repeat(2000)}"\r\n`);
    expect(await refusal(readRegisterOffThread(cell, LIMITS, thread))).toEqual({ kind: 'cell', limit: 1000, line: 2 });
    await expect(readRegisterOffThread(write('t-nohdr.csv', 'a,b\n'), LIMITS, thread)).rejects.toMatchObject({ reason: 'noHeader' });
  });

  test('a register of many rows comes back whole, in order, across the messages that carry it', async () => {
    const many = write('t-many.csv', HEADER + Array.from({ length: 12_001 }, (_, i) => line(i)).join(''));
    const limits = { ...LIMITS, maxBytes: 10 << 20, maxRows: 20_000 };
    const rows = await readRegisterOffThread(many, limits, thread);
    expect(rows).toHaveLength(12_001);
    expect(rows).toEqual(await readRegister(many, limits));
    const none = write('t-none.csv', HEADER);
    expect(await readRegisterOffThread(none, limits, thread)).toEqual([]);
  });

  test('a thread that runs past its time is ended, and the register refused', async () => {
    const file = write('t-slow.csv', HEADER + line(1));
    await expect(readRegisterOffThread(file, LIMITS, { ...thread, timeoutMs: 1 })).rejects.toThrow(/too long/);
  });

  test('the default limits are a province\'s month, and a cell is what Excel allows', () => {
    expect(DEFAULT_REGISTER_LIMITS).toEqual({ maxBytes: 50 * 1024 ** 2, maxRows: 200_000, maxCellChars: 32_767 });
    expect(MAX_CELL_CHARS).toBe(32_767);
  });
});

describe('kiemky check --register', () => {
  class Capture {
    text = '';
    isTTY = false;
    write(chunk: string | Uint8Array): boolean {
      this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }
  }

  test('a register over a limit is a usage error (exit 2) in Vietnamese, naming the limit; the environment sets the limits', async () => {
    const pdf = write('a.pdf', '%PDF-1.7\n%%EOF\n');
    const register = write('cli-rows.csv', HEADER + Array.from({ length: 30 }, (_, i) => line(i)).join(''));
    const stderr = new Capture();
    const code = await run(['check', pdf, '--register', register], { stdout: new Capture(), stderr, env: { KIEMKY_MAX_REGISTER_ROWS: '20' } });
    expect(code).toBe(2);
    expect(stderr.text).toContain(`Sổ đăng ký văn bản đi ${register}: quá nhiều dòng (giới hạn 20 dòng).`);
    const big = new Capture();
    expect(await run(['check', pdf, '--register', register, '--lang', 'en'], { stdout: new Capture(), stderr: big, env: { KIEMKY_MAX_REGISTER_BYTES: '1KB' } })).toBe(2);
    expect(big.text).toContain('the file is too large (limit 1 KB)');
    const bad = new Capture();
    expect(await run(['check', pdf, '--register', register], { stdout: new Capture(), stderr: bad, env: { KIEMKY_MAX_REGISTER_ROWS: 'nhiều' } })).toBe(2);
    expect(bad.text).toContain('KIEMKY_MAX_REGISTER_ROWS');
  });
});
