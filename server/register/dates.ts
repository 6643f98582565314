/**
 * Register dates as Vietnamese write them (dd/mm/yyyy, d/m/yyyy, with `-` or `.`), ISO 8601, the words
 * "ngày 05 tháng 11 năm 2024", Excel date cells and Excel serial numbers, all to ISO `YYYY-MM-DD`.
 */

import { fold } from '../shared/text';

function iso(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  // Reject 31/02 and the like instead of letting Date roll them over.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  if (year < 1900 || year > 9999) return null;
  return d.toISOString().slice(0, 10);
}

/** Excel's 1900 date system: serial 1 is 1900-01-01, and day 0 is taken as 1899-12-30 (the Lotus leap-year bug). */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const ms = Math.round((Math.floor(serial) - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

export function parseRegisterDate(value: string | number | Date | null): string | null {
  if (value === null) return null;
  // exceljs gives date cells as a Date at UTC midnight of the calendar day shown in the sheet.
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : iso(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') return excelSerialToIso(value);
  const text = value.trim();
  let m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(text);
  if (m) return iso(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})/.exec(fold(text));
  if (m) return iso(Number(m[3]), Number(m[2]), Number(m[1]));
  // A serial number that reached a CSV as text (copied out of Excel unformatted).
  if (/^\d{5}(?:\.\d+)?$/.test(text)) return excelSerialToIso(Number(text));
  return null;
}
