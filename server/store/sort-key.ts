import { fold } from '../shared/text';

/**
 * Keys the database can order and search rows by, made here because SQL cannot: PostgreSQL's and PGlite's
 * collations differ by platform and neither reads numbers in names as numbers. A page of a batch is ordered by
 * `sortKey(file)` compared byte by byte (COLLATE "C"), which is the order the report lists files in
 * (summary.ts, compareFileNames: Vietnamese letters, numbers as numbers) for names of letters, digits and the usual
 * punctuation.
 */

/** The marks that make another letter (ă â ê ô ơ ư), in the order Vietnamese sorts those letters after the bare one. */
const LETTER_MARKS: Record<string, string> = { '\u0306': '\u007f1', '\u0302': '\u007f2', '\u031b': '\u007f3' };

/** A run of digits: its length first (so 9 < 10), then the digits, leading zeros dropped. */
function numberKey(digits: string): string {
  const bare = digits.replace(/^0+(?=\d)/, '');
  return String.fromCharCode(0x30 + Math.min(bare.length, 40)) + bare;
}

export function sortKey(text: string): string {
  const decomposed = text.normalize('NFD').toLowerCase();
  let out = '';
  for (const part of decomposed.match(/\d+|\D/gu) ?? []) {
    if (/^\d/.test(part)) out += numberKey(part);
    else if (part === 'đ') out += `d${LETTER_MARKS['\u0306']}`;
    else if (LETTER_MARKS[part]) out += LETTER_MARKS[part];
    // Tone marks (and any other mark) only break ties, as they do for the report's collator.
    else if (!/\p{M}/u.test(part)) out += part;
  }
  return out;
}

/** What `q` is matched against: the file name and the số ký hiệu, folded (no case, no diacritics, đ as d). */
export function searchText(file: string, number: string | null | undefined): string {
  return number ? `${fold(file)}\u0001${fold(number)}` : fold(file);
}

/** The folded form of what a user typed, for searchText. */
export function searchTerm(q: string): string {
  return fold(q);
}
