/**
 * ND 30/2020 Art. 18.1: a document is issued the day it is signed or at the latest the next working day.
 * Working days are Monday to Friday; public holidays are not known here (a holiday can give a false warning,
 * never hide a real one).
 */

const DAY_MS = 86400000;
/** Vietnam has no daylight saving: Asia/Ho_Chi_Minh is UTC+7 all year. */
const VN_OFFSET_MS = 7 * 3600000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export function nextWorkingDay(isoDate: string): string {
  let t = Date.parse(`${isoDate}T00:00:00Z`) + DAY_MS;
  for (;;) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) return new Date(t).toISOString().slice(0, 10);
    t += DAY_MS;
  }
}

/** Signed on the register date, or after it up to and including the next working day. */
export function signedInTime(registerDate: string, signedDate: string): boolean {
  return signedDate >= registerDate && signedDate <= nextWorkingDay(registerDate);
}
