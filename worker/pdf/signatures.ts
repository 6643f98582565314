import { DocumentError } from '../errors';
import type { PdfDocument } from './document';
import { signatureFields, type WidgetRef } from './fields';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from './objects';
import { decodeTextString, parsePdfDate } from './text';
import type { PdfSignatureInfo, RevisionInfo, SignatureReference } from './types';
import { WidgetInspector } from './widgets';

/**
 * Signature dictionaries of every revision, each read as of the revision its byte range covers. Values written
 * later (a new /Reason, /Name, /M) are ignored: that is how metadata spoofing after signing is defeated.
 */

/** Where a signature dictionary lives: an indirect object, or a direct /V inside a field object. */
type SigHolder = { kind: 'object'; num: number } | { kind: 'field'; fieldNum: number } | { kind: 'orphan'; dict: PdfDict };

interface Candidate {
  holder: SigHolder;
  fieldNames: Set<string>;
  /** Widgets from the newest revision whose field tree has this signature. */
  widgets: WidgetRef[];
  widgetsRevision: number;
  certification: boolean;
}

interface SignatureRead {
  infos: PdfSignatureInfo[];
  usageRightsSignatures: number;
  docMdp: { signatureObject: number | null; permission: number } | null;
}

function holderKey(h: SigHolder, orphanId: number): string {
  if (h.kind === 'object') return `o${h.num}`;
  if (h.kind === 'field') return `f${h.fieldNum}`;
  return `x${orphanId}`;
}

export function readSignatures(doc: PdfDocument): SignatureRead {
  const candidates = new Map<string, Candidate>();
  let orphanId = 0;
  const add = (holder: SigHolder): Candidate => {
    const key = holderKey(holder, orphanId++);
    let c = candidates.get(key);
    if (c === undefined) {
      // Revisions can each bring new dictionaries under the per-revision field limit: the total is bounded too.
      if (candidates.size >= doc.limits.maxSignatures) {
        throw new DocumentError('TOO_COMPLEX', `more than ${doc.limits.maxSignatures} signature dictionaries`);
      }
      c = { holder, fieldNames: new Set(), widgets: [], widgetsRevision: -1, certification: false };
      candidates.set(key, c);
    }
    return c;
  };

  const usageRights = new Map<string, true>();
  let docMdpSource: { revision: number; holder: SigHolder | null } | null = null;
  for (let rev = 0; rev < doc.revisions.length; rev++) {
    for (const hit of signatureFields(doc, rev)) {
      let holder: SigHolder;
      if (hit.value instanceof PdfRef) holder = { kind: 'object', num: hit.value.num };
      else if (hit.fieldRef !== null) holder = { kind: 'field', fieldNum: hit.fieldRef.num };
      else holder = { kind: 'orphan', dict: hit.value };
      const c = add(holder);
      c.fieldNames.add(hit.fullName);
      if (rev >= c.widgetsRevision) {
        if (rev > c.widgetsRevision) c.widgets = [];
        c.widgetsRevision = rev;
        c.widgets.push(...hit.widgets);
      }
    }
    const catalog = doc.catalog(rev);
    const perms = catalog === null ? null : doc.resolve(catalog.get('Perms'), rev);
    if (perms instanceof PdfDict) {
      const docMdp = perms.get('DocMDP');
      if (docMdp !== undefined && docMdp !== null && docMdpSource === null) {
        const holder: SigHolder | null =
          docMdp instanceof PdfRef ? { kind: 'object', num: docMdp.num } : docMdp instanceof PdfDict ? { kind: 'orphan', dict: docMdp } : null;
        docMdpSource = { revision: rev, holder };
      }
      for (const key of ['UR', 'UR3']) {
        const ur = perms.get(key);
        if (ur instanceof PdfRef) usageRights.set(`o${ur.num}`, true);
        else if (ur instanceof PdfDict) usageRights.set(`r${rev}${key}`, true);
      }
    }
  }

  // The certification signature is a document signature even when no field points at it.
  if (docMdpSource !== null && docMdpSource.holder !== null) {
    const c = add(docMdpSource.holder);
    c.certification = true;
  }

  const inspector = new WidgetInspector(doc);
  const infos: PdfSignatureInfo[] = [];
  for (const c of candidates.values()) {
    const info = describeSignature(doc, c, inspector);
    if (info !== null) infos.push(info);
  }
  infos.sort(compareSignatures);

  let usageRightsSignatures = 0;
  for (const key of usageRights.keys()) if (!candidates.has(key) || !hasFieldName(candidates.get(key))) usageRightsSignatures++;

  let docMdp: SignatureRead['docMdp'] = null;
  if (docMdpSource !== null) {
    const holder = docMdpSource.holder;
    const num = holder !== null && holder.kind === 'object' ? holder.num : null;
    const sig = infos.find((s) => s.certification && s.objectNumber === num);
    const ref = sig?.references.find((r) => r.transformMethod === 'DocMDP');
    const p = ref?.permission;
    docMdp = { signatureObject: num, permission: p === 1 || p === 2 || p === 3 ? p : 2 };
  }
  // Usage-rights dictionaries are not document signatures: drop them unless a field also uses them.
  const listed = infos.filter((s) => {
    if (s.objectNumber === null) return true;
    return !usageRights.has(`o${s.objectNumber}`) || s.fieldNames.length > 0;
  });
  return { infos: listed, usageRightsSignatures, docMdp };
}

function hasFieldName(c: Candidate | undefined): boolean {
  return c !== undefined && c.fieldNames.size > 0;
}

/** File (revision) order: the revision a signature signs, else the one that wrote it; then where its range ends. */
function compareSignatures(a: PdfSignatureInfo, b: PdfSignatureInfo): number {
  const ra = a.revision ?? a.definedInRevision;
  const rb = b.revision ?? b.definedInRevision;
  if (ra !== rb) return ra - rb;
  const ea = rangeEnd(a.byteRange);
  const eb = rangeEnd(b.byteRange);
  if (ea !== null && eb !== null && ea !== eb) return ea - eb;
  if (ea !== null && eb === null) return -1;
  if (ea === null && eb !== null) return 1;
  return (a.objectNumber ?? Number.MAX_SAFE_INTEGER) - (b.objectNumber ?? Number.MAX_SAFE_INTEGER);
}

function rangeEnd(br: number[] | null): number | null {
  return br !== null && br.length === 4 ? br[2] + br[3] : null;
}

interface DictVersion {
  dict: PdfDict;
  /** Revision whose section wrote the object holding the dictionary. */
  definedIn: number;
  /** The holder is an uncompressed object parsed from the file, so string offsets are file offsets. */
  fromFile: boolean;
}

function readAsOf(doc: PdfDocument, holder: SigHolder, rev: number): DictVersion | null {
  if (holder.kind === 'orphan') return { dict: holder.dict, definedIn: rev, fromFile: false };
  const num = holder.kind === 'object' ? holder.num : holder.fieldNum;
  const obj = doc.getObject(num, rev);
  if (obj === null) return null;
  let dict: PdfValue = obj.value;
  if (holder.kind === 'field') dict = dict instanceof PdfDict ? (dict.get('V') ?? null) : null;
  if (!(dict instanceof PdfDict)) return null;
  return { dict, definedIn: obj.revision, fromFile: obj.location.kind === 'offset' };
}

/** The newest version of the dictionary: as of the latest revision, or of the last one in which it existed. */
function latestVersion(doc: PdfDocument, holder: SigHolder): DictVersion | null {
  for (let r = doc.revisions.length - 1; r >= 0; r--) {
    const v = readAsOf(doc, holder, r);
    if (v !== null) return v;
  }
  return null;
}

function byteRangeOf(doc: PdfDocument, dict: PdfDict, rev: number): number[] | null {
  const v = doc.resolve(dict.get('ByteRange'), rev);
  if (!Array.isArray(v) || v.length === 0) return null;
  if (!v.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) return null;
  return v;
}

/** The revision whose end the byte range reaches, with or without the end-of-line after `%%EOF`. */
function coveredRevision(revisions: RevisionInfo[], br: number[] | null): number | null {
  if (br === null || br.length !== 4) return null;
  const end = br[2] + br[3];
  const hit = revisions.find((r) => r.end === end || r.eofOffset + 5 === end);
  return hit === undefined ? null : hit.index;
}

function describeSignature(doc: PdfDocument, c: Candidate, inspector: WidgetInspector): PdfSignatureInfo | null {
  const newest = latestVersion(doc, c.holder);
  if (newest === null) return null;
  const newestRev = doc.revisions.length - 1;
  const revision = coveredRevision(doc.revisions, byteRangeOf(doc, newest.dict, newestRev));
  let version = newest;
  let readRev = newestRev;
  if (revision !== null) {
    const signed = readAsOf(doc, c.holder, revision);
    if (signed !== null) {
      version = signed;
      readRev = revision;
    }
  }
  const d = version.dict;
  const text = (key: string): string | null => {
    const v = doc.resolve(d.get(key), readRev);
    return v instanceof PdfString ? decodeTextString(v.bytes) : null;
  };
  const name = (key: string): string | null => {
    const v = doc.resolve(d.get(key), readRev);
    return v instanceof PdfName ? v.name : null;
  };

  const rawContents = d.get('Contents');
  const contents = doc.resolve(rawContents, readRev);
  const contentsSpan =
    version.fromFile && rawContents instanceof PdfString && rawContents.hex && rawContents.span !== undefined
      ? { start: rawContents.span.start, end: rawContents.span.end }
      : null;

  const objectNumber = c.holder.kind === 'object' ? c.holder.num : null;
  const watched = c.holder.kind === 'object' ? c.holder.num : c.holder.kind === 'field' ? c.holder.fieldNum : null;
  // Looked up in each later section's entries, not searched in its object list: a section may list millions.
  const modifiedAfterSigning =
    revision !== null && watched !== null &&
    doc.revisions.some((r) => r.index > revision && doc.sectionTouches(r.index, watched));

  const m = text('M');
  return {
    objectNumber,
    fieldNames: [...c.fieldNames],
    type: name('Type'),
    filter: name('Filter'),
    subFilter: name('SubFilter'),
    byteRange: byteRangeOf(doc, d, readRev),
    contents: contents instanceof PdfString ? contents.bytes : null,
    contentsIsHex: contents instanceof PdfString && contents.hex,
    contentsSpan,
    cert: readCert(doc, d, readRev),
    revision,
    definedInRevision: version.definedIn,
    modifiedAfterSigning,
    name: text('Name'),
    reason: text('Reason'),
    location: text('Location'),
    contactInfo: text('ContactInfo'),
    m,
    mDate: m === null ? null : parsePdfDate(m),
    references: readReferences(doc, d, readRev),
    certification: c.certification,
    widgets: c.widgets.map((w) => inspector.describe(w)),
  };
}

function readCert(doc: PdfDocument, d: PdfDict, rev: number): (Buffer | null)[] | null {
  const v = doc.resolve(d.get('Cert'), rev);
  if (v === undefined || v === null) return null;
  const bytesOf = (x: PdfValue | undefined): Buffer | null => (x instanceof PdfString ? x.bytes : null);
  if (Array.isArray(v)) return v.map((x) => bytesOf(doc.resolve(x, rev)));
  return [bytesOf(v)];
}

function readReferences(doc: PdfDocument, d: PdfDict, rev: number): SignatureReference[] {
  const refs = doc.resolve(d.get('Reference'), rev);
  if (!Array.isArray(refs)) return [];
  const out: SignatureReference[] = [];
  for (const r of refs) {
    const rd = doc.resolve(r, rev);
    if (!(rd instanceof PdfDict)) continue;
    const method = doc.resolve(rd.get('TransformMethod'), rev);
    const params = doc.resolve(rd.get('TransformParams'), rev);
    let permission: number | null = null;
    let action: string | null = null;
    const fields: string[] = [];
    if (params instanceof PdfDict) {
      const p = doc.resolve(params.get('P'), rev);
      if (typeof p === 'number' && Number.isInteger(p)) permission = p;
      const a = doc.resolve(params.get('Action'), rev);
      if (a instanceof PdfName) action = a.name;
      const f = doc.resolve(params.get('Fields'), rev);
      if (Array.isArray(f)) {
        for (const x of f) {
          const s = doc.resolve(x, rev);
          if (s instanceof PdfString) fields.push(decodeTextString(s.bytes));
        }
      }
    }
    out.push({ transformMethod: method instanceof PdfName ? method.name : null, permission, action, fields });
  }
  return out;
}
