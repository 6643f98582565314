import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { underCi } from './shared';

/**
 * Reading a PDF the way a person's tools do: poppler's pdftotext (the words, with their diacritics, NFC) and
 * pdfinfo (pages, paper size). Outside CI, when poppler-utils is not installed, the tests that need it are skipped
 * with a message; under CI (which installs it) its absence is a failure.
 */

const PDFTOTEXT = '/usr/bin/pdftotext';
const PDFINFO = '/usr/bin/pdfinfo';

export function popplerAvailable(what: string): boolean {
  if (fs.existsSync(PDFTOTEXT) && fs.existsSync(PDFINFO)) return true;
  if (underCi()) throw new Error(`poppler-utils (pdftotext, pdfinfo) is missing under CI: ${what} cannot run`);
  console.warn(`SKIPPED: ${what} — ${PDFTOTEXT} or ${PDFINFO} is absent (apt-get install poppler-utils)`);
  return false;
}

function withFile<T>(bytes: Uint8Array, read: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-pdf-'));
  try {
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, bytes);
    return read(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** pdftotext -layout of the whole document, or of one page (1-based), NFC. */
export function pdfText(bytes: Uint8Array, page?: number): string {
  return withFile(bytes, (file) => {
    const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
    return execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).normalize('NFC');
  });
}

/** Every page's text, NFC, in order. */
export function pdfPages(bytes: Uint8Array): string[] {
  // pdftotext ends each page with a form feed.
  return pdfText(bytes).split('\f').slice(0, pdfInfo(bytes).pages);
}

export interface PdfInfo {
  pages: number;
  /** "595.28 x 841.89", as pdfinfo prints it. */
  pageSize: string;
  fields: Record<string, string>;
}

export function pdfInfo(bytes: Uint8Array): PdfInfo {
  const out = withFile(bytes, (file) => execFileSync(PDFINFO, [file], { encoding: 'utf8' }));
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const size = /^([\d.]+ x [\d.]+) pts/.exec(fields['Page size'] ?? '');
  return { pages: Number(fields.Pages), pageSize: size ? size[1] : '', fields };
}

const PDFTOPPM = '/usr/bin/pdftoppm';

/**
 * How many pixels of page 1 are dark, rendered in grey at 50 dpi: text that extracts but is drawn blank (a broken
 * font subset) has words and no ink.
 */
export function inkOnFirstPage(bytes: Uint8Array): number {
  if (!fs.existsSync(PDFTOPPM)) throw new Error(`${PDFTOPPM} is absent`);
  const pgm = withFile(bytes, (file) => execFileSync(PDFTOPPM, ['-gray', '-r', '50', '-f', '1', '-l', '1', file], { maxBuffer: 64 << 20 }));
  // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte a pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not give a PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 128) dark++;
  return dark;
}
