import type { Budget } from '../errors';
import { PdfString } from './objects';
import { isDelimiter, isWhitespace } from './window';

/** What the lexer reads from: the file through a window, or a decoded buffer (object streams). */
export interface ByteAccess {
  readonly size: number;
  byte(pos: number): number;
  slice(start: number, end: number): Buffer;
  /** First occurrence of `needle` at or after `from`, starting before `limit`; -1 when absent. */
  indexOf(needle: Buffer, from: number, limit?: number): number;
}

export class BufferBytes implements ByteAccess {
  constructor(private readonly buf: Buffer) {}
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

export class Lexer {
  pos: number;

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
    for (;;) {
      const b = this.bytes.byte(this.pos);
      if (b < 0) return;
      if (isWhitespace(b)) {
        this.pos++;
      } else if (b === 0x25) {
        while (true) {
          const c = this.bytes.byte(this.pos);
          if (c < 0 || c === 0x0a || c === 0x0d) break;
          this.pos++;
        }
      } else {
        return;
      }
    }
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
      const num = this.number();
      if (num !== null) return { kind: 'number', value: num.value, integer: num.integer, start };
    }
    return { kind: 'keyword', value: this.keyword(), start };
  }

  private number(): { value: number; integer: boolean } | null {
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
    for (;;) {
      const c = this.bytes.byte(this.pos);
      if (c < 0 || isWhitespace(c) || isDelimiter(c)) break;
      this.pos++;
      if (this.pos - start > 256) break;
    }
    if (this.pos === start) {
      this.pos++; // an unexpected byte: consume it so callers always progress
      return String.fromCharCode(this.bytes.byte(start));
    }
    return this.bytes.slice(start, this.pos).toString('latin1');
  }

  private name(): string {
    this.pos++; // '/'
    const begin = this.pos;
    let plain = true;
    for (;;) {
      const c = this.bytes.byte(this.pos);
      if (c < 0 || isWhitespace(c) || isDelimiter(c)) break;
      if (c === 0x23) plain = false;
      this.pos++;
    }
    if (plain) return this.bytes.slice(begin, this.pos).toString('latin1');
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
    const close = this.bytes.indexOf(GT, start + 1);
    if (close < 0) throw new PdfSyntaxError('unterminated hex string', start);
    this.budget?.check();
    let digits = this.bytes.slice(start + 1, close).toString('latin1');
    this.pos = close + 1;
    const span = this.fromFile ? { start, end: this.pos } : undefined;
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
