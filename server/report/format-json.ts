import type { BatchReport, DocumentReport } from '../../worker/report';

/** The report contract as is: both languages travel in every finding, so `--lang` does not change it. */
export function formatJson(report: BatchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Indentation of a document inside the batch report: the "documents" array is two levels deep. */
const IN_DOCUMENTS = '\n    ';

/** A document as formatJson writes it inside "documents", as UTF-8. */
export function documentFragment(doc: DocumentReport): Buffer {
  return Buffer.from(JSON.stringify(doc, null, 2).replace(/\n/g, IN_DOCUMENTS));
}

/**
 * Fragments rendered where the documents were verified (the worker threads, in parallel), by report object. Valid
 * because a report is never changed in place once it leaves the pool: what changes one (the register join) makes a
 * new object, which has no fragment here and is rendered afresh.
 */
const fragments = new WeakMap<DocumentReport, Buffer>();

export function rememberFragment(doc: DocumentReport, fragment: Buffer): void {
  fragments.set(doc, fragment);
}

/**
 * formatJson's output as UTF-8, byte for byte, with each document's part taken from its remembered fragment when it
 * has one. For a big batch, rendering and encoding every document here took about as long again as writing the
 * file, on one core while the other sat idle at the end of the run.
 */
export function formatJsonBytes(report: BatchReport): Buffer {
  if (report.documents.length === 0) return Buffer.from(formatJson(report));
  const shell = JSON.stringify({ ...report, documents: [] }, null, 2);
  // The top-level key comes first in the text (after generatedAt, a string): a key is the only place a raw quote
  // followed by `documents": []` can appear, strings being escaped.
  const marker = '"documents": []';
  const at = shell.indexOf(marker);
  if (at < 0) return Buffer.from(formatJson(report));
  const parts: Buffer[] = [Buffer.from(`${shell.slice(0, at)}"documents": [${IN_DOCUMENTS}`)];
  const separator = Buffer.from(`,${IN_DOCUMENTS}`);
  report.documents.forEach((doc, i) => {
    if (i > 0) parts.push(separator);
    parts.push(fragments.get(doc) ?? documentFragment(doc));
  });
  parts.push(Buffer.from(`\n  ]${shell.slice(at + marker.length)}\n`));
  return Buffer.concat(parts);
}
