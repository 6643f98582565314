import { createHash } from 'node:crypto';
import { BoundedCache } from '../../worker/pki/bounded-cache';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Parsed {
  text: string;
  sha256: string;
}

describe('BoundedCache.parseOnce', () => {
  let parses = 0;
  const parse = (copy: Buffer, sha256: string): Parsed => {
    parses++;
    return { text: copy.toString('latin1'), sha256 };
  };
  beforeEach(() => {
    parses = 0;
  });

  test('the same bytes, from another buffer, give the same object without a second parse', () => {
    const cache = new BoundedCache<Parsed>(10);
    const a = cache.parseOnce(Buffer.from('certificate one'), parse);
    const b = cache.parseOnce(Buffer.from('xxcertificate one').subarray(2), parse);
    expect(b).toBe(a);
    expect(a.sha256).toBe(sha256(Buffer.from('certificate one')));
    expect(parses).toBe(1);
  });

  test('a look-alike with the same length and the same ending is its own entry, never the cached one', () => {
    const cache = new BoundedCache<Parsed>(10);
    const ending = 'z'.repeat(40);
    const real = cache.parseOnce(Buffer.from(`REAL${ending}`), parse);
    const fake = cache.parseOnce(Buffer.from(`FAKE${ending}`), parse);
    expect(fake).not.toBe(real);
    expect(fake.text).toBe(`FAKE${ending}`);
    expect(cache.parseOnce(Buffer.from(`REAL${ending}`), parse)).toBe(real);
    expect(cache.parseOnce(Buffer.from(`FAKE${ending}`), parse)).toBe(fake);
    expect(parses).toBe(2);
  });

  test('more look-alikes than a bucket holds are still parsed right, each time', () => {
    const cache = new BoundedCache<Parsed>(100);
    const ending = 'q'.repeat(40);
    const names = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(3, '0')}${ending}`);
    for (const round of [1, 2]) {
      for (const name of names) expect(cache.parseOnce(Buffer.from(name), parse).text).toBe(name);
      if (round === 1) expect(parses).toBe(20);
    }
    expect(parses).toBeGreaterThan(20); // the overflow is parsed again, not served from a wrong entry
    expect(parses).toBeLessThan(40); // the first ones stayed cached
  });

  test('the bound holds: the least recently used entry goes first', () => {
    const cache = new BoundedCache<Parsed>(3);
    const der = (i: number): Buffer => Buffer.from(`der number ${i}`);
    const first = cache.parseOnce(der(1), parse);
    cache.parseOnce(der(2), parse);
    cache.parseOnce(der(3), parse);
    expect(cache.parseOnce(der(1), parse)).toBe(first); // used again: now the most recent
    cache.parseOnce(der(4), parse); // evicts 2
    expect(parses).toBe(4);
    expect(cache.parseOnce(der(1), parse)).toBe(first);
    cache.parseOnce(der(2), parse);
    expect(parses).toBe(5);
  });

  test('large DER is keyed by its SHA-256 and hands it to the parser', () => {
    const cache = new BoundedCache<Parsed>(10);
    const big = Buffer.alloc(20_000, 7);
    const a = cache.parseOnce(big, parse);
    expect(cache.parseOnce(Buffer.from(big), parse)).toBe(a);
    expect(a.sha256).toBe(sha256(big));
    expect(parses).toBe(1);
  });
});
