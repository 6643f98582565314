import { createHash } from 'node:crypto';

/**
 * A least-recently-used map with a size bound. A batch sees the same CA certificates and CRLs thousands of times,
 * so they are parsed once; the bound keeps a month of distinct signer certificates from growing memory forever.
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      // Refresh recency so what every document uses stays cached.
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  /**
   * The parsed object for some DER, parsed once per batch: keyed by its SHA-256, built from a copy so the cache
   * never keeps alive the whole PDF the DER was a view into.
   */
  parseOnce(der: Buffer, make: (copy: Buffer, sha256: string) => V): V {
    const sha256 = createHash('sha256').update(der).digest('hex');
    const hit = this.get(sha256);
    if (hit !== undefined) return hit;
    const value = make(Buffer.from(der), sha256);
    this.set(sha256, value);
    return value;
  }

  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.limit) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}
