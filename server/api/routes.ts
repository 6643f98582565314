import express, { type Request, type Response, type Router } from 'express';
import type { Lang } from '../shared/messages';
import { PieceBatcher } from '../report/format-json';
import { drained } from '../report/output';
import { reportStream, type ReportStream } from '../report/stream';
import { SummaryTally } from '../report/summary';
import { XlsxReportWriter } from '../report/format-xlsx';
import type { BatchReportStream, Role, Store, TokenRecord, UnitQuery } from '../shared/types';
import { caller, isRole, issueToken, requireAction, unitScope } from './auth';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';

/**
 * The read routes and token creation. Each route names the action it needs (auth.ts holds the role table) and
 * hands the caller's unit scope (a clerk's units) to the Store, which answers only what those units may see: the
 * clerk's batches, the clerk's rows of other batches, the clerk's units' figures. What a clerk may not see answers
 * as what does not exist (404), so no answer tells a clerk that another unit uploaded something.
 */

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ApiError('BAD_REQUEST', { detail: `${name}` });
  return value;
}

/**
 * The report as compact JSON (what res.json sent) or CSV, written a document at a time as the store reads them a
 * page at a time, the unit summary counted on the way: a province's month is neither held as reports nor as one
 * string. A client that stops reading holds the writer at the next full buffer, not the server's memory; one that
 * goes away ends it.
 */
async function sendStreamed(res: Response, report: BatchReportStream, out: ReportStream): Promise<void> {
  const batcher = new PieceBatcher();
  const send = async (piece: string): Promise<void> => {
    const full = batcher.add(piece);
    if (full !== null) await written(res, full);
  };
  const tally = new SummaryTally();
  for await (const doc of report.documents) {
    if (res.destroyed) return;
    tally.add(doc);
    for (const piece of out.document(doc)) await send(piece);
  }
  for (const piece of out.end(tally.result(), report.findings)) await send(piece);
  const rest = batcher.rest();
  if (rest !== null) await written(res, rest);
  if (!res.destroyed) res.end();
}

/**
 * The workbook of a batch: its rows spooled to temporary files as the store reads the documents a page at a time,
 * then streamed to the client sheet by sheet, so a province's month is not held (exceljs's in-memory workbook took
 * about 60 KB a document). A client that goes away ends it, and the spool files are removed either way.
 */
async function sendXlsx(res: Response, report: BatchReportStream, language: Lang, fileName: string, tmpRoot: string): Promise<void> {
  const writer = new XlsxReportWriter(language, report.generatedAt, tmpRoot);
  const tally = new SummaryTally();
  try {
    for await (const doc of report.documents) {
      if (res.destroyed) return;
      tally.add(doc);
      writer.document(doc);
    }
    res.type(XLSX_TYPE).attachment(fileName);
    await writer.end(tally.result(), report.findings, res);
  } catch (err) {
    // Headers gone (the workbook had begun) or the client with them: there is no one to send an error to.
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    // Not a byte sent yet: the error goes out in the API's JSON shape, not labelled as a workbook.
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Disposition');
    throw err;
  } finally {
    writer.dispose();
  }
}

/** Writes `piece`, and waits while the client's buffer is full (or until it has gone away). */
async function written(res: Response, piece: string): Promise<void> {
  if (res.destroyed || res.write(piece)) return;
  await drained(res);
}

function lang(req: Request): Lang {
  return queryString(req, 'lang') === 'en' ? 'en' : 'vi';
}

/** `from`/`to` as inclusive YYYY-MM months, and the caller's unit scope. */
function unitQuery(req: Request, token: TokenRecord): UnitQuery {
  const q: UnitQuery = {};
  for (const name of ['from', 'to'] as const) {
    const value = queryString(req, name);
    if (value === undefined || value === '') continue;
    if (!MONTH.test(value)) throw new ApiError('BAD_MONTH', { name, value });
    q[name] = value;
  }
  const units = unitScope(token);
  if (units) q.units = units;
  return q;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  // No stored id holds a control character, and the database would refuse a NUL with an error rather than a miss.
  return typeof value === 'string' && !hasControlCharacters(value) ? value : '';
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
    const format = queryString(req, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv' && format !== 'xlsx') throw new ApiError('BAD_FORMAT', { value: format });
    const units = unitScope(caller(res));
    const batch = await store.getBatch(id, units);
    if (!batch) throw new ApiError('BATCH_NOT_FOUND', { id });
    // A report of a batch half done would read as final in a spreadsheet: ask for it explicitly.
    if (batch.status !== 'done' && queryString(req, 'partial') !== '1') throw new ApiError('BATCH_NOT_DONE', { done: batch.done, total: batch.total });
    const stream = await store.streamBatchReport(id, units);
    if (!stream) throw new ApiError('BATCH_NOT_FOUND', { id });
    if (format === 'xlsx') {
      await sendXlsx(res, stream, lang(req), `kiemky-${id}.xlsx`, tmpRoot);
      return;
    }
    if (format === 'csv') res.type('text/csv; charset=utf-8').attachment(`kiemky-${id}.csv`);
    else res.type('application/json; charset=utf-8');
    await sendStreamed(res, stream, reportStream(format, { gap: '', lang: lang(req), generatedAt: stream.generatedAt }));
  });

  router.get('/documents/:sha256', requireAction('document:read'), async (req, res) => {
    const sha256 = param(req, 'sha256');
    if (!SHA256.test(sha256)) throw new ApiError('BAD_SHA256');
    const key = sha256.toLowerCase();
    // A clerk gets the document as their own rows show it (their file name, unit and register row), or 404.
    const report = await store.getDocument(key, unitScope(caller(res)));
    if (!report) throw new ApiError('DOCUMENT_NOT_FOUND', { sha256: key });
    res.json(report);
  });

  router.get('/units', requireAction('units:read'), async (req, res) => {
    res.json(await store.unitSummaries(unitQuery(req, caller(res))));
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
