import type { DocumentReport, Finding, UnitSummary } from '../../worker/report';
import type { UnitQuery } from '../shared/types';
import { openReport, type ReportFormat, type ReportOut, type WriterOptions } from './format';
import { leaderPagePdf, type LeaderPageInput, type MonthRange } from './leader/page';
import { compareUnits, SummaryTally, UNIT_COUNTS, unitSummary, type BatchSummary, type UnitCount, type UnitCounts } from './summary';

/**
 * What a report of a period of months (`kiemky report`, GET /api/reports) needs besides its documents: the period
 * before it of the same length, the unit summary of a period as the dashboard shows it with its totals, and the
 * names its files are saved under.
 */

/** 'YYYY-MM' as a count of months, and back. */
function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthOf(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** How many months `from`..`to` holds, both included (0 when `to` is before `from`). */
function monthsIn(range: MonthRange): number {
  return Math.max(0, monthIndex(range.to) - monthIndex(range.from) + 1);
}

/** The period of as many months just before (2026-09..2026-11 → 2026-06..2026-08); null before year 1. */
function previousPeriod(range: MonthRange): MonthRange | null {
  const n = monthsIn(range);
  const from = monthIndex(range.from) - n;
  if (n === 0 || from < 12) return null;
  return { from: monthOf(from), to: monthOf(monthIndex(range.from) - 1) };
}

const COUNT_KEYS = Object.keys(UNIT_COUNTS) as UnitCount[];

/** The totals of a period's units: their counts and providers summed (a document two units count is two). */
function withTotals(units: UnitSummary[]): BatchSummary {
  // Every count the summary has, so a count added to UNIT_COUNTS is totalled too.
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as UnitCounts;
  const providers: Record<string, number> = {};
  let documents = 0;
  for (const u of units) {
    documents += u.documents;
    for (const k of COUNT_KEYS) counts[k] += u[k] ?? 0;
    for (const [name, n] of Object.entries(u.providers)) providers[name] = (providers[name] ?? 0) + n;
  }
  return { units: [...units].sort((a, b) => compareUnits(a.unit, b.unit)), totals: unitSummary(null, documents, counts, providers) };
}

/** The store's answer the leader's page is made from (Store.unitSummaries). */
export interface UnitSummarySource {
  unitSummaries(q: UnitQuery): Promise<UnitSummary[]>;
}

/** The unit summary of a period as /api/units gives it, with its totals. */
async function periodSummary(store: UnitSummarySource, range: MonthRange, units?: string[]): Promise<BatchSummary> {
  return withTotals(await store.unitSummaries({ from: range.from, to: range.to, ...(units ? { units } : {}) }));
}

/**
 * The leader's page of a period (`kiemky report --summary`, GET /api/reports/summary): the period's summary beside
 * the one of as many months before, drawn whole. Returns the page and the period's summary.
 */
export async function periodLeaderPage(
  store: UnitSummarySource,
  range: MonthRange,
  units: string[] | undefined,
  page: Pick<LeaderPageInput, 'lang' | 'generatedAt' | 'issuer'>,
): Promise<{ bytes: Uint8Array; summary: BatchSummary }> {
  const before = previousPeriod(range);
  const current = await periodSummary(store, range, units);
  const previous = before ? await periodSummary(store, before, units) : null;
  const bytes = await leaderPagePdf({ ...page, period: range, previousPeriod: before, current, previous });
  return { bytes, summary: current };
}

/** "2026-09_2026-11", or "2026-11" for one month: the period in a file name. */
function periodName(range: MonthRange): string {
  return range.from === range.to ? range.from : `${range.from}_${range.to}`;
}

/** The inspection report of a period, saved, less its extension: bao-cao-kiem-tra-2026-09_2026-11. */
export function inspectionFileName(range: MonthRange): string {
  return `bao-cao-kiem-tra-${periodName(range)}`;
}

/** The leader's page of a period, saved: ty-le-ky-so-2026-11.pdf. */
export function leaderFileName(range: MonthRange): string {
  return `ty-le-ky-so-${periodName(range)}.pdf`;
}

/** The documents of a report as the store streams them (Store.streamPeriodReport, streamBatchReport). */
export interface StreamedReport {
  documents: AsyncIterable<DocumentReport>;
  findings: Finding[];
}

/**
 * Writes a report whose documents come one at a time from the store, counting the unit summary as they pass
 * (SummaryTally, as `check` and the batch report do): nothing but the counts is held. Returns the summary written,
 * or null when `stopped` said so between documents (the HTTP client went away: nothing more to write for).
 */
export function writeStreamedReport(report: StreamedReport, format: ReportFormat, options: WriterOptions, out: ReportOut): Promise<BatchSummary>;
export function writeStreamedReport(report: StreamedReport, format: ReportFormat, options: WriterOptions, out: ReportOut, stopped: () => boolean): Promise<BatchSummary | null>;
export async function writeStreamedReport(
  report: StreamedReport,
  format: ReportFormat,
  options: WriterOptions,
  out: ReportOut,
  stopped: () => boolean = () => false,
): Promise<BatchSummary | null> {
  const writer = openReport(format, options);
  const tally = new SummaryTally();
  try {
    for await (const doc of report.documents) {
      if (stopped()) return null;
      tally.add(doc);
      for (const piece of writer.document(doc)) await out.text(piece);
    }
    const summary = tally.result();
    await writer.end(summary, report.findings, out);
    return summary;
  } finally {
    writer.dispose();
  }
}
