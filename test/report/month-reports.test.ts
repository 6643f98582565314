import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/cli/main';
import { buildMonth } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import type { BatchReport, UnitSummary } from '../../worker/report';
import { Capture } from '../server/helpers/reports';
import { assertWellFormed, partText, zipParts } from '../helpers/docx-package';
import { pdfInfo, pdfText, popplerAvailable } from '../helpers/poppler';

/**
 * The sample month's inspection report as an inspector gets it from `kiemky check --format docx|pdf`: the PDF read
 * back through pdftotext and the DOCX's XML hold each unit's name and its figures, the same figures the JSON report
 * of the same run gives, in the Vietnamese the reader sees.
 */

const pki = loadTestPki();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-month-reports-'));
const monthDir = path.join(dir, 'thang-11');
const trustDir = path.join(dir, 'trust');
let report: BatchReport;

async function check(format: string, out?: string): Promise<string> {
  const stdout = new Capture();
  const stderr = new Capture();
  const args = ['check', monthDir, '--register', path.join(monthDir, 'so-dang-ky.csv'), '--certs', trustDir, '--format', format, '--place', 'Vạn Ninh', '--agency', 'Sở Nội vụ'];
  const code = await run(out ? [...args, '--out', out] : args, { stdout, stderr });
  // The month holds non-compliant documents on purpose.
  expect({ code, stderr: stderr.text.replace(/\r?[^\n]*\r/g, '') }).toEqual({ code: 1, stderr: expect.not.stringContaining('kiemky:') });
  return stdout.text;
}

beforeAll(async () => {
  buildMonth(monthDir, pki);
  writeTrustStore(trustDir, pki);
  report = JSON.parse(await check('json')) as BatchReport;
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pct = (value: number): string => value.toFixed(1).replace('.', ',');

/** A unit's row of the results table, as the report prints it: documents, then its rates in Vietnamese notation. */
function rowFigures(u: UnitSummary): string[] {
  return [String(u.documents), pct(u.signedPct), pct(u.twoLayerPct), pct(u.governmentCaPct)];
}

test('the month has units with something to report, so the assertions below mean something', () => {
  expect(report.units.length).toBeGreaterThanOrEqual(4);
  expect(report.totals.compliant).toBeLessThan(report.totals.documents);
  expect(report.totals.providers['VNPT-CA']).toBeGreaterThan(0);
});

test("the PDF, read back by pdftotext, names every unit beside its figures, and the month's totals", async () => {
  if (!popplerAvailable('the sample month PDF report')) return;
  const out = path.join(dir, 'bao-cao.pdf');
  await check('pdf', out);
  const bytes = fs.readFileSync(out);
  expect(pdfInfo(bytes).pageSize).toMatch(/^595\.\d+ x 841\.\d+/);
  const text = pdfText(bytes);
  const lines = text.split('\n');
  const flat = text.replace(/\s+/g, ' ');
  expect(flat).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(flat).toContain('Vạn Ninh, ngày');
  expect(flat).toContain('SỞ NỘI VỤ');
  for (const u of report.units) {
    const name = u.unit ?? '(không xác định)';
    // A long name wraps in its cell: the row's first line starts with the name's first words, then the figures.
    const firstWords = name.split(' ').slice(0, 2).join(' ');
    const figures = new RegExp(`${firstWords.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\s${rowFigures(u).join('\\s+')}\\s`);
    expect({ unit: name, row: lines.some((l) => figures.test(l)) }).toEqual({ unit: name, row: true });
  }
  const t = report.totals;
  expect(text).toMatch(new RegExp(`Tổng cộng\\s+${rowFigures(t).join('\\s+')}\\s`));
  expect(flat).toContain(`Số văn bản đạt đủ các yêu cầu: ${t.compliant} (${pct(t.compliantPct)}%)`);
  // The unit signing with VNPT is named with its count, in section 3 and in the shortcomings.
  const vnpt = report.units.find((u) => (u.providers['VNPT-CA'] ?? 0) > 0)!;
  expect(flat).toContain(`VNPT-CA: ${vnpt.providers['VNPT-CA']} VB`);
  expect(flat).toMatch(/II\. TỒN TẠI, HẠN CHẾ.*III\. KIẾN NGHỊ.*PHỤ LỤC/);
  // Every failing document is in the appendix, by its số ký hiệu when the register has one.
  for (const d of report.documents.filter((doc) => doc.verdict !== 'compliant' && doc.register?.number)) expect(flat).toContain(d.register!.number!);
}, 120_000);

test("the DOCX's XML holds every unit's name and figures in one table row, and the same totals", async () => {
  const out = path.join(dir, 'bao-cao.docx');
  await check('docx', out);
  const parts = await zipParts(fs.readFileSync(out));
  const xml = partText(parts, 'word/document.xml');
  assertWellFormed('word/document.xml', xml);
  // Each table row's cell texts, in order.
  const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) =>
    [...m[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => [...c[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join('')),
  );
  const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
  const cells = rows.map((r) => r.map(decode));
  for (const u of [...report.units, report.totals]) {
    const name = u.unit ?? 'Tổng cộng';
    expect(cells).toContainEqual([name, ...rowFigures(u), expect.any(String), expect.any(String), `${u.compliant} (${pct(u.compliantPct)})`]);
  }
  const body = decode(xml.replace(/<[^>]+>/g, ''));
  expect(body).toContain('Độc lập - Tự do - Hạnh phúc');
  expect(body).toContain('DỰ THẢO');
}, 120_000);
