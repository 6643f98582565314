import { isWorkingDay, loadCalendar, type WorkingCalendar } from '../shared/calendar';
import { vietnamIsoDate } from '../shared/time';

/**
 * ND 30/2020 Art. 18.1: a document is issued the day it is signed or at the latest the next working day.
 * Working days follow the calendar (shared/calendar.ts): weekends, public holidays, compensatory days off and
 * make-up working Saturdays. A day the calendar does not know is off can give a false warning, never hide a real one.
 */

const DAY_MS = 86400000;

let current: WorkingCalendar | null = null;

/**
 * The calendar in use. Loaded on first use from KIEMKY_CALENDAR_FILE, so register threads (which inherit the
 * environment) read the same one as the process that checked the configuration at start.
 */
export function workingCalendar(): WorkingCalendar {
  current ??= loadCalendar(process.env.KIEMKY_CALENDAR_FILE?.trim() || null);
  return current;
}

/** Replaces the calendar in use (tests; a caller that loaded one itself); null goes back to the environment's. */
export function useWorkingCalendar(calendar: WorkingCalendar | null): void {
  current = calendar;
}

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function vietnamDate(instant: Date): string {
  // An invalid Date gives what toISOString gave before: a RangeError, not a silent null.
  return vietnamIsoDate(instant) ?? new Date(NaN).toISOString();
}

export function nextWorkingDay(isoDate: string, calendar: WorkingCalendar = workingCalendar()): string {
  let t = Date.parse(`${isoDate}T00:00:00Z`) + DAY_MS;
  for (;;) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (isWorkingDay(calendar, day)) return day;
    t += DAY_MS;
  }
}

/** Signed on the register date, or after it up to and including the next working day. */
export function signedInTime(registerDate: string, signedDate: string, calendar: WorkingCalendar = workingCalendar()): boolean {
  return signedDate >= registerDate && signedDate <= nextWorkingDay(registerDate, calendar);
}
