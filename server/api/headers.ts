import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response — answers, errors and 404s alike — set by helmet, which follows what browsers
 * do with each header so that this file need not. The API answers JSON, CSV and XLSX only: nothing it sends is a
 * page to run scripts, load resources, be framed or leak its address in a Referer, so the policy allows nothing.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    // X-Frame-Options for browsers that predate frame-ancestors.
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // TLS is ended by the proxy in front of the service, which owns the HSTS decision for its domain; sent over
    // plain HTTP the header would be ignored anyway.
    strictTransportSecurity: false,
  });
}
