/**
 * Times as people in Vietnamese offices read them: Asia/Ho_Chi_Minh, dd/mm/yyyy HH:mm. Finding messages are final
 * text (stored, exported, read years later), so they say the time this way when they are made; JSON fields keep
 * ISO 8601. Vietnam has no daylight saving: Asia/Ho_Chi_Minh is UTC+7 all year, so no time-zone data is needed.
 */

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

const two = (n: number): string => String(n).padStart(2, '0');

function instant(value: string | Date): Date | null {
  // Only ISO 8601 instants: Date's parser would read "05/11" as May 11, 2001.
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : new Date(d.getTime() + VIETNAM_OFFSET_MS);
}

/** An instant as "17/11/2026 09:47" in Vietnam; null for none; text that is no instant is given back as it is. */
export function vietnamDateTime(value: string | Date | null | undefined): string | null {
  if (value == null || value === '') return null;
  const d = instant(value);
  if (!d) return String(value);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/**
 * A day as "17/11/2026": a calendar date (YYYY-MM-DD, as registers give it) as it is written, an instant as its
 * day in Vietnam; null for none; anything else given back as it is.
 */
export function vietnamDay(value: string | Date | null | undefined): string | null {
  if (value == null || value === '') return null;
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = instant(value);
  if (!d) return String(value);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** The calendar date (YYYY-MM-DD) of an instant in Vietnam, for comparing days; null for what is no instant. */
export function vietnamIsoDate(value: string | Date): string | null {
  const d = instant(value);
  return d ? d.toISOString().slice(0, 10) : null;
}
