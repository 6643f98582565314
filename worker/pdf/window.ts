import type { ByteSource } from '../source';
import type { Budget } from '../errors';

/**
 * Byte access to a source through a sliding window, so the parser can read token by token without ever asking
 * for the whole file (a source may be 1 GB). Reads outside the window move it.
 */
export class SourceWindow {
  private base = 0;
  private buf: Buffer = Buffer.alloc(0);
  readonly size: number;

  constructor(
    readonly source: ByteSource,
    private readonly windowSize = 64 * 1024,
  ) {
    this.size = source.size;
    // A file already in memory is its own window: it never needs to move.
    const whole = source.whole?.();
    if (whole) this.buf = whole;
  }

  /** Byte at `pos`, or -1 past either end. */
  byte(pos: number): number {
    const rel = pos - this.base;
    if (rel >= 0 && rel < this.buf.length) return this.buf[rel];
    if (pos < 0 || pos >= this.size) return -1;
    this.moveTo(pos);
    return this.buf[pos - this.base];
  }

  /** The window's bytes, moved first if `pos` is outside them; see ByteAccess.span. */
  span(pos: number): Buffer {
    const rel = pos - this.base;
    if ((rel < 0 || rel >= this.buf.length) && pos >= 0 && pos < this.size) this.moveTo(pos);
    return this.buf;
  }

  get spanBase(): number {
    return this.base;
  }

  private moveTo(pos: number): void {
    // Start a little before pos: parsers often step back one or two bytes.
    this.base = Math.max(0, pos - 256);
    this.buf = this.source.read(this.base, this.windowSize);
  }

  /** Bytes [start, end), clipped to the source. */
  slice(start: number, end: number): Buffer {
    const s = Math.max(0, start);
    const e = Math.min(this.size, end);
    if (e <= s) return Buffer.alloc(0);
    if (s >= this.base && e <= this.base + this.buf.length) return this.buf.subarray(s - this.base, e - this.base);
    return this.source.read(s, e - s);
  }

  /**
   * First occurrence of `needle` at or after `from` and starting before `limit`; -1 when absent. The window is
   * searched first, then the source in chunks that grow from the window's size to 1 MB: the usual hit (the `>` that
   * ends a hex string) is a few bytes on, and a 1 MB read for each of a hundred thousand small strings cost a
   * hostile file minutes.
   */
  indexOf(needle: Buffer, from: number, limit = this.size, budget?: Budget): number {
    let pos = Math.max(0, from);
    const rel = pos - this.base;
    if (rel >= 0 && rel < this.buf.length) {
      const hit = this.buf.indexOf(needle, rel);
      if (hit >= 0) return this.base + hit < limit ? this.base + hit : -1;
      // Not in the window: go on from where a needle cut by the window's end would start.
      pos = Math.max(pos, this.base + this.buf.length - needle.length + 1);
    }
    let chunk = this.windowSize;
    while (pos < limit) {
      budget?.check();
      const end = Math.min(this.size, Math.min(limit, pos + chunk) + needle.length - 1);
      const part = this.slice(pos, end);
      const hit = part.indexOf(needle);
      if (hit >= 0 && pos + hit < limit) return pos + hit;
      pos += chunk;
      chunk = Math.min(2 * chunk, 1024 * 1024);
    }
    return -1;
  }

  /** Last occurrence of `needle` starting in [from, before); -1 when absent. */
  lastIndexOf(needle: Buffer, before: number, from = 0, budget?: Budget): number {
    const chunk = 1024 * 1024;
    let end = Math.min(this.size, before + needle.length - 1);
    while (end > from) {
      budget?.check();
      const start = Math.max(from, end - chunk);
      const part = this.slice(start, end);
      const hit = part.lastIndexOf(needle);
      if (hit >= 0 && start + hit < before) return start + hit;
      if (start === from) break;
      end = start + needle.length - 1;
    }
    return -1;
  }
}

export function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
}

export function isDelimiter(b: number): boolean {
  return (
    b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d ||
    b === 0x2f || b === 0x25
  );
}
