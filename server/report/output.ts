import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import type { ReportOut } from './format';
import { PieceBatcher } from './format-json';

/**
 * Runs `work`, which writes to `out`, and rejects as soon as `out` fails or closes before it has taken everything: a
 * client that goes away mid-download must end the writing, not leave it waiting. `what` names it in the error.
 */
export async function whileOpen(out: Writable, what: string, work: () => Promise<void>): Promise<void> {
  let onError: (err: Error) => void = () => undefined;
  let onClose: () => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    onError = reject;
    onClose = () => {
      if (!out.writableFinished) reject(new Error(`the output closed before ${what} was written`));
    };
    out.on('error', onError);
    out.on('close', onClose);
  });
  const writing = work();
  // Whichever loses the race may still settle later: that must not surface as an unhandled rejection.
  writing.catch(() => undefined);
  stopped.catch(() => undefined);
  try {
    await Promise.race([writing, stopped]);
  } finally {
    out.off('error', onError);
    out.off('close', onClose);
  }
}

/** Writes the whole of `bytes` to `out` and ends it; rejects when `out` fails or closes first. */
export function writeAll(out: Writable, bytes: Uint8Array): Promise<void> {
  return whileOpen(out, 'the report', () => new Promise<void>((resolve) => out.end(bytes, () => resolve())));
}

/** A stream that may ask its writer to wait: a Writable, or an HTTP response. */
export type Drainable = Pick<Writable, 'writableNeedDrain' | 'destroyed' | 'on' | 'off'>;

/** Resolves once `out` wants more (at once when it does already), or when it has gone away. */
export function drained(out: Drainable): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const go = (): void => {
      out.off('drain', go);
      out.off('close', go);
      resolve();
    };
    out.on('drain', go);
    out.on('close', go);
  });
}

/** What `check` writes to when there is no `--out`: stdout, or a capture in tests. */
export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  /** A terminal's width in columns (process.stdout has it when it is one). */
  columns?: number;
  /** process.stdout reports a failed write (a reader gone) as an 'error' event, after the write call returned. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * The program reading the report has stopped reading (`kiemky check … | head`): the check stops quietly, as the
 * other programs of a pipeline do, instead of verifying on for no one or dying with a stack trace.
 */
export class OutputClosed extends Error {
  constructor(readonly reason: string) {
    super(`the reader of the report has gone (${reason})`);
    this.name = 'OutputClosed';
  }
}

function isPipeClosed(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Where `kiemky check` writes its report: the `--out` file or stdout, in writes of about 64 KB. The file is opened
 * at the first write, so a usage error found before the report begins (or while the XLSX, written at the end, is
 * still spooling its rows) leaves an earlier report at that path as it was.
 */
export class ReportOutput implements ReportOut {
  private fd: number | null = null;
  private readonly batcher = new PieceBatcher();
  /** A failure stdout reported after its write returned; the next write throws it. */
  private stdoutFailed: unknown = null;

  constructor(
    private readonly out: string | null,
    private readonly stdout: OutStream,
    /** What a failed open or write is thrown as (the CLI's usage error naming the path). */
    private readonly unwritable: (err: unknown) => Error,
  ) {
    if (out === null) stdout.on?.('error', (err) => (this.stdoutFailed ??= err));
  }

  write(piece: string | Buffer): void {
    if (typeof piece !== 'string') {
      this.flush();
      this.emit(piece);
      return;
    }
    const full = this.batcher.add(piece);
    if (full !== null) this.emit(full);
  }

  text(piece: string): void {
    this.write(piece);
  }

  /**
   * The same output as a stream, for a writer that wants one (the XLSX). Each chunk is written before the next is
   * asked for; a write that fails fails the stream with the usage error `write` would have thrown.
   */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        try {
          this.write(chunk);
          done();
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)));
        }
      },
    });
  }

  /** Writes what is gathered; call before close. */
  flush(): void {
    const rest = this.batcher.rest();
    if (rest !== null) this.emit(rest);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private emit(piece: string | Buffer): void {
    if (this.out === null) {
      try {
        if (this.stdoutFailed === null) this.stdout.write(piece);
      } catch (err) {
        this.stdoutFailed = err;
      }
      if (this.stdoutFailed !== null) throw this.failure(this.stdoutFailed);
      return;
    }
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    try {
      this.fd ??= fs.openSync(this.out, 'w');
      // A write may take fewer bytes than it was given: go on from where it stopped.
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (err) {
      throw this.failure(err);
    }
  }

  private failure(err: unknown): Error {
    return isPipeClosed(err) ? new OutputClosed(String((err as { code?: unknown }).code)) : this.unwritable(err);
  }
}
