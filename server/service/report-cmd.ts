import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportFormat, ReportIssuer, ReportOut } from '../report/format';
import { writeAll } from '../report/output';
import { periodLeaderPage, writeStreamedReport } from '../report/period';
import { t, type Lang } from '../shared/messages';
import type { ServiceConfig, Store } from '../shared/types';
import { openStore } from '../store/open';
import { CSV_SEPARATOR_NAMES, type CsvSeparator } from '../report/format-csv';
import { CommandRefused, fetchFromServe } from './control-client';

/**
 * `kiemky report`: the report of a period of months from the store `kiemky serve` keeps — the one serve would open,
 * from the same configuration (DATA_DIR / --data-dir, DATABASE_URL / --database-url). It only reads.
 *
 * PostgreSQL is opened beside a running serve as any client is. The embedded database admits one process: while a
 * serve of the same DATA_DIR runs (its control file names a port someone answers on) the command asks it for the
 * report over its local control channel (control.ts, which serves the API's GET /reports…), rather than open the
 * files serve is writing.
 */

export interface PeriodReportRequest {
  lang: Lang;
  from: string;
  to: string;
  /** The units asked for; empty: all. */
  units: string[];
  /** The leader's one page (PDF) instead of the inspection report in `format`. */
  summary: boolean;
  format: ReportFormat;
  csvSeparator?: CsvSeparator;
  issuer: ReportIssuer;
  generatedAt: Date;
}

export interface PeriodReportWritten {
  /** Null when serve wrote it (its answer is the file, not the counts). */
  documents: number | null;
  units: number | null;
  /** The control port of the serve that wrote it, or null for the store opened here. */
  servePort: number | null;
}

function refusal(key: 'reportNoDatabase', dataDir: string): CommandRefused {
  return new CommandRefused(key, t('vi', key, { dataDir }), t('en', key, { dataDir }));
}

/** The API's query for this report (report-routes.ts), which the control channel answers as the API does. */
export function reportPath(request: PeriodReportRequest): string {
  const q = new URLSearchParams({ from: request.from, to: request.to, lang: request.lang });
  for (const unit of request.units) q.append('unit', unit);
  if (!request.summary) q.set('format', request.format.name);
  const separator = Object.entries(CSV_SEPARATOR_NAMES).find(([, c]) => c === request.csvSeparator)?.[0];
  if (separator !== undefined) q.set('separator', separator);
  for (const [name, value] of Object.entries(request.issuer)) if (typeof value === 'string') q.set(name, value);
  return `${request.summary ? '/reports/summary' : '/reports'}?${q.toString()}`;
}

export async function periodReportCommand(
  cfg: Pick<ServiceConfig, 'databaseUrl' | 'dataDir'>,
  request: PeriodReportRequest,
  out: ReportOut,
  options: { store?: Store } = {},
): Promise<PeriodReportWritten> {
  if (!options.store && !cfg.databaseUrl) {
    // A control file not ours or not private is not used, as token create does not use it (control-client.ts).
    const servePort = await fetchFromServe(cfg.dataDir, reportPath(request), out.stream());
    if (servePort !== null) return { documents: null, units: null, servePort };
    // Opening an empty folder would make a new database and report nothing: a wrong DATA_DIR is said as such.
    if (!fs.existsSync(path.join(cfg.dataDir, 'db', 'PG_VERSION'))) throw refusal('reportNoDatabase', cfg.dataDir);
  }
  const store = options.store ?? (await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir }));
  const period = { from: request.from, to: request.to };
  const units = request.units.length > 0 ? request.units : undefined;
  try {
    if (request.summary) {
      const { bytes, summary } = await periodLeaderPage(store, period, units, { lang: request.lang, generatedAt: request.generatedAt, issuer: request.issuer });
      await writeAll(out.stream(), bytes);
      return { documents: summary.totals.documents, units: summary.units.length, servePort: null };
    }
    const stream = await store.streamPeriodReport({ ...period, ...(units ? { units } : {}) });
    const summary = await writeStreamedReport(stream, request.format, {
      lang: request.lang,
      generatedAt: request.generatedAt,
      compact: false,
      csvSeparator: request.csvSeparator,
      scope: { kind: 'period', from: request.from, to: request.to, units: request.units },
      issuer: request.issuer,
    }, out);
    return { documents: summary.totals.documents, units: summary.units.length, servePort: null };
  } finally {
    if (!options.store) await store.close();
  }
}
