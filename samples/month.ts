/**
 * The sample month: what a district's e-office export of November 2026 looks like for four units, with the
 * register (sổ đăng ký văn bản đi, ND 30 Phụ lục IV) the clerks keep beside it. Most documents are compliant
 * two-layer documents; the rest are the gaps the real inspections found (leader-only, a commercial CA, an expired
 * certificate, a change after signing, a forged byte range, unsigned, not a PDF) plus register mismatches.
 *
 * Also the benchmark corpus: n distinct ~150 KB two-layer documents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PdfFile } from './lib/pdf-reader';
import { appendUpdate, makePageContent } from './lib/pdf-writer';
import { asRef, dget } from './lib/pdf-syntax';
import { loadTestPki, type TestIdentity, type TestPki } from './lib/test-pki';
import { type DocSpec, commonName, docNumber, documentLines, makeUnitDocument, signAgency, signLeader } from './scenarios';

export const UNIT_SLUGS = ['van-phong', 'phong-vhtt', 'xa-van-thang', 'phong-tckh'];

type Shape =
  | 'compliant'
  | 'leader-only'
  | 'public-agency'
  | 'expired'
  | 'unsigned-update'
  | 'wrapped'
  | 'unsigned'
  | 'not-pdf';

interface MonthDoc {
  unit: number;
  so: number;
  /** Document date, YYYY-MM-DD (a working day). */
  day: string;
  kind: string;
  summary: string;
  shape: Shape;
  /** Working days between the document date and the signatures (ND 30 Art. 18.1 wants 0 or 1). */
  signDelay?: number;
  register?: 'row' | 'no-row' | 'other-signer';
}

const KINDS: Array<[string, string]> = [
  ['Công văn', 'V/v triển khai ký số 2 lớp đối với văn bản đi'],
  ['Quyết định', 'Về việc kiện toàn Tổ kiểm tra công tác văn thư, lưu trữ'],
  ['Kế hoạch', 'Kiểm tra việc sử dụng chữ ký số chuyên dùng năm 2026'],
  ['Thông báo', 'Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 11'],
  ['Báo cáo', 'Tình hình gửi, nhận văn bản điện tử tháng 11 năm 2026'],
  ['Tờ trình', 'Về việc đề nghị cấp chứng thư số chuyên dùng cho cán bộ'],
  ['Giấy mời', 'Dự hội nghị tập huấn sử dụng chữ ký số'],
];

/** The month's plan: 24 files for four units (6 each), the register row per file. */
const PLAN: Array<Omit<MonthDoc, 'kind' | 'summary'>> = [
  // Văn phòng HĐND và UBND huyện
  { unit: 0, so: 412, day: '2026-11-02', shape: 'compliant' },
  { unit: 0, so: 418, day: '2026-11-04', shape: 'compliant' },
  { unit: 0, so: 425, day: '2026-11-09', shape: 'compliant', register: 'other-signer' },
  { unit: 0, so: 431, day: '2026-11-12', shape: 'leader-only' },
  { unit: 0, so: 437, day: '2026-11-17', shape: 'expired' },
  { unit: 0, so: 446, day: '2026-11-24', shape: 'compliant' },
  // Phòng Văn hóa và Thông tin
  { unit: 1, so: 57, day: '2026-11-03', shape: 'compliant' },
  { unit: 1, so: 58, day: '2026-11-05', shape: 'compliant', register: 'no-row' },
  { unit: 1, so: 61, day: '2026-11-10', shape: 'compliant', signDelay: 3 },
  { unit: 1, so: 63, day: '2026-11-16', shape: 'leader-only' },
  { unit: 1, so: 66, day: '2026-11-19', shape: 'unsigned-update' },
  { unit: 1, so: 70, day: '2026-11-26', shape: 'compliant' },
  // UBND xã Vạn Thắng
  { unit: 2, so: 203, day: '2026-11-02', shape: 'compliant' },
  { unit: 2, so: 207, day: '2026-11-06', shape: 'public-agency' },
  { unit: 2, so: 211, day: '2026-11-11', shape: 'compliant' },
  { unit: 2, so: 214, day: '2026-11-13', shape: 'unsigned' },
  { unit: 2, so: 219, day: '2026-11-18', shape: 'not-pdf' },
  { unit: 2, so: 226, day: '2026-11-25', shape: 'compliant' },
  // Phòng Tài chính - Kế hoạch
  { unit: 3, so: 88, day: '2026-11-04', shape: 'compliant' },
  { unit: 3, so: 91, day: '2026-11-09', shape: 'compliant' },
  { unit: 3, so: 95, day: '2026-11-13', shape: 'wrapped' },
  { unit: 3, so: 97, day: '2026-11-20', shape: 'compliant' },
  { unit: 3, so: 102, day: '2026-11-23', shape: 'leader-only' },
  { unit: 3, so: 104, day: '2026-11-27', shape: 'compliant' },
];

/** A register row whose file was never exported (the clerk registered it, the PDF is missing). */
const MISSING_FILE_ROW = { unit: 1, so: 68, day: '2026-11-23', kind: 'Thông báo', summary: 'Lịch tiếp công dân tháng 12 năm 2026' };

/** Adds n working days (Mon–Fri; the month has no public holiday). */
function addWorkingDays(d: Date, n: number): Date {
  const out = new Date(d.getTime());
  let left = n;
  while (left > 0) {
    out.setUTCDate(out.getUTCDate() + 1);
    const wd = out.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return out;
}

/** yyyy-mm-dd at hh:mm Vietnam time. */
function vnTime(day: string, hh: number, mm: number): Date {
  return new Date(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+07:00`);
}

function ddmmyyyy(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

export function monthFileName(unit: number, so: number): string {
  return `2026-11_${UNIT_SLUGS[unit]}_${so}.pdf`;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const REGISTER_HEADERS = [
  'Tệp',
  'Số và ký hiệu văn bản',
  'Ngày tháng văn bản',
  'Tên loại và trích yếu nội dung văn bản',
  'Người ký',
  'Đơn vị ban hành',
];

export interface MonthEntry {
  file: string;
  unit: string;
  number: string;
  shape: Shape;
  registered: boolean;
}

/** Builds one month document's bytes. */
function buildMonthDoc(pki: TestPki, d: MonthDoc): Buffer {
  const u = pki.units[d.unit];
  const date = vnTime(d.day, 8, 0);
  const spec: DocSpec = { unit: d.unit, so: d.so, date, kind: d.kind, summary: d.summary, seed: 1000 + d.unit * 1000 + d.so, pages: 1 + (d.so % 3) };
  if (d.shape === 'not-pdf') {
    // A Word file saved with a .pdf name: a ZIP container, as .docx is.
    return Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]),
      Buffer.from('[Content_Types].xml<?xml version="1.0" encoding="UTF-8"?><Types/>word/document.xml', 'latin1'),
      Buffer.alloc(600, 0x20),
    ]);
  }
  const doc = makeUnitDocument(spec, u.name);
  if (d.shape === 'unsigned') return doc;
  const signDay = addWorkingDays(date, d.signDelay ?? 0).toISOString().slice(0, 10);
  const leaderAt = vnTime(signDay, 9, 10 + (d.so % 40));
  const agencyAt = vnTime(signDay, 14, 5 + (d.so % 50));
  const leader: TestIdentity = d.shape === 'expired' ? pki.expiredLeader : u.leader;
  const signed1 = signLeader(doc, leader, { at: leaderAt });
  if (d.shape === 'leader-only') return signed1;
  if (d.shape === 'wrapped') {
    return signAgency(signed1, u.agency, {
      at: agencyAt,
      field: { forge: { byteRange: (l) => [0, l.contentsStart - 10, l.contentsEnd, l.fileEnd - l.contentsEnd] } },
    });
  }
  const agency = d.shape === 'public-agency' ? pki.publicOrg : u.agency;
  const signed2 = signAgency(signed1, agency, { at: agencyAt });
  if (d.shape === 'unsigned-update') {
    const f = new PdfFile(signed2);
    const page = f.pageNums()[0];
    const content = asRef(dget(f.dictOf(page), 'Contents'));
    if (!content) throw new Error('no page content');
    const lines = documentLines({ ...spec, summary: 'V/v dieu chinh noi dung sau khi da ky' }, u.name);
    return appendUpdate(signed2, [{ num: content.num, body: makePageContent(lines) }]);
  }
  return signed2;
}

/**
 * Writes the month folder: the PDFs and so-dang-ky.csv (UTF-8 with BOM, CRLF). Returns what was written.
 */
export function buildMonth(outDir: string, pki: TestPki): MonthEntry[] {
  fs.mkdirSync(outDir, { recursive: true });
  const rows: string[][] = [];
  const entries: MonthEntry[] = [];
  PLAN.forEach((p, i) => {
    const [kind, summary] = KINDS[(i * 3 + p.unit) % KINDS.length];
    const d: MonthDoc = { ...p, kind, summary };
    const file = monthFileName(d.unit, d.so);
    fs.writeFileSync(path.join(outDir, file), buildMonthDoc(pki, d));
    const u = pki.units[d.unit];
    const number = docNumber(d.unit, d.so);
    const registered = d.register !== 'no-row';
    entries.push({ file, unit: u.name, number, shape: d.shape, registered });
    if (!registered) return;
    // The register names the leader as people write names; 'other-signer' names the deputy instead.
    const signer = d.register === 'other-signer' ? 'Phan Văn Phó' : commonName(d.shape === 'expired' ? pki.expiredLeader : u.leader);
    rows.push([file, number, ddmmyyyy(d.day), `${kind} ${summary}`, signer, u.name]);
  });
  const m = MISSING_FILE_ROW;
  rows.push([monthFileName(m.unit, m.so), docNumber(m.unit, m.so), ddmmyyyy(m.day), `${m.kind} ${m.summary}`, commonName(pki.units[m.unit].leader), pki.units[m.unit].name]);
  const csv = [REGISTER_HEADERS, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  fs.writeFileSync(path.join(outDir, 'so-dang-ky.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]));
  return entries;
}

/**
 * n distinct ~150 KB compliant two-layer documents (for the benchmark). Different seeds give different files;
 * the same (n, seed) gives the same files. Returns the file paths.
 */
export function makeBenchCorpus(dir: string, n: number, seed: number, pki: TestPki = loadTestPki()): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  // The two signed revisions add ~60 KB (two 12 KB CMS placeholders hexed, images, xref); the base makes up the rest.
  const padTo = 150_000 - 62_000;
  for (let i = 0; i < n; i++) {
    const unit = i % 4;
    const so = 1 + ((seed * 7919 + i) % 9000);
    const u = pki.units[unit];
    const day = new Date(Date.UTC(2026, 10, 2) + (i % 20) * 86400_000);
    const doc = makeUnitDocument({ unit, so, date: day, seed: seed * 1_000_003 + i, padTo, xref: i % 5 === 4 ? 'stream' : 'table' }, u.name);
    const at = new Date(day.getTime() + 2 * 3600_000 + (i % 3600) * 1000);
    const bytes = signAgency(signLeader(doc, u.leader, { at }), u.agency, { at: new Date(at.getTime() + 3600_000) });
    const file = path.join(dir, `bench-${seed}-${String(i).padStart(6, '0')}.pdf`);
    fs.writeFileSync(file, bytes);
    out.push(file);
  }
  return out;
}
