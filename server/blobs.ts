import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BlobStore } from './service/types';

/**
 * Uploaded bytes, content-addressed: DATA_DIR/blobs/ab/cdef… where abcdef… is the sha256 in hex. A blob appears
 * under its name only whole and on disk: it is written to a temporary file, fsynced, then renamed (atomic on one
 * filesystem) and its folder fsynced, so a crash or a power cut never leaves a half file under a real name, and a
 * job that names a sha256 always finds either nothing or the right bytes.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(s: string): boolean {
  return SHA256_HEX.test(s);
}

export interface PutFileOptions {
  /**
   * Take the file itself (rename) instead of copying it: for upload temp files under DATA_DIR, which would
   * otherwise be written twice. Falls back to copying across filesystems. The source is gone afterwards.
   */
  move?: boolean;
}

export class FileBlobStore implements BlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.root = path.join(path.resolve(dataDir), 'blobs');
    // Streamed uploads cannot be written in their final folder (the name is known only at the end): their temp
    // files live here, on the same filesystem as the blobs, so the final rename is still atomic.
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

  async putBuffer(data: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    const result = { sha256, size: data.length };
    if (await this.has(sha256)) return result;
    const final = this.pathOf(sha256);
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    const tmp = this.tempName(path.dirname(final));
    try {
      const fh = await fs.promises.open(tmp, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.publish(tmp, final);
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
    return result;
  }

  /** Streams the file in, hashing on the way: memory stays flat whatever the size. */
  async putFile(source: string, options: PutFileOptions = {}): Promise<{ sha256: string; size: number }> {
    if (options.move) {
      const moved = await this.tryMove(source);
      if (moved) return moved;
    }
    const tmp = this.tempName(this.tmpDir);
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
      await this.place(tmp, sha256);
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
  private async tryMove(source: string): Promise<{ sha256: string; size: number } | null> {
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
      await this.place(source, sha256);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EXDEV') return null;
      throw err;
    }
    await fs.promises.rm(source, { force: true });
    return { sha256, size };
  }

  /** Renames a complete, fsynced file to its blob name, unless that blob is already there (same bytes). */
  private async place(file: string, sha256: string): Promise<void> {
    if (await this.has(sha256)) return;
    const final = this.pathOf(sha256);
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    await this.publish(file, final);
  }

  /**
   * Two writers of the same bytes may both get here: rename replaces atomically with identical content, so the
   * last one wins harmlessly. The folder is fsynced so the new name itself survives a power cut.
   */
  private async publish(file: string, final: string): Promise<void> {
    await fs.promises.rename(file, final);
    const dir = await fs.promises.open(path.dirname(final), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  private tempName(dir: string): string {
    return path.join(dir, `.tmp-${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
  }

  /** Removes temp files older than `olderThanMs` left by a process that died mid-write (run at start). */
  async sweepTemp(olderThanMs = 3_600_000): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      try {
        if ((await fs.promises.stat(file)).mtimeMs < cutoff) {
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
