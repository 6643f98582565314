/**
 * How long the PDF renderer takes, and how much memory, for an inspection report whose appendix lists ROWS
 * non-compliant documents (default 2,000: about 95 pages). `npm run build && node dist/bench/pdf-outline.js [ROWS]`
 * prints the time, the peak RSS and the file's size; the PDF is written to the system's temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Outline } from '../server/report/document/outline';
import { renderPdf } from '../server/report/document/pdf';

function outline(rows: number): Outline {
  const reasons = [
    'Không có chữ ký số của cơ quan, tổ chức: văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại',
    'Chữ ký số dùng chứng thư số công cộng (VNPT-CA), không phải chứng thư số chuyên dùng Chính phủ',
    'Văn bản bị sửa sau khi ký',
  ];
  return {
    documentTitle: 'Báo cáo kết quả kiểm tra (bench)',
    orientation: 'portrait',
    header: {
      parentAgency: 'UBND TỈNH KHÁNH HÒA',
      agency: 'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
      numberLine: 'Số:        /BC-SKHCN',
      nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      motto: 'Độc lập - Tự do - Hạnh phúc',
      placeDate: 'Khánh Hòa, ngày      tháng      năm 2026',
    },
    title: ['BÁO CÁO', 'Kết quả kiểm tra việc ký số văn bản điện tử'],
    draftMark: 'DỰ THẢO',
    blocks: [
      { kind: 'heading', level: 1, text: 'Phụ lục: văn bản chưa đạt' },
      {
        kind: 'table',
        compact: true,
        columns: [
          { title: 'STT', width: 1, align: 'right' },
          { title: 'Số ký hiệu', width: 3, align: 'left' },
          { title: 'Ngày', width: 2.2, align: 'center' },
          { title: 'Đơn vị', width: 4, align: 'left' },
          { title: 'Lý do', width: 7, align: 'left' },
        ],
        rows: Array.from({ length: rows }, (_, i) => [
          String(i + 1),
          `${i + 1}/UBND-VP`,
          '17/11/2026',
          `Ủy ban nhân dân xã Phước Đồng ${i % 40}`,
          reasons[i % reasons.length],
        ]),
      },
    ],
    footer: 'kiemky · bench',
  };
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 2000);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  const bytes = await renderPdf(outline(rows));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const out = path.join(os.tmpdir(), `kiemky-bench-${rows}.pdf`);
  fs.writeFileSync(out, bytes);
  console.log(`${rows} rows: ${(ms / 1000).toFixed(1)} s, peak RSS ${Math.round(peak / 2 ** 20)} MB, ${Math.round(bytes.length / 1024)} KB → ${out}`);
}

void main();
