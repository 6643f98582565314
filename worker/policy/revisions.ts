import type { Budget } from '../errors';
import type { PdfDocument } from '../pdf/index';
import { PdfDict, PdfRef, PdfStream, PdfName, PdfString } from '../pdf/objects';
import type { PdfValue as PdfObject } from '../pdf/objects';
import type { PdfStructure } from '../pdf/types';
import type { RevisionExplanation } from './changes';

/**
 * Explains each incremental revision by what it is for. Whitelist: a revision is the revision of a signature with
 * valid integrity, or a DSS update that writes only the catalog (changing nothing but /DSS, /Extensions) and objects
 * reachable from the new /DSS. Everything else is unexplained — an unsigned change after signing.
 */

interface SigLike {
  index: number;
  pdf: { revision: number | null };
  byteRange: { problems: unknown[] };
  cms: { problems: { code: string }[]; digestMatches: boolean; signatureValid: boolean } | null;
  cmsError: unknown;
}

/** Catalog keys a DSS update may touch. */
const DSS_CATALOG_KEYS = new Set(['DSS', 'Extensions']);

export function explainRevisions(doc: PdfDocument, structure: PdfStructure, sigs: SigLike[], budget: Budget): (RevisionExplanation | null)[] {
  const out: (RevisionExplanation | null)[] = [null];
  for (let rev = 1; rev < structure.revisions.length; rev++) {
    budget.check();
    const signer = sigs.find((s) => s.pdf.revision === rev && integrityHolds(s));
    if (signer) {
      out.push({ kind: 'signature', signature: signer.index });
      continue;
    }
    out.push(explainAsDss(doc, structure, rev, budget));
  }
  return out;
}

/** Problems a CMS may carry that do not touch integrity: they are reported, but the signature still holds. */
const NON_BREAKING = (code: string): boolean => code.startsWith('TIMESTAMP_') || code === 'MULTIPLE_SIGNERS';

export function integrityHolds(s: SigLike): boolean {
  return (
    s.byteRange.problems.length === 0 &&
    s.cmsError === null &&
    s.cms !== null &&
    s.cms.problems.every((p) => NON_BREAKING(p.code)) &&
    s.cms.digestMatches &&
    s.cms.signatureValid
  );
}

function explainAsDss(doc: PdfDocument, structure: PdfStructure, rev: number, budget: Budget): RevisionExplanation {
  const info = structure.revisions[rev]!;
  let catalog: PdfDict | null;
  let before: PdfDict | null;
  try {
    catalog = asDict(doc.catalog(rev));
    before = asDict(doc.catalog(rev - 1));
  } catch {
    return { kind: 'unexplained', detail: 'catalog unreadable' };
  }
  if (!catalog || !before) return { kind: 'unexplained', detail: 'no catalog' };
  const dssValue = catalog.get('DSS');
  if (dssValue === undefined) return { kind: 'unexplained', detail: `objects ${summarize(info.objects)}` };
  for (const key of new Set([...catalog.keys(), ...before.keys()])) {
    if (DSS_CATALOG_KEYS.has(key)) continue;
    if (!sameObject(catalog.get(key), before.get(key))) return { kind: 'unexplained', detail: `catalog /${key} changed` };
  }
  if (info.freed.length > 0) return { kind: 'unexplained', detail: `objects freed: ${summarize(info.freed)}` };
  const allowed = new Set<number>();
  if (info.rootObject !== null) allowed.add(info.rootObject);
  collectReachable(doc, dssValue, rev, allowed, budget);
  const extensions = catalog.get('Extensions');
  if (extensions !== undefined) collectReachable(doc, extensions, rev, allowed, budget);
  const stray = info.objects.filter((n) => !allowed.has(n));
  if (stray.length > 0) return { kind: 'unexplained', detail: `objects outside the DSS: ${summarize(stray)}` };
  return { kind: 'dss' };
}

function asDict(o: PdfObject | null | undefined): PdfDict | null {
  return o instanceof PdfDict ? o : null;
}

function collectReachable(doc: PdfDocument, start: PdfObject, rev: number, into: Set<number>, budget: Budget): void {
  const stack: PdfObject[] = [start];
  let steps = 0;
  while (stack.length > 0 && steps++ < 100_000) {
    budget.check();
    const o = stack.pop()!;
    if (o instanceof PdfRef) {
      if (into.has(o.num)) continue;
      into.add(o.num);
      let v: PdfObject | null = null;
      try {
        v = doc.resolve(o, rev);
      } catch {
        v = null;
      }
      if (v !== null) stack.push(v);
    } else if (Array.isArray(o)) {
      for (const x of o) stack.push(x);
    } else if (o instanceof PdfDict) {
      for (const k of o.keys()) stack.push(o.get(k)!);
    } else if (o instanceof PdfStream) {
      stack.push(o.dict);
    }
  }
}

/** Structural equality with references compared by number: a changed reference is a change. */
export function sameObject(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfString) return b instanceof PdfString && a.bytes.equals(b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameObject(x, b[i], depth + 1));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict)) return false;
    const ka = [...a.keys()];
    const kb = [...b.keys()];
    return ka.length === kb.length && ka.every((k) => sameObject(a.get(k), b.get(k), depth + 1));
  }
  if (a instanceof PdfStream) return false; // a direct stream cannot be compared cheaply; treat as changed
  return false;
}

function summarize(nums: number[]): string {
  const head = nums.slice(0, 8).join(', ');
  return nums.length > 8 ? `${head}, … (${nums.length})` : head;
}
