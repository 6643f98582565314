/**
 * `npm run screenshots:reports`: page 1 of the sample month's inspection report as a PDF and as a DOCX (through
 * LibreOffice, when it is installed), and the leader's page, drawn by poppler's pdftoppm into docs/screenshots/ for
 * the README. The month is verified for real (`kiemky check --format json` on samples/out/thang-11); the reports are
 * written from that report through the same writers `kiemky check --format docx|pdf` drives.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../server/cli/main';
import { openReport, type ReportIssuer, type ReportOut } from '../server/report/format';
import { formatNamed } from '../server/report/formats';
import { leaderPagePdf } from '../server/report/leader/page';
import { summarize } from '../server/report/summary';
import type { BatchReport } from '../worker/report';
import { runMain } from './inputs';

const ROOT = path.resolve(__dirname, '..', ...(path.basename(path.resolve(__dirname, '..')) === 'dist' ? ['..'] : []));
const OUT = path.join(ROOT, 'docs', 'screenshots');
const MONTH = path.join(ROOT, 'samples', 'out', 'thang-11');
const ISSUER: ReportIssuer = { parentAgency: 'Ủy ban nhân dân huyện Vạn Ninh', agency: 'Đoàn kiểm tra', place: 'Vạn Ninh', signerName: 'Nguyễn Văn Bình' };
const AT = new Date('2026-12-05T03:00:00Z');

class Sink {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

async function writeReport(report: BatchReport, format: 'docx' | 'pdf', file: string): Promise<void> {
  const writer = openReport(formatNamed(format), { lang: 'vi', generatedAt: AT, compact: false, scope: { kind: 'period', from: '2026-11', to: '2026-11', units: [] }, issuer: ISSUER });
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const out: ReportOut = { text: () => undefined, stream: () => stream };
  for (const doc of report.documents) writer.document(doc);
  await writer.end(summarize(report.documents), report.findings ?? [], out);
  fs.writeFileSync(file, Buffer.concat(chunks));
}

/** Page 1 of a PDF as docs/screenshots/NAME.png, 100 dpi. */
function firstPage(pdf: string, name: string): void {
  execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(OUT, name)]);
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}

function has(tool: string): boolean {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(MONTH)) throw new Error(`${MONTH} is missing: run npm run samples first`);
  if (!has('pdftoppm')) throw new Error('pdftoppm is missing (apt-get install poppler-utils)');
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await run(['check', MONTH, '--register', path.join(MONTH, 'so-dang-ky.csv'), '--certs', path.join(ROOT, 'samples', 'out', 'trust'), '--format', 'json'], {
    stdout,
    stderr,
  });
  if (code > 1) throw new Error(`kiemky check failed: ${stderr.text}`);
  const report = JSON.parse(stdout.text) as BatchReport;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-report-shots-'));
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const pdf = path.join(tmp, 'bao-cao-kiem-tra.pdf');
    await writeReport(report, 'pdf', pdf);
    firstPage(pdf, 'bao-cao-kiem-tra-pdf');
    const docx = path.join(tmp, 'bao-cao-kiem-tra.docx');
    await writeReport(report, 'docx', docx);
    if (has('soffice')) {
      execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', path.join(tmp, 'lo'), docx], { stdio: 'ignore', timeout: 180_000 });
      firstPage(path.join(tmp, 'lo', 'bao-cao-kiem-tra.pdf'), 'bao-cao-kiem-tra-docx');
    } else {
      process.stdout.write('SKIPPED: the DOCX page needs LibreOffice (apt-get install libreoffice-writer-nogui)\n');
    }
    const leader = path.join(tmp, 'trang-lanh-dao.pdf');
    const summary = summarize(report.documents);
    fs.writeFileSync(leader, await leaderPagePdf({ lang: 'vi', period: { from: '2026-11', to: '2026-11' }, previousPeriod: { from: '2026-10', to: '2026-10' }, current: summary, previous: null, generatedAt: AT }));
    firstPage(leader, 'trang-lanh-dao');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return 0;
}

runMain(main);
