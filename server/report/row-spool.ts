import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { TempDir } from '../shared/temp';

/**
 * Rows of a report sheet kept on disk as they come and read back in the same order, so that a workbook whose
 * sheets must be written one after the other (all the documents, then all the signatures) can be made from a
 * single pass over the documents without holding a province's month in memory. One JSON array per line: JSON
 * escapes every line break a cell may carry, so a line is always one row.
 */

export type Cell = string | number | null;

/**
 * The spool's own disk failed: its folder could not be made (TMPDIR is not a folder), a write found the disk full,
 * a file could not be read back. Told apart from a failure of the report's output, so the caller can say which.
 */
export class SpoolError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SpoolError';
  }
}

/** Gathered in memory up to this many characters, then written: one write per few hundred rows. */
const FLUSH_CHARS = 64 * 1024;

export class RowSpool {
  private file: string | null = null;
  private fd: number | null = null;
  private pending = '';
  private rowCount = 0;

  /** The file is made in `temp` when the first rows are written: a spool that stays small never touches the disk. */
  constructor(
    private readonly temp: TempDir,
    private readonly suffix: string,
  ) {}

  get count(): number {
    return this.rowCount;
  }

  push(row: Cell[]): void {
    this.pending += `${JSON.stringify(row)}\n`;
    this.rowCount++;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /**
   * Writes what is still held and closes the file; push no more after it. A caller that must know the spool is
   * whole before it starts its output (the XLSX) calls it first; rows() does it too.
   */
  seal(): void {
    this.flush();
    this.close();
  }

  /** The rows pushed, in order. */
  async *rows(): AsyncGenerator<Cell[]> {
    this.seal();
    if (this.file === null) return;
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
    try {
      for await (const line of lines) if (line !== '') yield JSON.parse(line) as Cell[];
    } catch (err) {
      throw new SpoolError(err);
    } finally {
      lines.close();
    }
  }

  /** Closes the file; removing it is the TempDir's. */
  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      fs.closeSync(fd);
    } catch (err) {
      throw new SpoolError(err);
    }
  }

  private flush(): void {
    if (this.pending === '') return;
    const bytes = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    try {
      this.file ??= this.temp.file(this.suffix);
      this.fd ??= fs.openSync(this.file, 'w');
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (err) {
      throw new SpoolError(err);
    }
  }
}
