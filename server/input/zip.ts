import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import type { Finding } from '../../worker/report';
import { batchFinding } from '../messages';
import type { TempDir } from './temp';
import type { DocumentItem, LoadedJob } from './types';

/**
 * PDFs inside ZIP archives (the E-office monthly export), read lazily: the central directory is listed first,
 * an entry's bytes are read only when the pool is ready for it. Archives are untrusted input: entry count and
 * total size are capped (zip bombs), unsafe paths are skipped and reported, nesting goes one level deep.
 */

export const ZIP_LIMITS = {
  maxEntries: 100_000,
  maxTotalBytes: 20 * 1024 ** 3,
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
}

/** Counted over an archive and the archives nested in it. */
interface Budget {
  entries: number;
  bytes: number;
}

const OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  // Names are decoded and validated here rather than by yauzl, which would abort the whole archive on one bad name.
  decodeStrings: false,
  validateEntrySizes: true,
};

function entryName(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

/** Absolute paths, drive letters and `..` parts (backslashes were already turned into slashes). */
function isUnsafe(name: string): boolean {
  return yauzl.validateFileName(name) !== null;
}

async function readToBuffer(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<{ data: Buffer; sha256: string }> {
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
  return {
    name,
    load: async (): Promise<LoadedJob> => {
      if (entry.uncompressedSize <= ctx.limits.maxInMemoryBytes) {
        const { data, sha256 } = await readToBuffer(zip, entry);
        return { job: { fileName: name, data, sha256 }, dispose: () => undefined };
      }
      const file = ctx.temp.file('.pdf');
      await extractToFile(zip, entry, file);
      return { job: { fileName: name, path: file }, dispose: () => fs.rmSync(file, { force: true }) };
    },
  };
}

/** Lists an archive's PDFs into ctx.items (and, at depth 0, those of the archives inside it). */
export async function listZip(file: string, display: string, ctx: ZipContext, depth = 0, budget: Budget = { entries: 0, bytes: 0 }): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, OPTIONS);
  } catch (err) {
    ctx.findings.push(batchFinding('ZIP_UNREADABLE', { archive: display, detail: err instanceof Error ? err.message : String(err) }));
    return;
  }
  ctx.open.push(zip);
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
        ctx.findings.push(batchFinding('ZIP_TOO_LARGE', { archive: display, limit: `${ctx.limits.maxTotalBytes} byte` }));
        return;
      }
      const inner = `${display}/${name}`;
      if (isPdf) {
        ctx.items.push(pdfItem(zip, entry, inner, ctx));
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
