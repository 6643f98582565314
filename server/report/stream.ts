import type { DocumentReport, Finding } from '../../worker/report';
import type { Lang } from '../shared/messages';
import { CsvReportStream } from './format-csv';
import { JsonReportStream, type JsonGap } from './format-json';
import type { BatchSummary } from './summary';

/**
 * A report format written as its documents come, in file-name order: pieces for each document, then the pieces
 * that end it once the caller has counted the unit summary (SummaryTally). JSON and CSV are written this way by
 * `kiemky check` and the API, so a province's month is never held. The table is one too, whose pieces all come at
 * the end (its summary goes first); the XLSX, binary and written sheet after sheet, is XlsxReportWriter.
 */
export interface ReportStream {
  document(doc: DocumentReport): Iterable<string>;
  end(summary: BatchSummary, findings: Finding[]): Iterable<string>;
}

export type StreamedFormat = 'json' | 'csv';

export function isStreamedFormat(format: string): format is StreamedFormat {
  return format === 'json' || format === 'csv';
}

export function reportStream(format: StreamedFormat, options: { gap: JsonGap; lang: Lang; generatedAt: Date }): ReportStream {
  return format === 'json' ? new JsonReportStream(options.gap, options.generatedAt) : new CsvReportStream(options.lang);
}
