import * as crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Caller, Role, Store, TokenRecord } from '../shared/types';
import { ApiError } from './errors';
import { readSessionCookie, sameSecret, sessionCaller, type Sessions } from './sessions';

/**
 * Who is calling — a Bearer token, or a browser's session cookie (sessions.ts) — and what each role may do.
 * Bearer tokens: only a token's sha256 is stored, so a copy of the database does not hand out access. A token is
 * `kk_` + 32 random bytes (base64url), shown once when it is made. `KIEMKY_ADMIN_TOKEN`, when set, is an admin
 * token that lives only in the environment (the first admin needs one to create the others).
 */

export const ROLES: readonly Role[] = ['admin', 'clerk', 'inspector', 'leader'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function newToken(): string {
  return `kk_${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The environment's admin token as a record; its id says where it comes from. */
const ENV_ADMIN: TokenRecord = { id: 'env:KIEMKY_ADMIN_TOKEN', role: 'admin', units: [], label: 'KIEMKY_ADMIN_TOKEN', createdAt: new Date(0).toISOString() };

/** Equal hashes compared in constant time (both are 64 hex digits, so lengths match). */
function sameHash(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Locals set by `authenticate`, read by the routes. */
export function caller(res: Response): Caller {
  const token = (res.locals as { caller?: Caller }).caller;
  // Routes are mounted behind authenticate; reaching here without a caller is a wiring bug, not a client error.
  if (!token) throw new ApiError('UNAUTHORIZED');
  return token;
}

/** Methods that change something: a request the session cookie authenticates needs its CSRF token for these. */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The Bearer token when an Authorization header is given (as before sessions existed: scripts are unaffected, and
 * no other site can make a browser send that header), else the session cookie. A cookie is sent by the browser on
 * its own, so what it authenticates must also carry the session's CSRF token, in a header a form or another
 * site's page cannot set, on every state-changing method — uploads included.
 */
export function authenticate(store: Store, adminToken: string | null, sessions: Sessions): RequestHandler {
  const adminHash = adminToken ? hashToken(adminToken) : null;
  const bySession = async (req: Request, res: Response): Promise<void> => {
    const session = await sessions.resolve(readSessionCookie(req));
    if (!session) throw new ApiError('UNAUTHORIZED');
    if (UNSAFE.has(req.method) && !sameSecret(req.get('x-csrf-token'), session.record.csrfToken)) throw new ApiError('CSRF');
    res.locals.caller = sessionCaller(session.record);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header === undefined || header === '') {
      bySession(req, res).then(() => next(), next);
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      next(new ApiError('UNAUTHORIZED'));
      return;
    }
    const hash = hashToken(match[1]);
    if (adminHash && sameHash(hash, adminHash)) {
      res.locals.caller = ENV_ADMIN;
      next();
      return;
    }
    store.findToken(hash).then(
      (record) => {
        if (!record) {
          next(new ApiError('INVALID_TOKEN'));
          return;
        }
        res.locals.caller = record;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** What each role may do; the routes name an action, never a role, so the table is the whole policy. */
export type Action =
  | 'upload'
  | 'batch:status'
  | 'batch:report'
  | 'batch:summary'
  | 'document:read'
  | 'units:read'
  | 'providers:read'
  | 'tokens:create'
  | 'tokens:manage'
  | 'users:manage'
  | 'trust:read'
  | 'exports:read'
  /** The unit registry: units, their agency certificates and the people who may sign for them. */
  | 'units:manage'
  | 'batches:list'
  | 'documents:list'
  | 'certificates:read'
  /** The inspection report of a period: its figures, and the documents that failed (số ký hiệu, unit, reasons). */
  | 'reports:inspection'
  /** The leader's page of a period: figures by unit only. */
  | 'reports:summary'
  /** Judging stored documents again with the current trust store and unit registry. */
  | 'rejudge';

/** Accounts, tokens, the trust store and the export folder are the admin's alone. */
const ADMIN_ONLY: readonly Action[] = ['tokens:create', 'tokens:manage', 'users:manage', 'trust:read', 'exports:read', 'units:manage', 'rejudge'];

const POLICY: Record<Role, readonly Action[]> = {
  admin: ['upload', 'batch:status', 'batch:report', 'batch:summary', 'document:read', 'units:read', 'providers:read', 'batches:list', 'documents:list', 'certificates:read', 'reports:inspection', 'reports:summary', ...ADMIN_ONLY],
  // A clerk's reads are further limited to their own units by the routes (see unitScope).
  clerk: ['upload', 'batch:status', 'batch:report', 'batch:summary', 'document:read', 'units:read', 'providers:read', 'batches:list', 'documents:list', 'certificates:read', 'reports:inspection', 'reports:summary'],
  inspector: ['batch:status', 'batch:report', 'batch:summary', 'document:read', 'units:read', 'providers:read', 'batches:list', 'documents:list', 'certificates:read', 'reports:inspection', 'reports:summary'],
  // The leader reads the figures (units, providers), not the documents behind them. A batch's summary is figures
  // only: counts per unit, provider and finding code, no file name, signer or số ký hiệu.
  // Their one page (reports:summary) is the same figures, ranked. The inspection report of a period is addressed to
  // them too: its appendix names the failed documents (số ký hiệu, unit, reasons) as the paper report does, though
  // the leader still browses no document, row or batch report.
  leader: ['batch:status', 'batch:summary', 'units:read', 'providers:read', 'reports:summary', 'reports:inspection'],
};

export function allowed(role: Role, action: Action): boolean {
  return POLICY[role].includes(action);
}

export function requireAction(action: Action): RequestHandler {
  return (_req, res, next) => {
    const token = caller(res);
    next(allowed(token.role, action) ? undefined : new ApiError('FORBIDDEN', { role: token.role }));
  };
}

/** Units a caller's reads are limited to: a clerk's own, undefined (everything) for the other roles. */
export function unitScope(token: TokenRecord): string[] | undefined {
  return token.role === 'clerk' ? token.units : undefined;
}

export interface IssuedToken extends TokenRecord {
  /** The token itself: shown once, never stored. */
  token: string;
}

/** Creates a token (the API's POST /api/tokens and `kiemky token create` share it). Clerks need a unit. */
export async function issueToken(store: Store, role: Role, units: string[], label: string | null): Promise<IssuedToken> {
  const scoped = role === 'clerk' ? [...new Set(units.map((u) => u.normalize('NFC').trim()).filter((u) => u !== ''))] : [];
  if (role === 'clerk' && scoped.length === 0) throw new ApiError('CLERK_NEEDS_UNIT');
  const token = newToken();
  const record = await store.createToken(hashToken(token), { id: crypto.randomUUID(), role, units: scoped, label });
  return { ...record, token };
}
