import { DocumentError } from '../errors';
import { PdfDict, PdfRef } from './objects';
import type { RevisionInfo } from './types';
import { MAX_ENTRIES } from './xref-entries';
import { offsetEntry, readXrefSection, XrefEntries, type XrefReadContext, type XrefSection } from './xref';

/** A revision with the xref entries and trailer its own section(s) wrote. */
export interface LoadedRevision {
  info: RevisionInfo;
  entries: XrefEntries;
  trailer: PdfDict;
  /** Set by the repair scan: object streams found in this revision, whose members are not yet in `entries`. */
  objectStreams?: number[];
  /** Where this revision's own xref sections sit in the file (a table with its trailer, or an xref stream object). */
  sectionSpans: { start: number; end: number }[];
}

const STARTXREF = Buffer.from('startxref');
const EOF_MARK = Buffer.from('%%EOF');

/** Offset named by the last `startxref` in the file, or null when there is none. */
export function findStartxref(ctx: XrefReadContext): number | null {
  const { win } = ctx;
  let at = -1;
  for (const span of [1024, 64 * 1024]) {
    at = win.lastIndexOf(STARTXREF, win.size, Math.max(0, win.size - span));
    if (at >= 0) break;
  }
  if (at < 0) at = win.lastIndexOf(STARTXREF, win.size, 0, ctx.budget);
  if (at < 0) return null;
  const text = win.slice(at + STARTXREF.length, at + STARTXREF.length + 40).toString('latin1');
  const m = /^\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Follows startxref and the /Prev chain. Returns the revisions in chronological order, or null when the chain
 * cannot be followed (the caller then rebuilds by scanning).
 */
export function loadXrefChain(ctx: XrefReadContext, linearizedAt: number | null, headerOffset: number): LoadedRevision[] | null {
  const start = findStartxref(ctx);
  if (start === null) return null;
  const newestFirst: { section: XrefSection; stream: XrefSection | null }[] = [];
  const visited = new Set<number>();
  let offset: number | null = start;
  while (offset !== null) {
    ctx.budget.check();
    if (visited.has(offset)) {
      ctx.warnings.push({ code: 'XREF_PREV_CYCLE', detail: `xref /Prev chain loops back to ${offset}` });
      break;
    }
    visited.add(offset);
    const extra = headerOffset > 0 ? [offset + headerOffset] : [];
    const section = readXrefSection(ctx, offset, extra);
    if (section === null) return null;
    spendEntries(ctx, section);
    visited.add(section.offset);
    let stream: XrefSection | null = null;
    if (section.kind === 'table') {
      const stm = offsetEntry(section.trailer, 'XRefStm');
      if (stm !== null) {
        stream = readXrefSection(ctx, stm, headerOffset > 0 ? [stm + headerOffset] : []);
        if (stream === null) ctx.warnings.push({ code: 'XREFSTM_UNREADABLE', detail: `/XRefStm ${stm} could not be read` });
        else spendEntries(ctx, stream);
      }
    }
    newestFirst.push({ section, stream });
    offset = offsetEntry(section.trailer, 'Prev');
    if (newestFirst.length > 100_000) throw new DocumentError('TOO_LARGE', 'too many xref sections');
  }
  const chronological = newestFirst.reverse();
  const revisions: LoadedRevision[] = [];
  let i = 0;
  // A linearized original: the main section (oldest) and the first-page section (written before it in the file,
  // pointing to it by /Prev) together are revision 0.
  const first = chronological[0];
  const second = chronological[1];
  if (
    linearizedAt !== null && second !== undefined && second.section.offset < first.section.offset &&
    second.section.offset > linearizedAt
  ) {
    const entries = mergeHybrid(first.section, first.stream);
    for (const [num, e] of mergeHybrid(second.section, second.stream)) entries.set(num, e);
    const trailer = mergeTrailers(first.section.trailer, second.section.trailer);
    const rev0 = makeRevision(ctx, 0, second.section, second.stream, entries, trailer, first.section.end);
    rev0.info.xrefDamage.push(...sectionDamage(first.section, first.stream));
    rev0.sectionSpans.push(...spans(first.section, first.stream));
    revisions.push(rev0);
    i = 2;
  }
  for (; i < chronological.length; i++) {
    const { section, stream } = chronological[i];
    const entries = mergeHybrid(section, stream);
    revisions.push(makeRevision(ctx, revisions.length, section, stream, entries, section.trailer, section.end));
  }
  return revisions;
}

/** What a section's entries leave the next sections of the document (see MAX_ENTRIES: a bound on them all). */
function spendEntries(ctx: XrefReadContext, section: XrefSection): void {
  ctx.entriesLeft = Math.max(0, (ctx.entriesLeft ?? MAX_ENTRIES) - section.entries.size);
}

/**
 * Entries of a table with its /XRefStm: the table's in-use entries win, the stream fills in the rest. A section is
 * read once and belongs to one revision, so a table alone is taken as it is, not copied (it may list millions).
 */
function mergeHybrid(section: XrefSection, stream: XrefSection | null): XrefEntries {
  if (stream === null) return section.entries;
  const merged = stream.entries.clone();
  for (const [num, e] of section.entries) {
    if (e.type !== 'free' || !merged.has(num)) merged.set(num, e);
  }
  return merged;
}

/** Newer keys override older ones. */
function mergeTrailers(older: PdfDict, newer: PdfDict): PdfDict {
  const map = new Map(older.map);
  for (const [k, v] of newer.map) map.set(k, v);
  return new PdfDict(map);
}

function makeRevision(
  ctx: XrefReadContext,
  index: number,
  section: XrefSection,
  stream: XrefSection | null,
  entries: XrefEntries,
  trailer: PdfDict,
  searchEofFrom: number,
): LoadedRevision {
  const { eofOffset, end } = findEof(ctx, searchEofFrom);
  const { inUse: objects, freed } = entries.numbers();
  sortNumbers(objects);
  sortNumbers(freed);
  const root = trailer.get('Root');
  const rootObject = root instanceof PdfRef ? root.num : null;
  return {
    info: {
      index,
      xrefOffset: section.offset,
      xrefKind: stream !== null ? 'hybrid' : section.kind,
      eofOffset,
      end,
      objects,
      freed,
      rootObject,
      xrefDamage: sectionDamage(section, stream),
      unlisted: [],
      conflicting: [],
    },
    entries,
    trailer,
    sectionSpans: spans(section, stream),
  };
}

/** Sorts ascending in place; a list already in order (a large section's always is, nearly) is only checked. */
export function sortNumbers(list: number[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i - 1]! > list[i]!) {
      list.sort((a, b) => a - b);
      return;
    }
  }
}

function sectionDamage(section: XrefSection, stream: XrefSection | null): string[] {
  return [...section.damage, ...(stream?.damage.map((d) => `/XRefStm: ${d}`) ?? [])];
}

function spans(section: XrefSection, stream: XrefSection | null): { start: number; end: number }[] {
  const out = [{ start: section.offset, end: section.end }];
  if (stream !== null) out.push({ start: stream.offset, end: stream.end });
  return out;
}

/** The first `%%EOF` at or after `from`, and the offset just past it and its end-of-line. */
export function findEof(ctx: XrefReadContext, from: number): { eofOffset: number; end: number } {
  const eofOffset = ctx.win.indexOf(EOF_MARK, from, ctx.win.size, ctx.budget);
  if (eofOffset < 0) {
    ctx.warnings.push({ code: 'EOF_MISSING', detail: `no %%EOF after offset ${from}` });
    return { eofOffset: ctx.win.size, end: ctx.win.size };
  }
  return { eofOffset, end: pastEol(ctx, eofOffset + EOF_MARK.length) };
}

export function pastEol(ctx: XrefReadContext, pos: number): number {
  const b = ctx.win.byte(pos);
  if (b === 0x0d) return ctx.win.byte(pos + 1) === 0x0a ? pos + 2 : pos + 1;
  if (b === 0x0a) return pos + 1;
  return pos;
}
