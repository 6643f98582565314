import express, { type Router } from 'express';
import type { RejudgeScope, Store, VerdictHistoryEntry } from '../shared/types';
import { caller, requireAction, unitScope } from './auth';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';
import { documentKey, param } from './routes';

/**
 * Judging stored documents again (the admin's action) and a document's history of verdicts. The judging itself is
 * the service's (service/rejudge-jobs.ts): this room only says what was asked and answers.
 */

export interface RejudgeJobView {
  id: string;
  scope: RejudgeScope;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  judged: number;
  changed: number;
  failed: number;
  error: string | null;
}

export interface RejudgeDeps {
  store: Store;
  /** Starts judging the scope's stored facts again in the background; absent when the service keeps no facts. */
  startRejudge?: (scope: RejudgeScope) => RejudgeJobView;
  rejudgeJob?: (id: string) => RejudgeJobView | null;
  history?: (sha256: string) => Promise<VerdictHistoryEntry[]>;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function parseRejudgeScope(body: unknown): RejudgeScope {
  const b = (body ?? {}) as { from?: unknown; to?: unknown; batchId?: unknown };
  if (typeof b.batchId === 'string' && b.batchId !== '' && !hasControlCharacters(b.batchId) && b.from === undefined && b.to === undefined) return { batchId: b.batchId };
  if (b.batchId === undefined && typeof b.from === 'string' && typeof b.to === 'string') {
    if (!MONTH.test(b.from)) throw new ApiError('BAD_MONTH', { name: 'from', value: b.from });
    if (!MONTH.test(b.to)) throw new ApiError('BAD_MONTH', { name: 'to', value: b.to });
    if (b.from > b.to) throw new ApiError('BAD_PERIOD', { from: b.from, to: b.to });
    return { from: b.from, to: b.to };
  }
  if (b.batchId === undefined && b.from === undefined && b.to === undefined) return { all: true };
  throw new ApiError('BAD_REQUEST', { detail: 'give either {batchId} or {from, to} (YYYY-MM), or nothing for every stored document' });
}

export function rejudgeRoutes(deps: RejudgeDeps): Router {
  const router = express.Router();
  router.post('/admin/rejudge', requireAction('rejudge'), express.json({ limit: '4kb' }), (req, res) => {
    const scope = parseRejudgeScope(req.body);
    if (!deps.startRejudge) throw new ApiError('NOT_FOUND');
    res.status(202).json(deps.startRejudge(scope));
  });
  router.get('/admin/rejudge/:id', requireAction('rejudge'), (req, res) => {
    const job = deps.rejudgeJob?.(param(req, 'id')) ?? null;
    if (!job) throw new ApiError('NOT_FOUND');
    res.json(job);
  });
  router.get('/documents/:sha256/history', requireAction('document:read'), async (req, res) => {
    const key = documentKey(req);
    // Seen exactly as the document is: a clerk who may not read the document may not read its history either.
    if (!(await deps.store.getDocument(key, unitScope(caller(res))))) throw new ApiError('DOCUMENT_NOT_FOUND', { sha256: key });
    res.json({ items: deps.history ? await deps.history(key) : [] });
  });
  return router;
}
