import { ApiError } from './errors';

/**
 * What a client's malformed multipart body becomes: a 400 with a code, never a 500. busboy, which multer parses
 * with, reports a broken body by plain Errors and their messages only; a file system error (ENOSPC, EACCES) while
 * the parts are stored is the server's own and stays a 500.
 */

/** Error codes of the operating system, as Node's file and socket errors carry them. */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

export function multipartError(err: unknown): unknown {
  if (err instanceof ApiError || !(err instanceof Error)) return err;
  // The client went away or cut the body short: nobody may be listening, but it is not the server's fault.
  if (isSystemError(err)) return err.code === 'ECONNRESET' || err.code === 'ECONNABORTED' ? new ApiError('MULTIPART_TRUNCATED') : err;
  if (/boundary not found/i.test(err.message)) return new ApiError('MULTIPART_NO_BOUNDARY');
  if (/unexpected end of (form|multipart data)/i.test(err.message)) return new ApiError('MULTIPART_TRUNCATED');
  return new ApiError('MULTIPART_MALFORMED');
}
