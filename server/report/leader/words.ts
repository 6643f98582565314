import { percentText } from '../describe';
import type { Lang } from '../../shared/messages';
import { vietnamDateTime } from '../../shared/time';
import type { MonthRange } from './page';

/** The leader's page's own words and number formats, Vietnamese first. */

export interface LeaderWords {
  title: string;
  period(range: MonthRange): string;
  /** A count: "1.234" (vi), "1,234" (en). */
  count(n: number): string;
  /** A percentage with one decimal: "95,2%". */
  percent(value: number): string;
  /** A change in percentage points: "+3,2 điểm %"; `short` for a table cell whose column says the unit. */
  points(value: number, short?: boolean): string;
  /** A change in the number of documents: "+120 văn bản". */
  documentsChange(value: number): string;
  noPrevious: string;
  noChange: string;
  thisPeriod: string;
  previousPeriod(range: MonthRange): string;
  headlineColumns: { row: string; documents: string; signed: string; twoLayer: string; governmentCa: string; compliant: string };
  changeRow: string;
  rankColumns: { rank: string; unit: string; documents: string; signed: string; twoLayer: string; governmentCa: string; compliant: string; change: string };
  total: string;
  chartTitle: string;
  /** The row standing for the units not printed, between the top and the bottom of the ranking. */
  omittedRow(count: number): string;
  omittedNote(top: number, bottom: number, omitted: number): string;
  rankingNote: string;
  documentTitle(range: MonthRange): string;
  footer(generatedAt: string, agency: string | undefined): string;
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function month(ym: string): { year: number; month: number } {
  const [year, m] = ym.split('-').map(Number);
  return { year, month: m };
}

function viMonth(ym: string): string {
  const { year, month: m } = month(ym);
  return `${m}/${year}`;
}

function enMonth(ym: string): string {
  const { year, month: m } = month(ym);
  return `${MONTHS_EN[m - 1] ?? m} ${year}`;
}


function signed(value: number, lang: Lang): string {
  const rounded = Math.round(value * 10) / 10;
  const text = percentText(Math.abs(rounded), lang);
  return rounded > 0 ? `+${text}` : rounded < 0 ? `-${text}` : text;
}

function grouped(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 0 });
}

export const LEADER_WORDS: Readonly<Record<Lang, LeaderWords>> = {
  vi: {
    title: 'TỶ LỆ KÝ SỐ VĂN BẢN ĐI THEO ĐƠN VỊ',
    period: (r) => (r.from === r.to ? `Tháng ${viMonth(r.from)}` : `Từ tháng ${viMonth(r.from)} đến tháng ${viMonth(r.to)}`),
    count: (n) => grouped(n, 'vi'),
    percent: (v) => `${percentText(v, 'vi')}%`,
    points: (v, short) => (short ? signed(v, 'vi') : `${signed(v, 'vi')} điểm %`),
    documentsChange: (v) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${grouped(Math.abs(v), 'vi')} văn bản`,
    noPrevious: 'chưa có kỳ trước',
    noChange: '—',
    thisPeriod: 'Kỳ này',
    previousPeriod: (r) => `Kỳ trước (${r.from === r.to ? `tháng ${viMonth(r.from)}` : `${viMonth(r.from)} - ${viMonth(r.to)}`})`,
    headlineColumns: { row: 'Toàn bộ đơn vị', documents: 'Số văn bản', signed: '% ký số', twoLayer: '% ký số 2 lớp', governmentCa: '% CA Chính phủ', compliant: '% đạt' },
    changeRow: 'Thay đổi so với kỳ trước',
    rankColumns: {
      rank: 'Hạng',
      unit: 'Đơn vị',
      documents: 'Số VB',
      signed: '% ký số',
      twoLayer: '% 2 lớp',
      governmentCa: '% CA Chính phủ',
      compliant: '% đạt',
      change: 'Thay đổi (điểm %)',
    },
    total: 'Tổng cộng',
    chartTitle: 'Tỷ lệ văn bản đạt theo đơn vị (%)',
    omittedRow: (n) => `${grouped(n, 'vi')} đơn vị khác`,
    omittedNote: (top, bottom, omitted) =>
      `Bảng in ${top} đơn vị đứng đầu và ${bottom} đơn vị đứng cuối; ${grouped(omitted, 'vi')} đơn vị còn lại xem tại trang Tổng hợp của kiemky (/tong-hop).`,
    rankingNote:
      'Xếp hạng theo % văn bản đạt (đáp ứng mọi tiêu chí kiểm tra), bằng nhau thì đơn vị nhiều văn bản hơn xếp trước; thay đổi: % đạt so với kỳ trước, tính bằng điểm %.',
    documentTitle: (r) => `Tỷ lệ ký số văn bản đi theo đơn vị - ${r.from === r.to ? `tháng ${viMonth(r.from)}` : `${viMonth(r.from)} đến ${viMonth(r.to)}`}`,
    footer: (at, agency) => `${agency ? `${agency} · ` : ''}Lập bằng kiemky lúc ${at}`,
  },
  en: {
    title: 'DIGITAL SIGNING OF OUTGOING DOCUMENTS BY UNIT',
    period: (r) => (r.from === r.to ? enMonth(r.from) : `From ${enMonth(r.from)} to ${enMonth(r.to)}`),
    count: (n) => grouped(n, 'en'),
    percent: (v) => `${percentText(v, 'en')}%`,
    points: (v, short) => (short ? signed(v, 'en') : `${signed(v, 'en')} pp`),
    documentsChange: (v) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${grouped(Math.abs(v), 'en')} documents`,
    noPrevious: 'no previous period',
    noChange: '—',
    thisPeriod: 'This period',
    previousPeriod: (r) => `Previous period (${r.from === r.to ? enMonth(r.from) : `${enMonth(r.from)} - ${enMonth(r.to)}`})`,
    headlineColumns: { row: 'All units', documents: 'Documents', signed: '% signed', twoLayer: '% two-layer', governmentCa: '% government CA', compliant: '% compliant' },
    changeRow: 'Change from the previous period',
    rankColumns: {
      rank: 'Rank',
      unit: 'Unit',
      documents: 'Docs',
      signed: '% signed',
      twoLayer: '% 2-layer',
      governmentCa: '% gov. CA',
      compliant: '% compliant',
      change: 'Change (pp)',
    },
    total: 'Total',
    chartTitle: 'Compliant documents by unit (%)',
    omittedRow: (n) => `${grouped(n, 'en')} other units`,
    omittedNote: (top, bottom, omitted) =>
      `Only the top ${top} and the bottom ${bottom} units are printed; the other ${grouped(omitted, 'en')} are on kiemky's Summary page (/tong-hop).`,
    rankingNote:
      'Ranked by % compliant (documents meeting every criterion checked), ties to the unit with more documents; change: % compliant against the previous period, in percentage points.',
    documentTitle: (r) => `Digital signing of outgoing documents by unit - ${r.from === r.to ? enMonth(r.from) : `${enMonth(r.from)} to ${enMonth(r.to)}`}`,
    footer: (at, agency) => `${agency ? `${agency} · ` : ''}Made with kiemky on ${at}`,
  },
};

/** dd/mm/yyyy HH:mm on Vietnam's clock, whatever the server's zone (server/shared/time.ts). */
export function localDateTime(at: Date): string {
  return vietnamDateTime(at) ?? '';
}
