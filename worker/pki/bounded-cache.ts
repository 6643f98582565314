import { createHash } from 'node:crypto';

/**
 * A least-recently-used map with a size bound. A batch sees the same CA certificates and CRLs thousands of times,
 * so they are parsed once; the bound keeps a month of distinct signer certificates from growing memory forever.
 */
export class BoundedCache<V> {
  /** Small DER keyed by its bytes (as a latin1 string), large DER by its SHA-256: two maps, so keys never mix. */
  private readonly byBytes = new Map<string, V>();
  private readonly byHash = new Map<string, V>();
  constructor(private readonly limit: number) {}

  /**
   * The parsed object for some DER, parsed once per batch, built from a copy so the cache never keeps alive the
   * whole PDF the DER was a view into. A small DER (a certificate, a name) is keyed by its bytes themselves: equal
   * keys are equal bytes, and a hit costs a string compare instead of a SHA-256 (creating a hash object costs more
   * than hashing a certificate). A large one (a CRL) is keyed by its SHA-256, so the key does not double its size.
   */
  parseOnce(der: Buffer, make: (copy: Buffer, sha256: string) => V): V {
    const small = der.length <= SMALL_DER;
    const map = small ? this.byBytes : this.byHash;
    const key = small ? der.toString('latin1') : sha256Hex(der);
    const hit = map.get(key);
    if (hit !== undefined) {
      // Refresh recency so what every document uses stays cached.
      map.delete(key);
      map.set(key, hit);
      return hit;
    }
    const value = make(Buffer.from(der), small ? sha256Hex(der) : key);
    map.set(key, value);
    if (map.size > this.limit) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    return value;
  }
}

/** Above this size a DER is keyed by its hash rather than its bytes. */
const SMALL_DER = 8 * 1024;

function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
