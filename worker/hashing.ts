import type { Hash } from 'node:crypto';
import type { ByteSource } from './source';
import { Budget } from './errors';
import { copyDigestHash, createDigestHash } from './pki/digest-hash';

/**
 * One pass over the file feeds every hash the document needs: the file's own SHA-256 and, per signature, each
 * digest algorithm over its signed byte ranges. A 1 GB file is read once, in chunks, and never held whole.
 */

export interface RangeHashJob {
  ranges: [number, number][];
  algorithms: string[];
}

export interface RangeHashResult {
  digests: Map<string, Buffer>;
}

const CHUNK = 1 << 20;
/** Most signed bytes a signature without signed attributes may make the verifier hold (see readRanges). */
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

/** One digest to compute: an algorithm over ascending, non-overlapping ranges ([0, ∞) for the whole file). */
interface Consumer {
  ranges: [number, number][];
  /** Index of the first range not yet wholly behind the current position. */
  next: number;
  /** Filled at the end: the group's digest, copied. */
  digest: Buffer | null;
}

/** Consumers that have seen exactly the same bytes so far share one running hash. */
interface Group {
  /** Digest name the hash was made with: a fork must keep its output length. */
  alg: string;
  hash: Hash;
  members: Consumer[];
}

function covers(c: Consumer, at: number): boolean {
  while (c.next < c.ranges.length && c.ranges[c.next][1] <= at) c.next++;
  return c.next < c.ranges.length && c.ranges[c.next][0] <= at;
}

/** Ranges a shared prefix can serve: each starts at or after the previous one's end. */
function ascending(ranges: [number, number][]): boolean {
  for (let i = 0; i < ranges.length; i++) {
    const [s, e] = ranges[i];
    if (!(s >= 0 && e >= s)) return false;
    if (i > 0 && s < ranges[i - 1][1]) return false;
  }
  return true;
}

export function hashPass(
  source: ByteSource,
  jobs: RangeHashJob[],
  budget: Budget,
): { sha256: string; results: RangeHashResult[] } {
  // The whole-file hash and every signature's digest over its byte ranges mostly hash the same bytes: a document
  // signed twice has both ranges starting at 0, and the file hash covers both. Instead of hashing those bytes
  // once per digest, consumers that have seen the same bytes so far share one hash and fork (Hash.copy) where
  // their ranges part. The digests are the same bytes through the same algorithm, so they are identical.
  const whole: Consumer = { ranges: [[0, Number.POSITIVE_INFINITY]], next: 0, digest: null };
  const groupsByAlg = new Map<string, Group>([['sha256', { alg: 'sha256', hash: createDigestHash('sha256'), members: [whole] }]]);
  const boundaries = new Set<number>();
  const states = jobs.map((job) => {
    const shared = ascending(job.ranges);
    const consumers = new Map<string, Consumer>();
    const direct = new Map<string, Hash>();
    for (const alg of job.algorithms) {
      if (consumers.has(alg) || direct.has(alg)) continue;
      let hash: Hash;
      try {
        hash = createDigestHash(alg);
      } catch {
        // An algorithm node:crypto lacks: the CMS layer reports it as unsupported.
        continue;
      }
      if (!shared) {
        // Ranges out of order or overlapping (forged ones): hashed range by range, chunk by chunk, as they come.
        direct.set(alg, hash);
        continue;
      }
      const c: Consumer = { ranges: job.ranges, next: 0, digest: null };
      consumers.set(alg, c);
      const g = groupsByAlg.get(alg);
      if (g) g.members.push(c);
      else groupsByAlg.set(alg, { alg, hash, members: [c] });
    }
    if (shared) for (const [s, e] of job.ranges) boundaries.add(s).add(e);
    return { job, consumers, direct };
  });
  let groups = [...groupsByAlg.values()];
  const cuts = [...boundaries].sort((a, b) => a - b);
  let cut = 0;

  for (let pos = 0; pos < source.size; pos += CHUNK) {
    budget.check();
    const chunk = source.read(pos, CHUNK);
    if (chunk.length === 0) break;
    const chunkEnd = pos + chunk.length;
    // Pieces of the chunk between range boundaries: within one, each consumer takes all of it or none.
    let from = pos;
    while (from < chunkEnd) {
      while (cut < cuts.length && cuts[cut] <= from) cut++;
      const to = cut < cuts.length ? Math.min(cuts[cut], chunkEnd) : chunkEnd;
      const piece = chunk.subarray(from - pos, to - pos);
      const next: Group[] = [];
      for (const g of groups) {
        // Each group hashes the piece on its own: signatures whose ranges all differ (a hostile file has thousands)
        // multiply the work by their number, so the budget is checked per group, not per chunk.
        budget.check();
        const takers = g.members.filter((c) => covers(c, from));
        if (takers.length === 0) {
          next.push(g);
          continue;
        }
        if (takers.length < g.members.length) {
          // The group parts here: those that skip this piece continue from a copy of the state so far.
          next.push({ alg: g.alg, hash: copyDigestHash(g.alg, g.hash), members: g.members.filter((c) => !takers.includes(c)) });
        }
        g.hash.update(piece);
        next.push({ alg: g.alg, hash: g.hash, members: takers });
      }
      groups = next;
      from = to;
    }
    for (const st of states) {
      if (st.direct.size === 0) continue;
      budget.check();
      for (const [s, e] of st.job.ranges) {
        const a = Math.max(s, pos);
        const b = Math.min(e, chunkEnd);
        if (a >= b) continue;
        const piece = chunk.subarray(a - pos, b - pos);
        for (const h of st.direct.values()) h.update(piece);
      }
    }
  }

  for (const g of groups) {
    const d = g.hash.digest();
    // Each consumer gets its own buffer, as when each had its own hash.
    for (const c of g.members) c.digest = Buffer.from(d);
  }
  return {
    sha256: (whole.digest as Buffer).toString('hex'),
    results: states.map((st) => {
      const digests = new Map<string, Buffer>();
      // In the order the job named its algorithms, as before.
      for (const alg of st.job.algorithms) {
        const c = st.consumers.get(alg);
        if (c?.digest) digests.set(alg, c.digest);
        const h = st.direct.get(alg);
        if (h && !digests.has(alg)) digests.set(alg, h.digest());
      }
      return { digests };
    }),
  };
}

/**
 * The signed bytes themselves, for the one signature form that signs them rather than a digest (no signed
 * attributes, a signature algorithm without its own hash: Ed25519, Ed448): read from the source when that
 * signature is checked, one at a time, instead of copied during the hash pass for every such signature at once (a
 * hostile file with thousands of them had the verifier copy the file thousands of times). Null past `maxBytes`:
 * such a signature cannot be checked, and is invalid.
 */
export function readRanges(source: ByteSource, ranges: [number, number][], budget: Budget, maxBytes = MAX_CONTENT_BYTES): Buffer | null {
  let total = 0;
  for (const [s, e] of ranges) total += e - s;
  if (total > maxBytes) return null;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const [s, e] of ranges) {
    for (let pos = s; pos < e; pos += CHUNK) {
      budget.check();
      const piece = source.read(pos, Math.min(CHUNK, e - pos));
      piece.copy(out, at);
      at += piece.length;
      if (piece.length < Math.min(CHUNK, e - pos)) break;
    }
  }
  return at === total ? out : out.subarray(0, at);
}

/** SHA-256 of a whole source, streaming; for documents that could not be parsed. */
export function sha256Of(source: ByteSource): string {
  return hashPass(source, [], Budget.unlimited()).sha256;
}
