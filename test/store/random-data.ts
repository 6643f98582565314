import { UNIT_NAMES } from '../../samples/lib/test-pki';

/**
 * What the store suites that draw random data share (queries-suite.ts, batch-summary-suite.ts): the tables they
 * empty between runs, the units they draw from, a seeded generator and made-up sha256s.
 */

export const TABLES = 'batches, batch_items, documents, signatures, certificates, findings, tokens, exports, unit_document_months, unit_months, unit_month_providers, unit_month_certificates, batch_unit_counts';
export const [U0, U1, U2] = UNIT_NAMES;

/** A small deterministic generator (mulberry32): the same data every run, and another with another seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const hex = (n: number): string => n.toString(16).padStart(64, '0');
