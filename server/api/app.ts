import * as fs from 'node:fs';
import * as path from 'node:path';
import compression from 'compression';
import express, { type RequestHandler } from 'express';
import { logLine } from '../shared/log-line';
import { reportSchemaPath, version } from '../shared/paths';
import type { RegisterThread } from '../register/thread';
import type { JobQueue, ServiceConfig, Store, TrustEntry } from '../shared/types';
import type { BlobStore } from '../shared/blob-store';
import { adminRoutes } from './admin-routes';
import { authenticate, requireAction } from './auth';
import { errorHandler, notFound } from './errors';
import { securityHeaders } from './headers';
import { openApiDocument } from './openapi';
import { queryRoutes } from './query-routes';
import { rejudgeRoutes, type RejudgeDeps } from './rejudge-routes';
import { reportRoutes } from './report-routes';
import { apiRoutes } from './routes';
import { sessionRoutes } from './session-routes';
import { Sessions } from './sessions';
import { uploadHandlers } from './uploads';

/**
 * The HTTP API. It holds no state of its own — bytes in the blob store, batches and reports in the Store, work in
 * the queue — so any number of copies can run behind a load balancer, and tests give it fakes.
 */

export interface AppDeps {
  cfg: ServiceConfig;
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  /** Server-side errors (5xx) and queue hiccups; stderr by default. */
  log?: (message: string, err?: unknown) => void;
  /** Where an uploaded register is parsed (tests): default its own thread when compiled, else this one. */
  registerThread?: RegisterThread | null;
  /**
   * Where uploads, extracted entries and XLSX spools go: serve gives its own folder in DATA_DIR/tmp (see
   * ProcessTemp), so that what a killed process leaves is known to be abandoned. Default DATA_DIR/tmp.
   */
  tmpDir?: string;
  /**
   * The web app's routes (server/web, wired by serve), given the API's own authentication so that a page and the
   * calls it makes know the caller the same way; mounted before the 404.
   */
  pages?: (identify: RequestHandler) => RequestHandler;
  /** The trust store the service verifies with, for GET /api/trust (serve loads it from certsDir). */
  trust?: () => TrustEntry[];
  /** When this process last scanned the export folder (GET /api/exports). */
  lastExportScan?: () => Date | null;
  /** The clock of sessions and sign-in throttling (tests move it instead of waiting). */
  now?: () => Date;
  /** Judging stored facts again and the history of verdicts (serve wires them to the store and its jobs). */
  rejudge?: Omit<RejudgeDeps, 'store'>;
}

const defaultLog = (message: string, err?: unknown): void => {
  const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined ? '' : String(err);
  process.stderr.write(logLine('api', detail ? `${message}\n${detail}` : message));
};

export function createApp(deps: AppDeps): express.Application {
  const log = deps.log ?? defaultLog;
  const tmpDir = deps.tmpDir ?? path.join(deps.cfg.dataDir, 'tmp');
  const app = express();
  app.disable('x-powered-by');
  // Reports and pages compress well (JSON, CSV, scripts); XLSX is a ZIP already and is left as it is.
  app.use(compression({ filter: (req, res) => !/spreadsheetml/.test(String(res.getHeader('Content-Type') ?? '')) && compression.filter(req, res) }));
  // Which proxy may say the client's address and scheme (sessions' Secure cookie, sign-in throttling by address).
  if (deps.cfg.trustProxy !== null) app.set('trust proxy', deps.cfg.trustProxy);
  app.use(securityHeaders());
  // Reports hold names and certificate details: never cached by a shared proxy.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // The one route a load balancer or compose healthcheck calls without a token.
  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', version: version() });
  });

  const now = deps.now ?? (() => new Date());
  const sessions = new Sessions(deps.store, { idleMinutes: deps.cfg.sessionIdleMinutes, now });
  app.use('/api', sessionRoutes(sessions));
  const identify = authenticate(deps.store, deps.cfg.adminToken, sessions);
  app.use('/api', identify);

  const openapi = openApiDocument(version());
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // The report contract, from the file the tests validate every report against: clients read the very same schema.
  const reportSchema = fs.readFileSync(reportSchemaPath(), 'utf8');
  app.get('/api/report.schema.json', (_req, res) => {
    res.type('application/schema+json').send(reportSchema);
  });

  app.post('/api/batches', requireAction('upload'), ...uploadHandlers({ ...deps, log, tmpDir }));
  app.use('/api', queryRoutes(deps.store));
  app.use('/api', apiRoutes(deps.store, tmpDir));
  app.use('/api', reportRoutes(deps.store, tmpDir));
  app.use('/api', rejudgeRoutes({ store: deps.store, ...deps.rejudge }));
  app.use('/api', adminRoutes({ cfg: deps.cfg, store: deps.store, trust: deps.trust, lastExportScan: deps.lastExportScan, now }));
  if (deps.pages) app.use(deps.pages(identify));
  // Every other path too, so that no answer comes from Express's own HTML page, which sets headers of its own.
  app.use(notFound);
  app.use(errorHandler((err) => log('request failed', err)));
  return app;
}
