/**
 * The PDF object model. Values are plain and immutable once parsed; streams keep only where their raw data sits
 * so that a large stream is never read unless someone asks for it.
 */

export class PdfName {
  constructor(readonly name: string) {}
  toString(): string {
    return `/${this.name}`;
  }
}

export class PdfString {
  constructor(
    readonly bytes: Buffer,
    readonly hex: boolean,
    /** File offsets of the opening delimiter and one past the closing one, when parsed straight from the file. */
    readonly span?: { start: number; end: number },
  ) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfDict {
  readonly map: Map<string, PdfValue>;
  constructor(map?: Map<string, PdfValue>) {
    this.map = map ?? new Map();
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** File offset of the first data byte; -1 when the data is held in `inline` (decrypted or from an object stream). */
    readonly dataOffset: number,
    readonly dataLength: number,
    /** Object this stream is, for decryption keys; null when unknown. */
    readonly owner: { num: number; gen: number } | null = null,
  ) {}
}

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfValue[];

export function isInteger(v: PdfValue | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Name value or null; used where a wrong type must read as "absent", never as a default that grants something. */
export function nameOf(v: PdfValue | undefined): string | null {
  return v instanceof PdfName ? v.name : null;
}

/** Dictionary of a dict or stream value. */
export function dictOf(v: PdfValue | undefined): PdfDict | null {
  if (v instanceof PdfDict) return v;
  if (v instanceof PdfStream) return v.dict;
  return null;
}
