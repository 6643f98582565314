import { fold } from '../shared/text';

/**
 * Register columns are found by their header, whatever the case, the diacritics or the punctuation the unit's
 * template uses (ND 30 Phụ lục IV writes "Số, ký hiệu văn bản"; many E-office exports write "Số và ký hiệu").
 */

export type RegisterField = 'file' | 'number' | 'date' | 'summary' | 'signer' | 'unit';

/** Most specific first: when two headers map to one field, the earlier alias wins. */
const ALIASES: Record<RegisterField, string[]> = {
  file: ['tên tệp', 'tệp tin', 'tên file', 'tệp', 'file'],
  number: ['số, ký hiệu văn bản', 'số và ký hiệu văn bản', 'số ký hiệu', 'ký hiệu văn bản', 'số'],
  date: ['ngày ban hành', 'ngày tháng văn bản', 'ngày văn bản', 'ngày'],
  summary: ['tên loại và trích yếu nội dung văn bản', 'trích yếu nội dung', 'trích yếu'],
  signer: ['người ký'],
  unit: ['đơn vị ban hành', 'cơ quan ban hành', 'đơn vị'],
};

/** Header text in comparable form: folded, a "(dd/mm/yyyy)" style note dropped, punctuation as spaces. */
export function headerKey(text: string): string {
  return fold(text.replace(/\([^)]*\)/g, ' ').replace(/[^\p{L}\p{N}]+/gu, ' '));
}

const KEYED: { field: RegisterField; key: string; rank: number }[] = (Object.keys(ALIASES) as RegisterField[]).flatMap(
  (field) => ALIASES[field].map((alias, rank) => ({ field, key: headerKey(alias), rank })),
);

export type ColumnMap = Partial<Record<RegisterField, number>>;

/** The columns of a candidate header row, by field. */
export function matchHeaders(cells: string[]): ColumnMap {
  const best: Partial<Record<RegisterField, { column: number; rank: number }>> = {};
  cells.forEach((cell, column) => {
    const key = headerKey(cell);
    if (!key) return;
    for (const alias of KEYED) {
      if (alias.key !== key) continue;
      const current = best[alias.field];
      if (!current || alias.rank < current.rank) best[alias.field] = { column, rank: alias.rank };
    }
  });
  const map: ColumnMap = {};
  for (const field of Object.keys(best) as RegisterField[]) map[field] = best[field]?.column;
  return map;
}
