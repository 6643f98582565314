import express, { type Request, type Router } from 'express';
import type { ServiceConfig, Store, TrustEntry } from '../shared/types';
import { changeAccount, createAccount, parseAccountChange, parseNewAccount } from './accounts';
import { caller, requireAction } from './auth';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';
import { currentUnits, putUnits } from './units';

/**
 * The admin's routes: accounts, API tokens, the trust store, the unit registry and the export folder. Every one
 * names an admin-only action (auth.ts), checked before anything is read.
 */

export interface AdminDeps {
  cfg: ServiceConfig;
  store: Store;
  /** The trust store the service verifies with; empty when none was given (tests). */
  trust?: () => TrustEntry[];
  /** When the export folder was last scanned by this process, or null. */
  lastExportScan?: () => Date | null;
  now: () => Date;
}

/** Exports listed by GET /api/exports: the newest, enough for a page. */
const EXPORTS_LISTED = 100;

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' && !hasControlCharacters(value) ? value : '';
}

export function adminRoutes(deps: AdminDeps): Router {
  const { store } = deps;
  const router = express.Router();
  const json = express.json({ limit: '16kb' });

  router.get('/users', requireAction('users:manage'), async (_req, res) => {
    res.json({ items: await store.listUsers() });
  });

  router.post('/users', requireAction('users:manage'), json, async (req, res) => {
    res.status(201).json(await createAccount(store, parseNewAccount(req.body), deps.now()));
  });

  router.patch('/users/:username', requireAction('users:manage'), json, async (req, res) => {
    res.json(await changeAccount(store, param(req, 'username'), parseAccountChange(req.body)));
  });

  router.get('/tokens', requireAction('tokens:manage'), async (_req, res) => {
    res.json({ items: await store.listTokens() });
  });

  router.delete('/tokens/:id', requireAction('tokens:manage'), async (req, res) => {
    const id = param(req, 'id');
    if (!(await store.deleteToken(id))) throw new ApiError('TOKEN_NOT_FOUND', { id });
    res.status(204).end();
  });

  router.get('/admin/units', requireAction('units:manage'), async (_req, res) => {
    res.json(await currentUnits(store));
  });

  // A registry of 10,000 units with their people is a few MB; more is not a registry.
  router.put('/admin/units', requireAction('units:manage'), express.json({ limit: '8mb' }), async (req, res) => {
    const who = caller(res);
    res.json(await putUnits(store, req.body, `api:${who.username ?? who.label ?? who.id}`, deps.now()));
  });

  router.get('/trust', requireAction('trust:read'), (_req, res) => {
    res.json({ items: deps.trust?.() ?? [] });
  });

  router.get('/exports', requireAction('exports:read'), async (_req, res) => {
    const last = deps.lastExportScan?.() ?? null;
    res.json({
      configured: deps.cfg.exportDir !== null,
      dir: deps.cfg.exportDir,
      intervalSeconds: deps.cfg.exportIntervalSeconds,
      lastScanAt: last ? last.toISOString() : null,
      taken: await store.takenExports(EXPORTS_LISTED),
    });
  });

  return router;
}
