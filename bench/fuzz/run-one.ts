import type { TrustStore } from '../../worker/pki/types';
import type { DocumentReport } from '../../worker/report';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import type { Oracle, Problem } from './oracle';

/** One file through verifyDocument and the oracle: what a fuzz thread does per mutant, and `--file` and the tests. */

export interface Outcome {
  /** Null when verifyDocument threw. */
  report: DocumentReport | null;
  problems: Problem[];
  /** Time in verifyDocument, milliseconds. */
  ms: number;
}

export async function verifyAndJudge(
  bytes: Buffer,
  trust: TrustStore,
  oracle: Oracle,
  options: { fileName: string; timeBudgetMs: number; pageRewritten: boolean },
): Promise<Outcome> {
  const started = performance.now();
  let report: DocumentReport;
  try {
    report = await verifyDocument(new BufferSource(bytes), trust, { fileName: options.fileName, timeBudgetMs: options.timeBudgetMs });
  } catch (err) {
    // verifyDocument promises never to throw for a bad document: anything that escapes it is a crash.
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { report: null, problems: [{ kind: 'exception', detail }], ms: performance.now() - started };
  }
  const ms = performance.now() - started;
  return { report, problems: oracle.judge(bytes, report, options.pageRewritten), ms };
}
