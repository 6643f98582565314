import { CSV_FORMAT } from './format-csv';
import { DOCX_FORMAT } from './format-docx';
import { JSON_FORMAT } from './format-json';
import { PDF_FORMAT } from './format-pdf';
import { TABLE_FORMAT } from './format-table';
import { XLSX_FORMAT } from './format-xlsx';
import type { ReportFormat } from './format';

/**
 * The report formats: the one list `kiemky check --format`, its `--help`, the API's `?format=` and the OpenAPI
 * description read. A new format is a file holding its writer and its entry (see format.ts), and one line here.
 */
export const REPORT_FORMATS = [TABLE_FORMAT, JSON_FORMAT, CSV_FORMAT, XLSX_FORMAT, DOCX_FORMAT, PDF_FORMAT] as const;

export type ReportFormatName = (typeof REPORT_FORMATS)[number]['name'];

/** What a clerk gets on the terminal. */
export const DEFAULT_CLI_FORMAT: ReportFormatName = 'table';
/** What a program gets from the API: the report contract as is. */
export const DEFAULT_API_FORMAT: ReportFormatName = 'json';

/** Every format's name, in the registry's order: what `--format` accepts. */
export function formatNames(): ReportFormatName[] {
  return REPORT_FORMATS.map((f) => f.name);
}

/** The formats the API offers, in the registry's order. */
export function apiFormats(): ReportFormat[] {
  return REPORT_FORMATS.filter((f) => f.api);
}

/** The entry of a name `--format` accepted (formatNames()). */
export function formatNamed(name: ReportFormatName): ReportFormat {
  return REPORT_FORMATS.find((f) => f.name === name)!;
}

export function apiFormatNamed(name: string): ReportFormat | undefined {
  return apiFormats().find((f) => f.name === name);
}
