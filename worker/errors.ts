/**
 * Document-level failures: the file cannot be read as a PDF at all. Each has a stable code; the policy layer
 * turns it into verdict `error` with a Vietnamese (and English) message. Anything wrong *inside* a readable PDF
 * (a broken CMS, a forged byte range) is not an error but a finding on a signature.
 */
export type DocumentErrorCode =
  | 'EMPTY_FILE'
  | 'NOT_PDF'
  | 'TRUNCATED'
  | 'MALFORMED_PDF'
  | 'TOO_DEEP'
  | 'TOO_LARGE'
  | 'TOO_COMPLEX'
  | 'OUT_OF_MEMORY'
  | 'TIMEOUT'
  | 'UNREADABLE'
  | 'INTERNAL';

export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DocumentError';
  }
}

/**
 * Failures of the document's own budget (time, amount of work, memory) rather than of one object: code that skips an
 * unreadable object and reads on must let these through, or the document would go on past its budget.
 */
export function endsDocument(e: unknown): e is DocumentError {
  return e instanceof DocumentError && (e.code === 'TIMEOUT' || e.code === 'TOO_COMPLEX' || e.code === 'OUT_OF_MEMORY');
}

/**
 * A per-document time budget. Parsing loops call `check()`; past the deadline the document ends with TIMEOUT
 * instead of holding up the batch.
 */
export class Budget {
  private counter = 0;
  constructor(readonly deadline: number) {}
  static ms(ms: number): Budget {
    return new Budget(Date.now() + ms);
  }
  static unlimited(): Budget {
    return new Budget(Number.POSITIVE_INFINITY);
  }
  /** Cheap enough for inner loops: reads the clock once every 256 calls. */
  check(): void {
    if ((++this.counter & 0xff) !== 0) return;
    if (Date.now() > this.deadline) throw new DocumentError('TIMEOUT', 'per-document time budget exceeded');
  }
}
