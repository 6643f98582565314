import type { Budget } from '../errors';
import type { SourceWindow } from './window';
import type { XrefEntry } from './xref';

/**
 * What an incremental update's bytes define that its own xref section does not say. A conforming reader sees an
 * update through its xref; a repairing reader (poppler, qpdf, most viewers once anything looks wrong) scans the
 * bytes and takes the last definition of each object. An attacker who appends a page behind a miscounted or
 * silent xref section therefore shows one document to a verifier that trusts the xref and another to the reader.
 * Every object the update holds must count, so the update is scanned for `N G obj` headers the way a repairing
 * reader scans, object streams included, and each definition is compared with what the xref lists.
 */

export interface UpdateScanInput {
  win: SourceWindow;
  /** The update's bytes: from just past the previous revision's %%EOF to just past its own. */
  start: number;
  end: number;
  /** What the update's xref section lists. */
  entries: { get(num: number): XrefEntry | undefined };
  /** The update's own xref sections (table and trailer text, xref stream object): not object definitions. */
  sectionSpans: readonly { start: number; end: number }[];
  /** Parses an indirect object whose header is at `offset`; null when there is none to parse. */
  parseAt(offset: number): { num: number; gen: number; end: number; isObjectStream: boolean } | null;
  /** Where the object the xref lists under `num` really starts (xref offsets may be slightly off); null if absent. */
  locateListed(num: number): number | null;
  /** Member numbers of the object stream defined at `offset`, in order; null when it cannot be read. */
  objectStreamMembers(offset: number): number[] | null;
  budget: Budget;
}

export interface UpdateScan {
  /** Direct objects the xref does not list at all. */
  unlisted: { num: number; gen: number; offset: number }[];
  /** Object-stream members the xref does not list. */
  unlistedCompressed: { num: number; streamNum: number; index: number }[];
  /** Numbers the xref lists (or frees) that the update also defines elsewhere, later than the listed definition. */
  conflicting: number[];
}

const OBJ = Buffer.from('obj');
const OBJSTM = Buffer.from('/ObjStm');
/** An update with more headers than this is not scanned further: the rest is reported as damage by the caller. */
const MAX_HEADERS = 200_000;

const isWhite = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
/** PDF delimiters and whitespace: what may end a keyword. */
const endsToken = (b: number | undefined): boolean =>
  b === undefined || isWhite(b) || b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d || b === 0x2f || b === 0x25;

/** An xref offset that points at the whitespace just before a header still names that header (writers do this). */
function sameStart(win: SourceWindow, listed: number, header: number): boolean {
  if (listed === header) return true;
  if (listed > header || header - listed > 16) return false;
  for (let p = listed; p < header; p++) if (!isWhite(win.byte(p))) return false;
  return true;
}

interface Header {
  num: number;
  gen: number;
  offset: number;
}

/** Bytes kept before each chunk, so a header cut by the chunk boundary is still read whole. */
const LOOKBEHIND = 48;
const CHUNK = 1024 * 1024;

/**
 * Calls `visit` with each offset of `needle` in [start, end) and the chunk holding it (read once per chunk, never
 * once per hit: an update of a few hundred kilobytes costs one read).
 */
function eachHit(input: UpdateScanInput, needle: Buffer, visit: (at: number, chunk: Buffer, chunkStart: number) => boolean): void {
  for (let pos = input.start; pos < input.end; pos += CHUNK) {
    input.budget.check();
    const chunkStart = Math.max(input.start, pos - LOOKBEHIND);
    const chunk = input.win.slice(chunkStart, Math.min(input.end, pos + CHUNK + needle.length - 1));
    for (let i = chunk.indexOf(needle, pos - chunkStart); i >= 0 && chunkStart + i < Math.min(input.end, pos + CHUNK); i = chunk.indexOf(needle, i + 1)) {
      if (!visit(chunkStart + i, chunk, chunkStart)) return;
    }
  }
}

/** `N G obj` headers in [start, end), in file order. */
function findHeaders(input: UpdateScanInput): Header[] {
  const out: Header[] = [];
  eachHit(input, OBJ, (at, chunk, chunkStart) => {
    const after = at + OBJ.length - chunkStart;
    if (!endsToken(after < chunk.length ? chunk[after] : undefined)) return true;
    const h = headerEndingAt(chunk, at - chunkStart, chunkStart, input.start);
    if (h !== null) out.push(h);
    return out.length < MAX_HEADERS;
  });
  return out;
}

/** Reads `N G ` backwards from the `obj` keyword at chunk index `at`; null when the keyword is not an object header. */
function headerEndingAt(chunk: Buffer, at: number, chunkStart: number, floor: number): Header | null {
  const from = Math.max(0, at - 40);
  const b = chunk.subarray(from, at);
  let i = b.length - 1;
  if (i < 0 || !isWhite(b[i]!)) return null;
  while (i >= 0 && isWhite(b[i]!)) i--;
  const genEnd = i + 1;
  while (i >= 0 && isDigit(b[i]!)) i--;
  if (genEnd - (i + 1) < 1 || genEnd - (i + 1) > 5) return null;
  const gen = Number(b.subarray(i + 1, genEnd).toString('latin1'));
  if (i < 0 || !isWhite(b[i]!)) return null;
  while (i >= 0 && isWhite(b[i]!)) i--;
  const numEnd = i + 1;
  while (i >= 0 && isDigit(b[i]!)) i--;
  const numLen = numEnd - (i + 1);
  if (numLen < 1 || numLen > 10) return null;
  // The number must start a token: a digit run cut by the look-back is not a header we can read.
  if (i < 0 && chunkStart + from > floor) return null;
  if (i >= 0 && !endsToken(b[i])) return null;
  const num = Number(b.subarray(i + 1, numEnd).toString('latin1'));
  return { num, gen, offset: chunkStart + from + i + 1 };
}

export function scanUpdate(input: UpdateScanInput): UpdateScan {
  const result: UpdateScan = { unlisted: [], unlistedCompressed: [], conflicting: [] };
  const headers = findHeaders(input);
  const inSection = (offset: number): boolean => input.sectionSpans.some((s) => offset >= s.start && offset < s.end);
  // The definition that starts last before the header being looked at, and where it ends once that was needed.
  let previous: { offset: number; end: number | null } | null = null;
  // Headers that begin a definition (not text inside another object's data).
  const accepted: Header[] = [];
  const insidePrevious = (offset: number): boolean => {
    if (previous === null) return false;
    if (previous.end === null) previous.end = input.parseAt(previous.offset)?.end ?? previous.offset;
    return offset < previous.end;
  };

  for (const h of headers) {
    input.budget.check();
    if (inSection(h.offset)) continue;
    const listed = input.entries.get(h.num);
    if (listed?.type === 'offset' && sameStart(input.win, listed.offset, h.offset)) {
      // Listed where it is: nothing to decide, and its end is only read if a later header needs it.
      previous = { offset: h.offset, end: null };
      accepted.push(h);
      continue;
    }
    if (insidePrevious(h.offset)) continue; // `N G obj` inside an earlier object's stream data or string
    const parsed = input.parseAt(h.offset);
    if (parsed === null || parsed.num !== h.num) continue; // not an object a reader could take either
    previous = { offset: h.offset, end: parsed.end };
    accepted.push(h);
    if (listed === undefined) {
      result.unlisted.push(h);
      continue;
    }
    if (listed.type === 'offset') {
      const real = input.locateListed(h.num);
      if (real !== null && sameStart(input.win, real, h.offset)) continue; // the xref offset was only a little off: this is the listed object
      // An earlier draft the listed definition supersedes is what a repairing reader discards too.
      if (real !== null && real > h.offset && real < input.end) continue;
    }
    if (!result.conflicting.includes(h.num)) result.conflicting.push(h.num);
  }

  for (const s of objectStreamsIn(input, accepted)) {
    const members = input.objectStreamMembers(s.offset);
    if (members === null) continue;
    members.forEach((num, index) => {
      const listed = input.entries.get(num);
      if (listed === undefined) result.unlistedCompressed.push({ num, streamNum: s.num, index });
      else if (!(listed.type === 'compressed' && listed.streamNum === s.num) && !result.conflicting.includes(num)) result.conflicting.push(num);
    });
  }
  return result;
}

/** Offsets of `/ObjStm` in the update: an object stream can only be recognised by its /Type. */
function objectStreamHits(input: UpdateScanInput): number[] {
  const out: number[] = [];
  eachHit(input, OBJSTM, (at) => {
    out.push(at);
    return out.length < 10_000;
  });
  return out;
}

/**
 * The update's object streams, listed or not: each `/ObjStm` belongs to the object whose header precedes it. Their
 * members are checked against the xref like direct objects.
 */
function objectStreamsIn(input: UpdateScanInput, headers: Header[]): { num: number; offset: number }[] {
  const out: { num: number; offset: number }[] = [];
  for (const hit of objectStreamHits(input)) {
    let lo = 0;
    let hi = headers.length - 1;
    let owner = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (headers[mid]!.offset < hit) {
        owner = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (owner < 0) continue;
    const h = headers[owner]!;
    if (out.some((x) => x.offset === h.offset)) continue;
    if (input.parseAt(h.offset)?.isObjectStream) out.push({ num: h.num, offset: h.offset });
  }
  return out;
}
