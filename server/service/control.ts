import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import express from 'express';
import { createAccount, parseNewAccount } from '../api/accounts';
import { isRole, issueToken } from '../api/auth';
import { ApiError, errorHandler, notFound } from '../api/errors';
import { hasControlCharacters } from '../api/names';
import { reportRoutes } from '../api/report-routes';
import type { Caller, RejudgeScope, Store } from '../shared/types';
import { parseRejudgeScope, type RejudgeJobView } from '../api/rejudge-routes';

/**
 * The local control channel of `kiemky serve`, so that `kiemky user create` and `kiemky token create` work while it
 * runs whatever the store: the embedded database can be opened by one process only, and serve holds it.
 *
 * serve listens on a second port, on the loopback interface only (never on the network, whatever HOST says), and
 * writes its port and a fresh random secret to DATA_DIR/serve-control.json, readable by its owner only (0600). A
 * command that finds the file asks serve over loopback with that secret, an admin credential that never leaves
 * the machine: whoever can read DATA_DIR can read the database already. The file goes when serve stops; a file
 * left by a killed serve names a port nobody answers on, and the command then opens the store itself.
 */

export const CONTROL_FILE = 'serve-control.json';

export interface ControlInfo {
  pid: number;
  port: number;
  secret: string;
}

export interface ControlHandle {
  readonly port: number;
  close(): Promise<void>;
}

export function controlFilePath(dataDir: string): string {
  return path.join(dataDir, CONTROL_FILE);
}

/** Compares the Bearer secret in constant time (both hashed to one length first). */
function authorized(header: string | undefined, secret: string): boolean {
  const m = /^Bearer\s+(\S+)$/.exec(header ?? '');
  if (!m) return false;
  const h = (v: string): Buffer => crypto.createHash('sha256').update(v).digest();
  return crypto.timingSafeEqual(h(m[1]), h(secret));
}

/** Who a command on this machine is, to the API's routes it reaches through here: it holds DATA_DIR already. */
const CONTROL_CALLER: Caller = { id: 'control', role: 'admin', units: [], label: 'kiemky (control channel)', createdAt: new Date(0).toISOString() };

function controlApp(store: Store, secret: string, log: (m: string) => void, tmpRoot: string, startRejudge?: (scope: RejudgeScope) => RejudgeJobView): express.Application {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => next(authorized(req.get('authorization'), secret) ? undefined : new ApiError('INVALID_TOKEN')));
  // `kiemky report` beside a serve holding the embedded database: the same reports as GET /api/reports….
  app.use((_req, res, next) => {
    res.locals.caller = CONTROL_CALLER;
    next();
  });
  app.use(reportRoutes(store, tmpRoot));
  app.use(express.json({ limit: '16kb' }));
  app.post('/users', async (req, res) => {
    const user = await createAccount(store, parseNewAccount(req.body));
    log(`control: account "${user.username}" (${user.role}) created`);
    res.status(201).json(user);
  });
  // `kiemky rejudge` beside a serve holding the embedded database: serve's own job, with serve's trust store.
  app.post('/rejudge', (req, res) => {
    if (!startRejudge) throw new ApiError('NOT_FOUND');
    const job = startRejudge(parseRejudgeScope(req.body));
    log(`control: rejudge ${job.id} started`);
    res.status(202).json(job);
  });
  app.post('/tokens', async (req, res) => {
    const b = (req.body ?? {}) as { role?: unknown; units?: unknown; label?: unknown };
    if (!isRole(b.role)) throw new ApiError('BAD_ROLE', { value: String(b.role ?? '') });
    const units = Array.isArray(b.units) ? b.units : [];
    if (units.some((u) => typeof u !== 'string' || hasControlCharacters(u))) throw new ApiError('BAD_REQUEST', { detail: 'units' });
    if (b.label !== undefined && b.label !== null && (typeof b.label !== 'string' || hasControlCharacters(b.label))) throw new ApiError('BAD_REQUEST', { detail: 'label' });
    const issued = await issueToken(store, b.role, units as string[], typeof b.label === 'string' ? b.label : null);
    log(`control: ${issued.role} token ${issued.id} created`);
    res.status(201).json(issued);
  });
  app.use(notFound);
  app.use(errorHandler((err) => log(`control: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)));
  return app;
}

/** `tmpRoot`: where a report's spool goes (serve's own folder in DATA_DIR/tmp), as for the API's. */
export async function startControl(
  store: Store,
  dataDir: string,
  log: (m: string) => void,
  tmpRoot: string = path.join(dataDir, 'tmp'),
  startRejudge?: (scope: RejudgeScope) => RejudgeJobView,
): Promise<ControlHandle> {
  const secret = crypto.randomBytes(32).toString('base64url');
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = controlApp(store, secret, log, tmpRoot, startRejudge).listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const file = controlFilePath(dataDir);
  const info: ControlInfo = { pid: process.pid, port, secret };
  // Written whole under another name, then renamed: a command never reads half a file. The mode is set at creation,
  // so the secret is never readable by others, not even for a moment (Windows ignores it: DATA_DIR's ACL governs).
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  }
  return {
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Another serve on the same DATA_DIR (PostgreSQL) may have written its own since: remove only ours.
      try {
        const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ControlInfo>;
        if (current.secret === secret) fs.rmSync(file, { force: true });
      } catch {
        // Gone already, or not ours to judge.
      }
    },
  };
}
