import { parentPort, workerData } from 'node:worker_threads';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { MutationEngine } from './mutate';
import { Oracle, verdictKey } from './oracle';
import { PROGRESS_INDEX, PROGRESS_STARTED, unpackSeeds, type FuzzBatch, type FuzzResult, type FuzzWorkerData } from './protocol';
import { verifyAndJudge } from './run-one';

/**
 * A fuzz thread: makes each mutant it is given the number of, verifies it with the per-document budget and judges
 * the report. Which mutant it is on is published in shared memory before it starts, so the watchdog can blame a
 * hang, or a thread that dies, on that mutant and no other.
 */

const init = workerData as FuzzWorkerData;
const engine = new MutationEngine(unpackSeeds(init.seedBytes, init.seedEnds), init.campaignSeed, init.maxBytes);
const oracle = new Oracle(init.knowledge);
const trust = loadTrustStore(init.certsDir);
const progress = new Int32Array(init.progress);

async function one(index: number): Promise<FuzzResult> {
  Atomics.store(progress, PROGRESS_STARTED, Date.now() - init.epoch);
  Atomics.store(progress, PROGRESS_INDEX, index);
  const mutant = engine.mutant(index);
  const outcome = await verifyAndJudge(mutant.bytes, trust, oracle, {
    fileName: `mutant-${index}.pdf`,
    timeBudgetMs: init.timeBudgetMs,
    pageRewritten: mutant.pageRewritten,
  });
  Atomics.store(progress, PROGRESS_INDEX, -1);
  const report = outcome.report;
  return {
    index,
    seed: mutant.seed,
    ms: outcome.ms,
    size: mutant.bytes.length,
    verdict: report ? verdictKey(report) : 'exception',
    findings: report ? [...new Set(report.findings.map((f) => f.code))] : [],
    validSignatures: report ? report.signatures.filter((s) => s.integrity === 'valid').length : 0,
    pageRewritten: mutant.pageRewritten,
    problems: outcome.problems,
  };
}

parentPort?.on('message', (batch: FuzzBatch) => {
  void (async () => {
    const results: FuzzResult[] = [];
    for (const index of batch.indices) results.push(await one(index));
    parentPort?.postMessage({ results });
  })();
});
