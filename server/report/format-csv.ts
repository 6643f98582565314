import type { BatchReport, DocumentReport } from '../../worker/report';
import { t, type Lang } from '../shared/messages';
import { visible } from '../shared/safe-text';
import { neutralized } from './formula-guard';
import { findingMessages, findingRemedies, providerNames, signerNames, unitLabel, verdictText, yesNo } from './describe';
import { defineFormat, type TextReportWriter, type WriterOptions } from './format';

/**
 * One row per document. UTF-8 with a BOM and CRLF: without the BOM, Excel on a Vietnamese Windows reads the
 * file as Windows-1258 and the diacritics come out garbled. Excel splits a CSV it opens at the list separator of
 * the Windows region, which is `;` for Vietnam (its decimal mark is the comma): so the Vietnamese report is
 * `;`-separated and the English one `,`-separated, unless the caller chose (`--csv-separator`, `?separator=`).
 */

export type CsvSeparator = NonNullable<WriterOptions['csvSeparator']>;

/** What `--csv-separator` and `?separator=` accept, and the separator each stands for. */
export const CSV_SEPARATOR_NAMES: Readonly<Record<string, CsvSeparator>> = { ';': ';', ',': ',', tab: '\t' };

export function csvSeparatorNamed(name: string): CsvSeparator | undefined {
  return Object.hasOwn(CSV_SEPARATOR_NAMES, name) ? CSV_SEPARATOR_NAMES[name] : undefined;
}

/** The separator the reader's Excel expects: Vietnamese Windows lists with `;`, English with `,`. */
export function defaultCsvSeparator(lang: Lang): CsvSeparator {
  return lang === 'vi' ? ';' : ',';
}

const NEEDS_QUOTES: Readonly<Record<CsvSeparator, RegExp>> = { ';': /[";\r\n]/, ',': /[",\r\n]/, '\t': /["\t\r\n]/ };

function quote(value: string, separator: CsvSeparator): string {
  return NEEDS_QUOTES[separator].test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A cell of the CSV: neutralized when it would start a formula (formula-guard.ts), then its control and bidi
 * characters shown as escapes (safe-text.ts): the CSV goes to the terminal without `--out`. Quoted when it holds
 * the separator, a quote or a line break. Numbers the program writes stay numbers, a negative one too.
 */
export function csvCell(value: string | number, separator: CsvSeparator = ','): string {
  if (typeof value === 'number') return String(value);
  return quote(visible(neutralized(value)), separator);
}

/** The BOM and the header line. */
function csvHead(lang: Lang, separator: CsvSeparator): string {
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
    t(lang, 'colRemedies'),
  ];
  return `\ufeff${header.map((h) => csvCell(h, separator)).join(separator)}\r\n`;
}

/** One document's line. */
function csvRow(doc: DocumentReport, lang: Lang, separator: CsvSeparator): string {
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
    findingRemedies(doc, lang),
  ];
  return `${row.map((cell) => csvCell(cell, separator)).join(separator)}\r\n`;
}

/**
 * The CSV written as its documents come (`kiemky check`, the API), the same shape as JsonReportStream: it has no
 * summary, so nothing waits for the last document.
 */
export class CsvReportStream implements TextReportWriter {
  private begun = false;

  constructor(
    private readonly lang: Lang,
    private readonly separator: CsvSeparator = defaultCsvSeparator(lang),
  ) {}

  *document(doc: DocumentReport): Generator<string> {
    yield* this.begin();
    yield csvRow(doc, this.lang, this.separator);
  }

  *end(): Generator<string> {
    yield* this.begin();
  }

  private *begin(): Generator<string> {
    if (this.begun) return;
    this.begun = true;
    yield csvHead(this.lang, this.separator);
  }
}

export function formatCsv(report: BatchReport, lang: Lang, separator: CsvSeparator = defaultCsvSeparator(lang)): string {
  return csvHead(lang, separator) + report.documents.map((doc) => csvRow(doc, lang, separator)).join('');
}

/** One row a document, for a spreadsheet: downloaded as a file from the API. */
export const CSV_FORMAT = defineFormat({
  name: 'csv',
  help: {
    vi: 'mỗi văn bản một dòng, UTF-8 có BOM, phân cách bằng ; (Excel tiếng Việt mở đúng cột)',
    en: 'one row a document, UTF-8 with a BOM, comma-separated (opens in Excel)',
  },
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  toTerminal: true,
  incremental: true,
  api: true,
  download: true,
  writer: { kind: 'text', open: (o) => new CsvReportStream(o.lang, o.csvSeparator) },
});
