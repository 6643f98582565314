import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import * as yauzl from 'yauzl';
import type { Finding } from '../../worker/report';
import { batchFinding } from '../shared/messages';
import { formatSize } from '../shared/sizes';
import type { TempDir } from '../shared/temp';
import type { DocumentItem, LoadedJob } from './types';
import type { UniqueNames } from './unique-names';

/**
 * PDFs inside ZIP archives (the E-office monthly export), read lazily: the central directory is listed first,
 * an entry's bytes are read only when the pool is ready for it. Archives are untrusted input: entry count, total
 * size and expansion ratio are capped (zip bombs), unsafe paths are skipped and reported, nesting goes one level
 * deep, and an entry whose name another one already has is renamed and reported.
 */

export const ZIP_LIMITS = {
  maxEntries: 100_000,
  maxTotalBytes: 20 * 1024 ** 3,
  /**
   * Uncompressed bytes per byte of the archive, nested archives included: PDFs barely compress (their streams are
   * compressed already), a bomb expands a thousandfold — a 1 MB ZIP once filled 1 GB of disk under the size limit.
   */
  maxRatio: 100,
  /** Entries up to this size are verified from memory; larger ones go through a temporary file. */
  maxInMemoryBytes: 64 * 1024 ** 2,
};

export interface ZipContext {
  items: DocumentItem[];
  findings: Finding[];
  temp: TempDir;
  /** Open archives, closed when the run ends. */
  open: yauzl.ZipFile[];
  limits: typeof ZIP_LIMITS;
  /** Names taken in the batch so far: an entry whose name is taken is renamed and listed (DUPLICATE_NAME). */
  names?: UniqueNames;
}

/** Counted over an archive and the archives nested in it. */
interface Budget {
  entries: number;
  bytes: number;
  /** Uncompressed bytes the outermost archive may expand to, by its size and the ratio limit. */
  ratioBytes: number;
  /** The outermost archive's name, which the ratio finding names. */
  top: string;
}

const OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  // Names are decoded and validated here rather than by yauzl, which would abort the whole archive on one bad name.
  decodeStrings: false,
  validateEntrySizes: true,
};

function entryName(entry: yauzl.Entry): string {
  // A NUL cannot be stored (PostgreSQL text refuses it) and no file system allows one in a name: shown as U+FFFD.
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false).replace(/\0/g, '\ufffd');
}

/** Absolute paths, drive letters and `..` parts (backslashes were already turned into slashes). */
function isUnsafe(name: string): boolean {
  return yauzl.validateFileName(name) !== null;
}

const inflateRaw = promisify(zlib.inflateRaw) as (data: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;
const fsRead = promisify(fs.read);

/** The reader of each archive openArchive opened: its descriptor is what the direct read reads. */
const archiveReaders = new WeakMap<yauzl.ZipFile, ArchiveReader>();

/**
 * The archive's own reader, or null for an archive this module did not open (then entries are read through
 * yauzl's streams). Reading its descriptor directly matters: through yauzl's streams a 150 KB entry took 0.9 ms
 * (16 KB chunks, each a thread-pool round trip, all the archive's reads one after another in yauzl's reader) —
 * most of what storing a month's ZIP cost — and one positional read a tenth.
 */
export function fdReaderOf(zip: yauzl.ZipFile): ArchiveReader | null {
  return archiveReaders.get(zip) ?? null;
}

async function readFully(fd: number, buf: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < buf.length; ) {
    const { bytesRead } = await fsRead(fd, buf, offset, buf.length - offset, position + offset);
    if (bytesRead === 0) throw new Error('unexpected end of archive');
    offset += bytesRead;
  }
}

/**
 * An entry's bytes by two positional reads (its local header, then its data) and, when deflated, one inflate —
 * with yauzl's own checks: the local header's signature, data within the archive, exactly the declared size.
 * Null when the entry is not one this path takes (encrypted, another method, a compressed size no deflate stream
 * of that output has): yauzl's streams then read it, or say why they cannot.
 */
async function readDirect(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer | null> {
  const reader = fdReaderOf(zip);
  const method = entry.compressionMethod;
  if (!reader || !zip.isOpen || entry.isEncrypted() || (method !== 0 && method !== 8)) return null;
  const size = entry.uncompressedSize;
  // Deflate adds at most ~5 bytes per 16 KB block to incompressible data; anything larger is not read whole here.
  if (method === 8 && entry.compressedSize > size + Math.ceil(size / 1024) + 1024) return null;
  if (method === 0 && entry.compressedSize !== size) throw new Error('compressed/uncompressed size mismatch for stored file');
  // Our reference keeps the descriptor open (and not reused) even if the archive is closed meanwhile.
  reader.ref();
  try {
    const header = Buffer.alloc(30);
    await readFully(reader.fd, header, entry.relativeOffsetOfLocalHeader);
    const signature = header.readUInt32LE(0);
    if (signature !== 0x04034b50) throw new Error(`invalid local file header signature: 0x${signature.toString(16)}`);
    const dataStart = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > zip.fileSize) {
      throw new Error(`file data overflows file bounds: ${dataStart} + ${entry.compressedSize} > ${zip.fileSize}`);
    }
    if (method === 0) {
      // Exactly sized and not from Node's shared pool, so the pool can transfer it to a worker without a copy;
      // not zeroed first, since readFully fills every byte or throws.
      const data = Buffer.allocUnsafeSlow(size);
      await readFully(reader.fd, data, dataStart);
      return data;
    }
    const compressed = Buffer.allocUnsafeSlow(entry.compressedSize);
    await readFully(reader.fd, compressed, dataStart);
    // One byte more than declared is enough to know it is too long: a deflate bomb stops there, not in memory.
    let data: Buffer;
    try {
      data = await inflateRaw(compressed, { maxOutputLength: size + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`too many bytes in the stream. expected ${size}`);
      throw err;
    }
    if (data.length !== size) throw new Error(`not enough bytes in the stream. expected ${size}. got only ${data.length}`);
    return data;
  } finally {
    reader.unref();
  }
}

/** An entry's bytes and their sha256 (computed here, once: the blob store and the pool take it as given). */
async function readToBuffer(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<{ data: Buffer; sha256: string }> {
  const direct = await readDirect(zip, entry);
  if (direct) return { data: direct, sha256: crypto.createHash('sha256').update(direct).digest('hex') };
  // Exactly sized and not from Node's shared pool, so the pool can transfer it to a worker without a copy.
  const data = Buffer.alloc(entry.uncompressedSize);
  const hash = crypto.createHash('sha256');
  let offset = 0;
  for await (const chunk of await zip.openReadStreamPromise(entry)) {
    const bytes = chunk as Buffer;
    if (offset + bytes.length > data.length) throw new Error('entry larger than declared');
    bytes.copy(data, offset);
    hash.update(bytes);
    offset += bytes.length;
  }
  return { data, sha256: hash.digest('hex') };
}

async function extractToFile(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<void> {
  await pipeline(await zip.openReadStreamPromise(entry), fs.createWriteStream(file));
}

function pdfItem(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, ctx: ZipContext): DocumentItem {
  // One decision for what the item declares and what load() does: callers bound memory by memoryBytes.
  const inMemory = entry.uncompressedSize <= ctx.limits.maxInMemoryBytes;
  return {
    name,
    ...(inMemory ? { memoryBytes: entry.uncompressedSize } : {}),
    load: async (): Promise<LoadedJob> => {
      if (inMemory) {
        const { data, sha256 } = await readToBuffer(zip, entry);
        return { job: { fileName: name, data, sha256 }, dispose: () => undefined };
      }
      const file = ctx.temp.file('.pdf');
      await extractToFile(zip, entry, file);
      return { job: { fileName: name, path: file }, dispose: () => fs.rmSync(file, { force: true }) };
    },
  };
}

/** yauzl's small reads that follow one another are served from blocks of this size. */
const READ_BLOCK = 1024 * 1024;
/** Reads at most this long count as small. */
const SMALL_READ = 4096;

/** The file operations of a stream that reads a descriptor it does not own. */
const KEEP_FD_OPEN = {
  read: fs.read,
  close: (_fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void => callback(null),
};

const fsOpen = promisify(fs.open);
const fsFstat = promisify(fs.fstat);

/**
 * The archive through one descriptor, for yauzl. yauzl lists the central directory 46 bytes and a name at a time,
 * each read a thread-pool round trip, one after the other: 0.1 ms an entry, a second and a half for a 10,000-entry
 * month during which no document can be stored or verified. Small reads that continue the previous one are served
 * from a 1 MB block read at once (the central directory is a few hundred kilobytes), others are read as asked;
 * streams read the descriptor directly. The descriptor is closed when yauzl lets the reader go (zip.close() and
 * every read done), as with yauzl's own reader.
 */
class ArchiveReader extends yauzl.RandomAccessReader {
  // yauzl's RandomAccessReader counts its users with these (its typings leave them out): a reference keeps the
  // descriptor open, and unused, until the last one is dropped.
  declare ref: () => void;
  declare unref: () => void;
  private block: { start: number; data: Buffer } | null = null;
  private lastEnd = -1;

  constructor(
    readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    // yauzl's own readers answer (err, bytesRead): it checks bytesRead for a short read.
    const done = callback as (err: Error | null, bytesRead?: number) => void;
    const sequential = position === this.lastEnd;
    this.lastEnd = position + length;
    const block = this.block;
    if (block && position >= block.start && position + length <= block.start + block.data.length) {
      block.data.copy(buffer, offset, position - block.start, position - block.start + length);
      // Asynchronously, as a real read answers: yauzl's callbacks must not nest once per entry.
      process.nextTick(done, null, length);
      return;
    }
    if (!sequential || length > SMALL_READ) {
      fs.read(this.fd, buffer, offset, length, position, (err, bytesRead) => done(err, bytesRead));
      return;
    }
    const data = Buffer.allocUnsafe(Math.max(length, Math.min(READ_BLOCK, this.size - position)));
    fs.read(this.fd, data, 0, data.length, position, (err, bytesRead) => {
      if (err) {
        done(err);
        return;
      }
      this.block = { start: position, data: data.subarray(0, bytesRead) };
      const n = Math.max(0, Math.min(length, bytesRead));
      data.copy(buffer, offset, 0, n);
      done(null, n);
    });
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // `end` is exclusive here, inclusive for createReadStream; yauzl never asks for an empty range. The stream must
    // not close the descriptor: a destroyed stream closes its fd whatever autoClose says (pipeline destroys its
    // streams), and the number would be reused by the next open — the archive's reads would then read that file.
    return fs.createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false, fs: KEEP_FD_OPEN });
  }

  override close(callback: (err: Error | null) => void): void {
    fs.close(this.fd, (err) => callback(err ?? null));
  }
}

async function openArchive(file: string): Promise<yauzl.ZipFile> {
  const fd = await fsOpen(file, 'r');
  try {
    const { size } = await fsFstat(fd);
    const reader = new ArchiveReader(fd, size);
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, OPTIONS);
    archiveReaders.set(zip, reader);
    return zip;
  } catch (err) {
    // yauzl lets a reader it refused go without closing it (its own open() closes the descriptor the same way).
    fs.close(fd, () => undefined);
    throw err;
  }
}

/** The entry's name, or a numbered one when the batch has the name already (then listed as a finding). */
function uniqueName(name: string, ctx: ZipContext): string {
  if (!ctx.names) return name;
  const taken = ctx.names.take(name);
  if (taken.renamedFrom !== null) ctx.findings.push(batchFinding('DUPLICATE_NAME', { name: taken.renamedFrom, renamed: taken.name }));
  return taken.name;
}

/** Lists an archive's PDFs into ctx.items (and, at depth 0, those of the archives inside it). */
export async function listZip(file: string, display: string, ctx: ZipContext, depth = 0, outer: Budget | null = null): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openArchive(file);
  } catch (err) {
    ctx.findings.push(batchFinding('ZIP_UNREADABLE', { archive: display, detail: err instanceof Error ? err.message : String(err) }));
    return;
  }
  ctx.open.push(zip);
  const budget = outer ?? { entries: 0, bytes: 0, ratioBytes: ctx.limits.maxRatio * zip.fileSize, top: display };
  try {
    for await (const entry of zip.eachEntry()) {
      if (++budget.entries > ctx.limits.maxEntries) {
        ctx.findings.push(batchFinding('ZIP_TOO_MANY_ENTRIES', { archive: display, limit: ctx.limits.maxEntries }));
        return;
      }
      const name = entryName(entry);
      if (name.endsWith('/')) continue;
      if (isUnsafe(name)) {
        ctx.findings.push(batchFinding('ZIP_UNSAFE_PATH', { archive: display, entry: name }));
        continue;
      }
      const isPdf = /\.pdf$/i.test(name);
      const isZip = /\.zip$/i.test(name);
      if (!isPdf && !isZip) continue;
      budget.bytes += entry.uncompressedSize;
      if (budget.bytes > ctx.limits.maxTotalBytes) {
        ctx.findings.push(batchFinding('ZIP_TOO_LARGE', { archive: display, limit: formatSize(ctx.limits.maxTotalBytes) }));
        return;
      }
      // Declared sizes are what is checked, before anything is extracted: yauzl refuses an entry whose bytes then
      // differ from its declared size (validateEntrySizes), and the direct read inflates no more than declared.
      if (budget.bytes > budget.ratioBytes) {
        ctx.findings.push(batchFinding('ZIP_RATIO_TOO_HIGH', { archive: budget.top, ratio: ctx.limits.maxRatio }));
        return;
      }
      const inner = `${display}/${name}`;
      if (isPdf) {
        ctx.items.push(pdfItem(zip, entry, uniqueName(inner, ctx), ctx));
      } else if (depth > 0) {
        ctx.findings.push(batchFinding('ZIP_NESTED_TOO_DEEP', { entry: inner }));
      } else {
        // A nested archive must be opened to list it: it goes to a temporary file, never whole into memory.
        const nested = ctx.temp.file('.zip');
        try {
          await extractToFile(zip, entry, nested);
        } catch (err) {
          ctx.findings.push(batchFinding('ZIP_UNREADABLE', { archive: inner, detail: err instanceof Error ? err.message : String(err) }));
          continue;
        }
        await listZip(nested, inner, ctx, depth + 1, budget);
      }
    }
  } catch (err) {
    // A broken central directory: what was listed before it stays in the batch.
    ctx.findings.push(batchFinding('ZIP_UNREADABLE', { archive: display, detail: err instanceof Error ? err.message : String(err) }));
  }
}
