import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './paths';

/**
 * The working calendar behind ND 30 Art. 18's "same or next working day": Vietnamese public holidays, compensatory
 * days off and make-up working Saturdays, shipped in calendar/ngay-nghi.json and extended by the file named in
 * KIEMKY_CALENDAR_FILE. Announcements change every year and come late, so the data is a file an admin can correct,
 * not code.
 */

export interface CalendarYear {
  status?: string;
  source?: string;
  toConfirm?: string;
  /** Days that would be working days (Monday–Friday) but are off: holidays, nghỉ bù, swapped days. */
  daysOff: Record<string, string>;
  /** Weekend days worked to make up for a swapped weekday (làm bù). */
  workingDays: Record<string, string>;
}

export interface WorkingCalendar {
  years: ReadonlyMap<string, CalendarYear>;
}

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

export function shippedCalendarPath(): string {
  return path.join(projectRoot(), 'calendar', 'ngay-nghi.json');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRealDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === iso;
}

function dayList(where: string, year: string, value: unknown, weekend: boolean): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new CalendarError(`${where}: years.${year} must map dates (YYYY-MM-DD) to a name`);
  const out: Record<string, string> = {};
  for (const [date, name] of Object.entries(value)) {
    if (!isRealDate(date) || !date.startsWith(`${year}-`)) throw new CalendarError(`${where}: "${date}" is not a date of ${year} (YYYY-MM-DD)`);
    if (typeof name !== 'string') throw new CalendarError(`${where}: the name of ${date} must be text`);
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    // A make-up day on a weekday would change nothing: it is surely a typing mistake in the date.
    if (weekend && dow !== 0 && dow !== 6) throw new CalendarError(`${where}: working day ${date} is not a Saturday or Sunday`);
    out[date] = name;
  }
  return out;
}

/** Parses the calendar JSON; `where` names the file in error messages. */
export function parseCalendar(text: string, where: string): Map<string, CalendarYear> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CalendarError(`${where}: not JSON (${(e as Error).message})`);
  }
  if (!isRecord(doc) || !isRecord(doc.years)) throw new CalendarError(`${where}: expected {"years": {"2025": {"daysOff": {…}, "workingDays": {…}}}}`);
  if (doc.version !== undefined && doc.version !== 1) throw new CalendarError(`${where}: version ${String(doc.version)} is not known (1 is)`);
  const years = new Map<string, CalendarYear>();
  for (const [year, entry] of Object.entries(doc.years)) {
    if (!/^\d{4}$/.test(year)) throw new CalendarError(`${where}: "${year}" is not a year`);
    if (!isRecord(entry)) throw new CalendarError(`${where}: years.${year} must be an object`);
    const daysOff = dayList(where, year, entry.daysOff, false);
    const workingDays = dayList(where, year, entry.workingDays, true);
    for (const d of Object.keys(workingDays)) {
      if (d in daysOff) throw new CalendarError(`${where}: ${d} is both a day off and a working day`);
    }
    const text = (k: string): string | undefined => (typeof entry[k] === 'string' ? (entry[k] as string) : undefined);
    years.set(year, { status: text('status'), source: text('source'), toConfirm: text('toConfirm'), daysOff, workingDays });
  }
  return years;
}

function readCalendarFile(file: string): Map<string, CalendarYear> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CalendarError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseCalendar(text, file);
}

/**
 * The shipped calendar with the admin's file over it. A year in the admin's file replaces that whole year, so a
 * correction can also take a wrongly shipped day away.
 */
export function loadCalendar(extensionFile: string | null = null): WorkingCalendar {
  const years = readCalendarFile(shippedCalendarPath());
  if (extensionFile !== null) for (const [y, entry] of readCalendarFile(extensionFile)) years.set(y, entry);
  return { years };
}

/** Saturday and Sunday are off unless a make-up day; Monday–Friday are working days unless listed as off. */
export function isWorkingDay(calendar: WorkingCalendar, isoDate: string): boolean {
  const year = calendar.years.get(isoDate.slice(0, 4));
  if (year && isoDate in year.workingDays) return true;
  if (year && isoDate in year.daysOff) return false;
  const dow = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}
