import * as crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { usernameKey } from '../shared/accounts';
import type { Caller, Role, SessionRecord, Store } from '../shared/types';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';
import { dummyHash, MAX_PASSWORD_LENGTH, needsRehash, hashPassword, verifyPassword } from './passwords';
import { retryAfterSeconds, THROTTLE } from './throttle';

/**
 * Browser sessions. The cookie holds 32 random bytes; the store keeps only their sha256, so a copy of the database
 * signs nobody in. A session ends after `idleMinutes` without a request, 12 hours after sign-in whatever the
 * activity, when its user is disabled or given a new password, and at sign-out. Each has a CSRF token, given to
 * the page at sign-in and required on every state-changing request the cookie authenticates (auth.ts).
 */

export const SESSION_COOKIE = 'kiemky_session';
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often: one write per request would double the database's load. */
const TOUCH_EVERY_MS = 15_000;
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface SessionBody {
  user: { username: string; role: Role; units: string[] };
  csrfToken: string;
}

export interface ActiveSession {
  record: SessionRecord;
  hash: string;
}

export type SignInResult = { ok: true; cookie: string; body: SessionBody } | { ok: false; retryAfter: number };

export interface SessionOptions {
  idleMinutes: number;
  now?: () => Date;
}

function sha256(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Equal strings, in time that does not depend on where they differ (both hashed to one length first). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return crypto.timingSafeEqual(Buffer.from(sha256(given), 'hex'), Buffer.from(sha256(expected), 'hex'));
}

export function sessionBody(record: SessionRecord): SessionBody {
  return { user: { username: record.user.username, role: record.user.role, units: record.user.units }, csrfToken: record.csrfToken };
}

/** The caller a session stands for, in the shape routes read (`caller(res)`). */
export function sessionCaller(record: SessionRecord): Caller {
  const u = record.user;
  return { id: `user:${u.username}`, role: u.role, units: u.units, label: u.username, createdAt: u.createdAt, username: u.username };
}

/** The session cookie's value from the Cookie header, or null. */
export function readSessionCookie(req: Request): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return COOKIE_VALUE.test(value) ? value : null;
  }
  return null;
}

function cookieOptions(req: Request): { httpOnly: true; sameSite: 'strict'; path: '/'; secure: boolean } {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure };
}

export function setSessionCookie(req: Request, res: Response, value: string): void {
  // No Max-Age: the cookie goes with the browser; the server's expiry is what counts.
  res.cookie(SESSION_COOKIE, value, cookieOptions(req));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

/**
 * Runs one task at a time per key. The throttle counts failures once they are recorded, so without this a burst of
 * simultaneous guesses for one account would all pass the check before the first failure was written.
 */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

export class Sessions {
  private readonly now: () => Date;
  private readonly idleMs: number;
  private readonly perAccount = new KeyedQueue();

  constructor(
    private readonly store: Store,
    options: SessionOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.idleMs = options.idleMinutes * 60_000;
  }

  /**
   * Checks a user name and password from `address`. A name that does not exist, a wrong password and a disabled
   * account answer alike, after the same work (a dummy hash stands in for a missing user's). A throttled key is
   * refused before any hashing.
   */
  async signIn(username: unknown, password: unknown, address: string): Promise<SignInResult> {
    if (typeof username !== 'string' || typeof password !== 'string') throw new ApiError('BAD_REQUEST', { detail: 'username, password' });
    // No account name holds a control character (accounts.ts), and the database would refuse a NUL with an error.
    if (hasControlCharacters(username)) throw new ApiError('BAD_REQUEST', { detail: 'username' });
    const accountKey = `user:${usernameKey(username).slice(0, 256)}`;
    // One at a time per account in this process (several serve copies each admit one: the limit stays near).
    return this.perAccount.run(accountKey, () => this.checkSignIn(username, password, accountKey, address));
  }

  private async checkSignIn(username: string, password: string, accountKey: string, address: string): Promise<SignInResult> {
    const now = this.now();
    const keys = [accountKey, `addr:${address}`];
    const failures = await this.store.loginFailures(keys, new Date(now.getTime() - THROTTLE.windowMs));
    const retryAfter = Math.max(retryAfterSeconds(failures[0], THROTTLE.account, now), retryAfterSeconds(failures[1], THROTTLE.address, now));
    if (retryAfter > 0) return { ok: false, retryAfter };

    const found = username.length <= 256 ? await this.store.userCredentials(username) : null;
    const candidate = password.length <= MAX_PASSWORD_LENGTH ? password : '';
    const matches = await verifyPassword(candidate, found?.password ?? (await dummyHash()));
    if (!found || !matches || found.user.disabled || candidate !== password) {
      await this.store.recordLoginFailure(keys, now, new Date(now.getTime() - THROTTLE.windowMs));
      throw new ApiError('LOGIN_FAILED');
    }
    await this.store.clearLoginFailures(accountKey);
    // Raised cost parameters reach each stored hash at its owner's next sign-in (this ends their other sessions).
    if (needsRehash(found.password)) await this.store.updateUser(found.user.username, { password: await hashPassword(password) });

    const cookie = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(32).toString('base64url');
    await this.store.createSession(
      { hash: sha256(cookie), username: found.user.username, csrfToken, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS) },
      { idleBefore: new Date(now.getTime() - this.idleMs), now },
    );
    await this.store.recordLogin(found.user.username, now);
    const user = found.user;
    return { ok: true, cookie, body: { user: { username: user.username, role: user.role, units: user.units }, csrfToken } };
  }

  /** The live session the cookie names, its last activity noted; null (and the session forgotten) once it ended. */
  async resolve(cookie: string | null): Promise<ActiveSession | null> {
    if (cookie === null) return null;
    const hash = sha256(cookie);
    const record = await this.store.findSession(hash);
    if (!record) return null;
    const now = this.now().getTime();
    const lastSeen = Date.parse(record.lastSeenAt);
    if (record.user.disabled || now >= Date.parse(record.expiresAt) || now - lastSeen >= this.idleMs) {
      await this.store.deleteSession(hash);
      return null;
    }
    if (now - lastSeen >= TOUCH_EVERY_MS) await this.store.touchSession(hash, new Date(now));
    return { record, hash };
  }

  async signOut(session: ActiveSession): Promise<void> {
    await this.store.deleteSession(session.hash);
  }
}
