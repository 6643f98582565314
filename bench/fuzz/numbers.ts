import type { Rng } from './rng';

/**
 * What a number in a PDF is turned into. Off-by-one and nearby values find the boundary checks; 0, negatives and
 * the integer limits find the arithmetic a parser trusts (a /ByteRange past the end, a /Length of -1, a count a
 * reader would allocate for, offsets past 2^31, 2^32 and 2^53).
 */
const EXTREMES = ['0', '-1', '1', '2147483647', '2147483648', '-2147483648', '4294967295', '4294967296', '9007199254740993', '99999999999999999999', '1e9', '0.5', '-0'];

export function numberVariant(rng: Rng, text: string): string {
  const value = Number(text);
  const n = Number.isFinite(value) ? value : 0;
  switch (rng.int(6)) {
    case 0:
      return String(n + (rng.chance(0.5) ? 1 : -1));
    case 1:
      return String(n + (rng.chance(0.5) ? 1 : -1) * rng.smallish(1 << 16));
    case 2:
      return rng.pick(EXTREMES);
    case 3:
      return String(rng.chance(0.5) ? n * 2 : Math.floor(n / 2));
    case 4:
      // The same number of digits, other digits: the width-preserving edit a careful attacker makes.
      return text.replace(/\d/g, () => String(rng.int(10)));
    default:
      return String(rng.int(Math.max(2, n * 2 + 16)));
  }
}

/**
 * `replacement` fitted into a span of `width` characters when it is shorter — padded with spaces after it, or with
 * zeros before it for the fixed-width fields of an xref row — so that no byte after it moves and the file's
 * offsets stay right; a longer one is written whole and moves what follows.
 */
export function fitted(replacement: string, width: number, zeroPad: boolean): string {
  if (replacement.length >= width) return replacement;
  return zeroPad && /^\d+$/.test(replacement) ? replacement.padStart(width, '0') : replacement.padEnd(width, ' ');
}
