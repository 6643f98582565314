import type { Writable } from 'node:stream';
import express, { type Request, type Response, type Router } from 'express';
import type { Lang } from '../shared/messages';
import type { ReportFormat, ReportIssuer, ReportOut, ReportScope } from '../report/format';
import { CSV_SEPARATOR_NAMES, csvSeparatorNamed, type CsvSeparator } from '../report/format-csv';
import { PieceBatcher } from '../report/format-json';
import { apiFormatNamed, apiFormats, DEFAULT_API_FORMAT } from '../report/formats';
import { drained } from '../report/output';
import { writeStreamedReport } from '../report/period';
import type { BatchReportStream, Role, Store, TokenRecord, UnitQuery } from '../shared/types';
import { caller, isRole, issueToken, requireAction, unitScope } from './auth';
import { ApiError } from './errors';
import { parseMonth } from '../shared/months';
import { hasControlCharacters } from './names';

/**
 * The read routes and token creation. Each route names the action it needs (auth.ts holds the role table) and
 * hands the caller's unit scope (a clerk's units) to the Store, which answers only what those units may see: the
 * clerk's batches, the clerk's rows of other batches, the clerk's units' figures. What a clerk may not see answers
 * as what does not exist (404), so no answer tells a clerk that another unit uploaded something.
 */

const SHA256 = /^[0-9a-fA-F]{64}$/;

export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ApiError('BAD_REQUEST', { detail: `${name}` });
  return value;
}

/**
 * A report written to the client as the store reads its documents a page at a time, the unit summary counted on
 * the way, whatever its format (report/formats.ts): a province's month is held neither as reports nor as one
 * string, and an XLSX's rows wait in spool files under `tmpRoot` (DATA_DIR/tmp) until the workbook is streamed.
 * The response is labelled (Content-Type, and a download name for a file to save) when its first byte goes, so a
 * failure before that is answered in the API's error shape, not as the format; after it, there is no one to tell
 * but the log, and the response is cut. A client that stops reading holds the writer at the next full buffer; one
 * that goes away ends it.
 */
export async function sendReport(
  res: Response,
  report: BatchReportStream,
  format: ReportFormat,
  options: {
    /** The download's name without its extension. */
    name: string;
    lang: Lang;
    tmpRoot: string;
    csvSeparator?: CsvSeparator;
    scope?: ReportScope;
    issuer?: ReportIssuer;
  },
): Promise<void> {
  const { lang, tmpRoot, csvSeparator, scope, issuer } = options;
  const out = new ResponseOut(res, () => {
    res.type(format.contentType);
    if (format.download) res.attachment(`${options.name}.${format.extension}`);
  });
  try {
    const written = await writeStreamedReport(report, format, { lang, generatedAt: report.generatedAt, compact: true, tmpRoot, csvSeparator, scope, issuer }, out, () => res.destroyed);
    if (written === null) return;
    await out.finish();
  } catch (err) {
    // The client went away: nobody to answer.
    if (res.destroyed) return;
    if (!res.headersSent) {
      res.removeHeader('Content-Type');
      res.removeHeader('Content-Disposition');
    }
    throw err;
  }
}

/** The response as a report's destination: text gathered into writes of about 64 KB, or the response itself. */
class ResponseOut implements ReportOut {
  private readonly batcher = new PieceBatcher();
  private labelled = false;

  constructor(
    private readonly res: Response,
    private readonly label: () => void,
  ) {}

  async text(piece: string): Promise<void> {
    const full = this.batcher.add(piece);
    if (full !== null) await this.send(full);
  }

  stream(): Writable {
    this.begin();
    return this.res;
  }

  /** Sends what is gathered and ends the response, unless a binary writer ended it already. */
  async finish(): Promise<void> {
    const rest = this.batcher.rest();
    if (rest !== null) await this.send(rest);
    this.begin();
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end();
  }

  private begin(): void {
    if (this.labelled) return;
    this.labelled = true;
    this.label();
  }

  /** Writes `piece`, and waits while the client's buffer is full (or until it has gone away). */
  private async send(piece: string): Promise<void> {
    this.begin();
    if (this.res.destroyed || this.res.write(piece)) return;
    await drained(this.res);
  }
}

/** The inspection report's issuer from the query (`agency`, `parentAgency` …): one line each, of bounded length. */
const ISSUER_PARAMS = ['parentAgency', 'agency', 'place', 'signerTitle', 'signerName'] as const satisfies readonly (keyof ReportIssuer)[];
export const MAX_ISSUER_LENGTH = 200;

export function issuerQuery(req: Request): ReportIssuer {
  const issuer: ReportIssuer = {};
  for (const name of ISSUER_PARAMS) {
    const value = queryString(req, name)?.normalize('NFC').trim();
    if (value === undefined || value === '') continue;
    if (value.length > MAX_ISSUER_LENGTH || hasControlCharacters(value)) throw new ApiError('BAD_REQUEST', { detail: `${name} (≤ ${MAX_ISSUER_LENGTH})` });
    issuer[name] = value;
  }
  return issuer;
}

/** `?separator=` for a CSV (`;`, `,` or `tab`); absent, the language's (report/format-csv.ts). */
export function separator(req: Request): CsvSeparator | undefined {
  const value = queryString(req, 'separator');
  if (value === undefined || value === '') return undefined;
  const found = csvSeparatorNamed(value);
  if (!found) throw new ApiError('BAD_REQUEST', { detail: `separator: ${Object.keys(CSV_SEPARATOR_NAMES).join(' ')}` });
  return found;
}

export function lang(req: Request): Lang {
  return queryString(req, 'lang') === 'en' ? 'en' : 'vi';
}

/** `from`/`to` as inclusive months (YYYY-MM or MM/YYYY, kept as YYYY-MM), and the caller's unit scope. */
export function unitQuery(req: Request, token: TokenRecord): UnitQuery {
  const q: UnitQuery = {};
  for (const name of ['from', 'to'] as const) {
    const value = queryString(req, name);
    if (value === undefined || value === '') continue;
    const month = parseMonth(value);
    if (month === null) throw new ApiError('BAD_MONTH', { name, value });
    q[name] = month;
  }
  const units = unitScope(token);
  if (units) q.units = units;
  return q;
}

export function param(req: Request, name: string): string {
  const value = req.params[name];
  // No stored id holds a control character, and the database would refuse a NUL with an error rather than a miss.
  return typeof value === 'string' && !hasControlCharacters(value) ? value : '';
}

/** `:sha256` as the store keys documents (lower case), or BAD_SHA256: the document and its history read it alike. */
export function documentKey(req: Request): string {
  const sha256 = param(req, 'sha256');
  if (!SHA256.test(sha256)) throw new ApiError('BAD_SHA256');
  return sha256.toLowerCase();
}

/** `tmpRoot`: where an XLSX report spools its rows (DATA_DIR/tmp, with the uploads, rather than a small /tmp). */
export function apiRoutes(store: Store, tmpRoot: string): Router {
  const router = express.Router();

  router.get('/me', (_req, res) => {
    res.json(caller(res));
  });

  router.get('/batches/:id', requireAction('batch:status'), async (req, res) => {
    const id = param(req, 'id');
    const batch = await store.getBatch(id, unitScope(caller(res)));
    if (!batch) throw new ApiError('BATCH_NOT_FOUND', { id });
    res.json({ id: batch.id, status: batch.status, total: batch.total, done: batch.done, errors: batch.errors, createdAt: batch.createdAt, source: batch.source });
  });

  router.get('/batches/:id/report', requireAction('batch:report'), async (req: Request, res: Response) => {
    const id = param(req, 'id');
    const name = queryString(req, 'format') ?? DEFAULT_API_FORMAT;
    const format = apiFormatNamed(name);
    if (!format) throw new ApiError('BAD_FORMAT', { value: name, allowed: apiFormats().map((f) => f.name).join(', ') });
    const csvSeparator = separator(req);
    const units = unitScope(caller(res));
    const batch = await store.getBatch(id, units);
    if (!batch) throw new ApiError('BATCH_NOT_FOUND', { id });
    // A report of a batch half done would read as final in a spreadsheet: ask for it explicitly.
    if (batch.status !== 'done' && queryString(req, 'partial') !== '1') throw new ApiError('BATCH_NOT_DONE', { done: batch.done, total: batch.total });
    const stream = await store.streamBatchReport(id, units);
    if (!stream) throw new ApiError('BATCH_NOT_FOUND', { id });
    await sendReport(res, stream, format, { name: `kiemky-${id}`, lang: lang(req), tmpRoot, csvSeparator, scope: { kind: 'batch', label: id }, issuer: issuerQuery(req) });
  });

  router.get('/documents/:sha256', requireAction('document:read'), async (req, res) => {
    const key = documentKey(req);
    // A clerk gets the document as their own rows show it (their file name, unit and register row), or 404.
    const report = await store.getDocument(key, unitScope(caller(res)));
    if (!report) throw new ApiError('DOCUMENT_NOT_FOUND', { sha256: key });
    res.json(report);
  });

  router.get('/units', requireAction('units:read'), async (req, res) => {
    const q = unitQuery(req, caller(res));
    const by = queryString(req, 'by');
    if (by !== undefined && by !== 'month') throw new ApiError('BAD_REQUEST', { detail: 'by' });
    // By month: each month's own figures (a document in two months is in both); else the range's, each document once.
    res.json(by === 'month' ? await store.unitMonths(q) : await store.unitSummaries(q));
  });

  router.get('/providers', requireAction('providers:read'), async (req, res) => {
    res.json(await store.providers(unitQuery(req, caller(res))));
  });

  router.post('/tokens', requireAction('tokens:create'), express.json({ limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as { role?: unknown; unit?: unknown; units?: unknown; label?: unknown };
    if (!isRole(body.role)) throw new ApiError('BAD_ROLE', { value: String(body.role ?? '') });
    const role: Role = body.role;
    const given = [...(Array.isArray(body.units) ? body.units : []), ...(body.unit === undefined ? [] : [body.unit])];
    if (given.some((u) => typeof u !== 'string' || u.trim() === '' || hasControlCharacters(u))) throw new ApiError('BAD_REQUEST', { detail: 'units' });
    const label = body.label;
    if (label !== undefined && label !== null && (typeof label !== 'string' || hasControlCharacters(label))) throw new ApiError('BAD_REQUEST', { detail: 'label' });
    // The token itself is in this answer only; the store keeps its hash.
    res.status(201).json(await issueToken(store, role, given as string[], typeof body.label === 'string' ? body.label : null));
  });

  return router;
}
