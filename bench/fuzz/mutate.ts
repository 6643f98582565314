import { MUTATORS, type Work } from './mutators';
import { PdfSpots } from './pdf-spots';
import { Rng } from './rng';

/**
 * The mutation engine: mutant number `index` of campaign `seed` is one of the seed files with one to four
 * mutations stacked on it, always the same bytes for the same two numbers and the same seed files — the thread that
 * verifies a mutant makes it, and the main thread makes it again only to save one that failed.
 */

export interface Mutant {
  index: number;
  /** Which seed file it started from. */
  seed: number;
  bytes: Buffer;
  /** What was done, in order. */
  ops: string[];
  /** Its last mutation rewrote a page in an update appended after everything else (see shadowUpdate). */
  pageRewritten: boolean;
}

/** A mutant is never let grow past this: memory per document is its own budget, tested by hand-built files. */
export const DEFAULT_MAX_MUTANT_BYTES = 16 * 1024 * 1024;

const TOTAL_WEIGHT = MUTATORS.reduce((sum, [, weight]) => sum + weight, 0);

function drawMutator(rng: Rng): (typeof MUTATORS)[number][0] {
  let r = rng.int(TOTAL_WEIGHT);
  for (const [mutator, weight] of MUTATORS) {
    if (r < weight) return mutator;
    r -= weight;
  }
  return MUTATORS[0][0];
}

export class MutationEngine {
  private readonly spots: (PdfSpots | undefined)[] = [];

  constructor(
    readonly seeds: readonly Buffer[],
    private readonly campaignSeed: number,
    private readonly maxBytes = DEFAULT_MAX_MUTANT_BYTES,
  ) {
    if (seeds.length === 0) throw new Error('fuzz: no seed files');
  }

  private seedSpots(i: number): PdfSpots {
    return (this.spots[i] ??= new PdfSpots(this.seeds[i]));
  }

  mutant(index: number): Mutant {
    const rng = Rng.forMutant(this.campaignSeed, index);
    const seed = rng.int(this.seeds.length);
    const work: Work = {
      bytes: this.seeds[seed],
      spots: this.seedSpots(seed),
      seeds: this.seeds,
      seedSpots: (i) => this.seedSpots(i),
      maxBytes: this.maxBytes,
    };
    let wanted = 1;
    while (wanted < 4 && rng.chance(0.4)) wanted++;
    const ops: string[] = [];
    let pageRewritten = false;
    // A mutation with nothing to aim at draws another; a bounded number of draws, so a file of no parts ends.
    for (let tries = 0; ops.length < wanted && tries < wanted * 8; tries++) {
      const done = drawMutator(rng)(work, rng);
      if (!done || done.bytes.length > this.maxBytes) continue;
      work.bytes = done.bytes;
      work.spots = new PdfSpots(done.bytes);
      ops.push(done.op);
      pageRewritten = done.pageRewritten === true;
    }
    return { index, seed, bytes: work.bytes, ops, pageRewritten };
  }
}
