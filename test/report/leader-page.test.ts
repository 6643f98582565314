import type { UnitSummary } from '../../worker/report';
import type { OutlineBlock } from '../../server/report/document/outline';
import { leaderOutline, leaderPagePdf, type LeaderPageInput } from '../../server/report/leader/page';
import { unitSummary, type BatchSummary } from '../../server/report/summary';
import { pdfInfo, pdfText, popplerAvailable } from '../helpers/poppler';

/** A unit with `compliant` of `documents` compliant (and signed, two-layer, government CA at least as many). */
function unit(name: string | null, documents: number, compliant: number): UnitSummary {
  return unitSummary(name, documents, { signed: documents, twoLayer: compliant, governmentCa: compliant, compliant, errors: 0 }, {});
}

function batch(units: UnitSummary[]): BatchSummary {
  const sum = (key: 'documents' | 'signed' | 'twoLayer' | 'governmentCa' | 'compliant'): number => units.reduce((n, u) => n + u[key], 0);
  return {
    units,
    totals: unitSummary(null, sum('documents'), { signed: sum('signed'), twoLayer: sum('twoLayer'), governmentCa: sum('governmentCa'), compliant: sum('compliant'), errors: 0 }, {}),
  };
}

function input(current: BatchSummary, previous: BatchSummary | null, lang: 'vi' | 'en' = 'vi'): LeaderPageInput {
  return {
    lang,
    period: { from: '2026-11', to: '2026-11' },
    previousPeriod: previous ? { from: '2026-10', to: '2026-10' } : null,
    current,
    previous,
    generatedAt: new Date('2026-12-06T03:00:00Z'),
  };
}

function table(block: OutlineBlock | undefined): { rows: string[][]; emphasis: number[] } {
  if (block?.kind !== 'table') throw new Error(`expected a table, got ${block?.kind}`);
  return { rows: block.rows, emphasis: block.emphasis ?? [] };
}

// Compliant shares: Bình 90% (200 documents), An 90% (100), unknown 90% (100), Cam 50% (10), Dương 80% (100).
const CURRENT = batch([
  unit('Xã An', 100, 90),
  unit('Xã Bình', 200, 180),
  unit('Xã Cam', 10, 5),
  unit('Xã Dương', 100, 80),
  unit(null, 100, 90),
]);
// Before: An 85.5%, Cam 60%, Dương 80% (no change); Bình absent; the unknown unit had no documents.
const PREVIOUS = batch([unit('Xã An', 200, 171), unit('Xã Cam', 10, 6), unit('Xã Dương', 50, 40), unit(null, 0, 0)]);

describe('leaderOutline', () => {
  it('ranks units by compliant share, then documents, then name, the unknown unit last among equals', () => {
    const outline = leaderOutline(input(CURRENT, PREVIOUS));
    const { rows, emphasis } = table(outline.blocks[1]);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['1', 'Xã Bình'],
      ['2', 'Xã An'],
      ['3', '(không xác định)'],
      ['4', 'Xã Dương'],
      ['5', 'Xã Cam'],
      ['', 'Tổng cộng'],
    ]);
    expect(emphasis).toEqual([5]);
  });

  it('shows each unit\'s change in compliant share in points, none where the previous period had no documents', () => {
    const { rows } = table(leaderOutline(input(CURRENT, PREVIOUS)).blocks[1]);
    const change = Object.fromEntries(rows.map((r) => [r[1], r[7]]));
    expect(change['Xã An']).toBe('+4,5');
    expect(change['Xã Cam']).toBe('-10,0');
    expect(change['Xã Dương']).toBe('0,0');
    expect(change['Xã Bình']).toBe('—');
    expect(change['(không xác định)']).toBe('—');
    // Totals: 445/510 = 87.3% now, 217/260 = 83.5% before.
    expect(change['Tổng cộng']).toBe('+3,8');
    expect(rows[0].slice(2, 7)).toEqual(['200', '100,0%', '90,0%', '90,0%', '90,0%']);
  });

  it('gives the headline figures of the totals with their change, or says there is no previous period', () => {
    const [now, delta] = table(leaderOutline(input(CURRENT, PREVIOUS)).blocks[0]).rows;
    expect(now.slice(1)).toEqual(['510', '100,0%', '87,3%', '87,3%', '87,3%']);
    expect(delta.slice(1)).toEqual(['+250 văn bản', '0,0 điểm %', '+3,8 điểm %', '+3,8 điểm %', '+3,8 điểm %']);
    const [, none] = table(leaderOutline(input(CURRENT, null)).blocks[0]).rows;
    expect(none.slice(1)).toEqual(Array(5).fill('chưa có kỳ trước'));
  });

  it('writes English with decimal points, and names the period in words', () => {
    const outline = leaderOutline(input(CURRENT, PREVIOUS, 'en'));
    expect(outline.title).toEqual(['DIGITAL SIGNING OF OUTGOING DOCUMENTS BY UNIT', 'November 2026']);
    const { rows } = table(outline.blocks[1]);
    expect(rows[1]).toEqual(['2', 'Xã An', '100', '100.0%', '90.0%', '90.0%', '90.0%', '+4.5']);
    expect(rows[2][1]).toBe('(unknown)');
    const vi = leaderOutline({ ...input(CURRENT, null), period: { from: '2026-09', to: '2026-11' } });
    expect(vi.title[1]).toBe('Từ tháng 9/2026 đến tháng 11/2026');
    expect(vi.orientation).toBe('landscape');
    expect(vi.header).toBeUndefined();
    expect(vi.closing).toBeUndefined();
  });

  it('prints the top and the bottom of a long ranking and says how many are left out and where to see them', () => {
    const many = batch(Array.from({ length: 60 }, (_, i) => unit(`Đơn vị ${String(i + 1).padStart(2, '0')}`, 100, 100 - i)));
    const outline = leaderOutline({ ...input(many, null), maxUnits: 10 });
    const { rows } = table(outline.blocks[1]);
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '…', '56', '57', '58', '59', '60', '']);
    expect(rows[5][1]).toContain('50');
    const chart = outline.blocks[2];
    expect(chart.kind === 'chart' && chart.bars.map((b) => b.label)).toEqual(rows.filter((r) => /^\d+$/.test(r[0])).map((r) => `${r[0]}. ${r[1]}`));
    const note = outline.blocks[3];
    expect(note.kind === 'note' && note.text).toContain('/tong-hop');
  });
});

const poppler = popplerAvailable('the leader page read back through pdftotext and pdfinfo');
const withPoppler = poppler ? it : it.skip;

describe('leaderPagePdf', () => {
  withPoppler('is one A4 landscape page even with 60 units with long names', async () => {
    const long = 'Ủy ban nhân dân xã Phước Đồng thuộc huyện Cam Lâm tỉnh Khánh Hòa, tên rất dài để thử cắt dòng';
    const many = batch(Array.from({ length: 60 }, (_, i) => unit(i === 59 ? null : `${long} ${i + 1}`, 50 + i, 40 + (i % 7))));
    const before = batch(many.units.map((u) => unit(u.unit, u.documents, Math.max(0, u.compliant - 3))));
    const bytes = await leaderPagePdf({ ...input(many, before), period: { from: '2026-09', to: '2026-11' }, previousPeriod: { from: '2026-06', to: '2026-08' } });
    const info = pdfInfo(bytes);
    expect(info.pages).toBe(1);
    expect(info.pageSize).toBe('841.89 x 595.28');
    const text = pdfText(bytes);
    expect(text).toContain('TỶ LỆ KÝ SỐ VĂN BẢN ĐI THEO ĐƠN VỊ');
    expect(text).toContain('Từ tháng 9/2026 đến tháng 11/2026');
    expect(text).toContain('/tong-hop');
    expect(text).toContain('Ủy ban nhân dân xã');
  });
});
