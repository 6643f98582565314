import * as crypto from 'node:crypto';
import { Budget } from '../../worker/errors';
import { hashPass } from '../../worker/hashing';
import { copyDigestHash, createDigestHash, digestBytes } from '../../worker/pki/digest-hash';
import { BufferSource } from '../../worker/source';

/**
 * The one-pass hashing forks a running hash (Hash.copy) where two signatures' byte ranges part. node:crypto's copy
 * of a SHAKE256 hash falls back to 256 bits unless told the length again, so a 512-bit CMS digest forked that way
 * would silently be the wrong value.
 */

const file = crypto.randomBytes(3 * (1 << 20) + 12345); // more than one read chunk
const slice = (ranges: [number, number][]): Buffer => Buffer.concat(ranges.map(([s, e]) => file.subarray(s, e)));

describe('digest hashes by name', () => {
  test('shake256-512 is SHAKE256 with 64 bytes of output, and a fork keeps the length', () => {
    const direct = crypto.createHash('shake256', { outputLength: 64 }).update(file).digest();
    expect(digestBytes('shake256-512', file)).toEqual(direct);
    const h = createDigestHash('shake256-512').update(file.subarray(0, 1000));
    const fork = copyDigestHash('shake256-512', h);
    fork.update(file.subarray(1000));
    expect(fork.digest()).toEqual(direct);
    // What the helper exists to prevent: node's own copy drops the length.
    expect(createDigestHash('shake256-512').copy().digest().length).toBe(32);
  });

  test('a name node:crypto lacks throws, as createHash does', () => {
    expect(() => createDigestHash('shake256-999')).toThrow();
  });
});

describe('hashPass', () => {
  test('two signatures whose ranges part: each SHAKE256-512 digest is its own ranges, 64 bytes', () => {
    const first: [number, number][] = [
      [0, 1000],
      [2000, 1_500_000],
    ];
    const second: [number, number][] = [
      [0, 1000],
      [2000, 2_400_000],
      [2_500_000, file.length],
    ];
    const { sha256, results } = hashPass(
      new BufferSource(file),
      [
        { ranges: first, algorithms: ['shake256-512', 'sha256'] },
        { ranges: second, algorithms: ['shake256-512'] },
      ],
      Budget.unlimited(),
    );
    expect(sha256).toBe(crypto.createHash('sha256').update(file).digest('hex'));
    expect(results[0]!.digests.get('shake256-512')).toEqual(digestBytes('shake256-512', slice(first)));
    expect(results[0]!.digests.get('sha256')).toEqual(digestBytes('sha256', slice(first)));
    expect(results[1]!.digests.get('shake256-512')).toEqual(digestBytes('shake256-512', slice(second)));
    expect(results[1]!.digests.get('shake256-512')!.length).toBe(64);
  });

  test('ranges out of order (a forged range) are hashed as listed, with the same length', () => {
    const forged: [number, number][] = [
      [2000, 3000],
      [0, 1000],
    ];
    const { results } = hashPass(new BufferSource(file), [{ ranges: forged, algorithms: ['shake256-512'] }], Budget.unlimited());
    expect(results[0]!.digests.get('shake256-512')).toEqual(digestBytes('shake256-512', slice(forged)));
  });
});
