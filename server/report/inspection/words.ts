import type { Lang } from '../../shared/messages';
import { vietnamDateTime, vietnamDay } from '../../shared/time';
import { percentText } from '../describe';
import { percentOf } from '../summary';

/**
 * How the inspection report writes numbers, percentages, dates and periods, Vietnamese first: a decimal comma, dates
 * dd/mm/yyyy in Vietnam's time (UTC+7 all year, no daylight saving), months as administrative documents name them.
 */

/** Vietnamese or English: the report's prose is drafted in both, side by side, so neither drifts from the other. */
export function say(lang: Lang, vi: string, en: string): string {
  return lang === 'vi' ? vi : en;
}

/** "12 (34,5%)": a count and its share. */
export function countPct(count: number, total: number, lang: Lang): string {
  return `${count} (${percentText(percentOf(count, total), lang)}%)`;
}

/** dd/mm/yyyy of a date the report holds: a register's calendar date as is, an instant in Vietnam's time. */
export function dayText(value: string | null): string {
  return vietnamDay(value) ?? '';
}

/** dd/mm/yyyy HH:mm in Vietnam's time. */
export function momentText(at: Date): string {
  return vietnamDateTime(at) ?? '';
}

/**
 * "…, ngày 06 tháng 12 năm 2026": Decree 30/2020 writes days below 10 and the months January and February with a
 * leading zero, so a date cannot be altered by writing a digit in front of it.
 */
export function placeDateText(place: string | null, at: Date, lang: Lang): string {
  // vietnamDay gives "06/12/2026": the day in Vietnam, whatever the machine's time zone.
  const [day, mm, year] = vietnamDay(at)!.split('/');
  const month = Number(mm);
  const monthText = month < 3 ? `0${month}` : String(month);
  const where = place && place.trim() !== '' ? place.trim() : '…………';
  return say(lang, `${where}, ngày ${day} tháng ${monthText} năm ${year}`, `${where}, ${day}/${mm}/${year}`);
}

function monthParts(month: string): { year: number; month: number } {
  const [y, m] = month.split('-');
  return { year: Number(y), month: Number(m) };
}

/** "tháng 11 năm 2026", "từ tháng 9 đến tháng 11 năm 2026", "từ tháng 11/2025 đến tháng 02/2026". */
export function periodText(from: string, to: string, lang: Lang): string {
  const a = monthParts(from);
  const b = monthParts(to);
  if (from === to) return say(lang, `tháng ${a.month} năm ${a.year}`, `${a.year}-${String(a.month).padStart(2, '0')}`);
  if (a.year === b.year) return say(lang, `từ tháng ${a.month} đến tháng ${b.month} năm ${a.year}`, `${from} to ${to}`);
  return say(lang, `từ tháng ${a.month}/${a.year} đến tháng ${b.month}/${b.year}`, `${from} to ${to}`);
}

/** "A, B và C" — a list as a sentence says it. */
export function listText(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${say(lang, 'và', 'and')} ${items[items.length - 1]}`;
}
