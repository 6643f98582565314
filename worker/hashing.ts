import { createHash, type Hash } from 'node:crypto';
import type { ByteSource } from './source';
import { Budget } from './errors';

/**
 * One pass over the file feeds every hash the document needs: the file's own SHA-256 and, per signature, each
 * digest algorithm over its signed byte ranges. A 1 GB file is read once, in chunks, and never held whole.
 */

export interface RangeHashJob {
  ranges: [number, number][];
  algorithms: string[];
  /** Keep the signed bytes themselves (signatures without signed attributes), up to `maxContentBytes`. */
  keepContent: boolean;
}

export interface RangeHashResult {
  digests: Map<string, Buffer>;
  content: Buffer | null;
}

const CHUNK = 1 << 20;
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

export function hashPass(
  source: ByteSource,
  jobs: RangeHashJob[],
  budget: Budget,
): { sha256: string; results: RangeHashResult[] } {
  const whole = createHash('sha256');
  const states = jobs.map((job) => {
    const hashes = new Map<string, Hash>();
    for (const alg of job.algorithms) {
      if (!hashes.has(alg)) {
        try {
          hashes.set(alg, createHash(alg));
        } catch {
          // An algorithm node:crypto lacks: the CMS layer reports it as unsupported.
        }
      }
    }
    const total = job.ranges.reduce((n, [s, e]) => n + (e - s), 0);
    const parts: Buffer[] | null = job.keepContent && total <= MAX_CONTENT_BYTES ? [] : null;
    return { job, hashes, parts };
  });

  for (let pos = 0; pos < source.size; pos += CHUNK) {
    budget.check();
    const chunk = source.read(pos, CHUNK);
    if (chunk.length === 0) break;
    whole.update(chunk);
    const chunkEnd = pos + chunk.length;
    for (const st of states) {
      for (const [s, e] of st.job.ranges) {
        const from = Math.max(s, pos);
        const to = Math.min(e, chunkEnd);
        if (from >= to) continue;
        const piece = chunk.subarray(from - pos, to - pos);
        for (const h of st.hashes.values()) h.update(piece);
        // Copy: the chunk buffer may be reused by the source.
        if (st.parts) st.parts.push(Buffer.from(piece));
      }
    }
  }

  return {
    sha256: whole.digest('hex'),
    results: states.map((st) => ({
      digests: new Map([...st.hashes].map(([alg, h]) => [alg, h.digest()])),
      content: st.parts ? Buffer.concat(st.parts) : null,
    })),
  };
}

/** SHA-256 of a whole source, streaming; for documents that could not be parsed. */
export function sha256Of(source: ByteSource): string {
  return hashPass(source, [], Budget.unlimited()).sha256;
}
