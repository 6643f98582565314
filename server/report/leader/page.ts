import { PDFDocument } from 'pdf-lib';
import type { UnitSummary } from '../../../worker/report';
import type { Lang } from '../../shared/messages';
import type { ReportIssuer } from '../format';
import { compareUnits, type BatchSummary } from '../summary';
import type { Outline, OutlineBar, OutlineBlock } from '../document/outline';
import { renderPdf } from '../document/pdf';
import { unitLabel } from '../describe';
import { LEADER_WORDS, localDateTime, type LeaderWords } from './words';

/** A period of whole months, inclusive: 'YYYY-MM'. */
export interface MonthRange {
  from: string;
  to: string;
}

/** What the leader's page is drawn from: the unit summary of the period and of the one before it. */
export interface LeaderPageInput {
  lang: Lang;
  period: MonthRange;
  /** The period of the same length just before; null when there is none to compare with. */
  previousPeriod: MonthRange | null;
  current: BatchSummary;
  /** The previous period's summary; null (or a unit missing from it) shows no change. */
  previous: BatchSummary | null;
  generatedAt: Date;
  issuer?: ReportIssuer;
  /**
   * The most units the ranking prints (half from the top, half from the bottom, when there are more); default
   * what fits the page. leaderPagePdf lowers it should names or numbers still push the page onto a second one.
   */
  maxUnits?: number;
}

/** Units printed at most: with the headline figures above and the chart beside, what one A4 landscape page holds. */
export const LEADER_MAX_UNITS = 14;

/** Change of a percentage in points, one decimal, as the page prints it (no 0.1 + 0.2 noise). */
function change(now: number, before: number): number {
  return Math.round((now - before) * 10) / 10;
}

/** Rows of the ranking (units and total) whose unit names may wrap rather than be cut with "…". */
const WHOLE_NAMES_UP_TO = 9;

/** Best first: compliant share, then more documents, then the names' order (unknown unit last). */
export function rankUnits(units: UnitSummary[]): UnitSummary[] {
  return [...units].sort((a, b) => b.compliantPct - a.compliantPct || b.documents - a.documents || compareUnits(a.unit, b.unit));
}

function headline(words: LeaderWords, current: UnitSummary, previous: UnitSummary | null): OutlineBlock {
  const c = words.headlineColumns;
  const pcts = (u: UnitSummary): number[] => [u.signedPct, u.twoLayerPct, u.governmentCaPct, u.compliantPct];
  const changes = previous
    ? [words.documentsChange(current.documents - previous.documents), ...pcts(current).map((v, i) => words.points(change(v, pcts(previous)[i])))]
    : [words.noPrevious, words.noPrevious, words.noPrevious, words.noPrevious, words.noPrevious];
  return {
    kind: 'table',
    compact: true,
    oneLine: true,
    columns: [
      { title: c.row, width: 2.6, align: 'left' },
      { title: c.documents, width: 1.4, align: 'right' },
      { title: c.signed, width: 1.4, align: 'right' },
      { title: c.twoLayer, width: 1.4, align: 'right' },
      { title: c.governmentCa, width: 1.4, align: 'right' },
      { title: c.compliant, width: 1.4, align: 'right' },
    ],
    rows: [
      [words.thisPeriod, words.count(current.documents), ...pcts(current).map((v) => words.percent(v))],
      [words.changeRow, ...changes],
    ],
    emphasis: [0],
  };
}

/** A ranking row's figures: documents, the four shares, the change in compliant share (or none). */
function figures(words: LeaderWords, unit: UnitSummary, previous: UnitSummary | null): string[] {
  return [
    words.count(unit.documents),
    words.percent(unit.signedPct),
    words.percent(unit.twoLayerPct),
    words.percent(unit.governmentCaPct),
    words.percent(unit.compliantPct),
    previous ? words.points(change(unit.compliantPct, previous.compliantPct), true) : words.noChange,
  ];
}

export function leaderOutline(input: LeaderPageInput): Outline {
  const words = LEADER_WORDS[input.lang];
  const previousByUnit = new Map<string | null, UnitSummary>();
  for (const unit of input.previous?.units ?? []) previousByUnit.set(unit.unit, unit);
  const name = (unit: UnitSummary): string => unitLabel(unit.unit, input.lang);
  const before = (unit: UnitSummary): UnitSummary | null => {
    if (!input.previous) return null;
    const prev = previousByUnit.get(unit.unit);
    return prev && prev.documents > 0 ? prev : null;
  };

  const ranked = rankUnits(input.current.units);
  const max = Math.max(2, Math.floor(input.maxUnits ?? LEADER_MAX_UNITS));
  const omitted = Math.max(0, ranked.length - max);
  const top = omitted > 0 ? Math.ceil(max / 2) : ranked.length;
  const bottom = omitted > 0 ? max - top : 0;
  const shown = ranked.map((unit, index) => ({ unit, rank: index + 1 })).filter((_, i) => i < top || i >= ranked.length - bottom);

  const rows: string[][] = [];
  const bars: OutlineBar[] = [];
  shown.forEach(({ unit, rank }, index) => {
    if (omitted > 0 && index === top) rows.push(['…', words.omittedRow(omitted), '', '', '', '', '', '']);
    const prev = before(unit);
    rows.push([String(rank), name(unit), ...figures(words, unit, prev)]);
    bars.push({ label: `${rank}. ${name(unit)}`, values: prev ? [unit.compliantPct, prev.compliantPct] : [unit.compliantPct] });
  });
  const totals = input.current.totals;
  const totalsBefore = input.previous && input.previous.totals.documents > 0 ? input.previous.totals : null;
  rows.push(['', words.total, ...figures(words, totals, totalsBefore)]);

  const c = words.rankColumns;
  const blocks: OutlineBlock[] = [
    headline(words, totals, totalsBefore),
    {
      kind: 'table',
      compact: true,
      // A few units leave the page room to print their names whole; many must keep to a line each to fit.
      oneLine: rows.length > WHOLE_NAMES_UP_TO,
      columns: [
        { title: c.rank, width: 0.9, align: 'right' },
        { title: c.unit, width: 3.2, align: 'left' },
        { title: c.documents, width: 1, align: 'right' },
        { title: c.signed, width: 1.1, align: 'right' },
        { title: c.twoLayer, width: 1.2, align: 'right' },
        { title: c.governmentCa, width: 1.5, align: 'right' },
        { title: c.compliant, width: 1.4, align: 'right' },
        { title: c.change, width: 1.3, align: 'right' },
      ],
      rows,
      emphasis: [rows.length - 1],
    },
    {
      kind: 'chart',
      title: words.chartTitle,
      series: input.previous && input.previousPeriod ? [words.thisPeriod, words.previousPeriod(input.previousPeriod)] : [words.thisPeriod],
      bars,
      beside: true,
    },
    {
      kind: 'note',
      text: omitted > 0 ? `${words.omittedNote(top, bottom, omitted)} ${words.rankingNote}` : words.rankingNote,
    },
  ];

  return {
    documentTitle: words.documentTitle(input.period),
    orientation: 'landscape',
    title: [words.title, words.period(input.period)],
    draftMark: null,
    blocks,
    footer: words.footer(localDateTime(input.generatedAt), input.issuer?.agency),
    lang: input.lang,
  };
}

async function pageCount(bytes: Uint8Array): Promise<number> {
  return (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
}

/**
 * The leader's one page, A4 landscape, as PDF bytes. Names are cut to one line, so the page holds LEADER_MAX_UNITS;
 * should it still run over (a very long title line, say), fewer units are printed until it fits.
 */
export async function leaderPagePdf(input: LeaderPageInput): Promise<Uint8Array> {
  let max = input.maxUnits ?? LEADER_MAX_UNITS;
  for (;;) {
    const bytes = await renderPdf(leaderOutline({ ...input, maxUnits: max }));
    if (max <= 2 || input.current.units.length <= 2 || (await pageCount(bytes)) === 1) return bytes;
    max = Math.min(max, input.current.units.length) - 2;
  }
}
