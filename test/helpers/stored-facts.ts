import { factsOf } from '../../server/pool/facts-channel';
import { judgedWith, judgedWithKey, storableFacts, versionsOf, type JudgeContext } from '../../server/pool/rejudge';
import type { BatchItem, FactsStore, Store } from '../../server/shared/types';
import { collectFacts } from '../../worker/facts';
import { judgeDocument } from '../../worker/policy/judge';
import type { DocumentReport } from '../../worker/report';
import { BufferSource } from '../../worker/source';

/**
 * A document verified as the service verifies it — facts collected, judged, the report and the facts (through
 * JSON, as they travel) stored together — without a queue or blobs: the PDF is held only by the caller.
 */
export async function storeVerified(
  store: Store,
  facts: FactsStore,
  pdf: Buffer,
  fileName: string,
  ctx: JudgeContext,
  at: Date,
): Promise<{ item: BatchItem; report: DocumentReport }> {
  const versions = versionsOf(ctx);
  const collected = collectFacts(new BufferSource(pdf), { fileName });
  const report = { ...judgeDocument(collected, ctx.trust, { registry: ctx.registry, now: at }), judgedWith: judgedWith(versions, at, null) };
  await store.saveDocumentReport(collected.sha256, report);
  await facts.saveFacts(collected.sha256, JSON.parse(JSON.stringify(storableFacts(collected))), at, report, judgedWithKey(versions));
  return { item: { file: fileName, sha256: collected.sha256, size: collected.size, register: null }, report };
}

/**
 * A report a verifier already made (its facts riding on it, as the pool hands them over) stored as the service
 * stores it: the report, then its facts through JSON with a history row dated when it was judged, named by
 * `judgedWithKey`; then a batch `batchId` holding it alone.
 */
export async function storeReported(
  store: Store & FactsStore,
  report: DocumentReport,
  fileName: string,
  batchId: string,
  judgedWithKey: string,
): Promise<void> {
  await store.saveDocumentReport(report.sha256, report);
  await store.saveFacts(report.sha256, JSON.parse(JSON.stringify(factsOf(report))), new Date(report.judgedWith!.at), report, judgedWithKey);
  const item: BatchItem = { file: fileName, sha256: report.sha256, size: report.size, register: null };
  await store.createBatch({ id: batchId, source: 'upload', items: [item], findings: [], hasRegister: false, createdBy: null });
}
