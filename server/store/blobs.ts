import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownerOf, ownerState, ownerTag } from './owner';
import type { BlobStore, BlobWriter, PutFileOptions, StoredBlob } from '../shared/blob-store';

export type { PutFileOptions } from '../shared/blob-store';

/**
 * Uploaded bytes, content-addressed: DATA_DIR/blobs/ab/cdef… where abcdef… is the sha256 in hex. A blob appears
 * under its name only whole and on disk: it is written to a temporary file, fsynced, then renamed (atomic on one
 * filesystem) and its folder fsynced, so a crash or a power cut never leaves a half file under a real name, and a
 * job that names a sha256 always finds either nothing or the right bytes.
 *
 * Many blobs at once (a month's ZIP) go through a BlobWriter: each file is still fsynced before its rename, but the
 * folders are fsynced together at flush(), once per folder and group instead of once per blob, and concurrently.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(s: string): boolean {
  return SHA256_HEX.test(s);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const TEMP_PREFIX = '.tmp-';

export class FileBlobStore implements BlobStore {
  readonly root: string;
  private readonly tmpDir: string;
  /** Shard folders known to exist (a mkdir per blob is a syscall per blob); at most 256. */
  private readonly madeDirs = new Set<string>();
  /** Shard folders whose own name in blobs/ a flush has fsynced. */
  private readonly durableDirs = new Set<string>();
  /**
   * Temporary names: the writing process's owner tag (host, pid, nonce: what a dead process left is known as such
   * at the next start) and a random part per store, counted per file. Counted because drawing random bytes for each
   * of a month's blobs cost as much as a tenth of storing them.
   */
  private readonly tempPrefix = `${TEMP_PREFIX}${ownerTag()}-${crypto.randomBytes(4).toString('hex')}-`;
  private tempCount = 0;

  constructor(dataDir: string) {
    this.root = path.join(path.resolve(dataDir), 'blobs');
    // Temporary files live here, on the same filesystem as the blobs, so the final rename is atomic; a process
    // that dies mid-write leaves them here only, where sweepTemp finds them.
    this.tmpDir = path.join(this.root, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    // The name goes into a path: anything but 64 lowercase hex digits could walk out of the store.
    if (!isSha256Hex(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256Hex(sha256)) return false;
    try {
      return (await fs.promises.stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  writer(): BlobWriter {
    return new FileBlobWriter(this);
  }

  /** One blob, durable when this resolves. */
  async putBuffer(data: Buffer): Promise<StoredBlob> {
    const w = this.writer();
    const stored = await w.putBuffer(data);
    await w.flush();
    return stored;
  }

  /** One file, streamed (memory stays flat whatever the size), durable when this resolves. */
  async putFile(source: string, options: PutFileOptions = {}): Promise<StoredBlob> {
    const w = this.writer();
    const stored = await w.putFile(source, options);
    await w.flush();
    return stored;
  }

  /** @internal BlobWriter.putBuffer: `dirty` collects the folders its flush must fsync. */
  async writeBuffer(data: Buffer, sha256: string | undefined, dirty: Set<string>): Promise<StoredBlob> {
    const hash = sha256 ?? crypto.createHash('sha256').update(data).digest('hex');
    const result = { sha256: hash, size: data.length };
    if (!(await this.has(hash))) {
      const tmp = this.tempName();
      try {
        const fh = await fs.promises.open(tmp, 'wx');
        try {
          await fh.writeFile(data);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await this.publish(tmp, hash, dirty);
      } catch (err) {
        // Only on failure: after the rename there is nothing to remove, and looking costs a syscall per blob.
        await fs.promises.rm(tmp, { force: true });
        throw err;
      }
    }
    // Also when the blob was there already: another writer may have renamed it without having fsynced its folder
    // yet, and this writer's flush is what its caller waits for.
    dirty.add(path.dirname(this.pathOf(hash)));
    return result;
  }

  /** @internal BlobWriter.putFile. */
  async writeFile(source: string, options: PutFileOptions, dirty: Set<string>): Promise<StoredBlob> {
    if (options.move) {
      const moved = await this.tryMove(source, dirty);
      if (moved) return moved;
    }
    const tmp = this.tempName();
    try {
      const hash = crypto.createHash('sha256');
      let size = 0;
      const fh = await fs.promises.open(tmp, 'wx');
      try {
        // One chunk at a time, each written before the next is read: memory is one read buffer, whatever the size.
        for await (const chunk of fs.createReadStream(source)) {
          const buf = chunk as Buffer;
          hash.update(buf);
          size += buf.length;
          await fh.write(buf, 0, buf.length);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const sha256 = hash.digest('hex');
      await this.place(tmp, sha256, dirty);
      if (options.move) await fs.promises.rm(source, { force: true });
      return { sha256, size };
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  /**
   * The move: hash the file where it lies, fsync it, rename it into place. Reads the bytes once and writes none.
   * Null when it cannot be renamed (another filesystem): the caller copies instead.
   */
  private async tryMove(source: string, dirty: Set<string>): Promise<StoredBlob | null> {
    const hash = crypto.createHash('sha256');
    let size = 0;
    const fh = await fs.promises.open(source, 'r+');
    try {
      for await (const chunk of fh.createReadStream({ autoClose: false, start: 0 })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      // The writer (multer, an unzip) did not necessarily fsync; the blob must be on disk before it is named.
      await fh.sync();
    } finally {
      await fh.close();
    }
    const sha256 = hash.digest('hex');
    try {
      await this.place(source, sha256, dirty);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EXDEV') return null;
      throw err;
    }
    await fs.promises.rm(source, { force: true });
    return { sha256, size };
  }

  /** Renames a complete, fsynced file to its blob name, unless that blob is already there (same bytes). */
  private async place(file: string, sha256: string, dirty: Set<string>): Promise<void> {
    if (!(await this.has(sha256))) await this.publish(file, sha256, dirty);
    dirty.add(path.dirname(this.pathOf(sha256)));
  }

  /**
   * Two writers of the same bytes may both get here: rename replaces atomically with identical content, so the
   * last one wins harmlessly. The folder is left for the writer's flush to fsync, so the name survives a power cut.
   */
  private async publish(file: string, sha256: string, dirty: Set<string>): Promise<void> {
    const final = this.pathOf(sha256);
    const dir = path.dirname(final);
    if (!this.madeDirs.has(dir)) {
      await fs.promises.mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    // A shard folder is itself a name in blobs/, which must be on disk too: blobs/ is fsynced until a flush has
    // done it once for this shard in this process — also when the folder was there already, since another process
    // may have made it without having fsynced blobs/ yet.
    if (!this.durableDirs.has(dir)) dirty.add(this.root);
    await fs.promises.rename(file, final);
    dirty.add(dir);
  }

  /** @internal The shard folders made so far, for a flush about to fsync blobs/. */
  shardDirs(): string[] {
    return [...this.madeDirs];
  }

  /** @internal After blobs/ itself was fsynced: these shards' names are on disk. */
  markShardsDurable(dirs: string[]): void {
    for (const d of dirs) this.durableDirs.add(d);
  }

  private tempName(): string {
    return path.join(this.tmpDir, `${this.tempPrefix}${this.tempCount++}`);
  }

  /**
   * Removes temp files left by a process that died mid-write (run at start): at once those of a dead process on
   * this host, the others (another host's, an older version's) once older than `olderThanMs`.
   */
  async sweepTemp(olderThanMs = 3_600_000): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      try {
        const owner = ownerOf(name, TEMP_PREFIX);
        const state = owner ? ownerState(owner) : 'unknown';
        if (state === 'ours') continue;
        if (state === 'dead' || (await fs.promises.stat(file)).mtimeMs < cutoff) {
          await fs.promises.rm(file, { force: true });
          removed++;
        }
      } catch {
        // Gone meanwhile (another process swept it): nothing to do.
      }
    }
    return removed;
  }
}

/**
 * Blobs written as a group. A blob whose put resolved before flush() was called is durable once that flush
 * resolves; until then nothing (a job, a batch row) may name it. Puts may run concurrently, and with a flush.
 */
class FileBlobWriter implements BlobWriter {
  private readonly dirty = new Set<string>();

  constructor(private readonly store: FileBlobStore) {}

  putBuffer(data: Buffer, sha256?: string): Promise<StoredBlob> {
    if (sha256 !== undefined && !isSha256Hex(sha256)) return Promise.reject(new Error(`not a sha256: ${JSON.stringify(sha256)}`));
    return this.store.writeBuffer(data, sha256, this.dirty);
  }

  putFile(source: string, options: PutFileOptions = {}): Promise<StoredBlob> {
    return this.store.writeFile(source, options, this.dirty);
  }

  async flush(): Promise<void> {
    const dirs = [...this.dirty];
    this.dirty.clear();
    // Taken before blobs/ is fsynced: every shard made by now has its name in blobs/ covered by that fsync.
    const shards = dirs.includes(this.store.root) ? this.store.shardDirs() : [];
    try {
      // Each fsync covers its own folder's entries, so their order does not matter; all must be done before the
      // caller names a blob.
      await Promise.all(dirs.map(syncDir));
    } catch (err) {
      // Not durable: the folders stay due, so a retried flush syncs them again.
      for (const d of dirs) this.dirty.add(d);
      throw err;
    }
    this.store.markShardsDurable(shards);
  }
}
