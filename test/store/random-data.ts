import { UNIT_NAMES } from '../../samples/lib/test-pki';
import type { DocumentReport } from '../../worker/report';

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

/** One of `xs`, drawn with `random`. */
export function pickWith(random: () => number): <T>(xs: readonly T[]) => T {
  return (xs) => xs[Math.floor(random() * xs.length)]!;
}

/** A scenario's report under a sha256 of its own, its verdict and checks drawn at random (in this order of draws). */
export function drawnReport(random: () => number, template: DocumentReport, sha256: string): DocumentReport {
  return {
    ...template,
    sha256,
    file: `${sha256.slice(-6)}.pdf`,
    verdict: pickWith(random)(['compliant', 'noncompliant', 'error'] as const),
    checks: { ...template.checks, signed: random() < 0.8, twoLayer: random() < 0.5, governmentCa: random() < 0.6 },
  };
}
