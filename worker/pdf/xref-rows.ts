import type { ByteAccess } from './lexer';

/**
 * The plain xref table row — two unsigned integers and `n` or `f`, separated by whitespace — read straight from
 * the bytes, without the lexer's token objects: a table of ten million rows was thirty million tokens. Anything
 * else (a comment, a sign, a subsection header, `trailer`, a row cut by the end of the buffer in hand) is left to
 * the lexer, which reads it exactly as before, so a row read here is one the lexer would have read the same way.
 */

export interface PlainRow {
  first: number;
  second: number;
  free: boolean;
  /** Just past the `n` or `f`. */
  end: number;
}

const isWhite = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
/** What may follow a keyword: whitespace or a delimiter (the lexer's keyword ends there). */
const endsKeyword = (b: number): boolean =>
  isWhite(b) || b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d || b === 0x2f || b === 0x25;
/** Up to 15 digits stay exact in a double, as in the lexer's own fast path. */
const MAX_DIGITS = 15;

/** Reads a plain row at `pos` (whitespace first allowed) into `out`; false when the lexer must read what is there. */
export function readPlainRow(bytes: ByteAccess, pos: number, out: PlainRow): boolean {
  if (pos < 0 || pos >= bytes.size) return false;
  const buf = bytes.span(pos);
  const base = bytes.spanBase;
  let i = pos - base;
  const n = buf.length;
  if (i < 0 || i >= n) return false;
  for (let field = 0; field < 2; field++) {
    while (i < n && isWhite(buf[i]!)) i++;
    const from = i;
    let value = 0;
    while (i < n && i - from < MAX_DIGITS) {
      const c = buf[i]!;
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      i++;
    }
    // The digit run must end inside the buffer, on whitespace (a sign, a point or a letter: the lexer's case).
    if (i === from || i >= n || !isWhite(buf[i]!)) return false;
    if (field === 0) out.first = value;
    else out.second = value;
  }
  while (i < n && isWhite(buf[i]!)) i++;
  if (i + 1 >= n) return false;
  const k = buf[i]!;
  if ((k !== 0x6e && k !== 0x66) || !endsKeyword(buf[i + 1]!)) return false;
  out.free = k === 0x66;
  out.end = base + i + 1;
  return true;
}
