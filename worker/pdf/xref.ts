import type { Budget } from '../errors';
import { decodeStreamData } from './filters';
import { Lexer } from './lexer';
import { PdfDict, PdfName, PdfStream, type PdfValue } from './objects';
import type { ObjectParser } from './parser';
import type { SourceWindow } from './window';
import type { StructureWarning } from './types';
import { XrefEntries } from './xref-entries';
import { readPlainRow, type PlainRow } from './xref-rows';

export { XrefEntries, type XrefEntry } from './xref-entries';

/** One cross-reference section as found in the file. */
export interface XrefSection {
  /** Where the section really starts (may differ from the offset that pointed at it). */
  offset: number;
  kind: 'table' | 'stream';
  entries: XrefEntries;
  trailer: PdfDict;
  /** Just past the trailer dictionary (tables) or `endobj` (streams): where its revision's `%%EOF` is looked for. */
  end: number;
  /**
   * How the section contradicts itself: a subsection that declares more or fewer rows than it has, a header with
   * no rows, an xref stream whose /Index asks for rows its data lacks. The entries are still read as they come
   * (writers miscount), but a miscounted section can hide objects its update holds, so the policy hears of it.
   */
  damage: string[];
}

export interface XrefReadContext {
  win: SourceWindow;
  parser: ObjectParser;
  budget: Budget;
  maxStreamBytes: number;
  /** Counts an xref stream's decoded bytes against the document's limit on decoded bytes (throws past it). */
  chargeDecoded?: (bytes: number) => void;
  /** Entries the sections still to be read may hold, all together (see MAX_ENTRIES); lowered as each is read. */
  entriesLeft?: number;
  warnings: StructureWarning[];
}

const XREF = Buffer.from('xref');
/** How far from a wrong offset a section or object is still looked for. */
export const NEARBY = 1024;
/** A section that contradicts itself a thousand ways is reported by its first few. */
const MAX_DAMAGE_NOTES = 8;

/** Reads the section at `offset`, looking nearby when the offset is slightly off; null when none is there. */
export function readXrefSection(ctx: XrefReadContext, offset: number, extraCandidates: number[] = []): XrefSection | null {
  const direct = tryReadSection(ctx, offset);
  if (direct !== null) return direct;
  for (const c of extraCandidates) {
    const s = tryReadSection(ctx, c);
    if (s !== null) {
      ctx.warnings.push({ code: 'XREF_OFFSET_WRONG', detail: `xref section expected at ${offset}, found at ${s.offset}` });
      return s;
    }
  }
  for (const candidate of nearbyCandidates(ctx.win, offset)) {
    const s = tryReadSection(ctx, candidate);
    if (s !== null) {
      ctx.warnings.push({ code: 'XREF_OFFSET_WRONG', detail: `xref section expected at ${offset}, found at ${s.offset}` });
      return s;
    }
  }
  return null;
}

/** Positions of `xref` keywords and object headers near `offset`, closest first. */
function nearbyCandidates(win: SourceWindow, offset: number): number[] {
  const from = Math.max(0, offset - NEARBY);
  const chunk = win.slice(from, offset + NEARBY);
  const text = chunk.toString('latin1');
  const found: number[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z])xref(?![A-Za-z])|(?<![0-9])\d+\s+\d+\s+obj/g)) {
    if (m.index !== undefined) found.push(from + m.index);
  }
  return found.sort((a, b) => Math.abs(a - offset) - Math.abs(b - offset));
}

function tryReadSection(ctx: XrefReadContext, offset: number): XrefSection | null {
  if (offset < 0 || offset >= ctx.win.size) return null;
  let p = offset;
  while (p < ctx.win.size && [0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00].includes(ctx.win.byte(p))) p++;
  try {
    if (ctx.win.slice(p, p + 4).equals(XREF)) return readTable(ctx, p);
    return readStreamSection(ctx, p);
  } catch (e) {
    if (e instanceof Error && e.name === 'DocumentError') throw e;
    return null;
  }
}

function readTable(ctx: XrefReadContext, start: number): XrefSection | null {
  const lexer = new Lexer(ctx.win, start + 4, false, ctx.budget);
  const entries = new XrefEntries(undefined, ctx.entriesLeft);
  const damage: string[] = [];
  let current = 0;
  // The subsection being read: its header as written and the rows seen so far.
  let sub: { first: number; declared: number; rows: number } | null = null;
  const closeSubsection = (): void => {
    if (sub !== null && sub.rows !== sub.declared && damage.length < MAX_DAMAGE_NOTES) {
      damage.push(`subsection "${sub.first} ${sub.declared}" has ${sub.rows} row${sub.rows === 1 ? '' : 's'}`);
    }
  };
  const takeRow = (first: number, second: number, free: boolean): void => {
    // Counts in subsection headers are often wrong: entries are taken as they come, up to the next header.
    if (!entries.has(current) && current > 0) {
      if (free) entries.setFree(current, second);
      else if (first > 0) entries.setOffset(current, first, second);
    }
    current++;
    if (sub !== null) sub.rows++;
    else if (damage.length < MAX_DAMAGE_NOTES) damage.push('rows before any subsection header');
  };
  const row: PlainRow = { first: 0, second: 0, free: false, end: 0 };
  for (;;) {
    ctx.budget.check();
    if (readPlainRow(ctx.win, lexer.pos, row)) {
      lexer.pos = row.end;
      takeRow(row.first, row.second, row.free);
      continue;
    }
    const t1 = lexer.next();
    if (t1.kind === 'keyword' && t1.value === 'trailer') break;
    if (t1.kind !== 'number') return null;
    const t2 = lexer.next();
    if (t2.kind !== 'number') return null;
    const t3 = lexer.next();
    if (t3.kind === 'keyword' && (t3.value === 'n' || t3.value === 'f')) {
      takeRow(t1.value, t2.value, t3.value === 'f');
    } else if (t3.kind === 'number' || (t3.kind === 'keyword' && t3.value === 'trailer')) {
      closeSubsection();
      current = t1.value;
      sub = { first: t1.value, declared: t2.value, rows: 0 };
      lexer.pos = t3.start;
      // A known writer bug: "1 n" headers over a table that really starts with object 0's free entry.
      if (current === 1 && entries.size === 0 && t3.kind === 'number' && t3.value === 0) {
        const save = lexer.pos;
        lexer.next();
        const g = lexer.next();
        const f = lexer.next();
        if (g.kind === 'number' && g.value === 65535 && f.kind === 'keyword' && f.value === 'f') current = 0;
        lexer.pos = save;
      }
    } else {
      return null;
    }
  }
  closeSubsection();
  const { value, end } = ctx.parser.parseValueAt(lexer.pos);
  if (!(value instanceof PdfDict)) return null;
  return { offset: start, kind: 'table', entries, trailer: value, end, damage };
}

function readStreamSection(ctx: XrefReadContext, start: number): XrefSection | null {
  const obj = ctx.parser.parseIndirectAt(start);
  if (obj === null || !(obj.value instanceof PdfStream)) return null;
  const stream = obj.value;
  const dict = stream.dict;
  const type = dict.get('Type');
  if (!(type instanceof PdfName && type.name === 'XRef') && !dict.has('W')) return null;
  const raw = ctx.win.slice(stream.dataOffset, stream.dataOffset + stream.dataLength);
  // Xref streams are never encrypted and must not use indirect filter parameters.
  ctx.chargeDecoded?.(0);
  const data = decodeStreamData(raw, dict.get('Filter'), dict.get('DecodeParms'), ctx.maxStreamBytes, (v) => v);
  ctx.chargeDecoded?.(data.length);
  const damage: string[] = [];
  const entries = parseXrefStreamData(data, dict, ctx.budget, damage, ctx.entriesLeft);
  if (entries === null) return null;
  return { offset: obj.start, kind: 'stream', entries, trailer: dict, end: obj.end, damage };
}

function parseXrefStreamData(data: Buffer, dict: PdfDict, budget: Budget, damage: string[], entriesLeft?: number): XrefEntries | null {
  const w = dict.get('W');
  if (!Array.isArray(w) || w.length < 3) return null;
  const widths = w.slice(0, 3).map((x) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8 ? x : -1));
  if (widths.some((x) => x < 0)) return null;
  const rowLength = widths[0] + widths[1] + widths[2];
  if (rowLength === 0) return null;
  const size = dict.get('Size');
  const index = dict.get('Index');
  const ranges: number[] = [];
  if (Array.isArray(index) && index.length >= 2) {
    for (let i = 0; i + 1 < index.length; i += 2) {
      const a = index[i];
      const b = index[i + 1];
      if (typeof a === 'number' && typeof b === 'number') ranges.push(a, b);
    }
  } else if (typeof size === 'number') {
    ranges.push(0, size);
  } else {
    return null;
  }
  const entries = new XrefEntries(undefined, entriesLeft);
  let pos = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const first = ranges[r];
    const count = ranges[r + 1];
    const rowsLeft = Math.floor((data.length - pos) / rowLength);
    if (count > rowsLeft && damage.length < MAX_DAMAGE_NOTES) damage.push(`/Index range "${first} ${count}" has ${Math.max(0, rowsLeft)} rows of data`);
    for (let i = 0; i < count && pos + rowLength <= data.length; i++) {
      budget.check();
      const type = widths[0] === 0 ? 1 : readField(data, pos, widths[0]);
      const f2 = readField(data, pos + widths[0], widths[1]);
      const f3 = readField(data, pos + widths[0] + widths[1], widths[2]);
      pos += rowLength;
      const num = first + i;
      if (num <= 0 || entries.has(num)) continue;
      if (type === 0) entries.set(num, { type: 'free', gen: f3 });
      else if (type === 1) {
        if (f2 > 0) entries.set(num, { type: 'offset', offset: f2, gen: widths[2] === 0 ? 0 : f3 });
      } else if (type === 2) entries.set(num, { type: 'compressed', streamNum: f2, index: f3 });
    }
  }
  if (pos + rowLength <= data.length && damage.length < MAX_DAMAGE_NOTES) damage.push(`${Math.floor((data.length - pos) / rowLength)} rows of data beyond its /Index`);
  return entries;
}

function readField(data: Buffer, pos: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + data[pos + i];
  return v;
}

/** Reads a trailer's /Prev or /XRefStm as an offset; null when absent or not a non-negative integer. */
export function offsetEntry(trailer: PdfDict, key: string): number | null {
  const v: PdfValue | undefined = trailer.get(key);
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}
