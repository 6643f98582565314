import type { BatchReport, DocumentReport } from '../../worker/report';
import { t, type Lang } from '../shared/messages';
import { visible } from '../shared/safe-text';
import { findingMessages, providerNames, signerNames, unitLabel, verdictText, yesNo } from './describe';
import { defineFormat, type TextReportWriter } from './format';

/**
 * One row per document. UTF-8 with a BOM and CRLF: without the BOM, Excel on a Vietnamese Windows reads the
 * file as Windows-1258 and the diacritics come out garbled.
 */

function quote(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A cell a spreadsheet would read as a formula: one of `=+-@` first (after any spaces), or a tab or CR first. */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/;

/**
 * A spreadsheet opening the CSV takes a cell that begins with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`
 * sends the clerk to a site; `=cmd|…` asked old Excel to run a program), and one that begins with a tab or CR, or
 * with spaces before one of those, as one too once it is trimmed. File names, register cells and certificate names
 * are anybody's text, so such a cell gets a leading `'` (OWASP's advice: the spreadsheet then shows it as text,
 * apostrophe and all). Numbers the program writes are cells of type number and stay numbers, a negative one too.
 * Control and bidi characters are shown as escapes (safe-text.ts): the CSV goes to the terminal without `--out`.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return quote(visible(text));
}

/** The BOM and the header line. */
function csvHead(lang: Lang): string {
  const header = [
    t(lang, 'colFile'),
    t(lang, 'colUnit'),
    t(lang, 'colNumber'),
    t(lang, 'colVerdict'),
    t(lang, 'colSigned'),
    t(lang, 'colTwoLayer'),
    t(lang, 'colGovernmentCa'),
    t(lang, 'colIntact'),
    t(lang, 'colCertificatesValid'),
    t(lang, 'colStrongAlgorithms'),
    t(lang, 'colProviders'),
    t(lang, 'colPersonalSigner'),
    t(lang, 'colOrganizationSigner'),
    t(lang, 'colReasons'),
  ];
  return `\ufeff${header.map(csvCell).join(',')}\r\n`;
}

/** One document's line. */
function csvRow(doc: DocumentReport, lang: Lang): string {
  const c = doc.checks;
  const row: (string | number)[] = [
    doc.file,
    unitLabel(doc.unit, lang),
    doc.register?.number ?? '',
    verdictText(doc, lang),
    yesNo(c.signed, lang),
    yesNo(c.twoLayer, lang),
    yesNo(c.governmentCa, lang),
    yesNo(c.intact, lang),
    yesNo(c.certificatesValid, lang),
    yesNo(c.strongAlgorithms, lang),
    providerNames(doc),
    signerNames(doc, 'personal'),
    signerNames(doc, 'organization'),
    findingMessages(doc, lang),
  ];
  return `${row.map(csvCell).join(',')}\r\n`;
}

/**
 * The CSV written as its documents come (`kiemky check`, the API), the same shape as JsonReportStream: it has no
 * summary, so nothing waits for the last document.
 */
export class CsvReportStream implements TextReportWriter {
  private begun = false;

  constructor(private readonly lang: Lang) {}

  *document(doc: DocumentReport): Generator<string> {
    yield* this.begin();
    yield csvRow(doc, this.lang);
  }

  *end(): Generator<string> {
    yield* this.begin();
  }

  private *begin(): Generator<string> {
    if (this.begun) return;
    this.begun = true;
    yield csvHead(this.lang);
  }
}

export function formatCsv(report: BatchReport, lang: Lang): string {
  return csvHead(lang) + report.documents.map((doc) => csvRow(doc, lang)).join('');
}

/** One row a document, for a spreadsheet: downloaded as a file from the API. */
export const CSV_FORMAT = defineFormat({
  name: 'csv',
  help: {
    vi: 'mỗi văn bản một dòng, UTF-8 có BOM (mở được bằng Excel)',
    en: 'one row a document, UTF-8 with a BOM (opens in Excel)',
  },
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  toTerminal: true,
  incremental: true,
  api: true,
  download: true,
  writer: { kind: 'text', open: (o) => new CsvReportStream(o.lang) },
});
