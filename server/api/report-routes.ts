import express, { type Request, type Response, type Router } from 'express';
import { writeAll } from '../report/output';
import type { MonthRange } from '../report/leader/page';
import { apiFormatNamed, apiFormats } from '../report/formats';
import { inspectionFileName, leaderFileName, periodLeaderPage } from '../report/period';
import { parseMonth } from '../shared/months';
import type { Store, TokenRecord } from '../shared/types';
import { caller, requireAction, unitScope } from './auth';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';
import { issuerQuery, lang, queryString, sendReport, separator } from './routes';

/**
 * The reports of a period of months: the inspection report drafted (GET /api/reports, any format of the API, a
 * Word draft by default) and the leader's one page (GET /api/reports/summary, a PDF). Both read what /api/units
 * reads for the same range, so their figures are the dashboard's, and both are scoped as the other read routes:
 * a clerk's report holds the clerk's units only, and a unit of another answers as a unit with no documents.
 */

/** The report's format when none is asked for: the draft an inspector edits. */
const DEFAULT_PERIOD_FORMAT = 'docx';
/** Longer is no unit's name. */
const MAX_UNIT_LENGTH = 500;

/** `from` (required) and `to` (default: `from`), YYYY-MM or MM/YYYY, `to` not before `from`. */
function periodQuery(req: Request): MonthRange {
  const month = (name: 'from' | 'to', fallback?: string): string => {
    const value = queryString(req, name);
    if ((value === undefined || value.trim() === '') && fallback !== undefined) return fallback;
    const parsed = value === undefined ? null : parseMonth(value);
    if (parsed === null) throw new ApiError('BAD_MONTH', { name, value: value ?? '' });
    return parsed;
  };
  const from = month('from');
  const to = month('to', from);
  if (to < from) throw new ApiError('BAD_PERIOD', { from, to });
  return { from, to };
}

/**
 * The units asked for (`?unit=A&unit=B`; none: all) within the caller's scope: a clerk asking for none gets their
 * own units, and a unit not theirs is dropped, as if it had no documents. Undefined: every unit.
 */
function unitsQuery(req: Request, token: TokenRecord): string[] | undefined {
  const raw = req.query.unit;
  const given = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const asked: string[] = [];
  for (const value of given) {
    if (typeof value !== 'string' || value.length > MAX_UNIT_LENGTH || hasControlCharacters(value)) throw new ApiError('BAD_REQUEST', { detail: 'unit' });
    const unit = value.normalize('NFC').trim();
    if (unit !== '' && !asked.includes(unit)) asked.push(unit);
  }
  const scope = unitScope(token);
  if (!scope) return asked.length > 0 ? asked : undefined;
  return asked.length > 0 ? asked.filter((u) => scope.includes(u)) : scope;
}

export function reportRoutes(store: Store, tmpRoot: string): Router {
  const router = express.Router();

  router.get('/reports', requireAction('reports:inspection'), async (req: Request, res: Response) => {
    const name = queryString(req, 'format') ?? DEFAULT_PERIOD_FORMAT;
    const format = apiFormatNamed(name);
    if (!format) throw new ApiError('BAD_FORMAT', { value: name, allowed: apiFormats().map((f) => f.name).join(', ') });
    const period = periodQuery(req);
    const units = unitsQuery(req, caller(res));
    const csvSeparator = separator(req);
    const issuer = issuerQuery(req);
    const stream = await store.streamPeriodReport({ ...period, ...(units ? { units } : {}) });
    await sendReport(res, stream, format, {
      name: inspectionFileName(period),
      lang: lang(req),
      tmpRoot,
      csvSeparator,
      scope: { kind: 'period', ...period, units: units ?? [] },
      issuer,
    });
  });

  router.get('/reports/summary', requireAction('reports:summary'), async (req: Request, res: Response) => {
    const period = periodQuery(req);
    const units = unitsQuery(req, caller(res));
    const issuer = issuerQuery(req);
    // Drawn whole before the first byte goes: a failure is still answered in the API's error shape.
    const { bytes } = await periodLeaderPage(store, period, units, { lang: lang(req), generatedAt: new Date(), issuer });
    res.type('application/pdf');
    res.attachment(leaderFileName(period));
    await writeAll(res, bytes);
  });

  return router;
}
