import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { t } from '../shared/messages';
import { registerLimits, RegisterLimitError } from '../shared/register-limits';
import { RegisterFormatError, type RegisterRow } from '../register/read';
import { compiledRegisterThread, readRegisterOffThread, type RegisterThread } from '../register/thread';
import type { JobQueue, NewBatch, ServiceConfig, Store } from '../shared/types';
import type { BlobStore } from '../shared/blob-store';
import { caller, unitScope } from './auth';
import { ApiError } from './errors';
import { attachRegister, jobsFor } from '../ingest/batch-items';
import { EarlyEnqueue } from '../ingest/early-enqueue';
import { Ingest } from '../ingest/ingest';
import { multipartError } from './multipart';
import { hasControlCharacters, visibleName } from './names';

/**
 * `POST /api/batches`: multipart `files` (PDFs and/or ZIPs) and an optional `register` (CSV/XLSX). Uploads are
 * streamed to DATA_DIR/tmp under the configured limits, every document goes into the blob store, the batch into
 * the store — and only then is the client told 202: a worker or Redis that dies afterwards loses nothing, the
 * reconciler finds the waiting rows again. Documents are enqueued as soon as their blobs are durable, before the
 * batch exists (see EarlyEnqueue), so the workers are busy while a month's ZIP is still being stored.
 */

export interface UploadDeps {
  cfg: ServiceConfig;
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  log: (message: string, err?: unknown) => void;
  /** Where a register is parsed: a thread of its own (default, when compiled), or this one (null). */
  registerThread?: RegisterThread | null;
  /** Where the upload's files are written (the process's own folder in DATA_DIR/tmp). */
  tmpDir: string;
}

const FILES_FIELD = 'files';
const REGISTER_FIELD = 'register';

/** Bytes written for one request so far, across all its files (multer itself caps only each file). */
const written = new WeakMap<Request, { bytes: number }>();

/**
 * Disk storage that also enforces the whole-request limit while the bytes arrive, so a request without a
 * Content-Length (chunked) cannot fill the disk either.
 */
class LimitedDiskStorage implements multer.StorageEngine {
  constructor(
    private readonly dir: string,
    private readonly maxRequestBytes: number,
    /** The register part is refused as soon as it passes this, not after gigabytes were written. */
    private readonly maxRegisterBytes: number,
  ) {}

  _handleFile(req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    if (hasControlCharacters(file.originalname)) {
      // Refused before a byte is written; the rest of the body is read so that the answer can be sent.
      file.stream.resume();
      callback(new ApiError('BAD_FILE_NAME', { name: visibleName(file.originalname) }));
      return;
    }
    let state = written.get(req);
    if (!state) written.set(req, (state = { bytes: 0 }));
    const counter = state;
    let dest: string;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      dest = path.join(this.dir, `upload-${crypto.randomUUID()}`);
    } catch (err) {
      callback(err);
      return;
    }
    const out = fs.createWriteStream(dest);
    let size = 0;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      file.stream.unpipe(out);
      // Removed once the stream has closed: a stream destroyed while its file is still being opened creates the
      // file after a removal issued now (a body cut short in its first bytes left such files behind).
      const remove = (): void => fs.rm(dest, { force: true }, () => callback(err));
      if (out.closed) remove();
      else out.once('close', remove);
      out.destroy();
      // Keep reading so busboy can move on to the end of the request and multer can answer.
      file.stream.resume();
    };
    const maxBytes = file.fieldname === REGISTER_FIELD ? this.maxRegisterBytes : Number.POSITIVE_INFINITY;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      counter.bytes += chunk.length;
      if (counter.bytes > this.maxRequestBytes) fail(new ApiError('REQUEST_TOO_LARGE', { limit: this.maxRequestBytes }));
      else if (size > maxBytes) fail(new ApiError('REGISTER_TOO_LARGE', { file: file.originalname, kind: 'bytes', limit: maxBytes }));
    });
    file.stream.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => {
      if (settled) return;
      settled = true;
      callback(null, { destination: this.dir, filename: path.basename(dest), path: dest, size });
    });
    file.stream.pipe(out);
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    fs.rm(file.path, { force: true }, () => callback(null));
  }
}

/** Multer's errors in the API's shape; the limits are named so the client knows what to split. */
function multerError(err: multer.MulterError, cfg: ServiceConfig): ApiError {
  const limits = cfg.limits;
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new ApiError('FILE_TOO_LARGE', { limit: limits.maxFileBytes });
    case 'LIMIT_FILE_COUNT':
      return new ApiError('TOO_MANY_FILES', { limit: limits.maxFiles });
    case 'LIMIT_UNEXPECTED_FILE':
      // Past maxCount of `files` is "too many files", not a wrong field name.
      return err.field === FILES_FIELD ? new ApiError('TOO_MANY_FILES', { limit: limits.maxFiles }) : new ApiError('UNEXPECTED_FIELD', { field: err.field ?? '' });
    default:
      return new ApiError('BAD_REQUEST', { detail: err.message });
  }
}

/** Refuses a declared oversize body before reading it, and anything that is not multipart. */
function precheck(cfg: ServiceConfig): RequestHandler {
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(new ApiError('NOT_MULTIPART'));
      return;
    }
    const declared = Number(req.get('content-length') ?? 'NaN');
    if (Number.isFinite(declared) && declared > cfg.limits.maxRequestBytes) {
      // The body is not read: close the connection after answering instead of draining gigabytes.
      res.set('Connection', 'close');
      next(new ApiError('REQUEST_TOO_LARGE', { limit: cfg.limits.maxRequestBytes }));
      return;
    }
    next();
  };
}

function receive(cfg: ServiceConfig, tmpDir: string): RequestHandler {
  const upload = multer({
    storage: new LimitedDiskStorage(tmpDir, cfg.limits.maxRequestBytes, cfg.limits.maxRegisterBytes),
    // Vietnamese file names arrive as UTF-8 in practice; busboy's latin1 default would garble them.
    defParamCharset: 'utf8',
    limits: {
      fileSize: cfg.limits.maxFileBytes,
      files: cfg.limits.maxFiles + 1,
      fields: 20,
      fieldSize: 64 * 1024,
      parts: cfg.limits.maxFiles + 21,
    },
  }).fields([
    { name: FILES_FIELD, maxCount: cfg.limits.maxFiles },
    { name: REGISTER_FIELD, maxCount: 1 },
  ]);
  return (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err?: unknown) => {
      if (err instanceof multer.MulterError) next(multerError(err, cfg));
      else next(err === undefined ? undefined : multipartError(err));
    });
  };
}

/** A register over its limits: 413 with the limit it passed. */
function registerLimitError(err: RegisterLimitError, file: string): ApiError {
  const params = { file, kind: err.kind, limit: err.limit, ...(err.line === null ? {} : { line: err.line }) };
  if (err.kind === 'rows') return new ApiError('REGISTER_TOO_MANY_ROWS', params);
  if (err.kind === 'cell') return new ApiError('REGISTER_CELL_TOO_LONG', params);
  return new ApiError('REGISTER_TOO_LARGE', params);
}

async function loadRegister(file: Express.Multer.File, deps: UploadDeps): Promise<RegisterRow[]> {
  try {
    const thread = deps.registerThread === undefined ? compiledRegisterThread() : deps.registerThread;
    return await readRegisterOffThread(file.path, registerLimits(deps.cfg.limits), thread);
  } catch (err) {
    if (err instanceof RegisterLimitError) throw registerLimitError(err, file.originalname);
    if (err instanceof RegisterFormatError) {
      const key = err.reason === 'noHeader' ? 'registerNoHeader' : 'registerNoFileColumn';
      throw new ApiErrorWithTexts('REGISTER_UNREADABLE', file.originalname, t('vi', key), t('en', key));
    }
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiErrorWithTexts('REGISTER_UNREADABLE', file.originalname, detail, detail);
  }
}

/** A register error whose detail is itself a catalog text, in each language. */
class ApiErrorWithTexts extends ApiError {
  constructor(
    code: 'REGISTER_UNREADABLE',
    file: string,
    detailVi: string,
    private readonly detailEn: string,
  ) {
    super(code, { file, detail: detailVi });
  }
  override body(): ReturnType<ApiError['body']> {
    const vi = super.body();
    const en = new ApiError(this.code, { file: String(this.params.file), detail: this.detailEn }).body();
    return { error: { ...vi.error, messageEn: en.error.messageEn } };
  }
}

function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

async function createBatch(req: Request, res: Response, deps: UploadDeps): Promise<void> {
  const fields = (req.files ?? {}) as Record<string, Express.Multer.File[] | undefined>;
  const documents = fields[FILES_FIELD] ?? [];
  const register = fields[REGISTER_FIELD]?.[0];
  try {
    if (documents.length === 0) throw new ApiError('NO_FILES');
    const rows = register ? await loadRegister(register, deps) : null;
    const early = new EarlyEnqueue(deps.store, deps.queue, deps.log);
    const ingest = new Ingest({
      blobs: deps.blobs,
      limits: deps.cfg.limits,
      tmpRoot: deps.tmpDir,
      strictZipLimits: true,
      onDurable: (items) => early.offer(items),
    });
    let enqueued: ReadonlySet<string>;
    try {
      // Every archive is listed (and its limits checked) before anything is stored, so a 413 for the second ZIP
      // comes before the first one's documents are stored or enqueued.
      for (const file of documents) {
        // As in the CLI, a file that is not a ZIP is verified whatever it is: a stray .docx shows up as "not a PDF".
        if (isZipName(file.originalname)) await ingest.addZip(file.path, file.originalname);
        else ingest.addOwnedFile(file.path, file.originalname);
      }
      await ingest.store();
      enqueued = await early.settle();
    } finally {
      // On a throw, an enqueue under way finishes on its own (it catches its own errors).
      void early.settle();
      ingest.close();
    }
    if (ingest.items.length === 0 && ingest.findings.length === 0) throw new ApiError('NO_DOCUMENTS');
    // A clerk's upload counts only for the clerk's units (the Store keeps every row of it to them).
    const scope = unitScope(caller(res));
    const joined = attachRegister(ingest.items, rows, scope);
    const batch: NewBatch = {
      id: crypto.randomUUID(),
      source: 'upload',
      items: joined.items,
      findings: [...ingest.findings, ...joined.findings],
      hasRegister: rows !== null,
      createdBy: caller(res).id,
      units: scope ?? null,
    };
    const { pending } = await deps.store.createBatch(batch);
    try {
      // Only what was not enqueued while the upload was being stored: the queues forget finished jobs, so one
      // enqueued again would verify its document a second time. (A job lost since is the reconciler's.)
      const rest = jobsFor(pending.filter((sha256) => !enqueued.has(sha256)), batch.items);
      if (rest.length > 0) await deps.queue.enqueue(rest);
    } catch (err) {
      // The batch and its bytes are safe in the store; the reconciler re-enqueues waiting rows.
      deps.log(`enqueue failed for batch ${batch.id}; the reconciler will retry`, err);
    }
    res
      .status(202)
      .location(`/api/batches/${batch.id}`)
      .json({ id: batch.id, status: 'queued', total: batch.items.length, findings: batch.findings });
  } finally {
    // What putFile moved is gone already; whatever is left (the register, a refused upload) goes now.
    for (const file of [...documents, ...(register ? [register] : [])]) fs.rmSync(file.path, { force: true });
  }
}

/** The route's handlers in order: size precheck, multipart receipt, batch creation. */
export function uploadHandlers(deps: UploadDeps): RequestHandler[] {
  return [precheck(deps.cfg), receive(deps.cfg, deps.tmpDir), (req, res) => createBatch(req, res, deps)];
}
