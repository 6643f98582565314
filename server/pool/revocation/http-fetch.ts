import * as http from 'node:http';
import * as https from 'node:https';

/**
 * One bounded HTTP exchange for revocation data: http and https only (ldap:// and file:// sources are not
 * supported), a deadline on the whole exchange, a size cap checked on Content-Length and again while reading, and
 * at most a few redirects, each to http or https. Failures are thrown as FetchError with a kind the caller turns
 * into a finding: `unreachable` (network, timeout, HTTP status) or `invalid` (the answer itself is unacceptable).
 */

export class FetchError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export interface FetchRequest {
  url: string;
  /** POST body (an OCSP request); GET when absent. */
  body?: { contentType: string; data: Buffer };
  accept: string;
}

const MAX_REDIRECTS = 3;

export function supportedUrl(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

export async function fetchBytes(req: FetchRequest, limits: FetchLimits): Promise<Buffer> {
  const deadline = Date.now() + limits.timeoutMs;
  let url = req.url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const u = supportedUrl(url);
    if (!u) throw new FetchError('unreachable', `unsupported source ${hop === 0 ? 'scheme' : 'redirect'}: ${url}`);
    const r = await exchange(u, req, limits.maxBytes, deadline - Date.now());
    if ('redirect' in r) {
      url = new URL(r.redirect, u).toString();
      continue;
    }
    return r.body;
  }
  throw new FetchError('unreachable', `more than ${MAX_REDIRECTS} redirects`);
}

function exchange(u: URL, req: FetchRequest, maxBytes: number, remainingMs: number): Promise<{ body: Buffer } | { redirect: string }> {
  return new Promise((resolve, reject) => {
    if (remainingMs <= 0) {
      reject(new FetchError('unreachable', 'timed out'));
      return;
    }
    const lib = u.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { accept: req.accept };
    if (req.body) {
      headers['content-type'] = req.body.contentType;
      headers['content-length'] = String(req.body.data.length);
    }
    // https keeps Node's default certificate verification (system CA store). It is not what protects a verdict: every
    // CRL and OCSP answer is checked against the CA's signature, so an unverified channel could not forge one. It is
    // kept because dropping it would buy only the sources served behind a certificate the system does not trust, which
    // then fail as unreachable like any other dead source (a warning; the verdict rests on what is known), while an
    // OCSP request names the certificate being checked and should not go to whoever can intercept the connection.
    const request = lib.request(u, { method: req.body ? 'POST' : 'GET', headers, agent: false });
    // The first reason we stop is the one reported, whichever stream's 'error' event reaches us first.
    let reason: FetchError | null = null;
    const abort = (e: FetchError): void => {
      reason ??= e;
      request.destroy(e);
    };
    const timer = setTimeout(() => abort(new FetchError('unreachable', `timed out after ${Math.round(remainingMs)} ms`)), remainingMs);
    const fail = (e: unknown): void => {
      clearTimeout(timer);
      reject(reason ?? (e instanceof FetchError ? e : new FetchError('unreachable', e instanceof Error ? e.message : String(e))));
    };
    request.on('error', fail);
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        clearTimeout(timer);
        resolve({ redirect: res.headers.location });
        return;
      }
      if (status !== 200) {
        res.resume();
        abort(new FetchError('unreachable', `HTTP ${status}`));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > maxBytes) {
        abort(new FetchError('invalid', `response of ${declared} bytes exceeds the ${maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) abort(new FetchError('invalid', `response exceeds the ${maxBytes}-byte limit`));
        else chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        if (size <= maxBytes) resolve({ body: Buffer.concat(chunks) });
      });
    });
    request.end(req.body?.data);
  });
}
