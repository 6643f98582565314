import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileBlobStore } from '../../server/store/blobs';

const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-blobs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file under blobs/, temp folder excluded. */
function blobFiles(root: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(root)) {
    if (d === 'tmp') continue;
    for (const f of fs.readdirSync(path.join(root, d))) out.push(path.join(d, f));
  }
  return out;
}

test('a buffer is stored under blobs/ab/cdef… and its sha256; the same bytes twice are stored once', async () => {
  const store = new FileBlobStore(dir);
  const data = Buffer.from('%PDF-1.7 hello');
  const a = await store.putBuffer(data);
  const b = await store.putBuffer(Buffer.from(data));
  expect(a).toEqual({ sha256: sha(data), size: data.length });
  expect(b).toEqual(a);
  expect(store.pathOf(a.sha256)).toBe(path.join(dir, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2)));
  expect(fs.readFileSync(store.pathOf(a.sha256))).toEqual(data);
  expect(blobFiles(store.root)).toEqual([path.join(a.sha256.slice(0, 2), a.sha256.slice(2))]);
  expect(await store.has(a.sha256)).toBe(true);
  expect(await store.has(sha('other'))).toBe(false);
  // No temp file is left behind, in the blob's folder or the temp folder.
  expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
});

test('putFile streams: a 64 MB file is hashed and copied with flat memory, the source is kept', async () => {
  const store = new FileBlobStore(dir);
  const src = path.join(dir, 'big.pdf');
  const chunk = crypto.randomBytes(1 << 20);
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(src, 'w');
  for (let i = 0; i < 64; i++) {
    chunk[0] = i;
    fs.writeSync(fd, chunk);
    hash.update(chunk);
  }
  fs.closeSync(fd);
  const expected = hash.digest('hex');
  global.gc?.();
  const before = process.memoryUsage().rss;
  const got = await store.putFile(src);
  const grew = process.memoryUsage().rss - before;
  expect(got).toEqual({ sha256: expected, size: 64 << 20 });
  expect(fs.statSync(store.pathOf(expected)).size).toBe(64 << 20);
  expect(fs.existsSync(src)).toBe(true);
  // A buffered copy would add the whole 64 MB; streaming stays well below.
  expect(grew).toBeLessThan(40 << 20);
  // Same bytes again: deduplicated, nothing new.
  expect(await store.putFile(src)).toEqual(got);
  expect(blobFiles(store.root)).toHaveLength(1);
});

test('putFile with move takes the file (no copy) and dedupes', async () => {
  const store = new FileBlobStore(dir);
  const a = path.join(dir, 'a.pdf');
  const b = path.join(dir, 'b.pdf');
  fs.writeFileSync(a, 'same bytes');
  fs.writeFileSync(b, 'same bytes');
  const inode = fs.statSync(a).ino;
  const r = await store.putFile(a, { move: true });
  expect(fs.existsSync(a)).toBe(false);
  expect(fs.statSync(store.pathOf(r.sha256)).ino).toBe(inode);
  expect(await store.putFile(b, { move: true })).toEqual(r);
  expect(fs.existsSync(b)).toBe(false);
  expect(blobFiles(store.root)).toHaveLength(1);
});

test('atomic: concurrent writers of the same bytes leave one whole blob and no temp files; a reader never sees a partial file', async () => {
  const store = new FileBlobStore(dir);
  const data = crypto.randomBytes(4 << 20);
  const expected = sha(data);
  const src = path.join(dir, 'src.bin');
  fs.writeFileSync(src, data);
  let partial = false;
  const watcher = setInterval(() => {
    // Whenever the final name exists it must hold all the bytes.
    try {
      if (fs.statSync(store.pathOf(expected)).size !== data.length) partial = true;
    } catch {
      /* not there yet */
    }
  }, 1);
  const results = await Promise.all([store.putFile(src), store.putBuffer(data), store.putFile(src), store.putBuffer(data)]);
  clearInterval(watcher);
  expect(partial).toBe(false);
  for (const r of results) expect(r).toEqual({ sha256: expected, size: data.length });
  expect(sha(fs.readFileSync(store.pathOf(expected)))).toBe(expected);
  expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
  expect(fs.readdirSync(path.dirname(store.pathOf(expected)))).toEqual([expected.slice(2)]);
});

test('a write that fails leaves no blob and no temp file', async () => {
  const store = new FileBlobStore(dir);
  await expect(store.putFile(path.join(dir, 'missing.pdf'))).rejects.toThrow();
  expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
  expect(blobFiles(store.root)).toEqual([]);
});

test('pathOf refuses anything but a sha256 (no path traversal); sweepTemp removes stale temp files', async () => {
  const store = new FileBlobStore(dir);
  expect(() => store.pathOf('../../etc/passwd')).toThrow();
  expect(() => store.pathOf('A'.repeat(64))).toThrow();
  expect(await store.has('../x')).toBe(false);
  const stale = path.join(store.root, 'tmp', '.tmp-1-dead');
  fs.writeFileSync(stale, 'x');
  const old = new Date(Date.now() - 2 * 3600_000);
  fs.utimesSync(stale, old, old);
  fs.writeFileSync(path.join(store.root, 'tmp', '.tmp-2-live'), 'y');
  expect(await store.sweepTemp()).toBe(1);
  expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual(['.tmp-2-live']);
});

/** Directory fsyncs: FileBlobStore opens a folder read-only only to fsync it. */
function countFolderSyncs(): { folders: string[]; restore: () => void } {
  const folders: string[] = [];
  const open = fs.promises.open.bind(fs.promises);
  const spy = jest.spyOn(fs.promises, 'open').mockImplementation(async (file, flags, mode) => {
    if (flags === 'r' && fs.statSync(file).isDirectory()) folders.push(String(file));
    return open(file, flags, mode);
  });
  return { folders, restore: () => spy.mockRestore() };
}

test('a writer fsyncs each folder once per flush (blobs/ too, for a new shard), not once per blob', async () => {
  const store = new FileBlobStore(dir);
  const w = store.writer();
  const data = Array.from({ length: 40 }, (_, i) => Buffer.from(`%PDF ${i}`));
  const spy = countFolderSyncs();
  try {
    const stored = await Promise.all(data.map((d) => w.putBuffer(d)));
    // Renamed into place already, but no folder fsynced: nothing may name them yet.
    for (const s of stored) expect(fs.existsSync(store.pathOf(s.sha256))).toBe(true);
    expect(spy.folders).toEqual([]);
    await w.flush();
    const shards = new Set(stored.map((s) => path.dirname(store.pathOf(s.sha256))));
    expect(spy.folders.sort()).toEqual([...shards, store.root].sort());
    // Nothing new: nothing to fsync.
    spy.folders.length = 0;
    await w.flush();
    expect(spy.folders).toEqual([]);
    // A second writer in the same process: blobs/ is not fsynced again for shards it already made durable.
    const again = store.writer();
    await again.putBuffer(data[0]);
    await again.flush();
    expect(spy.folders).toEqual([path.dirname(store.pathOf(stored[0].sha256))]);
  } finally {
    spy.restore();
  }
});

test('a blob another writer put but did not flush yet is fsynced by this writer too', async () => {
  const store = new FileBlobStore(dir);
  const a = store.writer();
  const b = store.writer();
  const data = Buffer.from('%PDF shared');
  const got = await a.putBuffer(data);
  const spy = countFolderSyncs();
  try {
    // b finds the blob there (a renamed it) and writes nothing, but its flush is what its caller waits for.
    await b.putBuffer(data);
    await b.flush();
    expect(spy.folders).toContain(path.dirname(store.pathOf(got.sha256)));
  } finally {
    spy.restore();
  }
});

test('a sha256 the caller computed while reading is taken as given, not computed again', async () => {
  const store = new FileBlobStore(dir);
  const data = Buffer.from('%PDF hashed while read');
  const w = store.writer();
  expect(await w.putBuffer(data, sha(data))).toEqual({ sha256: sha(data), size: data.length });
  // Proof that it is not recomputed: a (wrong) hash given is the name used. The pool re-hashes what it verifies,
  // and processJob refuses a report whose sha256 is not the job's, so a wrong one cannot file a wrong report.
  const other = sha('something else');
  expect(await w.putBuffer(data, other)).toEqual({ sha256: other, size: data.length });
  await w.flush();
  expect(fs.readFileSync(store.pathOf(sha(data)))).toEqual(data);
  expect(fs.readFileSync(store.pathOf(other))).toEqual(data);
  await expect(store.writer().putBuffer(data, '../x')).rejects.toThrow(/not a sha256/);
});

test('a flush that fails keeps its folders due: the next flush fsyncs them', async () => {
  const store = new FileBlobStore(dir);
  const w = store.writer();
  const got = await w.putBuffer(Buffer.from('%PDF flush fails'));
  const open = fs.promises.open.bind(fs.promises);
  const failing = jest.spyOn(fs.promises, 'open').mockImplementation(async (file, flags, mode) => {
    if (flags === 'r') throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    return open(file, flags, mode);
  });
  await expect(w.flush()).rejects.toThrow(/EIO/);
  failing.mockRestore();
  const spy = countFolderSyncs();
  try {
    await w.flush();
    expect(spy.folders.sort()).toEqual([path.dirname(store.pathOf(got.sha256)), store.root].sort());
  } finally {
    spy.restore();
  }
});

test('a buffer that cannot be placed leaves no temp file behind', async () => {
  const store = new FileBlobStore(dir);
  const data = Buffer.from('%PDF blocked shard');
  // A file where the blob's shard folder should be: the mkdir (or rename) under it fails.
  fs.writeFileSync(path.join(store.root, sha(data).slice(0, 2)), 'in the way');
  await expect(store.putBuffer(data)).rejects.toThrow();
  expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
});
