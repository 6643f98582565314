import { lang } from './i18n';

/**
 * Calls to the JSON API from the signed-in page: the session cookie goes by itself (same origin), and every call
 * that changes something carries the session's CSRF token. A 401 on any call but the sign-in means the session
 * ended: the person is sent to sign in again, back here afterwards.
 */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: string,
    readonly retryAfter: number | null,
  ) {
    super(text);
    this.name = 'ApiFailure';
  }
}

let csrfToken = '';

export function setCsrf(token: string): void {
  csrfToken = token;
}

export function signInPath(): string {
  return `/dang-nhap?next=${encodeURIComponent(location.pathname + location.search)}`;
}

interface ErrorBody {
  error?: { code?: string; message?: string; messageEn?: string };
}

function failure(status: number, bodyText: string, retryAfter: string | null): ApiFailure {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(bodyText) as ErrorBody;
  } catch {
    // Not our error shape (a proxy's page): the status says enough.
  }
  const e = body.error ?? {};
  const text = (lang() === 'en' ? e.messageEn : e.message) ?? e.message ?? `HTTP ${status}`;
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  return new ApiFailure(status, e.code ?? `HTTP_${status}`, text, seconds);
}

function expired(status: number, path: string): boolean {
  return status === 401 && path !== '/api/session' && location.pathname !== '/dang-nhap';
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    if (expired(res.status, path)) location.assign(signInPath());
    throw failure(res.status, await res.text(), res.headers.get('Retry-After'));
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A multipart upload with progress (fetch reports no upload progress; XMLHttpRequest does). */
export function uploadForm<T>(path: string, form: FormData, onProgress: (loaded: number, total: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
        return;
      }
      if (expired(xhr.status, path)) location.assign(signInPath());
      reject(failure(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
    });
    xhr.addEventListener('error', () => reject(new ApiFailure(0, 'NETWORK', lang() === 'en' ? 'The connection to the server was lost. Check the network and try again.' : 'Mất kết nối tới máy chủ. Kiểm tra mạng rồi thử lại.', null)));
    xhr.send(form);
  });
}

/** A query string from the values that are set. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
