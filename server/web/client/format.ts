import { lang } from './i18n';

/** Dates as Vietnamese offices write them, in Vietnam's time zone whatever the computer's: dd/mm/yyyy HH:mm. */

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const part = (type: Intl.DateTimeFormatPartTypes): string => DATE_TIME.formatToParts(d).find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

/** A register date (YYYY-MM-DD) as dd/mm/yyyy; anything else as written. */
export function day(value: string | null | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** 66.7 → "66,7" in Vietnamese, "66.7" in English. */
export function pct(value: number): string {
  const text = (Math.round(value * 10) / 10).toFixed(1);
  return lang() === 'vi' ? text.replace('.', ',') : text;
}

export function count(value: number): string {
  return value.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB');
}

/** A month YYYY-MM as mm/yyyy. */
export function month(value: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return m ? `${m[2]}/${m[1]}` : value;
}

/** The current month and `back` months before it, as YYYY-MM, in Vietnam's time zone. */
export function monthsAgo(back: number): string {
  const now = new Date(Date.now() + 7 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(value: string, delta: number): string {
  const [y, m] = value.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}
