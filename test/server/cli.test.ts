import ExcelJS from 'exceljs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type CliDeps } from '../../server/cli/main';
import { parseArgs, UsageError } from '../../server/cli/args';
import type { BatchReport } from '../../worker/report';
import { Capture, fakeVerify } from './helpers/reports';
import { schemaErrors } from '../helpers/schema';
import { buildZip } from './helpers/zip-writer';
import { formatCsv } from '../../server/report/format-csv';
import { unwrapTable } from './helpers/table';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-cli-'));
const certs = path.join(dir, 'certs');
fs.mkdirSync(certs);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

async function cli(argv: string[], options: { stdoutTTY?: boolean; stderrTTY?: boolean } = {}): Promise<{ code: number; out: string; err: string; stderr: Capture }> {
  const stdout = new Capture(options.stdoutTTY);
  const stderr = new Capture(options.stderrTTY);
  const deps: CliDeps = { stdout, stderr, verify: fakeVerify };
  const code = await run(argv, deps);
  return { code, out: stdout.text, err: stderr.text, stderr };
}

describe('argument parsing', () => {
  test('options with a space or =, inputs anywhere, -- ends options', () => {
    expect(parseArgs(['check', 'a.pdf', '--format=json', '--jobs', '3', '--lang', 'en', '--', '--weird.pdf'])).toEqual({
      command: 'check',
      inputs: ['a.pdf', '--weird.pdf'],
      certs: null,
      register: null,
      units: null,
      format: 'json',
      out: null,
      lang: 'en',
      jobs: 3,
      revocation: 'offline',
      revocationCache: null,
      csvSeparator: null,
      issuer: {},
    });
    expect(parseArgs(['check', 'a.pdf', '--revocation', 'online', '--revocation-cache=/tmp/rc'])).toMatchObject({ revocation: 'online', revocationCache: '/tmp/rc' });
    expect(() => parseArgs(['check', 'a.pdf', '--revocation', 'ldap'])).toThrow(UsageError);
    expect(parseArgs(['check', 'a.pdf', '--csv-separator', 'tab'])).toMatchObject({ csvSeparator: '\t' });
    expect(parseArgs(['check', 'a.pdf', '--csv-separator=,'])).toMatchObject({ csvSeparator: ',' });
  });

  test.each([
    [[], 'noInput'],
    [['check'], 'noInput'],
    [['verify', 'a.pdf'], 'unknownCommand'],
    [['check', 'a.pdf', '--colour'], 'unknownOption'],
    [['check', 'a.pdf', '-x'], 'unknownOption'],
    [['check', 'a.pdf', '--format'], 'missingValue'],
    [['check', 'a.pdf', '--out', '--format', 'json'], 'missingValue'],
    [['check', 'a.pdf', '--format', 'odt'], 'badValue'],
    [['check', 'a.pdf', '--jobs', '0'], 'badValue'],
    [['check', 'a.pdf', '--csv-separator', 'pipe'], 'badValue'],
    [['check', 'a.pdf', '--lang', 'fr'], 'badValue'],
  ])('%j → %s', (argv, key) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    try {
      parseArgs(argv);
    } catch (err) {
      expect((err as UsageError).key).toBe(key);
    }
  });
});

describe('help and version', () => {
  test('--help in Vietnamese, in English with --lang en; check --help too', async () => {
    const vi = await cli(['--help']);
    expect(vi.code).toBe(0);
    expect(vi.out).toContain('Cách dùng');
    expect((await cli(['check', '--help', '--lang', 'en'])).out).toContain('Usage:');
  });

  test('--version', async () => {
    const { code, out } = await cli(['--version']);
    expect(code).toBe(0);
    expect(out).toMatch(/^kiemky \d+\.\d+\.\d+\n$/);
  });
});

describe('exit codes', () => {
  const ok = folder('ok', { 'a.pdf': '%PDF-1.7 a', 'sub/b.PDF': '%PDF-1.7 b', 'readme.txt': 'ignored' });
  const mixed = folder('mixed', { 'a.pdf': '%PDF-1.7 a', 'b.pdf': '%PDF-1.7 noncompliant' });

  test('0 when every document is compliant; non-PDF files in folders ignored', async () => {
    const { code, out, err } = await cli(['check', ok, '--certs', certs]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Tổng: 2 văn bản — 2 đạt (100,0%), 0 không đạt, 0 lỗi.');
  });

  test('1 when some document is not compliant, or an explicit file is not a PDF', async () => {
    expect((await cli(['check', mixed, '--certs', certs])).code).toBe(1);
    const notPdf = path.join(dir, 'to-trinh.docx');
    fs.writeFileSync(notPdf, 'PK docx');
    const { code, out } = await cli(['check', notPdf, '--certs', certs]);
    expect(code).toBe(1);
    expect(unwrapTable(out)).toContain('✗ ' + notPdf + ': Tệp không phải là tài liệu PDF — Văn thư gửi lại đúng tệp PDF đã ký');
  });

  test.each([
    ['no input', ['check']],
    ['unknown flag', ['check', 'x.pdf', '--bogus']],
    ['missing input', ['check', path.join(dir, 'missing.pdf')]],
    ['unreadable --certs', ['check', 'IN', '--certs', path.join(dir, 'no-certs')]],
    ['unreadable --register', ['check', 'IN', '--register', path.join(dir, 'no.csv')]],
    ['unreadable --units', ['check', 'IN', '--units', path.join(dir, 'no.json')]],
    ['folder without PDF', ['check', 'EMPTY']],
  ])('2 on a usage error: %s', async (_, argv) => {
    const empty = folder('empty', { 'x.txt': 'x' });
    const args = argv.map((a) => (a === 'IN' ? ok : a === 'EMPTY' ? empty : a));
    if (!args.includes('--certs')) args.push('--certs', certs);
    const { code, out, err } = await cli(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^kiemky: /);
  });

  test('2 for xlsx to a terminal without --out; English messages with --lang en', async () => {
    const vi = await cli(['check', ok, '--certs', certs, '--format', 'xlsx'], { stdoutTTY: true });
    expect(vi.code).toBe(2);
    expect(vi.err).toContain('hãy thêm --out');
    const en = await cli(['check', ok, '--certs', certs, '--format', 'xlsx', '--lang', 'en'], { stdoutTTY: true });
    expect(en.err).toContain('add --out');
  });
});

describe('a month from a ZIP with a register', () => {
  const zip = path.join(dir, 'thang-11.zip');
  fs.writeFileSync(
    zip,
    buildZip([
      { name: 'di/CV-10.pdf', data: '%PDF-1.7 noncompliant' },
      { name: 'di/CV-2.pdf', data: '%PDF-1.7 b' },
      { name: '../evil.pdf', data: '%PDF-1.7 evil' },
      { name: 'phu-luc.zip', data: buildZip([{ name: 'CV-1.pdf', data: '%PDF-1.7 c' }]) },
    ]),
  );
  const register = path.join(dir, 'so-dang-ky.csv');
  fs.writeFileSync(
    register,
    '\ufeffTên tệp;Số, ký hiệu văn bản;Ngày ban hành;Trích yếu;Người ký;Đơn vị ban hành\r\n' +
      'CV-1.pdf;01/UBND;05/11/2024;Về việc A;Nguyễn Văn A;UBND xã A\r\n' +
      'CV-2;02/UBND;05/11/2024;Về việc B;Nguyễn Văn A;Phòng Tư pháp\r\n' +
      'CV-99.pdf;99/UBND;05/11/2024;Về việc C;Nguyễn Văn A;UBND xã A\r\n',
  );

  test('json: sorted documents, register joined, batch findings, valid against the schema', async () => {
    const { code, out } = await cli(['check', zip, '--certs', certs, '--register', register, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as BatchReport;
    const errors = schemaErrors(report);
    expect(errors).toEqual([]);
    expect(report.documents.map((d) => d.file)).toEqual([`${zip}/di/CV-2.pdf`, `${zip}/di/CV-10.pdf`, `${zip}/phu-luc.zip/CV-1.pdf`]);
    const cv1 = report.documents[2];
    expect(cv1.register).toEqual({ number: '01/UBND', date: '2024-11-05', summary: 'Về việc A', signer: 'Nguyễn Văn A', unit: 'UBND xã A' });
    expect(report.documents[0].unit).toBe('Phòng Tư pháp');
    expect(report.documents[1].findings.map((f) => f.code)).toContain('DOCUMENT_NOT_IN_REGISTER');
    expect((report.findings ?? []).map((f) => f.code).sort()).toEqual(['REGISTER_ROW_WITHOUT_PDF', 'ZIP_UNSAFE_PATH']);
    expect(report.units.map((u) => u.unit)).toEqual(['Phòng Tư pháp', 'UBND xã A']);
    expect(report.totals.documents).toBe(3);
  });

  test('xlsx and csv to --out', async () => {
    const xlsx = path.join(dir, 'bao-cao.xlsx');
    expect((await cli(['check', zip, '--certs', certs, '--format', 'xlsx', '--out', xlsx], { stdoutTTY: true })).code).toBe(1);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.getWorksheet('Văn bản')?.rowCount).toBe(4);
    // The workbook is streamed at the end: a path that cannot be written is still the usage error, not a silent exit.
    const refused = await cli(['check', zip, '--certs', certs, '--format', 'xlsx', '--out', dir]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`Không ghi được ${dir}`);
    const csv = path.join(dir, 'bao-cao.csv');
    await cli(['check', zip, '--certs', certs, '--format', 'csv', '--out', csv]);
    expect(fs.readFileSync(csv, 'utf8').startsWith('\ufeffTệp;Đơn vị;')).toBe(true);
    await cli(['check', zip, '--certs', certs, '--format', 'csv', '--out', csv, '--lang', 'en']);
    expect(fs.readFileSync(csv, 'utf8').startsWith('\ufeffFile,Unit,')).toBe(true);
    await cli(['check', zip, '--certs', certs, '--format', 'csv', '--out', csv, '--csv-separator', 'tab']);
    expect(fs.readFileSync(csv, 'utf8').startsWith('\ufeffTệp\tĐơn vị\t')).toBe(true);
    await cli(['check', zip, '--certs', certs, '--format', 'csv', '--out', csv, '--lang', 'en', '--csv-separator=;']);
    expect(fs.readFileSync(csv, 'utf8').startsWith('\ufeffFile;Unit;')).toBe(true);
    const bad = await cli(['check', zip, '--certs', certs, '--format', 'csv', '--csv-separator', '|']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--csv-separator');
  });

  test('xlsx whose temporary folder cannot be written: the clerk is told where and how to choose another', () => {
    // The real command, with TMPDIR as a clerk would set it (a file here, so no folder can be made in it).
    const bin = path.join(__dirname, '..', '..', 'bin', 'kiemky.js');
    const notAFolder = path.join(dir, 'not-a-folder');
    fs.writeFileSync(notAFolder, '');
    const run = spawnSync(process.execPath, [bin, 'check', zip, '--certs', certs, '--format', 'xlsx', '--out', path.join(dir, 'tmp.xlsx')], {
      env: { ...process.env, TMPDIR: notAFolder },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`Không ghi được tệp tạm của báo cáo XLSX trong ${notAFolder} (đặt biến TMPDIR`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'tmp.xlsx'))).toBe(false);
  });

  describe('the real command, interrupted', () => {
    const bin = path.join(__dirname, '..', '..', 'bin', 'kiemky.js');
    // Enough documents that the check is still running when it is interrupted (each is refused in microseconds).
    const many = folder('interrupted-month', Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`cv-${i}.pdf`, `%PDF-1.7 ${i}`])));
    const exited = (child: ChildProcess): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        let stderr = '';
        child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        child.on('close', (code) => resolve({ code, stderr }));
      });

    test('a reader that stops reading (| head) ends the check quietly, with the code of SIGPIPE', async () => {
      const child = spawn(process.execPath, [bin, 'check', many, '--certs', certs, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const done = exited(child);
      child.stdout?.once('data', () => child.stdout?.destroy());
      const { code, stderr } = await done;
      expect(code).toBe(141);
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    });

    test('Ctrl-C ends the check with the code of SIGINT, and the XLSX spool is removed', async () => {
      const spoolRoot = fs.mkdtempSync(path.join(dir, 'spool-'));
      const child = spawn(process.execPath, [bin, 'check', many, '--certs', certs, '--format', 'xlsx', '--out', path.join(dir, 'many.xlsx')], {
        env: { ...process.env, TMPDIR: spoolRoot },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const done = exited(child);
      // Interrupted once the spool is on disk, well before the 8,000th document.
      while (child.exitCode === null && fs.readdirSync(spoolRoot).length === 0) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGINT');
      expect((await done).code).toBe(130);
      expect(fs.readdirSync(spoolRoot)).toEqual([]);
    });
  });

  test('json to --out: the indented report, written in pieces; a path that cannot be written is a usage error', async () => {
    const out = path.join(dir, 'bao-cao.json');
    fs.writeFileSync(out, 'x'.repeat(100_000)); // an older, longer report there is replaced, not overwritten in part
    expect((await cli(['check', zip, '--certs', certs, '--format', 'json', '--out', out])).code).toBe(1);
    const text = fs.readFileSync(out, 'utf8');
    const report = JSON.parse(text) as BatchReport;
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(report.documents).toHaveLength(3);
    const refused = await cli(['check', zip, '--certs', certs, '--format', 'json', '--out', dir]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`Không ghi được ${dir}`);
  });
});

describe('json and csv are written as the batch is verified', () => {
  const month = (name: string, count: number): { dir: string; names: string[] } => {
    const names = Array.from({ length: count }, (_, i) => `cv-${i}.pdf`);
    return { dir: folder(name, Object.fromEntries(names.map((n, i) => [n, `%PDF-1.7 ${i}`]))), names };
  };
  const streamed = month('streamed', 400);

  /** The report as written to stdout, and how much of it was out when the last document began its verification. */
  async function checkRecording(dir: string, format: string, last: string): Promise<{ code: number; text: string; writtenBeforeLast: number }> {
    const stdout = new Capture();
    let writtenBeforeLast = -1;
    const code = await run(['check', dir, '--certs', certs, '--format', format], {
      stdout,
      stderr: new Capture(),
      verify: async (source, options) => {
        if (options.fileName.endsWith(last)) writtenBeforeLast = stdout.text.length;
        return fakeVerify(source, options);
      },
    });
    return { code, text: stdout.text, writtenBeforeLast };
  }

  test('the first documents are out before the last is verified, and the whole equals the report at once', async () => {
    const { code, text, writtenBeforeLast } = await checkRecording(streamed.dir, 'json', 'cv-399.pdf');
    expect(code).toBe(0);
    expect(writtenBeforeLast).toBeGreaterThan(0);
    const report = JSON.parse(text) as BatchReport;
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(report.documents.map((d) => path.basename(d.file))).toEqual(streamed.names);
    expect(report.totals.documents).toBe(400);
  });

  test('CSV too: out before the last document is verified, and the same text as the whole report at once', async () => {
    // A CSV line is short: enough documents that the first 64 KB write comes well before the last one.
    const csvMonth = month('streamed-csv', 1200);
    const { code, text, writtenBeforeLast } = await checkRecording(csvMonth.dir, 'csv', 'cv-1199.pdf');
    expect(code).toBe(0);
    expect(writtenBeforeLast).toBeGreaterThan(0);
    const whole = JSON.parse((await cli(['check', csvMonth.dir, '--certs', certs, '--format', 'json'])).out) as BatchReport;
    expect(text).toBe(formatCsv(whole, 'vi'));
    expect(text.split('\r\n')).toHaveLength(1202);
  });

  test('to a terminal, without the progress line that would be drawn among it', async () => {
    const { code, out, err } = await cli(['check', streamed.dir, '--certs', certs, '--format', 'json'], { stdoutTTY: true, stderrTTY: true });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect((JSON.parse(out) as BatchReport).documents).toHaveLength(400);
    // The same batch in a table to that terminal still shows its progress.
    expect((await cli(['check', streamed.dir, '--certs', certs], { stdoutTTY: true, stderrTTY: true })).err).toContain('400/400');
  });
});

describe('progress', () => {
  const many = folder(
    'many',
    Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`cv-${i}.pdf`, `%PDF-1.7 ${i}`])),
  );

  test('drawn on a terminal for more than 20 documents, then cleared', async () => {
    const { code, err } = await cli(['check', many, '--certs', certs], { stderrTTY: true });
    expect(code).toBe(0);
    expect(err).toContain('21/21');
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
  });

  test('silent when stderr is not a terminal', async () => {
    expect((await cli(['check', many, '--certs', certs])).err).toBe('');
  });
});

describe('odd batches', () => {
  test('a ZIP whose only entry is refused verified nothing: exit 1, the finding shown', async () => {
    const zip = path.join(dir, 'evil-only.zip');
    fs.writeFileSync(zip, buildZip([{ name: '../evil.pdf', data: '%PDF-1.7 evil' }]));
    const { code, out } = await cli(['check', zip, '--certs', certs]);
    expect(code).toBe(1);
    expect(out).toContain('../evil.pdf');
    // In JSON the report begins only at its end, with no document: the same text as the whole report at once.
    const json = await cli(['check', zip, '--certs', certs, '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as BatchReport;
    expect(json.out).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(report.documents).toEqual([]);
    expect((report.findings ?? []).map((f) => f.code)).toEqual(['ZIP_UNSAFE_PATH']);
  });

  test('--units is read, checked and handed to the verifier', async () => {
    const units = path.join(dir, 'units.json');
    fs.writeFileSync(units, JSON.stringify({ units: [{ name: 'UBND xã A', agencyCertificates: ['AB:'.repeat(31) + 'CD'] }] }));
    const seen: unknown[] = [];
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run(['check', path.join(dir, 'ok'), '--certs', certs, '--units', units], {
      stdout,
      stderr,
      verify: async (source, options) => {
        seen.push(options.registry);
        return fakeVerify(source, options);
      },
    });
    expect(code).toBe(0);
    expect(seen[0]).toEqual({ version: 1, units: [{ name: 'UBND xã A', agencyCertificates: ['ab'.repeat(31) + 'cd'] }] });
    const bad = path.join(dir, 'units-bad.json');
    fs.writeFileSync(bad, JSON.stringify({ units: [{ name: 'x' }] }));
    expect((await cli(['check', path.join(dir, 'ok'), '--certs', certs, '--units', bad])).code).toBe(2);
  });
});
