import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Role } from '../shared/types';
import { mayOpen, pageRule } from './access';
import { assetsDir, readManifest, type WebManifest } from './manifest';
import { shellHtml } from './shell';

/**
 * The web app's routes: the hashed assets, and the shell for every page path, given only to a caller the page is
 * for. `identify` is the API's own authentication (session cookie or Bearer token); it sets `res.locals.caller`, or
 * fails with a 401 for nobody signed in.
 */

export interface WebOptions {
  identify: RequestHandler;
  /** The built client (tests give one); default the manifest of the last build. */
  manifest?: WebManifest | null;
}

/** No inline script or style, nothing from elsewhere; Chart.js draws on canvas and needs nothing more. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const YEAR_SECONDS = 365 * 24 * 3600;

interface Caller {
  role: Role;
}

function callerOf(res: Response): Caller | null {
  const c = (res.locals as { caller?: Caller }).caller;
  return c ?? null;
}

function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

export function webRoutes(options: WebOptions): Router {
  const router = express.Router();
  const manifest = options.manifest === undefined ? readManifest() : options.manifest;

  router.use(
    '/assets',
    express.static(assetsDir(), {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res) => {
        // Names change with content, so what was fetched once never changes.
        res.setHeader('Cache-Control', `public, max-age=${YEAR_SECONDS}, immutable`);
      },
    }),
  );

  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/') || req.path === '/api') {
      next();
      return;
    }
    const rule = pageRule(req.path);
    if (!rule) {
      next();
      return;
    }
    if (!manifest) {
      res.status(503).type('text/plain; charset=utf-8').send('Giao diện web chưa được dựng: chạy "npm run build". / The web app is not built: run "npm run build".\n');
      return;
    }
    const send = (status: 200 | 403): void => {
      res.set('Content-Security-Policy', PAGE_CSP);
      res.status(status).type('html').send(shellHtml(manifest, status === 200 ? 'ok' : 'forbidden'));
    };
    if (rule.roles === 'public') {
      send(200);
      return;
    }
    options.identify(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) {
        const status = statusOf(err);
        if (status === 401) {
          res.redirect(303, `/dang-nhap?next=${encodeURIComponent(req.originalUrl)}`);
          return;
        }
        next(err);
        return;
      }
      const who = callerOf(res);
      if (!who) {
        res.redirect(303, `/dang-nhap?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      send(mayOpen(rule, who.role) ? 200 : 403);
    });
  });
  return router;
}
