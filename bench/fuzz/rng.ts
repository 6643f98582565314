/**
 * A small seeded random number generator (SplitMix32-style mixing of a Weyl sequence): the fuzzer's mutant number
 * N of campaign seed S is always the same bytes, so a finding can be made again from two numbers, on any machine.
 * Math.random cannot be seeded; quality beyond "well mixed" does not matter here.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator of mutant `index` of a campaign: independent streams for neighbouring indices. */
  static forMutant(campaignSeed: number, index: number): Rng {
    const mixed = new Rng(campaignSeed ^ Math.imul(index, 0x9e3779b1));
    mixed.next();
    return new Rng(mixed.next() ^ Math.imul(index + 1, 0x85ebca6b));
  }

  /** 32 random bits as an unsigned integer. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, n); 0 when n ≤ 0. */
  int(n: number): number {
    if (n <= 0) return 0;
    const unit = n <= 0x100000000 ? this.next() / 0x100000000 : (this.next() * 0x100000000 + this.next()) / 2 ** 64;
    return Math.min(n - 1, Math.floor(unit * n));
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick of an empty list');
    return items[this.int(items.length)];
  }

  /** Small numbers often, large ones sometimes: 1, 2, 4 … up to `max`, each half as likely as the one before. */
  smallish(max: number): number {
    let n = 1;
    while (n < max && this.chance(0.5)) n *= 2;
    return Math.min(max, this.range(Math.max(1, n >> 1), n));
  }
}
