import type { FactsRecord } from '../../worker/facts-record';
import type { DocumentReport } from '../../worker/report';

/**
 * A report's facts record travels with it from the verifier to whoever stores it, under a symbol: a spread copy of
 * the report keeps it, JSON (the CLI's output, the store's report column) never sees it, and DocumentVerifier's
 * callers that do not keep facts need not know it is there.
 */
const FACTS = Symbol('kiemky.factsRecord');

type WithFacts = DocumentReport & { [FACTS]?: FactsRecord };

export function attachFacts(report: DocumentReport, record: FactsRecord): DocumentReport {
  (report as WithFacts)[FACTS] = record;
  return report;
}

export function factsOf(report: DocumentReport): FactsRecord | null {
  return (report as WithFacts)[FACTS] ?? null;
}
