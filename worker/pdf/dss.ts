import { DocumentError } from '../errors';
import type { PdfDocument } from './document';
import { PdfDict, PdfStream } from './objects';
import type { DssInfo } from './types';

/** The Document Security Store of the latest catalog: validation material added after signing. */
export function readDss(doc: PdfDocument): DssInfo | null {
  const catalog = doc.catalog();
  const dss = catalog === null ? null : doc.resolve(catalog.get('DSS'));
  if (!(dss instanceof PdfDict)) return null;
  let revision = doc.revisions.length - 1;
  for (let r = 0; r < doc.revisions.length; r++) {
    const c = doc.catalog(r);
    if (c !== null && doc.resolve(c.get('DSS'), r) instanceof PdfDict) {
      revision = r;
      break;
    }
  }
  return {
    certificates: streamsOf(doc, dss, 'Certs'),
    crls: streamsOf(doc, dss, 'CRLs'),
    ocsps: streamsOf(doc, dss, 'OCSPs'),
    revision,
  };
}

function streamsOf(doc: PdfDocument, dss: PdfDict, key: string): Buffer[] {
  const list = doc.resolve(dss.get(key));
  if (!Array.isArray(list)) return [];
  const out: Buffer[] = [];
  for (const item of list) {
    doc.budget.check();
    const s = doc.resolve(item);
    if (!(s instanceof PdfStream)) continue;
    try {
      out.push(doc.streamData(s));
    } catch (e) {
      // One oversized entry must not hide the rest of the validation material.
      if (!(e instanceof DocumentError) || e.code !== 'TOO_LARGE') throw e;
      doc.warnings.push({ code: 'DSS_ENTRY_TOO_LARGE', detail: `a /DSS /${key} entry exceeds the stream limit` });
    }
  }
  return out;
}
