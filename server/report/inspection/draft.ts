import type { Finding } from '../../../worker/report';
import type { Outline } from '../document/outline';
import type { WriterOptions } from '../format';
import type { BatchSummary } from '../summary';
import type { InspectionFacts } from './facts';

export interface InspectionInput {
  facts: InspectionFacts;
  summary: BatchSummary;
  /** The batch's own findings (refused archive entries, register rows matching no file). */
  batchFindings: Finding[];
  options: WriterOptions;
}

/** The inspection report drafted: being written by the lead. */
export function inspectionOutline(input: InspectionInput): Outline {
  throw new Error(`inspectionOutline: not written yet (${input.summary.totals.documents})`);
}
