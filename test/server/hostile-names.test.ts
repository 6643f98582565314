import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/cli/main';
import { parseCsv } from '../../server/register/csv';
import type { BatchReport } from '../../worker/report';
import { Capture, fakeVerify } from './helpers/reports';
import { unwrapTable } from './helpers/table';

/**
 * Text from documents is shown, never obeyed, through `kiemky check` itself: files named to inject formulas or terminal
 * escapes, and a register whose cells try the same, come out of `--format csv` neutralized and out of the table, the
 * progress line and the error messages with no raw control character — Vietnamese intact, the figures unchanged.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-hostile-'));
const certs = path.join(dir, 'certs');
fs.mkdirSync(certs);
const home = process.cwd();
afterAll(() => {
  process.chdir(home);
  fs.rmSync(dir, { recursive: true, force: true });
});

const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;pwned\x07';
/** Raw controls (all but a line break) and bidi characters. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** File names as an attacker would choose them; each is a PDF the fake verifier calls noncompliant. */
const NAMES = [
  '=HYPERLINK("http:evil.example","bấm").pdf',
  '@SUM(A1).pdf',
  '-1+2.pdf',
  '+1.pdf',
  '\t=1.pdf',
  '\r=1.pdf',
  `Công văn ${CLEAR}.pdf`,
  `Tờ trình ${TITLE}.pdf`,
  'Quyết định \u202efdp.exe.pdf',
];

const REGISTER = [
  'Tên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành',
  '@SUM(A1).pdf,@SUM(A1),05/11/2024,V/v thử,=1+1,-1+2',
  `+1.pdf,\t=1,05/11/2024,V/v khác,Nguyễn Văn A,Phòng ${CLEAR}Tư pháp`,
  `thiếu ${TITLE}.pdf,\r=1,05/11/2024,V/v thiếu,Nguyễn Văn B,UBND xã Vạn Thắng`,
].join('\r\n');

const work = path.join(dir, 'work');
fs.mkdirSync(work);
for (const name of NAMES) fs.writeFileSync(path.join(work, name), '%PDF-1.7 noncompliant');
fs.writeFileSync(path.join(dir, 'so.csv'), `\ufeff${REGISTER}\r\n`);

/**
 * `check` on the files named relative to the working folder, so that a name begins its cell as it would when a
 * clerk runs `kiemky check *` in the export's folder.
 */
async function check(format: string, options: { stderrTTY?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture(options.stderrTTY);
  process.chdir(work);
  try {
    const argv = ['check', '--certs', certs, '--register', path.join(dir, 'so.csv'), '--format', format, '--', ...NAMES];
    const code = await run(argv, { stdout, stderr, verify: fakeVerify });
    return { code, out: stdout.text, err: stderr.text };
  } finally {
    process.chdir(home);
  }
}

test('csv: every cell from a file name or the register that would start a formula begins with an apostrophe', async () => {
  const { code, out, err } = await check('csv');
  expect(code).toBe(1);
  expect(err).toBe('');
  expect(out.replace(/\r\n/g, '')).not.toMatch(RAW);
  const rows = parseCsv(out.replace(/^\ufeff/, ''), ';').filter((r) => r.length > 1).slice(1);
  for (const cell of rows.flat()) expect(cell).not.toMatch(/^\s*[=+\-@\t\r]/);
  const byFile = new Map(rows.map((r) => [r[0], r]));
  expect([...byFile.keys()].sort()).toEqual(
    [
      `'=HYPERLINK("http:evil.example","bấm").pdf`,
      "'@SUM(A1).pdf",
      "'-1+2.pdf",
      "'+1.pdf",
      "'\\x09=1.pdf",
      "'\\x0d=1.pdf",
      'Công văn \\x1b[2J.pdf',
      'Tờ trình \\x1b]0;pwned\\x07.pdf',
      'Quyết định \\u202efdp.exe.pdf',
    ].sort(),
  );
  // Register cells: the number, the unit; the register's tab was trimmed away, its `=` is still neutralized.
  expect(byFile.get("'@SUM(A1).pdf")?.slice(1, 3)).toEqual(["'-1+2", "'@SUM(A1)"]);
  expect(byFile.get("'+1.pdf")?.slice(1, 3)).toEqual(['Phòng \\x1b[2JTư pháp', "'=1"]);
});

test('table: names, register cells and batch findings are shown escaped, not obeyed; Vietnamese and figures intact', async () => {
  const { code, out: wrapped, err } = await check('table');
  const out = unwrapTable(wrapped);
  expect(code).toBe(1);
  expect(err).toBe('');
  expect(out).not.toMatch(RAW);
  expect(out).toContain('✗ Công văn \\x1b[2J.pdf: Thiếu chữ ký số của cơ quan — Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại\n');
  expect(out).toContain('✗ Tờ trình \\x1b]0;pwned\\x07.pdf:');
  expect(out).toContain('✗ Quyết định \\u202efdp.exe.pdf:');
  // Named by its số ký hiệu from the register, the file beside it.
  expect(out).toContain(' (\\x0d=1.pdf): Thiếu chữ ký số');
  expect(out).toContain('Phòng \\x1b[2JTư pháp');
  // The register row without its PDF, a batch finding quoting the row's file name.
  expect(out).toContain('thiếu \\x1b]0;pwned\\x07.pdf');
  expect(out).toContain('Tổng: 9 văn bản — 0 đạt (0,0%), 9 không đạt, 0 lỗi.');
});

test('json: the names exactly as they are once parsed', async () => {
  const { out } = await check('json');
  expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  const report = JSON.parse(out) as BatchReport;
  expect(report.documents.map((d) => d.file).sort()).toEqual([...NAMES].sort());
});

test('stderr: the progress line holds only its own controls, the error messages none', async () => {
  // More than 20 documents for a progress line: the same hostile names, three times over.
  const many = path.join(dir, 'many');
  fs.mkdirSync(many);
  for (let i = 0; i < 3; i++) for (const name of NAMES) fs.writeFileSync(path.join(many, `${i}${name}`), '%PDF-1.7 a');
  const stderr = new Capture(true);
  expect(await run(['check', many, '--certs', certs], { stdout: new Capture(), stderr, verify: fakeVerify })).toBe(0);
  expect(stderr.text).toContain('27/27');
  expect(stderr.text.replace(/\r\x1b\[2K/g, '')).not.toMatch(RAW);

  const errors: string[] = [];
  for (const argv of [
    ['check', path.join(dir, `thiếu ${CLEAR}.pdf`), '--certs', certs],
    ['check', path.join(work, '+1.pdf'), '--certs', certs, `--${TITLE}`],
    ['check', path.join(work, '+1.pdf'), '--certs', certs, '--format', `csv${CLEAR}`],
    ['check', path.join(work, '+1.pdf'), '--certs', certs, '--register', path.join(dir, `sổ ${TITLE}.csv`)],
    ['check', path.join(work, '+1.pdf'), '--certs', path.join(dir, `kho\r${CLEAR}`)],
  ]) {
    const err = new Capture();
    expect(await run(argv, { stdout: new Capture(), stderr: err, verify: fakeVerify })).toBe(2);
    errors.push(err.text);
  }
  for (const text of errors) {
    expect(text).toMatch(/^kiemky: /);
    expect(text).not.toMatch(RAW);
  }
  expect(errors[0]).toContain(`Không đọc được: ${path.join(dir, 'thiếu \\x1b[2J.pdf')}`);
  expect(errors[1]).toContain('Tùy chọn không hợp lệ: --\\x1b]0;pwned\\x07');
  expect(errors[4]).toContain('kho\\x0d\\x1b[2J');
});
