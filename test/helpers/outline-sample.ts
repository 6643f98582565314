import type { Outline, OutlineBlock } from '../../server/report/document/outline';

/**
 * An inspection report's Outline as the draft writes one — Phụ lục I's header, a body with every block kind, a
 * chart, a closing, an annex with a long table — with Vietnamese text, and hostile text (controls, bidi override, lone
 * surrogate, markup) where untrusted names go: what a renderer must lay out and never interpret.
 */

export const HOSTILE = 'Phòng <script>&amp;\u0000\u0007\u202efdp.exe 😀 \ud800 \ufffe end';

export function sampleRows(count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [
    String(i + 1),
    `Văn bản số ${i + 1}/UBND-VP của Ủy ban nhân dân xã Phước Đồng`,
    `${(i % 97) + 1},5%`,
  ]);
}

export function longTable(rows: number, compact = false): OutlineBlock {
  return {
    kind: 'table',
    columns: [
      { title: 'STT', width: 1, align: 'right' },
      { title: 'Văn bản', width: 6, align: 'left' },
      { title: 'Tỷ lệ', width: 2, align: 'right' },
    ],
    rows: sampleRows(rows),
    compact,
  };
}

export function sampleOutline(overrides: Partial<Outline> = {}): Outline {
  return {
    documentTitle: 'Báo cáo kết quả kiểm tra chữ ký số tháng 11/2026',
    orientation: 'portrait',
    header: {
      parentAgency: 'Ủy ban nhân dân thành phố Nha Trang',
      agency: 'Ủy ban nhân dân xã Phước Đồng',
      numberLine: 'Số:      /BC-UBND',
      nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      motto: 'Độc lập - Tự do - Hạnh phúc',
      placeDate: 'Phước Đồng, ngày      tháng      năm 2026',
    },
    title: ['BÁO CÁO', 'Kết quả kiểm tra việc ký số văn bản đi tháng 11/2026'],
    draftMark: 'DỰ THẢO',
    blocks: [
      { kind: 'heading', level: 1, text: 'I. KẾT QUẢ KIỂM TRA' },
      { kind: 'heading', level: 2, text: '1. Ký số' },
      {
        kind: 'paragraph',
        indent: true,
        runs: [{ text: 'Ủy ban nhân dân xã Phước Đồng ' }, { text: 'đã ký số', bold: true }, { text: ' 1.234 văn bản', italic: true }],
      },
      { kind: 'heading', level: 3, text: 'Đơn vị có văn bản chưa đạt' },
      { kind: 'bullets', items: [[{ text: 'Văn phòng HĐND và UBND;' }], [{ text: HOSTILE }]] },
      {
        kind: 'table',
        columns: [
          { title: 'Đơn vị', width: 4, align: 'left' },
          { title: 'Số văn bản', width: 1, align: 'right' },
          { title: 'Tỷ lệ đạt', width: 1, align: 'right' },
        ],
        rows: [
          ['Văn phòng', '120', '98,3%'],
          [HOSTILE, '7', '42,9%'],
          ['Tổng cộng', '127', '95,3%'],
        ],
        emphasis: [2],
      },
      {
        kind: 'chart',
        title: 'Tỷ lệ văn bản đạt theo đơn vị',
        series: ['Ký số hợp lệ', 'Đủ 2 lớp'],
        bars: [
          { label: 'Văn phòng', values: [98.3, 91.2] },
          { label: HOSTILE, values: [42.9, 150] },
          { label: '=HYPERLINK("http://x.example","Phòng")', values: [Number.NaN, 12.5] },
        ],
      },
      { kind: 'note', text: 'Kiểm tra lại số liệu của Phòng Tài chính – Kế hoạch trước khi trình ký.' },
      { kind: 'pageBreak' },
      { kind: 'heading', level: 2, text: '2. Kiến nghị' },
    ],
    closing: {
      recipientsTitle: 'Nơi nhận:',
      recipients: ['Chủ tịch, các Phó Chủ tịch UBND xã;', '- Lưu: VT, VP.'],
      signerTitle: 'TRƯỞNG ĐOÀN KIỂM TRA',
      signerName: 'Nguyễn Văn An',
    },
    annex: [{ kind: 'heading', level: 1, text: 'PHỤ LỤC' }, longTable(300, true)],
    footer: 'kiemky, 06/12/2026 10:00',
    ...overrides,
  };
}
