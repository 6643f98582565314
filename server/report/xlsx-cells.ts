import type * as ExcelJS from 'exceljs';
import { t, type Lang } from '../shared/messages';
import { visibleInCell } from '../shared/safe-text';
import type { Verdict } from '../../worker/report';
import { neutralized } from './formula-guard';
import type { Cell } from './row-spool';

/**
 * What a workbook cell holds and how it looks, from the plain value a row spool keeps (JSON has no dates): a
 * percentage becomes a fraction shown with `%`, a date or an instant a real Excel date, a verdict a coloured cell.
 * A spreadsheet sorts, filters and charts these; text that only looks like them it cannot.
 */

export type CellKind = 'text' | 'count' | 'percent' | 'date' | 'dateTime' | 'verdict';

export interface TypedCell {
  value: ExcelJS.CellValue;
  style?: Partial<ExcelJS.Style>;
}

/** One decimal, as the table and the dashboard show them. */
export const PERCENT_FORMAT = '0.0%';
export const DATE_FORMAT = 'dd/mm/yyyy';
export const DATE_TIME_FORMAT = 'dd/mm/yyyy HH:mm';

/** Vietnam has no daylight saving: Asia/Ho_Chi_Minh is UTC+7 all year. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/**
 * An Excel date has no time zone: it is the wall-clock time the reader sees. The instant is shifted to Vietnam's
 * wall clock, and exceljs writes the Date's UTC fields, so the cell shows the time in Hà Nội whatever the zone of
 * the computer that wrote it or opens it.
 */
function vietnamWallClock(iso: string): Date | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms + VIETNAM_OFFSET_MS);
}

/** A register's date as the register reader gives it (ISO YYYY-MM-DD), midnight of that day; else not a date. */
function calendarDate(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const day = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? null : day;
}

/** Excel's "Good", "Bad" and "Neutral" styles: the colours a reader already knows. */
const VERDICT_COLOURS: Readonly<Record<Verdict, { fill: string; font: string }>> = {
  compliant: { fill: 'FFC6EFCE', font: 'FF006100' },
  noncompliant: { fill: 'FFFFC7CE', font: 'FF9C0006' },
  error: { fill: 'FFFFEB9C', font: 'FF9C5700' },
};

function verdictStyle(verdict: Verdict): Partial<ExcelJS.Style> {
  const colours = VERDICT_COLOURS[verdict];
  return {
    fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: colours.fill } },
    font: { color: { argb: colours.font } },
  };
}

/** The verdict a cell's word names, in the report's language (the spool keeps the word, as the CSV writes it). */
export function verdictStyles(lang: Lang): ReadonlyMap<string, Partial<ExcelJS.Style>> {
  const verdicts: Verdict[] = ['compliant', 'noncompliant', 'error'];
  return new Map(verdicts.map((v) => [t(lang, `verdict_${v}`), verdictStyle(v)]));
}

/**
 * Text as a cell: neutralized when it would start a formula (formula-guard.ts), control and bidi characters
 * shown as escapes (safe-text.ts). Text that was to be a date and is not one (a register's "05/11" it could not
 * read) is kept as this text, not lost.
 */
function textCell(value: string): TypedCell {
  return { value: visibleInCell(neutralized(value)) };
}

export function typedCell(kind: CellKind, value: Cell, verdicts: ReadonlyMap<string, Partial<ExcelJS.Style>>): TypedCell {
  if (value === null) return { value: null };
  if (typeof value === 'number') {
    // 33.3 / 100 is 0.33299999999999996: the tenths are counted in whole thousandths.
    if (kind === 'percent') return { value: Math.round(value * 10) / 1000, style: { numFmt: PERCENT_FORMAT } };
    return { value };
  }
  if (kind === 'date' || kind === 'dateTime') {
    const date = kind === 'date' ? calendarDate(value) : vietnamWallClock(value);
    if (date) return { value: date, style: { numFmt: kind === 'date' ? DATE_FORMAT : DATE_TIME_FORMAT } };
  }
  const cell = textCell(value);
  if (kind === 'verdict') return { ...cell, style: verdicts.get(value) };
  return cell;
}
