import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ingest, LANES, type IngestedItem } from '../../server/ingest/ingest';
import { FileBlobStore } from '../../server/store/blobs';
import { TempDir } from '../../server/shared/temp';
import { fdReaderOf, listZip, ZIP_LIMITS, type ZipContext } from '../../server/ingest/zip';
import { DEFAULT_LIMITS } from '../../server/shared/config';
import type { BlobStore, BlobWriter, PutFileOptions, StoredBlob } from '../../server/shared/blob-store';
import { tempDir } from '../api/helpers/fakes';
import { buildZip, type ZipEntrySpec } from '../api/helpers/zip-deflate';

/**
 * Storing an upload: ZIP entries read by positional reads (stored and deflated, with yauzl's checks), hashed once,
 * written as a group whose durability is settled by flushes — and documents handed on only once durable.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function fresh(): string {
  const d = tempDir('kiemky-ingest-');
  dirs.push(d);
  return d;
}
const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

function writeZip(dir: string, name: string, entries: ZipEntrySpec[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, buildZip(entries));
  return file;
}

async function listed(file: string): Promise<{ ctx: ZipContext; close: () => void }> {
  const temp = new TempDir();
  const ctx: ZipContext = { items: [], findings: [], temp, open: [], limits: ZIP_LIMITS };
  await listZip(file, 'a.zip', ctx);
  return {
    ctx,
    close: () => {
      for (const z of ctx.open) z.close();
      temp.remove();
    },
  };
}

test('ZIP entries, stored and deflated, read by positional reads give the archived bytes and their sha256', async () => {
  const dir = fresh();
  const big = crypto.randomBytes(300_000);
  const text = Buffer.from('%PDF-1.7\n'.repeat(5000));
  const file = writeZip(dir, 'a.zip', [
    { name: 'stored.pdf', data: big, method: 'store' },
    { name: 'deflated.pdf', data: text, method: 'deflate' },
    { name: 'empty.pdf', data: Buffer.alloc(0), method: 'deflate' },
    { name: 'incompressible.pdf', data: big, method: 'deflate' },
  ]);
  const { ctx, close } = await listed(file);
  try {
    // The fast path is the one taken (a yauzl that no longer exposes its descriptor would silently fall back).
    expect(ctx.open).toHaveLength(1);
    expect(fdReaderOf(ctx.open[0])).not.toBeNull();
    const got = [];
    for (const item of ctx.items) {
      const loaded = await item.load();
      const job = loaded.job;
      if (!('data' in job)) throw new Error('expected an in-memory entry');
      got.push({ name: item.name, size: job.data.length, sha256: job.sha256, ok: job.sha256 === sha(Buffer.from(job.data)) });
      loaded.dispose();
    }
    expect(got).toEqual([
      { name: 'a.zip/stored.pdf', size: big.length, sha256: sha(big), ok: true },
      { name: 'a.zip/deflated.pdf', size: text.length, sha256: sha(text), ok: true },
      { name: 'a.zip/empty.pdf', size: 0, sha256: sha(Buffer.alloc(0)), ok: true },
      { name: 'a.zip/incompressible.pdf', size: big.length, sha256: sha(big), ok: true },
    ]);
  } finally {
    close();
  }
});

test('a broken entry is refused as yauzl would refuse it; the others of the archive still read', async () => {
  const dir = fresh();
  const good = Buffer.from('%PDF-1.7 good');
  const file = writeZip(dir, 'b.zip', [
    { name: 'garbage.pdf', data: good, rawData: Buffer.from('this is no deflate stream at all') },
    { name: 'short.pdf', data: good, declaredSize: good.length + 10 },
    // A deflate bomb: a megabyte of zeros that says it is 10 bytes. Refused at byte 11, not inflated whole.
    { name: 'bomb.pdf', data: Buffer.alloc(1 << 20), declaredSize: 10 },
    { name: 'header.pdf', data: good, method: 'store', badLocalHeader: true },
    // A compressed size no deflate stream of that output has: yauzl's own stream reads it, and fails.
    { name: 'odd.pdf', data: good, declaredSize: 1, rawData: crypto.randomBytes(5000) },
    { name: 'good.pdf', data: good },
  ]);
  const { ctx, close } = await listed(file);
  try {
    const outcome: Record<string, string> = {};
    for (const item of ctx.items) {
      try {
        const loaded = await item.load();
        const job = loaded.job;
        outcome[item.name] = 'data' in job ? Buffer.from(job.data).toString() : 'file';
        loaded.dispose();
      } catch (err) {
        outcome[item.name] = `error: ${(err as Error).message}`;
      }
    }
    expect(outcome['a.zip/garbage.pdf']).toMatch(/^error: /);
    expect(outcome['a.zip/short.pdf']).toMatch(/^error: not enough bytes/);
    expect(outcome['a.zip/bomb.pdf']).toMatch(/^error: too many bytes/);
    expect(outcome['a.zip/header.pdf']).toMatch(/^error: invalid local file header signature/);
    expect(outcome['a.zip/odd.pdf']).toMatch(/^error: /);
    expect(outcome['a.zip/good.pdf']).toBe('%PDF-1.7 good');
  } finally {
    close();
  }
});

test('Ingest: broken entries are stored as empty documents (verdict error) under their names, in archive order', async () => {
  const dir = fresh();
  const blobs = new FileBlobStore(path.join(dir, 'data'));
  const file = writeZip(dir, 'c.zip', [
    { name: 'a.pdf', data: '%PDF a' },
    { name: 'broken.pdf', data: '%PDF b', rawData: Buffer.from('not deflate') },
    { name: 'c.pdf', data: '%PDF c', method: 'store' },
  ]);
  const ingest = new Ingest({ blobs, limits: DEFAULT_LIMITS, tmpRoot: path.join(dir, 'data', 'tmp'), strictZipLimits: true });
  try {
    await ingest.addZip(file, 'c.zip');
    expect(ingest.items).toEqual([]);
    await ingest.store();
  } finally {
    ingest.close();
  }
  expect(ingest.items).toEqual([
    { file: 'c.zip/a.pdf', sha256: sha(Buffer.from('%PDF a')), size: 6 },
    { file: 'c.zip/broken.pdf', sha256: sha(Buffer.alloc(0)), size: 0 },
    { file: 'c.zip/c.pdf', sha256: sha(Buffer.from('%PDF c')), size: 6 },
  ]);
  for (const item of ingest.items) expect(fs.readFileSync(blobs.pathOf(item.sha256)).length).toBe(item.size);
});

type Event = { kind: 'put'; sha256: string } | { kind: 'flush-start' } | { kind: 'flush-end' } | { kind: 'durable'; sha256: string };

/** A FileBlobStore whose writers log what happens, and can fail the nth put (a disk that fills up). */
class LoggingBlobs implements BlobStore {
  readonly events: Event[] = [];
  puts = 0;
  failAt = Infinity;
  constructor(readonly inner: FileBlobStore) {}
  putFile(p: string, o?: PutFileOptions): Promise<StoredBlob> {
    return this.inner.putFile(p, o);
  }
  putBuffer(d: Buffer): Promise<StoredBlob> {
    return this.inner.putBuffer(d);
  }
  has(s: string): Promise<boolean> {
    return this.inner.has(s);
  }
  pathOf(s: string): string {
    return this.inner.pathOf(s);
  }
  writer(): BlobWriter {
    const w = this.inner.writer();
    const put = async (run: () => Promise<StoredBlob>): Promise<StoredBlob> => {
      if (++this.puts >= this.failAt) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const stored = await run();
      this.events.push({ kind: 'put', sha256: stored.sha256 });
      return stored;
    };
    return {
      putBuffer: (d, s) => put(() => w.putBuffer(d, s)),
      putFile: (p, o) => put(() => w.putFile(p, o)),
      flush: async () => {
        this.events.push({ kind: 'flush-start' });
        await w.flush();
        this.events.push({ kind: 'flush-end' });
      },
    };
  }
}

function manyEntries(n: number): ZipEntrySpec[] {
  return Array.from({ length: n }, (_, i) => ({ name: `d/${String(i).padStart(3, '0')}.pdf`, data: `%PDF-1.7 document ${i}\n${'x'.repeat(i * 50)}` }));
}

/** Every document handed on was put before a flush that had ended before it was handed on. */
function expectDurableBeforeHandedOn(events: Event[]): void {
  const putAt = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.kind === 'put' && !putAt.has(e.sha256)) putAt.set(e.sha256, i);
  });
  events.forEach((e, i) => {
    if (e.kind !== 'durable') return;
    const put = putAt.get(e.sha256);
    expect(put).toBeDefined();
    const start = events.findIndex((f, j) => j > put! && f.kind === 'flush-start');
    const end = events.findIndex((f, j) => j > start && f.kind === 'flush-end');
    expect(start).toBeGreaterThan(put!);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThan(i);
  });
}

/** Adds one ZIP and stores its entries, closing the ingest whatever happens. */
async function storeZip(ingest: Ingest, file: string, name: string): Promise<void> {
  try {
    await ingest.addZip(file, name);
    await ingest.store();
  } finally {
    ingest.close();
  }
}

test('Ingest hands documents on while storing, each only after a flush that followed its put', async () => {
  const dir = fresh();
  const blobs = new LoggingBlobs(new FileBlobStore(path.join(dir, 'data')));
  const file = writeZip(dir, 'm.zip', manyEntries(60));
  const handed: IngestedItem[][] = [];
  const ingest = new Ingest({
    blobs,
    limits: DEFAULT_LIMITS,
    tmpRoot: path.join(dir, 'data', 'tmp'),
    strictZipLimits: true,
    // A group is due at 8 documents (the window is long enough never to be what flushes one here).
    group: { size: 8, delayMs: 60_000 },
    onDurable: (items) => {
      handed.push(items);
      for (const item of items) {
        blobs.events.push({ kind: 'durable', sha256: item.sha256 });
        expect(fs.existsSync(blobs.pathOf(item.sha256))).toBe(true);
      }
    },
  });
  await storeZip(ingest, file, 'm.zip');
  expectDurableBeforeHandedOn(blobs.events);
  // Handed on in several groups while storing (not one at the end), each document once; every group but the last
  // gathered at least its 8 documents (a flush per document or two would make each fsync, query and enqueue
  // serve one or two documents).
  expect(handed.length).toBeGreaterThan(1);
  for (const group of handed.slice(0, -1)) expect(group.length).toBeGreaterThanOrEqual(8);
  const all = handed.flat().map((i) => i.file);
  expect(new Set(all).size).toBe(60);
  expect(all).toHaveLength(60);
  // The batch's order is the archive's, whatever the order of completion.
  expect(ingest.items.map((i) => i.file)).toEqual(manyEntries(60).map((e) => `m.zip/${e.name}`));
});

/** A blob store whose puts take a while, counting the documents and entry bytes being put at once. */
class SlowBlobs extends LoggingBlobs {
  now = { puts: 0, bytes: 0 };
  peak = { puts: 0, bytes: 0 };
  override writer(): BlobWriter {
    const w = this.inner.writer();
    return {
      putBuffer: async (d, s) => {
        this.now.puts++;
        this.now.bytes += d.length;
        this.peak = { puts: Math.max(this.peak.puts, this.now.puts), bytes: Math.max(this.peak.bytes, this.now.bytes) };
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await w.putBuffer(d, s);
        } finally {
          this.now.puts--;
          this.now.bytes -= d.length;
        }
      },
      putFile: (p, o) => w.putFile(p, o),
      flush: () => w.flush(),
    };
  }
}

test.each([
  ['with room, many entries are stored at once, not four', 1024 ** 3, (peak: { puts: number; bytes: number }) => expect(peak.puts).toBeGreaterThan(8)],
  ['entries in memory at once stay within the bytes allowed', 35_000, (peak: { puts: number; bytes: number }) => {
    expect(peak.bytes).toBeLessThanOrEqual(35_000);
    expect(peak.puts).toBe(3);
  }],
  ['an entry larger than the bytes allowed is stored alone, not never', 5_000, (peak: { puts: number; bytes: number }) => expect(peak.puts).toBe(1)],
])('%s', async (_name, inFlightBytes, expectPeak) => {
  const dir = fresh();
  const blobs = new SlowBlobs(new FileBlobStore(path.join(dir, 'data')));
  const entries = Array.from({ length: 40 }, (_, i) => ({ name: `e/${i}.pdf`, data: crypto.randomBytes(10_000), method: 'store' as const }));
  const file = writeZip(dir, 'b.zip', entries);
  const ingest = new Ingest({ blobs, limits: DEFAULT_LIMITS, tmpRoot: path.join(dir, 'data', 'tmp'), strictZipLimits: true, inFlightBytes });
  await storeZip(ingest, file, 'b.zip');
  expectPeak(blobs.peak);
  expect(ingest.items.map((i) => i.sha256)).toEqual(entries.map((e) => sha(e.data)));
  for (const e of entries) expect(fs.readFileSync(blobs.pathOf(sha(e.data))).equals(e.data)).toBe(true);
});

test('without onDurable, the folders are fsynced once, at the end', async () => {
  const dir = fresh();
  const blobs = new LoggingBlobs(new FileBlobStore(path.join(dir, 'data')));
  const file = writeZip(dir, 'w.zip', manyEntries(30));
  const ingest = new Ingest({ blobs, limits: DEFAULT_LIMITS, tmpRoot: path.join(dir, 'data', 'tmp'), strictZipLimits: false });
  await storeZip(ingest, file, 'w.zip');
  expect(blobs.events.filter((e) => e.kind === 'flush-start')).toHaveLength(1);
  expect(blobs.events[blobs.events.length - 1]).toEqual({ kind: 'flush-end' });
  expect(ingest.items).toHaveLength(30);
});

test('a disk error while storing: store() throws, the lanes stop, nothing not durable was handed on', async () => {
  const dir = fresh();
  const blobs = new LoggingBlobs(new FileBlobStore(path.join(dir, 'data')));
  blobs.failAt = 25;
  const file = writeZip(dir, 'f.zip', manyEntries(80));
  const handed: string[] = [];
  const ingest = new Ingest({
    blobs,
    limits: DEFAULT_LIMITS,
    tmpRoot: path.join(dir, 'data', 'tmp'),
    strictZipLimits: true,
    onDurable: (items) => {
      for (const item of items) {
        handed.push(item.sha256);
        blobs.events.push({ kind: 'durable', sha256: item.sha256 });
      }
    },
  });
  let handedAtThrow = -1;
  try {
    await ingest.addZip(file, 'f.zip');
    await expect(ingest.store()).rejects.toThrow(/ENOSPC/);
    handedAtThrow = handed.length;
  } finally {
    ingest.close();
  }
  expectDurableBeforeHandedOn(blobs.events);
  // The other lanes finished the entry they held and took no new one.
  expect(blobs.puts).toBeLessThanOrEqual(25 + LANES - 1);
  expect(handed.length).toBeLessThan(25);
  // Nothing more is handed on after the throw, and no batch items are listed for a failed store.
  await new Promise((r) => setTimeout(r, 50));
  expect(handed).toHaveLength(handedAtThrow);
  expect(ingest.items).toEqual([]);
  expect(fs.readdirSync(path.join(dir, 'data', 'blobs', 'tmp'))).toEqual([]);
});

test('streams of an archive do not close its descriptor; closing the archive does, once every read is done', async () => {
  const dir = fresh();
  const fds = (): number => fs.readdirSync('/proc/self/fd').length;
  const before = fds();
  const inner = buildZip([{ name: 'c.pdf', data: '%PDF c' }]);
  // The nested archive is streamed to a temporary file (and its stream destroyed by the pipeline) before the
  // outer entries are read: were the outer descriptor closed then, the inner archive's open would reuse its number.
  const file = writeZip(dir, 'outer.zip', [
    { name: 'don-vi/inner.zip', data: inner, method: 'store' },
    { name: 'a.pdf', data: '%PDF a' },
    { name: 'b.pdf', data: '%PDF b', method: 'store' },
  ]);
  const { ctx, close } = await listed(file);
  const texts: string[] = [];
  for (const item of ctx.items) {
    const loaded = await item.load();
    if ('data' in loaded.job) texts.push(`${item.name}: ${Buffer.from(loaded.job.data).toString()}`);
    loaded.dispose();
  }
  expect(texts.sort()).toEqual(['a.zip/a.pdf: %PDF a', 'a.zip/b.pdf: %PDF b', 'a.zip/don-vi/inner.zip/c.pdf: %PDF c']);
  expect(fds()).toBe(before + 2);
  close();
  await new Promise((r) => setTimeout(r, 50));
  expect(fds()).toBe(before);
});
