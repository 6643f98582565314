import { formatSize } from './sizes';

/**
 * What a register may hold. A register is a month's list of outgoing documents, not a place for data: past these
 * it is refused whole, before it can take the server's memory or time (a 212 MB CSV once took 5.9 GB and 45 s).
 */
export interface RegisterLimits {
  /** The file's bytes; for an XLSX, also the characters its cells hold (its shared strings, its cells as read). */
  maxBytes: number;
  /** Rows of the sheet, the empty ones and those above the header included: each costs its parse. */
  maxRows: number;
  /** Characters in one cell: Excel's own limit, so no real register has a longer one. */
  maxCellChars: number;
}

/** Excel refuses to hold more characters in one cell. */
export const MAX_CELL_CHARS = 32_767;

/**
 * A province's month in one register: about 200,000 rows of some 250 bytes (number, date, a summary of a line or
 * two, signer, unit). A register past either is refused rather than parsed: it cannot be a real month.
 * KIEMKY_MAX_REGISTER_BYTES and KIEMKY_MAX_REGISTER_ROWS change them, for the service and `kiemky check` alike.
 */
export const DEFAULT_REGISTER_LIMITS: Readonly<RegisterLimits> = Object.freeze({ maxBytes: 50 * 1024 ** 2, maxRows: 200_000, maxCellChars: MAX_CELL_CHARS });

/** An XLSX's XML is several times its text (tags, cell references): this many times maxBytes may be unpacked. */
export const XLSX_UNPACKED_FACTOR = 10;

/** Columns kept per row: a register has about ten; cells further right are read past and dropped. */
export const MAX_COLUMNS = 1024;

export type RegisterLimitKind = 'bytes' | 'text' | 'unpacked' | 'rows' | 'cell';

/** A register over one of its limits: the upload answers 413, the CLI exits 2, the export pull records a finding. */
export class RegisterLimitError extends Error {
  constructor(
    readonly kind: RegisterLimitKind,
    readonly limit: number,
    /** The sheet row (1-based) where a cell was too long, when known. */
    readonly line: number | null = null,
  ) {
    super(`register over its ${kind} limit (${limit})`);
    this.name = 'RegisterLimitError';
  }
}

/** The reason, in each language, without the file's name (the callers say which file). */
export function registerLimitText(err: Pick<RegisterLimitError, 'kind' | 'limit' | 'line'>, lang: 'vi' | 'en'): string {
  const vi = lang === 'vi';
  switch (err.kind) {
    case 'bytes':
      return vi ? `tệp quá lớn (giới hạn ${formatSize(err.limit, 'vi')})` : `the file is too large (limit ${formatSize(err.limit, 'en')})`;
    case 'text':
      return vi
        ? `các ô chứa quá nhiều chữ (giới hạn ${err.limit} ký tự)`
        : `its cells hold too much text (limit ${err.limit} characters)`;
    case 'unpacked':
      return vi
        ? `quá lớn khi giải nén (giới hạn ${formatSize(err.limit, 'vi')})`
        : `too large unpacked (limit ${formatSize(err.limit, 'en')})`;
    case 'rows':
      return vi ? `quá nhiều dòng (giới hạn ${err.limit} dòng)` : `too many rows (limit ${err.limit} rows)`;
    case 'cell': {
      const where = err.line === null ? '' : vi ? ` ở dòng ${err.line}` : ` in row ${err.line}`;
      return vi
        ? `một ô${where} dài quá ${err.limit} ký tự`
        : `a cell${where} is longer than ${err.limit} characters`;
    }
  }
}

/** The limits of a register from the service's settings (KIEMKY_MAX_REGISTER_BYTES, KIEMKY_MAX_REGISTER_ROWS). */
export function registerLimits(settings: { maxRegisterBytes: number; maxRegisterRows: number }): RegisterLimits {
  return { maxBytes: settings.maxRegisterBytes, maxRows: settings.maxRegisterRows, maxCellChars: MAX_CELL_CHARS };
}
