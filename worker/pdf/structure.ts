import type { PdfDocument } from './document';
import { readDss } from './dss';
import { readSignatures } from './signatures';
import type { PdfStructure } from './types';

/** Everything the PDF layer records about a file, for the CMS and policy layers to judge. */
export function readStructure(doc: PdfDocument): PdfStructure {
  const trailingBytes = countTrailingBytes(doc);
  const sigs = readSignatures(doc);
  const dss = readDss(doc);
  return {
    size: doc.size,
    headerVersion: doc.headerVersion,
    headerOffset: doc.headerOffset,
    linearized: doc.linearized,
    revisions: doc.revisions,
    xrefRepaired: doc.xrefRepaired,
    encryption: doc.encryption,
    signatures: sigs.infos,
    usageRightsSignatures: sigs.usageRightsSignatures,
    docMdp: sigs.docMdp,
    dss,
    trailingBytes,
    cutShortUpdateAt: trailingBytes > 0 ? cutShortUpdateAt(doc) : null,
    warnings: [...doc.warnings],
  };
}

/** Non-whitespace, non-NUL bytes after the end of the last revision. */
function countTrailingBytes(doc: PdfDocument): number {
  const last = doc.revisions.reduce((m, r) => Math.max(m, r.end), 0);
  let count = 0;
  const chunk = 1024 * 1024;
  for (let pos = last; pos < doc.size; pos += chunk) {
    doc.budget.check();
    const part = doc.readBytes(pos, Math.min(chunk, doc.size - pos));
    for (const b of part) {
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x0c && b !== 0x00) count++;
    }
  }
  return count;
}

/**
 * Where bytes after the last complete revision hold an object header but no %%EOF: an update cut short, which is
 * what a truncated download or copy looks like. A fact only; the policy decides what it makes of the document.
 */
function cutShortUpdateAt(doc: PdfDocument): number | null {
  const from = doc.revisions.reduce((m, r) => Math.max(m, r.end), 0);
  const tail = doc.readBytes(from, Math.min(doc.size - from, 1 << 20)).toString('latin1');
  return /\d+\s+\d+\s+obj\b/.test(tail) && !tail.includes('%%EOF') ? from : null;
}
