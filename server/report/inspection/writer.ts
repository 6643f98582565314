import type { Writable } from 'node:stream';
import type { DocumentReport, Finding } from '../../../worker/report';
import type { BinaryReportWriter, WriterOptions } from '../format';
import type { Outline } from '../document/outline';
import type { BatchSummary } from '../summary';
import { inspectionOutline } from './draft';
import { InspectionTally } from './facts';
import { writeAll } from '../output';

/** Lays an Outline out as a file's bytes (document/docx.ts, document/pdf.ts). */
export type OutlineRenderer = (outline: Outline) => Promise<Uint8Array>;

/**
 * The inspection report as a report format: documents are counted as they come (InspectionTally keeps no report),
 * and the draft is laid out once the unit summary is known.
 */
export class InspectionReportWriter implements BinaryReportWriter {
  private readonly tally: InspectionTally;

  constructor(
    private readonly options: WriterOptions,
    private readonly render: OutlineRenderer,
  ) {
    this.tally = new InspectionTally(options.lang);
  }

  document(doc: DocumentReport): void {
    this.tally.add(doc);
  }

  async end(summary: BatchSummary, findings: Finding[], out: Writable): Promise<void> {
    const outline = inspectionOutline({ facts: this.tally.facts(), summary, batchFindings: findings, options: this.options });
    await writeAll(out, await this.render(outline));
  }

  dispose(): void {}
}
