import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileBlobStore } from '../../server/blobs';

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
