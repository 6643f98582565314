import { buildBatchReport } from '../../server/report/summary';
import type { Store } from '../../server/shared/types';
import type { BatchReport, DocumentReport } from '../../worker/report';

/**
 * A batch's whole report, read through the store's stream as the API's reports are: what the tests compare with.
 * The service itself never holds a batch whole (a province's month would not fit), so the store offers no such call.
 */
export async function wholeReport(store: Pick<Store, 'streamBatchReport'>, id: string, units?: string[]): Promise<BatchReport | null> {
  const stream = await store.streamBatchReport(id, units);
  if (!stream) return null;
  const documents: DocumentReport[] = [];
  for await (const doc of stream.documents) documents.push(doc);
  return buildBatchReport(documents, stream.findings, stream.generatedAt);
}
