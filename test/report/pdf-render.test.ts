import type { Outline, OutlineBlock } from '../../server/report/document/outline';
import { renderPdf } from '../../server/report/document/pdf';
import { PDFDocument } from 'pdf-lib';
import { loadFonts, pdfFontkit } from '../../server/report/document/fonts';
import { Measure, printable, wrap, type TextLine } from '../../server/report/document/pdf-text';
import { inkOnFirstPage, pdfInfo, pdfPages, pdfText, popplerAvailable } from '../helpers/poppler';

const ROWS = 300;
const REASON_TITLE = 'Lý do cần khắc phục';

function appendix(rows: number): OutlineBlock {
  return {
    kind: 'table',
    compact: true,
    columns: [
      { title: 'STT', width: 1, align: 'right' },
      { title: 'Số ký hiệu', width: 3, align: 'left' },
      { title: 'Đơn vị', width: 4, align: 'left' },
      { title: REASON_TITLE, width: 7, align: 'left' },
    ],
    rows: Array.from({ length: rows }, (_, i) => [
      String(i + 1),
      `VB-${i + 1}/UBND-VP`,
      `Ủy ban nhân dân xã Phước Đồng ${i % 9}`,
      // Every fifth reason runs over several lines, so rows differ in height.
      i % 5 === 0 ? 'Thiếu chữ ký số của cơ quan, tổ chức; văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại văn bản' : 'Chứng thư số công cộng',
    ]),
  };
}

function sample(rows: number): Outline {
  return {
    documentTitle: 'Báo cáo kết quả kiểm tra việc ký số văn bản điện tử',
    orientation: 'portrait',
    header: {
      parentAgency: 'UBND HUYỆN CAM LÂM',
      agency: 'UBND XÃ PHƯỚC ĐỒNG',
      numberLine: 'Số:        /BC-UBND',
      nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      motto: 'Độc lập - Tự do - Hạnh phúc',
      placeDate: 'Phước Đồng, ngày      tháng      năm 2026',
    },
    title: ['BÁO CÁO', 'Kết quả kiểm tra việc ký số văn bản điện tử tháng 11/2026'],
    draftMark: 'DỰ THẢO',
    blocks: [
      { kind: 'heading', level: 1, text: 'I. Kết quả kiểm tra' },
      {
        kind: 'paragraph',
        indent: true,
        runs: [
          { text: 'Đoàn kiểm tra đã kiểm tra ' },
          { text: '1.234', bold: true },
          { text: ' văn bản đi của ' },
          { text: 'Ủy ban nhân dân xã Phước Đồng', italic: true },
          { text: '; tỷ lệ ký số đạt 95,2%, giảm so với kỳ trước.' },
        ],
      },
      { kind: 'bullets', items: [[{ text: 'Ký số 2 lớp: ' }, { text: '80,1%', bold: true }]] },
      { kind: 'chart', title: 'Tỷ lệ đạt theo đơn vị', series: ['Kỳ này'], bars: [{ label: 'Ủy ban nhân dân xã Phước Đồng', values: [72.5] }] },
      { kind: 'note', text: 'Phần kiến nghị do kiemky soạn sẵn: người kiểm tra rà soát trước khi trình ký.' },
      { kind: 'pageBreak' },
      { kind: 'heading', level: 1, text: 'Phụ lục' },
      appendix(rows),
    ],
    closing: {
      recipientsTitle: 'Nơi nhận:',
      recipients: ['Chủ tịch UBND huyện (để báo cáo);', 'Lưu: VT.'],
      signerTitle: 'TRƯỞNG ĐOÀN KIỂM TRA',
      signerName: 'Nguyễn Thị Hường',
    },
    footer: 'kiemky · 17/11/2026 09:47',
  };
}

describe('printable: what the font cannot draw is replaced before drawing', () => {
  it('keeps Vietnamese, composes decomposed letters, and replaces emoji, controls, bidi overrides and lone surrogates', () => {
    expect(printable('Phu\u031bo\u031b\u0301c Đồng')).toBe('Phước Đồng');
    expect(printable('a\u0000b')).toBe('a?b');
    expect(printable('hóa đơn\u202efdp.exe')).toBe('hóa đơn?fdp.exe');
    expect(printable('x\ud800y')).toBe('x?y');
    expect(printable('ký 😀 số')).toBe('ký ? số');
    expect(printable('a\tb\nc')).toBe('a b c');
  });
});

describe('wrap: styled text broken into lines', () => {
  const text = (line: TextLine): string => line.pieces.map((p) => p.text).join('');

  it('breaks across runs at spaces, keeps a word set in two styles whole, and cuts a word wider than the line', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(pdfFontkit);
    const { bytes } = loadFonts();
    const regular = await doc.embedFont(bytes.regular, { subset: true });
    const bold = await doc.embedFont(bytes.bold, { subset: true });
    const measure = new Measure();
    const width = 80;
    const lines = wrap([{ text: 'Văn bản của xã ', font: regular }, { text: 'Phước', font: bold }, { text: 'Đồng đã ký số hai lớp', font: regular }], 12, width, measure);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(width + 0.01);
    expect(lines.some((line) => text(line).includes('PhướcĐồng'))).toBe(true);
    expect(lines.map(text).join(' ')).toBe('Văn bản của xã PhướcĐồng đã ký số hai lớp');

    const name = 'van-ban-so-'.repeat(20) + '.pdf';
    const cut = wrap([{ text: name, font: regular }], 12, width, measure);
    expect(cut.length).toBeGreaterThan(3);
    for (const line of cut) expect(line.width).toBeLessThanOrEqual(width + 0.01);
    expect(cut.map(text).join('')).toBe(name);
  });
});

describe('renderPdf on degenerate outlines', () => {
  it('renders empty titles, runs, tables and charts, and columns without widths, without failing', async () => {
    const bytes = await renderPdf({
      documentTitle: '',
      orientation: 'portrait',
      title: [],
      draftMark: '',
      blocks: [
        { kind: 'paragraph', runs: [] },
        { kind: 'bullets', items: [[]] },
        { kind: 'table', columns: [], rows: [['orphan']] },
        { kind: 'table', columns: [{ title: '', width: 0, align: 'left' }, { title: 'x', width: Number.NaN, align: 'right' }], rows: [['a'], ['b', 'c', 'd']] },
        { kind: 'chart', title: '', series: [], bars: [] },
        { kind: 'chart', title: 'many', series: ['a', 'b', 'c'], bars: Array.from({ length: 200 }, (_, i) => ({ label: `u${i}`, values: [i, -5, 500] })) },
        { kind: 'note', text: '' },
        { kind: 'pageBreak' },
        { kind: 'pageBreak' },
      ],
      closing: { recipientsTitle: '', recipients: [], signerTitle: '', signerName: '' },
      footer: '',
    });
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });
});

const poppler = popplerAvailable('the PDF renderer read back through pdftotext and pdfinfo');
const withPoppler = poppler ? it : it.skip;

describe('renderPdf', () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await renderPdf(sample(ROWS));
  });

  withPoppler('gives back the words with their diacritics, on A4 portrait, with its title as metadata', () => {
    const text = pdfText(bytes);
    for (const words of ['Ủy ban nhân dân xã Phước Đồng', 'UBND XÃ PHƯỚC ĐỒNG', 'Độc lập - Tự do - Hạnh phúc', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'DỰ THẢO', 'I. KẾT QUẢ KIỂM TRA', 'TRƯỞNG ĐOÀN KIỂM TRA', 'Nguyễn Thị Hường', 'Nơi nhận:']) {
      expect(text).toContain(words);
    }
    const info = pdfInfo(bytes);
    expect(info.pageSize).toBe('595.28 x 841.89');
    expect(info.fields.Title).toBe('Báo cáo kết quả kiểm tra việc ký số văn bản điện tử');
    expect(info.fields.Creator).toBe('kiemky');
  });

  withPoppler('repeats the table header on every page the table runs onto, and prints each row once', () => {
    const pages = pdfPages(bytes);
    const tablePages = pages.filter((page) => /VB-\d+\/UBND-VP/.test(page));
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    for (const page of tablePages) expect(page).toContain(REASON_TITLE);
    const all = pages.join('\n');
    for (let i = 1; i <= ROWS; i++) expect(all.match(new RegExp(`VB-${i}/UBND-VP(?!\\d)`, 'g'))).toHaveLength(1);
    // Every page numbered out of the total.
    pages.forEach((page, index) => expect(page).toContain(`Trang ${index + 1}/${pages.length}`));
  });

  withPoppler('does not crash on text the font lacks, and keeps the words around it', async () => {
    const hostile = 'Tệp 😀 hóa đơn\u202efdp.exe \u0000 x\ud800y \u0007';
    const outline = sample(3);
    outline.documentTitle = hostile;
    outline.title.push(hostile);
    outline.footer = hostile;
    outline.blocks.push(
      { kind: 'paragraph', runs: [{ text: hostile, bold: true }, { text: hostile, italic: true }] },
      { kind: 'table', columns: [{ title: hostile, width: 1, align: 'left' }], rows: [[hostile]] },
      { kind: 'chart', title: hostile, series: [hostile], bars: [{ label: hostile, values: [Number.NaN] }] },
    );
    const text = pdfText(await renderPdf(outline));
    expect(text).toContain('hóa đơn?fdp.exe');
    expect(text).not.toContain('\u202e');
  });

  withPoppler('draws the glyphs it embeds, not only their text (every face of the subset font)', async () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz ăâđêôơư ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ ';
    const page = (runs: Outline['blocks']): Outline => ({ documentTitle: 'ink', orientation: 'portrait', title: [], draftMark: null, blocks: runs, footer: '' });
    const text = (bold: boolean, italic: boolean): Outline['blocks'][number] => ({ kind: 'paragraph', runs: [{ text: letters.repeat(4), bold, italic }] });
    const blank = inkOnFirstPage(await renderPdf(page([])));
    const inked = inkOnFirstPage(await renderPdf(page([text(false, false), text(true, false), text(false, true), text(true, true)])));
    // About 600 letters at 13 pt leave thousands of dark pixels at 50 dpi; glyphs lost in the subset leave next to none.
    expect(inked - blank).toBeGreaterThan(3000);
  });

  withPoppler('keeps a date whole in a column drawn too narrow, and starts the annex on a page after the closing', async () => {
    const outline = sample(0);
    outline.blocks = [
      {
        kind: 'table',
        columns: [
          { title: 'Ngày', width: 0.1, align: 'left' },
          { title: 'Ghi chú', width: 10, align: 'left' },
        ],
        rows: [['20/11/2026', 'Văn bản đi']],
      },
    ];
    outline.annex = [{ kind: 'heading', level: 1, text: 'Phụ lục' }];
    const pages = pdfPages(await renderPdf(outline));
    expect(pages[0]).toMatch(/20\/11\/2026\s+Văn bản đi/);
    expect(pages[0]).toContain('TRƯỞNG ĐOÀN KIỂM TRA');
    expect(pages).toHaveLength(2);
    expect(pages[1]).toContain('PHỤ LỤC');
  });

  withPoppler('lays out a landscape outline on A4 landscape', async () => {
    const outline: Outline = { ...sample(0), orientation: 'landscape', header: undefined, closing: undefined, lang: 'en' };
    const out = await renderPdf(outline);
    expect(pdfInfo(out).pageSize).toBe('841.89 x 595.28');
    expect(pdfText(out)).toContain('Page 1/');
  });
});
