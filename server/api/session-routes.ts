import express, { type Request, type Router } from 'express';
import { ApiError } from './errors';
import { clearSessionCookie, readSessionCookie, sameSecret, sessionBody, setSessionCookie, type Sessions } from './sessions';

/**
 * POST, GET and DELETE /api/session: signing in and out of the browser app. Mounted before `authenticate`, since
 * signing in is how a browser gets authenticated; each route checks what it needs itself.
 */

/**
 * A sign-in sent by another site's page (login CSRF: the victim's browser signed into the attacker's account).
 * Browsers say where a request comes from in Sec-Fetch-Site and Origin; a client that sends neither (curl, a
 * script) is not a browser another site can drive.
 */
function fromAnotherSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.get('origin');
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.get('host');
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: not this site.
    return true;
  }
}

export function sessionRoutes(sessions: Sessions): Router {
  const router = express.Router();

  router.post('/session', express.json({ limit: '16kb' }), async (req, res) => {
    if (fromAnotherSite(req)) throw new ApiError('CSRF');
    const body = (req.body ?? {}) as { username?: unknown; password?: unknown };
    const result = await sessions.signIn(body.username, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (!result.ok) {
      res.set('Retry-After', String(result.retryAfter));
      throw new ApiError('LOGIN_THROTTLED', { seconds: result.retryAfter });
    }
    setSessionCookie(req, res, result.cookie);
    res.json(result.body);
  });

  router.get('/session', async (req, res) => {
    const session = await sessions.resolve(readSessionCookie(req));
    if (!session) throw new ApiError('UNAUTHORIZED');
    res.json(sessionBody(session.record));
  });

  router.delete('/session', async (req, res) => {
    const session = await sessions.resolve(readSessionCookie(req));
    if (session) {
      // Signing someone out is a change too: a forged request must not end a clerk's session mid-upload.
      if (!sameSecret(req.get('x-csrf-token'), session.record.csrfToken)) throw new ApiError('CSRF');
      await sessions.signOut(session);
    }
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  return router;
}
