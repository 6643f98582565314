import { compareFileNames } from '../../server/report/summary';
import { searchTerm, searchText, sortKey } from '../../server/store/sort-key';

/** The keys a page is ordered and searched by in SQL give the report's own order and a diacritic-blind search. */

const byKey = (a: string, b: string): number => {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

test('sorted by key (byte order, as COLLATE "C" sorts), names come in the order the report lists them', () => {
  const names = [
    'CV-10.pdf', 'cv-2.pdf', 'CV-1.pdf', 'CV-002.pdf', 'cv-100.pdf', 'Đề án.pdf', 'de an 2.pdf', 'Dự thảo.pdf', 'Báo cáo.pdf',
    'bao cao 3.pdf', 'Ăn uống.pdf', 'Âm nhạc.pdf', 'An toàn.pdf', 'ơn.pdf', 'ông.pdf', 'ô tô.pdf', 'Ưu tiên.pdf', 'uy ban.pdf',
    'Quyết định 12.pdf', 'Quyết định 9.pdf', 'Tờ trình.pdf', 'to trinh 1.pdf', 'zeta.pdf', '2026-11-05.pdf', '2026-11-5 b.pdf',
  ];
  expect([...names].sort(byKey)).toEqual([...names].sort(compareFileNames));
});

test('the search text is folded as the search term is: no case, no diacritics, đ as d', () => {
  const text = searchText('Quyết định khen thưởng.pdf', '12/QĐ-UBND');
  for (const q of ['quyet dinh', 'QUYẾT ĐỊNH', 'khen thuong', '12/qd-ubnd', 'qđ']) expect({ q, found: text.includes(searchTerm(q)) }).toEqual({ q, found: true });
  expect(text.includes(searchTerm('quyết định 12'))).toBe(false);
});
