/**
 * A month as people write it in a query: `2026-11` as the API has always read it, or `11/2026` as Vietnamese
 * forms and spreadsheets write it. Both are normalized to `YYYY-MM`, the form the store keeps months in (a
 * document's month, store/rows.ts), so a range compares as text.
 */

const ISO_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** MM/YYYY; a month of one digit (`3/2026`) is how it is often typed, and means the same. */
const VN_MONTH = /^(0?[1-9]|1[0-2])\/(\d{4})$/;

/** The month `value` names, as YYYY-MM; null when it is neither form. */
export function parseMonth(value: string): string | null {
  const text = value.trim();
  const iso = ISO_MONTH.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}`;
  const vn = VN_MONTH.exec(text);
  if (vn) return `${vn[2]}-${vn[1]!.padStart(2, '0')}`;
  return null;
}
