import type { Problem, SeedKnowledge } from './oracle';

/** What the fuzz campaign and its threads say to each other. */

export interface FuzzWorkerData {
  /** Every seed's bytes, one after the other, shared by all threads rather than copied to each. */
  seedBytes: SharedArrayBuffer;
  /** Where each seed ends in seedBytes. */
  seedEnds: number[];
  campaignSeed: number;
  maxBytes: number;
  knowledge: SeedKnowledge;
  certsDir: string;
  timeBudgetMs: number;
  /** Int32 [running mutant index or -1, ms since `epoch` it started]: what the watchdog blames a hang on. */
  progress: SharedArrayBuffer;
  epoch: number;
}

export const PROGRESS_INDEX = 0;
export const PROGRESS_STARTED = 1;

export interface FuzzBatch {
  indices: number[];
}

export interface FuzzResult {
  index: number;
  seed: number;
  ms: number;
  size: number;
  /** `compliant`, `noncompliant`, `error:CODE`, or `exception`. */
  verdict: string;
  /** Distinct finding codes of the report. */
  findings: string[];
  /** Signatures the report calls valid: each one the oracle held against the bytes it covers. */
  validSignatures: number;
  /** A page was rewritten after every signature (the oracle then holds the document not intact). */
  pageRewritten: boolean;
  problems: Problem[];
}

export interface FuzzResults {
  results: FuzzResult[];
}

/** The seeds packed into one shared buffer, and read back as Buffers over it (no copy). */
export function packSeeds(seeds: readonly Buffer[]): { seedBytes: SharedArrayBuffer; seedEnds: number[] } {
  const total = seeds.reduce((n, s) => n + s.length, 0);
  const seedBytes = new SharedArrayBuffer(total);
  const view = new Uint8Array(seedBytes);
  const seedEnds: number[] = [];
  let at = 0;
  for (const s of seeds) {
    view.set(s, at);
    at += s.length;
    seedEnds.push(at);
  }
  return { seedBytes, seedEnds };
}

export function unpackSeeds(seedBytes: SharedArrayBuffer, seedEnds: readonly number[]): Buffer[] {
  return seedEnds.map((end, i) => {
    const start = i === 0 ? 0 : seedEnds[i - 1];
    return Buffer.from(seedBytes, start, end - start);
  });
}
