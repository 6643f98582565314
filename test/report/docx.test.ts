import { renderDocx } from '../../server/report/document/docx';
import type { Outline } from '../../server/report/document/outline';
import { assertWellFormed, partText, zipParts } from '../helpers/docx-package';
import { HOSTILE, longTable, sampleOutline } from '../helpers/outline-sample';

/**
 * The inspection report's draft as a DOCX: read back part by part, as Word would, and held to what the inspector
 * needs — Decree 30/2020's page and font, Phụ lục I's header and closing, tables whose header repeats, a chart
 * with a fallback, and untrusted names that stay text.
 */

type Parts = Map<string, Buffer>;

async function render(outline: Outline): Promise<Parts> {
  return zipParts(await renderDocx(outline));
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (xml: string): string =>
  xml.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e.startsWith('#') ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e],
  );

/** The text of every `<w:t>` in a part, in order, one string per paragraph. */
function paragraphs(xml: string): string[] {
  return (xml.match(/<w:p[ >].*?<\/w:p>/gs) ?? []).map((p) =>
    [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join(''),
  );
}

function tables(xml: string): string[] {
  return xml.match(/<w:tbl>.*?<\/w:tbl>/gs) ?? [];
}

const rowsOf = (table: string): string[] => table.match(/<w:tr>.*?<\/w:tr>|<w:tr .*?<\/w:tr>/gs) ?? [];

let parts: Parts;
let documentXml: string;
let text: string[];

beforeAll(async () => {
  parts = await render(sampleOutline());
  documentXml = partText(parts, 'word/document.xml');
  text = paragraphs(documentXml);
});

test('every XML part of the package is well-formed XML 1.0, hostile text and all', () => {
  const xmlParts = [...parts.keys()].filter((name) => /\.(xml|rels)$/.test(name));
  expect(xmlParts).toEqual(expect.arrayContaining(['word/document.xml', 'word/styles.xml', '[Content_Types].xml']));
  for (const name of xmlParts) assertWellFormed(name, partText(parts, name));
});

test('Phụ lục I header: issuing body upper case, quốc hiệu, tiêu ngữ, number and date, all composed (NFC)', () => {
  for (const words of [
    'ỦY BAN NHÂN DÂN THÀNH PHỐ NHA TRANG',
    'ỦY BAN NHÂN DÂN XÃ PHƯỚC ĐỒNG',
    'Số:      /BC-UBND',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'Phước Đồng, ngày      tháng      năm 2026',
  ]) {
    expect(text).toContain(words);
  }
  expect(text.join('\n')).toContain('Ủy ban nhân dân xã Phước Đồng đã ký số 1.234 văn bản');
  const all = text.join('\n');
  expect(all).toBe(all.normalize('NFC'));
  // The header is a borderless table: its borders are all "none".
  const header = tables(documentXml)[0];
  expect(header).toContain('CỘNG HÒA');
  expect(header).toMatch(/<w:tblBorders>(<w:\w+ w:val="none"[^>]*\/>)+<\/w:tblBorders>/);
});

test('decomposed Vietnamese (as some PDFs spell it) is written composed', async () => {
  const nfd = 'Phòng Tài chính – Kế hoạch xã Phước Đồng'.normalize('NFD');
  const doc = partText(await render(sampleOutline({ title: ['BÁO CÁO', nfd], blocks: [] })), 'word/document.xml');
  expect(paragraphs(doc)).toContain('Phòng Tài chính – Kế hoạch xã Phước Đồng'.normalize('NFC'));
  expect(doc).not.toContain(nfd);
});

test('draft mark at the very top, marked out; none when the outline has none', async () => {
  expect(text[0]).toBe('DỰ THẢO');
  const first = documentXml.match(/<w:body><w:p>.*?<\/w:p>/s)?.[0] ?? '';
  expect(first).toContain('<w:highlight w:val="yellow"/>');
  expect(first).toContain('<w:b/>');
  const plain = paragraphs(partText(await render(sampleOutline({ draftMark: null })), 'word/document.xml'));
  expect(plain).not.toContain('DỰ THẢO');
});

test('title centred and bold, its first line 14 pt', () => {
  const title = documentXml.match(/<w:p>(?:(?!<\/w:p>).)*BÁO CÁO<\/w:t>.*?<\/w:p>/s)?.[0] ?? '';
  expect(title).toContain('<w:jc w:val="center"/>');
  expect(title).toContain('<w:b/>');
  expect(title).toContain('<w:sz w:val="28"/>');
});

test('A4 portrait with Decree 30 margins (top/bottom 20 mm, left 30 mm, right 15 mm)', () => {
  expect(documentXml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
  const margins = documentXml.match(/<w:pgMar [^>]*\/>/)?.[0] ?? '';
  expect(margins).toContain('w:top="1134"');
  expect(margins).toContain('w:bottom="1134"');
  expect(margins).toContain('w:left="1701"');
  expect(margins).toContain('w:right="850"');
});

test('landscape turns the A4 page, and tables take the wider text width', async () => {
  const doc = partText(await render(sampleOutline({ orientation: 'landscape', header: undefined, closing: undefined })), 'word/document.xml');
  expect(doc).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
  expect(doc).toContain(`<w:tblW w:type="dxa" w:w="${16838 - 1701 - 850}"/>`);
  expect(paragraphs(doc)).not.toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
});

test('Times New Roman 13 pt, Vietnamese, is the document default for every script', () => {
  const styles = partText(parts, 'word/styles.xml');
  const defaults = styles.match(/<w:docDefaults>.*<\/w:docDefaults>/s)?.[0] ?? '';
  for (const slot of ['ascii', 'hAnsi', 'eastAsia', 'cs']) expect(defaults).toContain(`w:${slot}="Times New Roman"`);
  expect(defaults).toContain('<w:sz w:val="26"/>');
  expect(defaults).toMatch(/<w:lang w:val="vi-VN"/);
  expect(defaults).toMatch(/<w:spacing w:after="120"/);
});

test('headings are Word headings 1–3 (navigation pane), restyled black Times New Roman bold', () => {
  const styles = partText(parts, 'word/styles.xml');
  for (const level of [1, 2, 3]) {
    const style = styles.match(new RegExp(`<w:style [^>]*w:styleId="Heading${level}".*?</w:style>`, 's'))?.[0] ?? '';
    expect(style).toContain(`<w:outlineLvl w:val="${level - 1}"/>`);
    expect(style).toContain('<w:color w:val="000000"/>');
    expect(style).toContain('w:ascii="Times New Roman"');
    expect(style).toContain('<w:b/>');
  }
  expect(documentXml).toMatch(/<w:pStyle w:val="Heading1"\/>.*?I\. KẾT QUẢ KIỂM TRA/s);
  expect(documentXml).toMatch(/<w:pStyle w:val="Heading2"\/>.*?1\. Ký số/s);
  expect(documentXml).toMatch(/<w:pStyle w:val="Heading3"\/>/);
});

test('bullets are a dash list (a Word numbering definition), body paragraphs indent their first line', () => {
  const numbering = partText(parts, 'word/numbering.xml');
  expect(numbering).toContain('<w:numFmt w:val="bullet"/>');
  expect(numbering).toContain('<w:lvlText w:val="-"/>');
  const bullet = documentXml.match(/<w:p>(?:(?!<\/w:p>).)*Văn phòng HĐND và UBND;.*?<\/w:p>/s)?.[0] ?? '';
  expect(bullet).toMatch(/<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="\d+"\/><\/w:numPr>/);
  const body = documentXml.match(/<w:p>(?:(?!<\/w:p>).)*đã ký số.*?<\/w:p>/s)?.[0] ?? '';
  expect(body).toContain('<w:ind w:firstLine="567"/>');
  expect(body).toContain('<w:jc w:val="both"/>');
});

test('tables: header row repeats on each page, rows never split, numbers right, totals bold, widths by share', () => {
  const units = tables(documentXml).find((t) => t.includes('Tổng cộng')) ?? '';
  const appendix = tables(documentXml).find((t) => t.includes('Văn bản số 1/UBND-VP')) ?? '';
  const rows = rowsOf(units);
  expect(rows).toHaveLength(4);
  expect(rows[0]).toContain('<w:tblHeader/>');
  expect(rows[0]).toContain('w:fill="D9D9D9"');
  expect(rows[0]).toContain('<w:b/>');
  for (const row of rows) expect(row).toContain('<w:cantSplit/>');
  for (const row of rows.slice(1)) expect(row).not.toContain('<w:tblHeader/>');
  // Totals row (emphasis 2) bold, the others not.
  expect(rows[3]).toContain('<w:b/>');
  expect(rows[1]).not.toContain('<w:b/>');
  // Unit column left, the number columns right.
  const cells = rows[1].match(/<w:tc>.*?<\/w:tc>/gs) ?? [];
  expect(cells[0]).toContain('<w:jc w:val="left"/>');
  expect(cells[1]).toContain('<w:jc w:val="right"/>');
  // 4:1:1 of the 9355-twip text width.
  expect(units).toMatch(/<w:tblGrid><w:gridCol w:w="6236"\/><w:gridCol w:w="1559"\/><w:gridCol w:w="1560"\/><\/w:tblGrid>/);

  const appendixRows = rowsOf(appendix);
  expect(appendixRows).toHaveLength(301);
  expect(appendixRows.filter((r) => r.includes('<w:tblHeader/>'))).toHaveLength(1);
  // Compact: 10 pt, by a paragraph style (the inspector resizes the whole appendix at once); the others 12 pt.
  expect(appendixRows[150]).toContain('<w:pStyle w:val="KiemkyTableTextCompact"/>');
  expect(rows[1]).toContain('<w:pStyle w:val="KiemkyTableText"/>');
  const styles = partText(parts, 'word/styles.xml');
  expect(styles).toMatch(/w:styleId="KiemkyTableTextCompact".*?<w:sz w:val="20"\/>.*?<\/w:style>/s);
  expect(styles).toMatch(/w:styleId="KiemkyTableText".*?<w:sz w:val="24"\/>.*?<\/w:style>/s);
  expect(paragraphs(appendix)).toContain('Văn bản số 300/UBND-VP của Ủy ban nhân dân xã Phước Đồng');
});

test('the annex comes after the signature, from a new page', () => {
  const signer = documentXml.indexOf('Nguyễn Văn An');
  const annex = documentXml.indexOf('PHỤ LỤC');
  const appendix = documentXml.indexOf('Văn bản số 1/UBND-VP');
  expect(signer).toBeGreaterThan(0);
  expect(annex).toBeGreaterThan(signer);
  expect(appendix).toBeGreaterThan(annex);
  expect(documentXml.slice(signer, annex)).toContain('<w:br w:type="page"/>');
});

test('the note is set apart: shaded and italic', () => {
  const note = documentXml.match(/<w:p>(?:(?!<\/w:p>).)*Kiểm tra lại số liệu.*?<\/w:p>/s)?.[0] ?? '';
  expect(note).toContain('w:fill="FFF2CC"');
  expect(note).toContain('<w:i/>');
});

test('a page break block breaks the page', () => {
  expect(documentXml).toContain('<w:br w:type="page"/>');
});

test('the chart is a native Word bar chart with its data in an embedded workbook, values kept on the 0–100 scale', async () => {
  const chart = partText(parts, 'word/charts/chart1.xml');
  expect(partText(parts, 'word/_rels/document.xml.rels')).toContain('charts/chart1.xml');
  expect(documentXml.match(/<c:chart [^>]*r:id="[^"]+"\/>/)).not.toBeNull();
  expect(chart).toContain('<c:barDir val="bar"/>');
  expect(chart).toContain('<c:grouping val="clustered"/>');
  // The first unit at the top, the scale 0–100 % under the bars.
  expect(chart).toContain('<c:orientation val="maxMin"/>');
  expect(chart).toMatch(/<c:valAx>.*<c:max val="100"\/>.*<c:min val="0"\/>.*<\/c:valAx>/s);
  expect(chart).toContain('formatCode="0.0&quot;%&quot;"');
  const cached = (xml: string): string[] => [...xml.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => decode(m[1]));
  const values = cached(chart);
  for (const words of ['Ký số hợp lệ', 'Đủ 2 lớp', 'Văn phòng', "'=HYPERLINK(\"http://x.example\",\"Phòng\")"]) expect(values).toContain(words);
  // 150 % is drawn as 100 %, NaN as a gap.
  expect(values).toContain('100');
  expect(values).not.toContain('150');
  expect(values).not.toContain('NaN');
  expect(chart).toMatch(/<a:latin typeface="Times New Roman"\/>/);
  expect(text).toContain('Tỷ lệ văn bản đạt theo đơn vị');

  // Edit Data opens this workbook: its strings are text cells, and the one that would start a formula cannot.
  const workbookName = [...parts.keys()].find((n) => /^word\/embeddings\/.*\.xlsx$/.test(n))!;
  const workbook = await zipParts(parts.get(workbookName)!);
  for (const [name, part] of workbook) if (name.endsWith('.xml')) assertWellFormed(`${workbookName}!${name}`, part.toString('utf8'));
  const strings = partText(workbook, 'xl/sharedStrings.xml');
  expect(decode(strings)).toContain("'=HYPERLINK(\"http://x.example\",\"Phòng\")");
  expect(partText(workbook, 'xl/worksheets/sheet1.xml')).not.toContain('<f>');
});

test('a chart of many units has no value on each bar; a chart without bars or series is not drawn', async () => {
  const bars = Array.from({ length: 30 }, (_, i) => ({ label: `Đơn vị ${i + 1}`, values: [i, 100 - i] }));
  const many = await render(sampleOutline({ blocks: [{ kind: 'chart', title: 'Nhiều đơn vị', series: ['A', 'B'], bars }] }));
  const chart = partText(many, 'word/charts/chart1.xml');
  expect(chart).not.toContain('<c:showVal val="1"/>');
  expect([...chart.matchAll(/<c:pt idx="\d+"><c:v>Đơn vị \d+<\/c:v>/g)]).toHaveLength(60);
  const none = await render(
    sampleOutline({
      blocks: [
        { kind: 'chart', title: 'Không có đơn vị', series: ['A'], bars: [] },
        { kind: 'chart', title: 'Không có dãy số', series: [], bars: [{ label: 'x', values: [] }] },
      ],
    }),
  );
  expect([...none.keys()].some((n) => n.startsWith('word/charts/'))).toBe(false);
  expect(paragraphs(partText(none, 'word/document.xml'))).not.toContain('Không có đơn vị');
});

test('hostile text stays text: markup escaped, controls and bidi shown as escapes, emoji kept, no illegal XML', () => {
  const all = text.join('\n');
  expect(all).toContain('Phòng <script>&amp;\\x00\\x07\\u202efdp.exe 😀 \ufffd \ufffd end');
  expect(documentXml).toContain('&lt;script&gt;&amp;amp;');
  expect(documentXml).not.toContain('<script');
  for (const name of [...parts.keys()].filter((n) => n.endsWith('.xml'))) {
    const xml = partText(parts, name);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e\ufffe\uffff]/);
    expect(xml).not.toContain('<script');
  }
  // In a table cell and the chart too.
  expect(paragraphs(tables(documentXml)[1]).join('\n')).toContain('\\u202efdp.exe');
  expect(partText(parts, 'word/charts/chart1.xml')).toContain('Phòng &lt;script&gt;&amp;amp;\\x00\\x07\\u202efdp.exe');
  expect(HOSTILE).toContain('\u202e');
});

test('closing: Nơi nhận with a dash list at the left, the signer with room to sign at the right', () => {
  const closing = tables(documentXml).find((t) => t.includes('Nơi nhận:')) ?? '';
  const lines = paragraphs(closing);
  expect(lines).toEqual(
    expect.arrayContaining(['Nơi nhận:', '- Chủ tịch, các Phó Chủ tịch UBND xã;', '- Lưu: VT, VP.', 'TRƯỞNG ĐOÀN KIỂM TRA', 'Nguyễn Văn An']),
  );
  // Empty paragraphs between the title and the name: the signature's space.
  const signer = lines.slice(lines.indexOf('TRƯỞNG ĐOÀN KIỂM TRA'));
  expect(signer.indexOf('Nguyễn Văn An')).toBeGreaterThanOrEqual(4);
  expect(closing).toMatch(/<w:tblBorders>(<w:\w+ w:val="none"[^>]*\/>)+<\/w:tblBorders>/);
});

test('footer: the outline footer and the page number "X/Y" as fields, in 9 pt', () => {
  const footerName = [...parts.keys()].find((n) => /^word\/footer\d+\.xml$/.test(n))!;
  const footer = partText(parts, footerName);
  expect(paragraphs(footer).join('')).toContain('kiemky, 06/12/2026 10:00');
  expect(footer).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>.*\/.*<w:instrText[^>]*>NUMPAGES<\/w:instrText>/s);
  expect(footer).toContain('<w:sz w:val="18"/>');
});

test('document properties: the report title, made by kiemky', () => {
  const core = partText(parts, 'docProps/core.xml');
  expect(core).toContain('<dc:title>Báo cáo kết quả kiểm tra chữ ký số tháng 11/2026</dc:title>');
  expect(core).toContain('<dc:creator>kiemky</dc:creator>');
});

test('edge cases still make a document Word opens: nothing but a title, a table without columns, odd widths', async () => {
  const bare = await render({ documentTitle: '', orientation: 'portrait', title: [], draftMark: null, blocks: [], footer: '' });
  for (const [name, part] of bare) if (/\.(xml|rels)$/.test(name)) assertWellFormed(name, part.toString('utf8'));
  const odd = await render(
    sampleOutline({
      blocks: [
        { kind: 'table', columns: [], rows: [['orphan']] },
        { kind: 'table', columns: [{ title: 'A', width: 0, align: 'left' }, { title: 'B', width: Number.NaN, align: 'right' }], rows: [['only one cell'], ['1', '2', 'extra']] },
      ],
    }),
  );
  const doc = partText(odd, 'word/document.xml');
  assertWellFormed('word/document.xml', doc);
  expect(paragraphs(doc)).not.toContain('orphan');
  // Columns without a usable width share the text width equally; a short row is padded, a long one cut.
  expect(doc).toMatch(/<w:tblGrid><w:gridCol w:w="4677"\/><w:gridCol w:w="4678"\/><\/w:tblGrid>/);
  expect(paragraphs(doc)).not.toContain('extra');
});

test('a 2000-row appendix renders whole, every row in the table', async () => {
  const bytes = await renderDocx(sampleOutline({ annex: [longTable(2000, true)] }));
  const doc = partText(await zipParts(bytes), 'word/document.xml');
  assertWellFormed('word/document.xml', doc);
  const appendix = tables(doc).find((t) => t.includes('Văn bản số 2000/UBND-VP')) ?? '';
  expect(rowsOf(appendix)).toHaveLength(2001);
});
