import { createHash } from 'node:crypto';

/**
 * A least-recently-used map with a size bound. A batch sees the same CA certificates and CRLs thousands of times,
 * so they are parsed once; the bound keeps a month of distinct signer certificates from growing memory forever.
 */
export class BoundedCache<V> {
  /** Small DER by a short tag of its bytes, each hit confirmed against the whole DER; large DER by its SHA-256. */
  private readonly byTag = new Map<string, SmallEntry<V>[]>();
  private readonly byHash = new Map<string, V>();
  private smallCount = 0;
  constructor(private readonly limit: number) {}

  /**
   * The parsed object for some DER, parsed once per batch, built from a copy so the cache never keeps alive the
   * whole PDF the DER was a view into.
   *
   * A small DER (a certificate, a name) is found by a tag made of its length and its last bytes — for a
   * certificate, part of its signature value — and a hit counts only when the whole DER is byte-equal to the one
   * cached: equal bytes, never a look-alike. Keying by the whole DER as a string cost a copy of it and a hash of
   * every character, for every certificate of every document; creating a SHA-256 costs more still. A large DER
   * (a CRL) is keyed by its SHA-256, so the key does not double its size.
   */
  parseOnce(der: Buffer, make: (copy: Buffer, sha256: string) => V): V {
    if (der.length > SMALL_DER) return this.parseLarge(der, make);
    const tag = `${der.length}:${der.toString('latin1', Math.max(0, der.length - TAG_BYTES))}`;
    const bucket = this.byTag.get(tag);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry.der.equals(der)) {
          // Refresh recency so what every document uses stays cached.
          this.byTag.delete(tag);
          this.byTag.set(tag, bucket);
          return entry.value;
        }
      }
    }
    const copy = Buffer.from(der);
    const value = make(copy, sha256Hex(der));
    if (bucket === undefined) this.byTag.set(tag, [{ der: copy, value }]);
    else if (bucket.length < MAX_BUCKET) bucket.push({ der: copy, value });
    else return value; // DER built to share a tag: parsed every time rather than let one bucket grow
    if (++this.smallCount > this.limit) {
      const oldest = this.byTag.entries().next().value;
      if (oldest !== undefined) {
        this.byTag.delete(oldest[0]);
        this.smallCount -= oldest[1].length;
      }
    }
    return value;
  }

  private parseLarge(der: Buffer, make: (copy: Buffer, sha256: string) => V): V {
    const key = sha256Hex(der);
    const hit = this.byHash.get(key);
    if (hit !== undefined) {
      this.byHash.delete(key);
      this.byHash.set(key, hit);
      return hit;
    }
    const value = make(Buffer.from(der), key);
    this.byHash.set(key, value);
    if (this.byHash.size > this.limit) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.byHash.delete(oldest);
    }
    return value;
  }
}

interface SmallEntry<V> {
  der: Buffer;
  value: V;
}

/** Above this size a DER is keyed by its hash rather than its bytes. */
const SMALL_DER = 8 * 1024;
/** Bytes from the end of a small DER that go into its tag. */
const TAG_BYTES = 24;
/** Distinct DER sharing one tag that are cached; more are parsed each time they come. */
const MAX_BUCKET = 8;

function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
