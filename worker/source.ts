import * as fs from 'node:fs';

/**
 * Where a document's bytes come from. The core reads by range so that a 1 GB PDF is never held whole:
 * only the tail, the xref sections and the objects it needs are read, and signed bytes are hashed in chunks.
 */
export interface ByteSource {
  readonly size: number;
  /** Bytes [offset, offset+length), clipped to the end of the source. May return a view: do not mutate. */
  read(offset: number, length: number): Buffer;
  /** The whole content, when it is already in memory (a view: do not mutate). */
  whole?(): Buffer;
  close?(): void;
}

export class BufferSource implements ByteSource {
  constructor(private readonly buf: Buffer) {}
  get size(): number {
    return this.buf.length;
  }
  whole(): Buffer {
    return this.buf;
  }
  read(offset: number, length: number): Buffer {
    const start = Math.max(0, Math.min(offset, this.buf.length));
    const end = Math.max(start, Math.min(offset + length, this.buf.length));
    return this.buf.subarray(start, end);
  }
}

/** Files up to this size are read whole: one read beats many for the small PDFs a month is made of. */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

export class FileSource implements ByteSource {
  private fd: number | null;
  readonly size: number;
  constructor(path: string) {
    this.fd = fs.openSync(path, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Buffer {
    if (this.fd === null) throw new Error('FileSource closed');
    const start = Math.max(0, Math.min(offset, this.size));
    const len = Math.max(0, Math.min(offset + length, this.size) - start);
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, start + got);
      if (n <= 0) break;
      got += n;
    }
    return got === len ? buf : buf.subarray(0, got);
  }
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Opens a file as a source: whole in memory when small, by range when large. */
export function openFileSource(path: string): ByteSource {
  const st = fs.statSync(path);
  if (st.size <= WHOLE_FILE_LIMIT) return new BufferSource(fs.readFileSync(path));
  return new FileSource(path);
}
