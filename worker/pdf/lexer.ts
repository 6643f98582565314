import { DocumentError, type Budget } from '../errors';
import { PdfString } from './objects';
import { isDelimiter, isWhitespace } from './window';

/** What the lexer reads from: the file through a window, or a decoded buffer (object streams). */
export interface ByteAccess {
  readonly size: number;
  byte(pos: number): number;
  slice(start: number, end: number): Buffer;
  /** First occurrence of `needle` at or after `from`, starting before `limit`; -1 when absent. */
  indexOf(needle: Buffer, from: number, limit?: number): number;
  /**
   * A buffer holding the byte at `pos` (0 ≤ pos < size), whose first byte is at offset `spanBase`: the lexer scans
   * it with plain indexing, one call per token instead of one per byte.
   */
  span(pos: number): Buffer;
  readonly spanBase: number;
}

export class BufferBytes implements ByteAccess {
  readonly spanBase = 0;
  constructor(private readonly buf: Buffer) {}
  span(): Buffer {
    return this.buf;
  }
  get size(): number {
    return this.buf.length;
  }
  byte(pos: number): number {
    return pos >= 0 && pos < this.buf.length ? this.buf[pos] : -1;
  }
  slice(start: number, end: number): Buffer {
    return this.buf.subarray(Math.max(0, start), Math.max(0, Math.min(end, this.buf.length)));
  }
  indexOf(needle: Buffer, from: number, limit = this.buf.length): number {
    const hit = this.buf.indexOf(needle, Math.max(0, from));
    return hit >= 0 && hit < limit ? hit : -1;
  }
}

export type Token =
  | { kind: 'number'; value: number; integer: boolean; start: number }
  | { kind: 'keyword'; value: string; start: number }
  | { kind: 'name'; value: string; start: number }
  | { kind: 'string'; value: PdfString; start: number }
  | { kind: '[' | ']' | '<<' | '>>' | '{' | '}' | 'eof'; start: number };

/** Malformed syntax inside one object. Callers decide whether the object, or the document, is lost. */
export class PdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at ${offset}`);
    this.name = 'PdfSyntaxError';
  }
}

const GT = Buffer.from('>');
/**
 * Longest string or name the lexer reads, in bytes of the file: a signature's /Contents is tens of kilobytes, the
 * largest real strings a few megabytes. A hostile one of hundreds of megabytes would be copied into a single V8
 * string (hex digits are decoded through one), an allocation that can abort the process rather than fail.
 */
export const MAX_STRING_BYTES = 64 * 1024 * 1024;

function tooLong(what: string, start: number): DocumentError {
  return new DocumentError('TOO_LARGE', `a ${what} longer than ${MAX_STRING_BYTES} bytes at offset ${start}`);
}
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[0x41 + i] = 10 + i;
  HEX_VALUE[0x61 + i] = 10 + i;
}

/** Growable byte buffer for strings whose length is unknown until their closing delimiter. */
class ByteBuilder {
  private buf = Buffer.allocUnsafe(64);
  length = 0;
  push(b: number): void {
    if (this.length === this.buf.length) {
      const next = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    this.buf[this.length++] = b;
  }
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }
}

/**
 * Names and keywords repeat endlessly (/Type, /Length, obj, R): the same few hundred strings in every document.
 * They are looked up by a hash of their bytes instead of being allocated again for every token; a hit is
 * confirmed byte by byte, so a collision can only cost a miss, never a wrong string.
 */
const INTERN_SIZE = 1024;
const INTERN_MAX_LENGTH = 32;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SIZE);

function interned(bytes: ByteAccess, start: number, end: number): string {
  const length = end - start;
  const buf = bytes.span(start);
  const base = bytes.spanBase;
  if (length > INTERN_MAX_LENGTH || end - base > buf.length) return bytes.slice(start, end).toString('latin1');
  const from = start - base;
  let h = length;
  for (let i = from; i < from + length; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
  const slot = (h ^ (h >>> 10)) & (INTERN_SIZE - 1);
  const known = internTable[slot];
  if (known !== undefined && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known.charCodeAt(i) !== buf[from + i]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const text = buf.toString('latin1', from, from + length);
  internTable[slot] = text;
  return text;
}

/**
 * A signature's /Contents is reserved larger than the CMS it will hold and padded with '0' digits: in a typical
 * document three quarters of its ~24 000 digits are padding. Decoding only the digits before the padding and
 * leaving the rest as the zero bytes they stand for gives the same bytes for a fraction of the work (the latin1
 * copy and the hex decode were a tenth of reading a document). Null when the string does not have that shape
 * (odd length, a short tail, anything but hex digits before it): the general path then decides.
 */
const ZERO_DIGIT = 0x30;
const MIN_PADDING = 256;
/** Longer strings take the general path: the '0' digits compared against stay small for the life of the thread. */
const MAX_DIGITS = 1 << 20;
let zeroDigits = Buffer.alloc(0);

function decodeZeroPadded(raw: Buffer): Buffer | null {
  const n = raw.length;
  if (n % 2 !== 0 || n < MIN_PADDING || n > MAX_DIGITS || raw[n - 1] !== ZERO_DIGIT) return null;
  if (zeroDigits.length < n) zeroDigits = Buffer.alloc(Math.min(MAX_DIGITS, Math.max(n, 2 * zeroDigits.length)), ZERO_DIGIT);
  const tailIsZeros = (from: number): boolean => raw.compare(zeroDigits, 0, n - from, from, n) === 0;
  // Where the padding starts. Any even `from` whose tail is all '0' digits gives the same bytes; the earliest one
  // only saves decoding work. The CMS's own DER length names it in one check; a lying length merely fails the check.
  let digits = derHexLength(raw);
  if (digits < 0 || digits > n || !tailIsZeros(digits)) {
    // Smallest `from` whose tail raw[from, n) is all '0' digits: the property only holds more as `from` grows.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tailIsZeros(mid)) hi = mid;
      else lo = mid + 1;
    }
    digits = lo + (lo % 2); // a pair that starts before the padding is decoded with its prefix
  }
  if (n - digits < MIN_PADDING) return null;
  const out = Buffer.alloc(n / 2);
  if (digits > 0) {
    const head = Buffer.from(raw.toString('latin1', 0, digits), 'hex');
    // Node's decoder stops at the first pair that is not two hex digits: a short result means the prefix was not clean.
    if (head.length * 2 !== digits) return null;
    head.copy(out, 0);
  }
  return out;
}

/** Hex digits taken by the DER SEQUENCE the digits start with (definite length), or -1 when they do not. */
function derHexLength(raw: Buffer): number {
  const byteAt = (i: number): number => {
    if (2 * i + 1 >= raw.length) return -1;
    const h = HEX_VALUE[raw[2 * i]!]!;
    const l = HEX_VALUE[raw[2 * i + 1]!]!;
    return h < 0 || l < 0 ? -1 : h * 16 + l;
  };
  if (byteAt(0) !== 0x30) return -1;
  const first = byteAt(1);
  if (first < 0 || first === 0x80) return -1;
  if (first < 0x80) return 2 * (2 + first);
  const count = first - 0x80;
  if (count > 4) return -1;
  let length = 0;
  for (let i = 0; i < count; i++) {
    const b = byteAt(2 + i);
    if (b < 0) return -1;
    length = length * 256 + b;
  }
  return 2 * (2 + count + length);
}

/** Byte classes (ISO 32000-1 7.2.2): 0 regular, WHITE whitespace, DELIM delimiter. */
const WHITE = 1;
const DELIM = 2;
const CLASS = new Uint8Array(256);
for (const b of [0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00]) CLASS[b] = WHITE;
for (const b of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[b] = DELIM;

export class Lexer {
  pos: number;
  private sawHash = false;

  constructor(
    readonly bytes: ByteAccess,
    start: number,
    /** Strings carry file offsets only when the bytes are the file itself. */
    private readonly fromFile: boolean,
    private readonly budget?: Budget,
  ) {
    this.pos = start;
  }

  /** Skips whitespace and comments. */
  skipSpace(): void {
    let inComment = false;
    while (this.pos >= 0 && this.pos < this.bytes.size) {
      const buf = this.bytes.span(this.pos);
      const base = this.bytes.spanBase;
      let i = this.pos - base;
      if (i < 0 || i >= buf.length) return; // a source that came back short: treat as the end
      for (; i < buf.length; i++) {
        const b = buf[i]!;
        if (inComment) {
          if (b === 0x0a || b === 0x0d) inComment = false;
        } else if (b === 0x25) {
          inComment = true;
        } else if (CLASS[b] !== WHITE) {
          this.pos = base + i;
          return;
        }
      }
      this.pos = base + buf.length;
    }
  }

  /**
   * Offset of the first whitespace or delimiter at or after `from` (or of `limit`, or the end). Records in
   * `sawHash` whether a '#' (a name escape) came before it.
   */
  private regularRunEnd(from: number, limit: number): number {
    this.sawHash = false;
    let p = from;
    const end = Math.min(limit, this.bytes.size);
    while (p < end) {
      const buf = this.bytes.span(p);
      const base = this.bytes.spanBase;
      let i = p - base;
      if (i < 0 || i >= buf.length) return p;
      const stop = Math.min(buf.length, end - base);
      for (; i < stop; i++) {
        const b = buf[i]!;
        if (CLASS[b] !== 0) return base + i;
        if (b === 0x23) this.sawHash = true;
      }
      p = base + i;
    }
    return p;
  }

  next(): Token {
    this.skipSpace();
    const start = this.pos;
    const b = this.bytes.byte(start);
    if (b < 0) return { kind: 'eof', start };
    switch (b) {
      case 0x5b:
        this.pos++;
        return { kind: '[', start };
      case 0x5d:
        this.pos++;
        return { kind: ']', start };
      case 0x7b:
        this.pos++;
        return { kind: '{', start };
      case 0x7d:
        this.pos++;
        return { kind: '}', start };
      case 0x3c:
        if (this.bytes.byte(start + 1) === 0x3c) {
          this.pos += 2;
          return { kind: '<<', start };
        }
        return { kind: 'string', value: this.hexString(), start };
      case 0x3e:
        if (this.bytes.byte(start + 1) === 0x3e) {
          this.pos += 2;
          return { kind: '>>', start };
        }
        throw new PdfSyntaxError('stray >', start);
      case 0x28:
        return { kind: 'string', value: this.literalString(), start };
      case 0x29:
        throw new PdfSyntaxError('stray )', start);
      case 0x2f:
        return { kind: 'name', value: this.name(), start };
      default:
        break;
    }
    if ((b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2d || b === 0x2e) {
      // The fast path returns the token itself: one object per number instead of two.
      const num = this.number(start);
      if (num !== null) return num;
    }
    return { kind: 'keyword', value: this.keyword(), start };
  }

  private number(start: number): Token | null {
    // Nearly every number in a PDF is a plain non-negative integer (xref offsets, object numbers, lengths): read
    // those arithmetically. Anything else (a sign, a point, a writer's stray "1-2") takes the general path below.
    const buf = this.bytes.span(this.pos);
    const base = this.bytes.spanBase;
    const from = this.pos - base;
    let i = from;
    let value = 0;
    // Up to 15 digits stay exact in a double; the digit after the run must be in this buffer to be seen.
    const stop = Math.min(buf.length - 1, from + 15);
    let c = -1;
    while (i < stop) {
      c = buf[i]!;
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      i++;
    }
    if (i > from && i < buf.length) {
      c = buf[i]!;
      if (!(c >= 0x30 && c <= 0x39) && c !== 0x2b && c !== 0x2d && c !== 0x2e) {
        this.pos = base + i;
        return { kind: 'number', value, integer: true, start };
      }
    }
    const general = this.generalNumber();
    return general === null ? null : { kind: 'number', value: general.value, integer: general.integer, start };
  }

  private generalNumber(): { value: number; integer: boolean } | null {
    const start = this.pos;
    let text = '';
    for (;;) {
      const c = this.bytes.byte(this.pos);
      if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
        text += String.fromCharCode(c);
        this.pos++;
        if (text.length > 64) break;
      } else {
        break;
      }
    }
    // Sign characters inside a number ("1-2") are a known writer bug; keep the leading sign and what follows.
    const cleaned = text[0] + text.slice(1).replace(/[+-]/g, '');
    if (!/[0-9]/.test(cleaned)) {
      this.pos = start;
      return null;
    }
    const value = Number.parseFloat(cleaned.startsWith('+') ? cleaned.slice(1) : cleaned);
    if (!Number.isFinite(value)) return { value: 0, integer: true };
    return { value, integer: !cleaned.includes('.') };
  }

  private keyword(): string {
    const start = this.pos;
    // At most 257 bytes, as the byte-by-byte reader took: a keyword longer than that is junk either way.
    this.pos = this.regularRunEnd(start, start + 257);
    if (this.pos === start) {
      this.pos++; // an unexpected byte: consume it so callers always progress
      return String.fromCharCode(this.bytes.byte(start));
    }
    return interned(this.bytes, start, this.pos);
  }

  private name(): string {
    this.pos++; // '/'
    const begin = this.pos;
    this.pos = this.regularRunEnd(begin, begin + MAX_STRING_BYTES + 1);
    if (this.pos - begin > MAX_STRING_BYTES) throw tooLong('name', begin - 1);
    if (!this.sawHash) return interned(this.bytes, begin, this.pos);
    this.pos = begin;
    const out = new ByteBuilder();
    for (;;) {
      const c = this.bytes.byte(this.pos);
      if (c < 0 || isWhitespace(c) || isDelimiter(c)) break;
      if (c === 0x23) {
        const h = HEX_VALUE[this.bytes.byte(this.pos + 1) & 0xff];
        const l = HEX_VALUE[this.bytes.byte(this.pos + 2) & 0xff];
        if (h >= 0 && l >= 0 && this.bytes.byte(this.pos + 1) >= 0 && this.bytes.byte(this.pos + 2) >= 0) {
          out.push(h * 16 + l);
          this.pos += 3;
          continue;
        }
      }
      out.push(c);
      this.pos++;
      this.budget?.check();
    }
    return out.take().toString('latin1');
  }

  private hexString(): PdfString {
    const start = this.pos;
    const close = this.bytes.indexOf(GT, start + 1, start + 1 + MAX_STRING_BYTES + 1);
    if (close < 0) {
      if (start + 1 + MAX_STRING_BYTES < this.bytes.size) throw tooLong('hex string', start);
      throw new PdfSyntaxError('unterminated hex string', start);
    }
    this.budget?.check();
    const raw = this.bytes.slice(start + 1, close);
    this.pos = close + 1;
    const span = this.fromFile ? { start, end: this.pos } : undefined;
    const padded = decodeZeroPadded(raw);
    if (padded !== null) return new PdfString(padded, true, span);
    let digits = raw.toString('latin1');
    // Fast path for the usual clean string (a signature's /Contents is ~24 000 digits, twice per document): Node's
    // hex decoder stops at the first pair that is not two hex digits, so an even-length string that decodes whole
    // was all digits, and the answer is the one the checks below would give.
    if (digits.length % 2 === 0) {
      const bytes = Buffer.from(digits, 'hex');
      if (bytes.length * 2 === digits.length) return new PdfString(bytes, true, span);
    }
    // Whitespace, or junk other readers also skip, is dropped; an odd final digit is followed by an implied 0.
    if (!/^[0-9a-fA-F]*$/.test(digits)) digits = digits.replace(/[^0-9a-fA-F]/g, '');
    if (digits.length % 2 === 1) digits += '0';
    return new PdfString(Buffer.from(digits, 'hex'), true, span);
  }

  private literalString(): PdfString {
    const start = this.pos;
    this.pos++; // '('
    const out = new ByteBuilder();
    let depth = 1;
    for (;;) {
      this.budget?.check();
      const c = this.bytes.byte(this.pos);
      if (c < 0) throw new PdfSyntaxError('unterminated string', start);
      if (out.length >= MAX_STRING_BYTES) throw tooLong('string', start);
      this.pos++;
      if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        out.push(c);
      } else if (c === 0x5c) {
        this.escape(out);
      } else if (c === 0x0d) {
        // An unescaped end-of-line of any kind reads as a single LF.
        if (this.bytes.byte(this.pos) === 0x0a) this.pos++;
        out.push(0x0a);
      } else {
        out.push(c);
      }
    }
    return new PdfString(out.take(), false, this.fromFile ? { start, end: this.pos } : undefined);
  }

  private escape(out: ByteBuilder): void {
    const e = this.bytes.byte(this.pos);
    if (e < 0) return;
    this.pos++;
    switch (e) {
      case 0x6e: out.push(0x0a); return;
      case 0x72: out.push(0x0d); return;
      case 0x74: out.push(0x09); return;
      case 0x62: out.push(0x08); return;
      case 0x66: out.push(0x0c); return;
      case 0x0d:
        if (this.bytes.byte(this.pos) === 0x0a) this.pos++;
        return;
      case 0x0a:
        return;
      default:
        break;
    }
    if (e >= 0x30 && e <= 0x37) {
      let v = e - 0x30;
      for (let i = 0; i < 2; i++) {
        const d = this.bytes.byte(this.pos);
        if (d < 0x30 || d > 0x37) break;
        v = v * 8 + (d - 0x30);
        this.pos++;
      }
      out.push(v & 0xff);
      return;
    }
    out.push(e); // \( \) \\ and unknown escapes: the character itself
  }
}
