import type { DocumentReport, Finding } from '../../worker/report';
import { findingRemedy } from '../../server/shared/messages';
import type { Outline, OutlineBlock } from '../../server/report/document/outline';
import { inspectionOutline } from '../../server/report/inspection/draft';
import { InspectionTally } from '../../server/report/inspection/facts';
import { summarize } from '../../server/report/summary';
import { ALL_CHECKS, report, signature } from '../server/helpers/reports';

/**
 * The inspection report's draft, read as a person reads it: each unit's figures where the tables put them, the units
 * using commercial CAs with their providers, the units not signing in two layers, a recommendation per unit drawn
 * from its own reasons, and the failing documents listed by số ký hiệu — whichever renderer lays it out.
 */

const AT = new Date('2026-12-05T03:00:00Z');

function finding(code: string, message: string, signatureIndex: number | null = null): Finding {
  return { code, severity: 'error', message, messageEn: message, signature: signatureIndex };
}

const PHUOC_DONG = 'UBND xã Phước Đồng';
const TU_PHAP = 'Sở Tư pháp';

function month(): DocumentReport[] {
  return [
    report('pd-1.pdf', { unit: PHUOC_DONG, register: { number: '12/UBND-VP', date: '2026-11-03', summary: null, signer: null } }),
    report('pd-2.pdf', {
      unit: PHUOC_DONG,
      verdict: 'noncompliant',
      register: { number: '15/QĐ-UBND', date: '2026-11-10', summary: null, signer: null },
      checks: { ...ALL_CHECKS, governmentCa: false },
      signatures: [
        signature({ ca: { category: 'public', provider: 'VNPT-CA', root: 'VNPT Root' } }),
        signature({ index: 2, kind: 'organization', cn: PHUOC_DONG, ca: { category: 'public', provider: 'VNPT-CA', root: 'VNPT Root' } }),
      ],
      findings: [finding('NOT_GOVERNMENT_CA', 'Chữ ký số #1 dùng chứng thư số của CA công cộng (VNPT-CA).', 1)],
    }),
    report('pd-3.pdf', {
      unit: PHUOC_DONG,
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, twoLayer: false },
      signatures: [signature()],
      findings: [finding('NO_ORGANIZATION_SIGNATURE', 'Thiếu chữ ký số của cơ quan, tổ chức.')],
    }),
    report('tp-1.pdf', { unit: TU_PHAP }),
    report('tp-2.pdf', {
      unit: TU_PHAP,
      verdict: 'noncompliant',
      register: { number: '7/STP-VP', date: '2026-11-20', summary: null, signer: null },
      checks: { ...ALL_CHECKS, intact: false },
      findings: [finding('MODIFIED_AFTER_SIGNING', 'Văn bản bị sửa đổi sau khi ký.', 1)],
    }),
    report('hong.pdf', {
      unit: null,
      verdict: 'error',
      error: { code: 'NOT_PDF', message: 'Tệp không phải là tài liệu PDF.' },
      checks: { ...ALL_CHECKS, signed: false, twoLayer: false, governmentCa: false, intact: false, certificatesValid: false },
      signatures: [],
      findings: [finding('NOT_PDF', 'Tệp không phải là tài liệu PDF.')],
    }),
  ];
}

function draft(docs: DocumentReport[], lang: 'vi' | 'en' = 'vi', appendixLimit?: number): Outline {
  const tally = new InspectionTally(lang, appendixLimit);
  for (const d of docs) tally.add(d);
  return inspectionOutline({
    facts: tally.facts(),
    summary: summarize(docs),
    batchFindings: [],
    options: { lang, generatedAt: AT, compact: false, scope: { kind: 'period', from: '2026-11', to: '2026-11', units: [] }, issuer: { place: 'Khánh Hòa' } },
  });
}

/** The body and the annex after the closing, as one reads them. */
function blocks(outline: Outline): OutlineBlock[] {
  return [...outline.blocks, ...(outline.annex ?? [])];
}

/** The table under the heading that starts with `heading`. */
function tableAfter(outline: Outline, heading: string): Extract<OutlineBlock, { kind: 'table' }> | null {
  const all = blocks(outline);
  const at = all.findIndex((b) => b.kind === 'heading' && b.text.startsWith(heading));
  if (at < 0) throw new Error(`no heading ${heading}`);
  for (const b of all.slice(at + 1)) {
    if (b.kind === 'heading') return null;
    if (b.kind === 'table') return b;
  }
  return null;
}

function textOf(b: OutlineBlock): string {
  switch (b.kind) {
    case 'heading':
    case 'note':
      return b.text;
    case 'paragraph':
      return b.runs.map((r) => r.text).join('');
    case 'bullets':
      return b.items.map((i) => i.map((r) => r.text).join('')).join('\n');
    case 'table':
      return [b.columns.map((c) => c.title), ...b.rows].map((r) => r.join(' | ')).join('\n');
    case 'chart':
      return [b.title, ...b.bars.map((bar) => bar.label)].join('\n');
    case 'pageBreak':
      return '';
  }
}

function sectionText(outline: Outline, heading: string): string {
  const all = blocks(outline);
  const at = all.findIndex((b) => b.kind === 'heading' && b.level === 1 && b.text.startsWith(heading));
  const rest = all.slice(at + 1);
  const end = rest.findIndex((b) => b.kind === 'heading' && b.level === 1);
  return (end < 0 ? rest : rest.slice(0, end)).map(textOf).join('\n');
}

test('the header is Phụ lục I: quốc hiệu, tiêu ngữ, a blank number for the clerk, the place and the date with leading zeros', () => {
  const outline = draft(month());
  expect(outline.header).toEqual(
    expect.objectContaining({ nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', motto: 'Độc lập - Tự do - Hạnh phúc', placeDate: 'Khánh Hòa, ngày 05 tháng 12 năm 2026' }),
  );
  expect(outline.header!.numberLine).toMatch(/^Số:\s+\/BC-/);
  expect(outline.title).toEqual(['BÁO CÁO', 'Kết quả kiểm tra việc ký số văn bản đi', '(tháng 11 năm 2026)']);
  expect(outline.draftMark).toMatch(/^DỰ THẢO/);
  // 10:00 in Vietnam for 03:00 UTC.
  expect(outline.footer).toContain('05/12/2026 10:00');
});

test("the unit table gives each unit's figures and the totals, counting an unreadable file as not compliant", () => {
  const table = tableAfter(draft(month()), '2. Kết quả theo đơn vị')!;
  const row = (name: string): string[] => table.rows.find((r) => r[0] === name)!;
  // Phước Đồng: 3 documents, all signed, 2 in two layers, 2 with government CAs, 1 compliant.
  expect(row(PHUOC_DONG)).toEqual([PHUOC_DONG, '3', '100,0', '66,7', '66,7', '100,0', '100,0', '1 (33,3)']);
  expect(row(TU_PHAP)).toEqual([TU_PHAP, '2', '100,0', '100,0', '100,0', '50,0', '100,0', '1 (50,0)']);
  expect(row('(không xác định)')).toEqual(['(không xác định)', '1', '0,0', '0,0', '0,0', '0,0', '0,0', '0 (0,0)']);
  expect(row('Tổng cộng')).toEqual(['Tổng cộng', '6', '83,3', '66,7', '66,7', '66,7', '83,3', '2 (33,3)']);
  expect(table.emphasis).toEqual([table.rows.length - 1]);
});

test('units signing with commercial CAs are listed with their documents per provider; units not signing two-layer with what they miss', () => {
  const outline = draft(month());
  const cas = tableAfter(outline, '3. ')!;
  expect(cas.rows).toEqual([[PHUOC_DONG, '3', 'VNPT-CA: 1 VB', '0']]);
  const twoLayer = tableAfter(outline, '4. ')!;
  expect(twoLayer.rows.map((r) => r[0])).toEqual([PHUOC_DONG, '(không xác định)']);
  // Phước Đồng: one document short of two layers, for want of the agency's signature.
  expect(twoLayer.rows[0]).toEqual([PHUOC_DONG, '3', '1', '0', '0', '1', '0']);
});

test('shortcomings name the units concerned; recommendations give each unit the remedy of its own reasons', () => {
  const outline = draft(month());
  const shortcomings = sectionText(outline, 'II.');
  expect(shortcomings).toContain(`1 văn bản của 1 đơn vị không còn nguyên vẹn`);
  expect(shortcomings).toContain(`${TU_PHAP} (1 VB)`);
  expect(shortcomings).toMatch(new RegExp(`1 đơn vị còn dùng chứng thư số công cộng.*${PHUOC_DONG} \\(1 VB\\)`));
  const recommendations = sectionText(outline, 'III.');
  const line = (unit: string): string => recommendations.split('\n').find((l) => l.startsWith(`${unit}: `))!;
  const remedy = (code: string): string => findingRemedy(code, 'vi')!.replace(/\.$/, '');
  expect(line(PHUOC_DONG)).toContain(remedy('NOT_GOVERNMENT_CA'));
  expect(line(PHUOC_DONG)).toContain(remedy('NO_ORGANIZATION_SIGNATURE'));
  expect(line(TU_PHAP)).toContain(remedy('MODIFIED_AFTER_SIGNING'));
  expect(line(TU_PHAP)).not.toContain(remedy('NOT_GOVERNMENT_CA'));
});

test('the appendix lists every failing document unit by unit, by số ký hiệu (the file name when the register has none), date and reasons', () => {
  const outline = draft(month());
  const appendix = tableAfter(outline, 'PHỤ LỤC')!;
  expect(appendix.rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
    ['1', '7/STP-VP (tp-2.pdf)', '20/11/2026', TU_PHAP],
    ['2', 'pd-3.pdf', '05/11/2024', PHUOC_DONG],
    ['3', '15/QĐ-UBND (pd-2.pdf)', '10/11/2026', PHUOC_DONG],
    ['4', 'hong.pdf', '', '(không xác định)'],
  ]);
  expect(appendix.rows[2]![4]).toContain('VNPT-CA');
  expect(appendix.rows[2]![4]).toContain(findingRemedy('NOT_GOVERNMENT_CA', 'vi')!.replace(/\.$/, ''));
});

test('a province-sized run keeps a bounded appendix and says how many it left out and where the full list is', () => {
  const tally = new InspectionTally('vi', 50);
  const failing = report('x.pdf', { verdict: 'noncompliant', checks: { ...ALL_CHECKS, twoLayer: false }, findings: [finding('NO_ORGANIZATION_SIGNATURE', 'Thiếu chữ ký số của cơ quan.')] });
  for (let i = 0; i < 20_000; i++) tally.add({ ...failing, file: `vb-${i}.pdf`, unit: `Đơn vị ${i % 30}` });
  const facts = tally.facts();
  expect(facts.appendix).toHaveLength(50);
  expect(facts.failing).toBe(20_000);
  expect(facts.units).toHaveLength(30);
  const docs = Array.from({ length: 120 }, (_, i) => ({ ...failing, file: `vb-${i}.pdf` }));
  const outline = draft(docs, 'vi', 100);
  const all = blocks(outline).map(textOf).join('\n');
  expect(all).toContain('Phụ lục liệt kê 100 văn bản đầu tiên trong tổng số 120 văn bản chưa đạt');
  expect(all).toContain('--format xlsx');
});

test('a month with nothing wrong says so instead of drafting empty lists', () => {
  const outline = draft([report('a.pdf'), report('b.pdf', { unit: TU_PHAP })]);
  expect(sectionText(outline, 'II.')).toContain('Không phát hiện tồn tại, hạn chế');
  expect(tableAfter(outline, '3. ')).toBeNull();
  expect(tableAfter(outline, '4. ')).toBeNull();
  expect(blocks(outline).map(textOf).join('\n')).toContain('Không có văn bản chưa đạt');
});

test('the English draft is English throughout the prose the program writes', () => {
  const outline = draft(month(), 'en');
  expect(outline.title[0]).toBe('REPORT');
  const prose = outline.blocks
    .filter((b) => b.kind === 'heading' || b.kind === 'note')
    .map(textOf)
    .join('\n');
  expect(prose).not.toMatch(/[ăâđêôơư]/i);
  expect(sectionText(outline, 'III.')).toContain(findingRemedy('NO_ORGANIZATION_SIGNATURE', 'en')!.replace(/\.$/, ''));
});
