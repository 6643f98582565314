import express, { type Request, type Router } from 'express';
import {
  DOCUMENT_SORTS,
  VERDICT_FILTERS,
  type DocumentQuery,
  type DocumentSort,
  type PageQuery,
  type VerdictFilter,
} from '../shared/queries';
import type { Store } from '../shared/types';
import { caller, requireAction, unitScope } from './auth';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';
import { param, queryString, unitQuery } from './routes';

/**
 * The routes the pages read besides a report: the list of batches, the rows of documents (of a batch, or of any
 * batches by month, unit, verdict, finding code, CA provider), the certificate inventory. Like the other read routes,
 * each hands the caller's unit scope to the Store, and what a clerk may not see answers as what does not exist.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Longer text in a filter is no name anyone stores. */
const MAX_FILTER_LENGTH = 500;

function positiveInt(req: Request, name: string, fallback: number, max: number): number {
  const value = queryString(req, name);
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) throw new ApiError('BAD_REQUEST', { detail: name });
  const n = Number(value);
  if (n < 1 || n > max) throw new ApiError('BAD_REQUEST', { detail: `${name} (1–${max})` });
  return n;
}

export function pageQuery(req: Request): PageQuery {
  return { page: positiveInt(req, 'page', 1, 1_000_000), pageSize: positiveInt(req, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE) };
}

/** A text filter, or undefined when absent or empty. */
function textFilter(req: Request, name: string): string | undefined {
  const value = queryString(req, name);
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > MAX_FILTER_LENGTH || hasControlCharacters(value)) throw new ApiError('BAD_REQUEST', { detail: name });
  return value.normalize('NFC').trim();
}

function oneOf<T extends string>(req: Request, name: string, allowed: readonly T[]): T | undefined {
  const value = queryString(req, name);
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ApiError('BAD_REQUEST', { detail: `${name} (${allowed.join(', ')})` });
  return value as T;
}

/** The filters both document routes take. */
function documentFilters(req: Request): Omit<DocumentQuery, 'units'> {
  const sort: DocumentSort = oneOf(req, 'sort', DOCUMENT_SORTS) ?? 'file';
  const verdict: VerdictFilter | undefined = oneOf(req, 'verdict', VERDICT_FILTERS);
  return {
    ...pageQuery(req),
    sort,
    verdict,
    unit: textFilter(req, 'unit'),
    code: textFilter(req, 'code'),
    provider: textFilter(req, 'provider'),
    category: textFilter(req, 'category'),
    q: textFilter(req, 'q'),
  };
}

/** Drops the filters left undefined, so a query says only what was asked. */
function defined<T extends object>(q: T): T {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as T;
}

export function queryRoutes(store: Store): Router {
  const router = express.Router();

  router.get('/batches', requireAction('batches:list'), async (req, res) => {
    res.json(await store.listBatches(defined({ ...pageQuery(req), units: unitScope(caller(res)) })));
  });

  router.get('/batches/:id/documents', requireAction('documents:list'), async (req, res) => {
    const id = param(req, 'id');
    const units = unitScope(caller(res));
    const filters = documentFilters(req);
    // A batch the clerk may not see is one that does not exist, as for its status and report.
    if (!(await store.getBatch(id, units))) throw new ApiError('BATCH_NOT_FOUND', { id });
    res.json(await store.documentRows(defined({ ...filters, batch: id, units })));
  });

  router.get('/batches/:id/summary', requireAction('batch:summary'), async (req, res) => {
    const id = param(req, 'id');
    // The store scopes it as the batch's status and report are scoped: a batch the clerk may not see does not exist.
    const summary = await store.batchSummary(id, unitScope(caller(res)));
    if (!summary) throw new ApiError('BATCH_NOT_FOUND', { id });
    res.json(summary);
  });

  router.get('/documents', requireAction('documents:list'), async (req, res) => {
    const token = caller(res);
    const { from, to, units } = unitQuery(req, token);
    res.json(await store.documentRows(defined({ ...documentFilters(req), from, to, units, batch: textFilter(req, 'batch') })));
  });

  router.get('/certificates', requireAction('certificates:read'), async (req, res) => {
    res.json({ items: await store.certificates(defined({ ...unitQuery(req, caller(res)), unit: textFilter(req, 'unit') })) });
  });

  return router;
}
