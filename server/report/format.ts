import type { Writable } from 'node:stream';
import type { DocumentReport, Finding } from '../../worker/report';
import type { Lang } from '../shared/messages';
import type { BatchSummary } from './summary';

/**
 * What a report format is: one entry (formats.ts lists them) that `kiemky check --format`, the API's `?format=`
 * and the OpenAPI description all read. Each format's file holds its writer and its entry, so a new format is a
 * new file and one line in the registry.
 *
 * Every writer takes the documents one at a time, in file-name order, and is told the unit summary (counted by
 * the caller as they pass: SummaryTally) and the batch's findings at the end, so a province's month is never
 * held. A text writer gives its text as it goes (JSON, CSV: each document's at once; the table: all of it at the
 * end, its summary first); a binary writer keeps what it needs (the XLSX spools its rows to temporary files) and
 * writes its bytes to a stream at the end.
 */

export interface WriterOptions {
  lang: Lang;
  /** The report's generatedAt: when the check began (CLI), or when the store began reading it (API). */
  generatedAt: Date;
  /** For a program (the API): no indentation, no final line break. Else indented for a person, ending with one. */
  compact: boolean;
  /** Where a writer that spools keeps its temporary files; default the system's temporary folder. */
  tmpRoot?: string;
  /** The CSV's separator (`--csv-separator`, `?separator=`); default the one the language's Excel expects. */
  csvSeparator?: ';' | ',' | '\t';
  /** What the report covers, for the documents written for people (the inspection report): default one batch. */
  scope?: ReportScope;
  /** Who issues the inspection report (its header and signature block); blanks for the inspector to fill by default. */
  issuer?: ReportIssuer;
  /** The terminal table's width in columns (the CLI's choice, see tableWidth); default and minimum 80. */
  width?: number;
}

/** What a report covers: the documents of one check or batch, or of a period of months from the store. */
export type ReportScope =
  | { kind: 'batch'; /** The batch's id (API) or the inputs' names (CLI), for the report's scope line. */ label: string | null }
  | { kind: 'period'; /** Inclusive months YYYY-MM. */ from: string; to: string; /** The units asked for; none = all. */ units: string[] };

/** The inspection report's issuing body, place and signer; every field optional, a dotted blank when absent. */
export interface ReportIssuer {
  parentAgency?: string;
  agency?: string;
  /** Địa danh: the place in "…, ngày … tháng … năm …". */
  place?: string;
  signerTitle?: string;
  signerName?: string;
}

/** A text format: the text for each document as it comes, then the text that ends the report. */
export interface TextReportWriter {
  document(doc: DocumentReport): Iterable<string>;
  end(summary: BatchSummary, findings: Finding[]): Iterable<string>;
}

/** A binary format: documents kept until the end, then the whole file written to `out`. */
export interface BinaryReportWriter {
  document(doc: DocumentReport): void;
  /** Resolves once `out` has taken all of it; rejects when `out` fails or closes first. */
  end(summary: BatchSummary, findings: Finding[], out: Writable): Promise<void>;
  /** Removes what it kept (spool files), whether or not it ended. */
  dispose(): void;
}

export type FormatWriter =
  | { readonly kind: 'text'; open(options: WriterOptions): TextReportWriter }
  | { readonly kind: 'binary'; open(options: WriterOptions): BinaryReportWriter };

export interface ReportFormat<N extends string = string> {
  /** `--format NAME`, `?format=NAME`. */
  readonly name: N;
  /** What `kiemky --help` says of it, after its name. */
  readonly help: Readonly<Record<Lang, string>>;
  /** The API's Content-Type for it (its media type, without parameters, is the OpenAPI's). */
  readonly contentType: string;
  /** File extension, without its dot: the API's download name, `--out`'s hint. */
  readonly extension: string;
  /** May go to a terminal as it is; else `kiemky check` wants `--out` when stdout is one. */
  readonly toTerminal: boolean;
  /** Its text comes out as documents are verified: no progress line is drawn among it on a terminal. */
  readonly incremental: boolean;
  /** Offered by the API (`?format=`) and its OpenAPI description; the table is for a terminal only. */
  readonly api: boolean;
  /** The API sends it as a file to save (Content-Disposition: attachment), not as a body to show. */
  readonly download: boolean;
  readonly writer: FormatWriter;
}

/** Keeps the entry's name as its literal type, so the registry's names are a union the compiler checks. */
export function defineFormat<const N extends string>(format: ReportFormat<N>): ReportFormat<N> {
  return format;
}

/** Where a report goes: text pieces as they come, or the destination as a stream for a binary format's bytes. */
export interface ReportOut {
  /** Takes a piece of text; a promise when the destination asks the writer to wait. */
  text(piece: string): void | Promise<void>;
  stream(): Writable;
}

/** One report being written, whatever its format's kind: what the CLI and the API drive. */
export interface ReportWriter {
  /** The text to write now for this document; none from a binary writer, which keeps it. */
  document(doc: DocumentReport): Iterable<string>;
  /** Writes the rest of the report to `out`. */
  end(summary: BatchSummary, findings: Finding[], out: ReportOut): Promise<void>;
  /** Frees what the writer keeps; safe at any time, ended or not. */
  dispose(): void;
}

/** The one place the two kinds of writer differ for those who drive them. */
export function openReport(format: ReportFormat, options: WriterOptions): ReportWriter {
  const writer = format.writer;
  if (writer.kind === 'text') {
    const text = writer.open(options);
    return {
      document: (doc) => text.document(doc),
      async end(summary, findings, out) {
        for (const piece of text.end(summary, findings)) await out.text(piece);
      },
      dispose: () => undefined,
    };
  }
  const binary = writer.open(options);
  return {
    document(doc) {
      binary.document(doc);
      return [];
    },
    end: (summary, findings, out) => binary.end(summary, findings, out.stream()),
    dispose: () => binary.dispose(),
  };
}
