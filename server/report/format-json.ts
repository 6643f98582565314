import type { BatchReport } from '../../worker/report';

/** The report contract as is: both languages travel in every finding, so `--lang` does not change it. */
export function formatJson(report: BatchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
