import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Revocation answers kept on disk, keyed by what was asked (a CRL's URL; an OCSP URL and CertID), each with the
 * instant it stops being fresh (the CRL's or OCSP response's nextUpdate). Files are written to a temporary name and
 * renamed, so threads and processes sharing the folder never read half a file. What is read back is checked again
 * by the caller (signature, issuer, freshness): the folder is a cache, not a trust store.
 */
export class RevocationDiskCache {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, createHash('sha256').update(key).digest('hex'));
  }

  /** The DER stored for `key`, when it is still fresh at `now`. */
  get(key: string, now: Date): Buffer | null {
    const f = this.file(key);
    try {
      const meta = JSON.parse(fs.readFileSync(`${f}.json`, 'utf8')) as { key?: unknown; freshUntil?: unknown };
      if (meta.key !== key || typeof meta.freshUntil !== 'string' || Date.parse(meta.freshUntil) < now.getTime()) return null;
      return fs.readFileSync(`${f}.der`);
    } catch {
      return null; // absent or unreadable: fetch again
    }
  }

  put(key: string, der: Buffer, freshUntil: Date): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const f = this.file(key);
      const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      fs.writeFileSync(`${tmp}.der`, der);
      fs.renameSync(`${tmp}.der`, `${f}.der`);
      fs.writeFileSync(`${tmp}.json`, JSON.stringify({ key, freshUntil: freshUntil.toISOString() }));
      fs.renameSync(`${tmp}.json`, `${f}.json`);
    } catch {
      // A cache that cannot be written costs a fetch next time, never the verdict.
    }
  }
}
