import { Budget, DocumentError, endsDocument } from '../errors';
import type { ByteSource } from '../source';
import { loadXrefChain, sortNumbers, type LoadedRevision } from './chain';
import { decodeStreamData } from './filters';
import { BufferBytes, Lexer, PdfSyntaxError } from './lexer';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects';
import { ObjectParser, readObjectHeader } from './parser';
import { repairXref } from './repair';
import { openSecurityHandler, type Decryptor } from './security';
import { DEFAULT_LIMITS, type EncryptionInfo, type PdfLimits, type RevisionInfo, type StructureWarning } from './types';
import { SourceWindow } from './window';
import { scanUpdate } from './unlisted';
import { NEARBY, type XrefEntry, type XrefReadContext } from './xref';

export type ObjectLocation =
  | { kind: 'offset'; offset: number; gen: number }
  | { kind: 'compressed'; streamNum: number; index: number };

export interface ResolvedObject {
  value: PdfValue;
  location: ObjectLocation;
  /** Revision whose xref section wrote the entry used. */
  revision: number;
}

export interface PageEntry {
  ref: PdfRef | null;
  dict: PdfDict;
}

export interface OpenOptions {
  /** Limits other than the defaults; those not given keep their default. */
  limits?: Partial<PdfLimits>;
  budget?: Budget;
}

interface ObjectStreamIndex {
  data: Buffer;
  first: number;
  members: { num: number; offset: number }[];
}

const MAX_REF_HOPS = 32;
/** Up to this many revisions a lookup walks them; beyond, the revisions listing each number are memoised. */
const MANY_REVISIONS = 32;
/** Memoised listings kept at most (then dropped and rebuilt as needed), so the memo cannot outgrow the document. */
const MAX_LISTINGS = 100_000;
/** Parsed objects kept for reuse; past this the cache starts again empty (objects are read again if needed). */
const MAX_CACHED_OBJECTS = 1 << 18;
/** Objects parsed while parsing another (indirect stream lengths, object streams). */
const MAX_NESTED_PARSES = 16;

/**
 * A PDF opened for reading by revision. Every lookup takes a revision: an object as of revision k is found
 * through sections 0..k only, so nothing written later can change what an earlier revision (a signed one) says.
 */
export class PdfDocument {
  readonly size: number;
  readonly limits: PdfLimits;
  readonly budget: Budget;
  readonly warnings: StructureWarning[] = [];
  readonly headerOffset: number;
  readonly headerVersion: string | null;
  readonly linearized: boolean;
  readonly revisions: RevisionInfo[];
  readonly xrefRepaired: boolean;
  readonly encryption: EncryptionInfo | null;

  private readonly win: SourceWindow;
  private readonly loaded: LoadedRevision[];
  private readonly parsedAtOffset = new Map<number, { num: number; gen: number; value: PdfValue } | null>();
  private readonly objectStreams = new Map<number, ObjectStreamIndex | null>();
  private readonly parsing = new Set<number>();
  private decryptor: Decryptor | null = null;
  /** Revisions whose updates were already scanned for unlisted objects. */
  private readonly revealed = new Set<number>();
  /** For a document of many revisions: which revisions list each object number looked up so far. */
  private readonly revisionsListing = new Map<number, number[]>();
  /** Per trailer key: for each revision, the newest revision up to it whose trailer has the key (-1: none). */
  private readonly trailerKeyRevisions = new Map<string, Int32Array>();
  private encryptObjectNum: number | null = null;
  /** Bytes decoded from streams so far (see chargeDecoded). */
  private decodedBytes = 0;

  constructor(readonly source: ByteSource, opts: OpenOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.budget = opts.budget ?? Budget.unlimited();
    this.size = source.size;
    if (this.size === 0) throw new DocumentError('EMPTY_FILE', 'the file is empty');
    this.win = new SourceWindow(source);
    const head = this.win.slice(0, 1024);
    this.headerOffset = head.indexOf('%PDF-');
    if (this.headerOffset < 0) throw new DocumentError('NOT_PDF', 'no %PDF- header in the first 1024 bytes');
    if (this.headerOffset > 0) this.warnings.push({ code: 'HEADER_OFFSET', detail: `${this.headerOffset} bytes before %PDF-` });
    const version = /^%PDF-(\d+\.\d+)/.exec(head.subarray(this.headerOffset, this.headerOffset + 16).toString('latin1'));
    this.headerVersion = version ? version[1] : null;

    const linearizedAt = this.findLinearizationDict();
    this.linearized = linearizedAt !== null;
    const ctx = this.xrefContext();
    let loaded: LoadedRevision[] | null = null;
    try {
      loaded = loadXrefChain(ctx, linearizedAt, this.headerOffset);
    } catch (e) {
      // A bomb or an absurdly nested xref stream: the scan may still find the objects.
      if (!(e instanceof DocumentError && (e.code === 'TOO_LARGE' || e.code === 'TOO_DEEP'))) throw e;
      loaded = null;
    }
    this.loaded = loaded ?? [];
    this.revisions = this.loaded.map((r) => r.info);
    let repaired = false;
    if (loaded !== null && loaded.length > 1 && this.catalogOrNull(this.loaded.length - 1) === null && this.catalogBefore(this.loaded.length - 1)) {
      // The chain reads, and an earlier revision has its catalog: a later update lost it (freed it, pointed /Root
      // at nothing). Rebuilding by scanning would drop that update's free entries and show the signed document as
      // if nothing had happened; kept as read, the change analysis sees the catalog freed or unreadable.
      this.warnings.push({ code: 'CATALOG_LOST', detail: `revision ${this.loaded.length - 1} has no readable catalog through its xref` });
    } else if (loaded === null || loaded.length === 0 || this.catalogOrNull(this.loaded.length - 1) === null) {
      this.warnings.push({
        code: 'XREF_REPAIRED',
        detail: loaded === null ? 'the xref chain could not be followed; objects found by scanning' : 'no catalog through the xref; objects found by scanning',
      });
      const result = repairXref(ctx, this.limits.maxObjects);
      this.loaded = result.revisions;
      this.revisions = this.loaded.map((r) => r.info);
      this.resetCaches();
      this.indexRepairedObjectStreams();
      repaired = true;
      if (this.loaded.length === 0 || this.catalogOrNull(this.loaded.length - 1) === null) {
        const hasEnd = this.win.lastIndexOf(Buffer.from('startxref'), this.size, 0, this.budget) >= 0 ||
          this.win.lastIndexOf(Buffer.from('%%EOF'), this.size, 0, this.budget) >= 0;
        if (!hasEnd) throw new DocumentError('TRUNCATED', result.anyObjects ? 'no xref, trailer or catalog: the file is cut short' : 'no objects, xref or %%EOF: the file is cut short');
        throw new DocumentError('MALFORMED_PDF', 'no trailer or document catalog could be recovered');
      }
    }
    // A file with no %%EOF at all was cut short (a complete PDF always ends with one): whatever the scan recovered,
    // it is not the document that was signed.
    if (repaired && this.win.lastIndexOf(Buffer.from('%%EOF'), this.size, 0, this.budget) < 0) {
      throw new DocumentError('TRUNCATED', 'no %%EOF anywhere: the file is cut short');
    }
    this.xrefRepaired = repaired;
    this.encryption = this.setUpEncryption();
    this.resetCaches();
  }

  /**
   * Reads the incremental updates from `fromRev` on as a repairing reader would: objects an update's bytes define
   * but its xref section does not list become part of its revision (and are named in `unlisted`), definitions that
   * contradict the xref are named in `conflicting`. After this, nothing those updates hold is invisible to the change
   * analysis. The caller asks for the updates that follow a signature only: what comes before the first signature
   * is the signed document itself, and scanning it would cost every document a second read of its bytes.
   */
  revealUnlistedObjects(fromRev: number): void {
    if (this.xrefRepaired) return; // the repair scan already took every object it found
    for (let r = Math.max(1, fromRev); r < this.loaded.length; r++) {
      if (this.revealed.has(r)) continue;
      this.revealed.add(r);
      const rev = this.loaded[r];
      const start = this.loaded[r - 1].info.end;
      const end = rev.info.end;
      if (end <= start) {
        rev.info.xrefDamage.push('the xref section is not after the previous revision in the file (/Prev chain out of file order)');
        continue;
      }
      const scan = scanUpdate({
        win: this.win,
        start,
        end,
        entries: rev.entries,
        sectionSpans: rev.sectionSpans,
        parseAt: (offset) => this.definitionAt(offset, r),
        locateListed: (num) => {
          const found = this.getObject(num, r);
          return found?.location.kind === 'offset' && found.revision === r ? found.location.offset : null;
        },
        objectStreamMembers: (offset) => this.objectStreamMembersAt(offset, r),
        budget: this.budget,
      });
      for (const u of scan.unlisted) rev.entries.set(u.num, { type: 'offset', offset: u.offset, gen: u.gen });
      for (const c of scan.unlistedCompressed) {
        if (!rev.entries.has(c.num)) rev.entries.set(c.num, { type: 'compressed', streamNum: c.streamNum, index: c.index });
      }
      const unlisted = [...new Set([...scan.unlisted.map((u) => u.num), ...scan.unlistedCompressed.map((c) => c.num)])].sort((a, b) => a - b);
      if (unlisted.length > 0) {
        rev.info.unlisted = unlisted;
        const objects = rev.entries.numbers().inUse;
        sortNumbers(objects);
        rev.info.objects = objects;
        this.resetCaches();
      }
      rev.info.conflicting = scan.conflicting.sort((a, b) => a - b);
    }
  }

  /** An indirect object parsed afresh at `offset` (for the update scan): its number, where it ends, its kind. */
  private definitionAt(offset: number, rev: number): { num: number; gen: number; end: number; isObjectStream: boolean } | null {
    try {
      const obj = this.parser(rev).parseIndirectAt(offset);
      if (obj === null) return null;
      const type = obj.value instanceof PdfStream ? obj.value.dict.get('Type') : null;
      return { num: obj.num, gen: obj.gen, end: obj.end, isObjectStream: type instanceof PdfName && type.name === 'ObjStm' };
    } catch (e) {
      if (e instanceof PdfSyntaxError) return null;
      if (e instanceof DocumentError && !endsDocument(e)) return null;
      throw e;
    }
  }

  private objectStreamMembersAt(offset: number, rev: number): number[] | null {
    try {
      return this.objectStreamAt(offset, rev)?.members.map((m) => m.num) ?? null;
    } catch (e) {
      if (endsDocument(e)) throw e;
      if (e instanceof DocumentError || e instanceof PdfSyntaxError) return null;
      // A stream whose filters fail to decode is unreadable to every reader alike.
      return null;
    }
  }

  get latest(): number {
    return this.loaded.length - 1;
  }

  private xrefContext(): XrefReadContext {
    return {
      win: this.win,
      parser: new ObjectParser(this.win, { maxDepth: this.limits.maxDepth, budget: this.budget, fromFile: true }),
      budget: this.budget,
      maxStreamBytes: this.limits.maxStreamBytes,
      chargeDecoded: (bytes) => this.chargeDecoded(bytes),
      warnings: this.warnings,
    };
  }

  private resetCaches(): void {
    this.parsedAtOffset.clear();
    this.objectStreams.clear();
    this.revisionsListing.clear();
    this.trailerKeyRevisions.clear();
  }

  /** Offset of the first object when it is a linearization dictionary. */
  private findLinearizationDict(): number | null {
    const head = this.win.slice(this.headerOffset, this.headerOffset + 1024).toString('latin1');
    const m = /(?<![0-9])\d+\s+\d+\s+obj/.exec(head);
    if (!m) return null;
    const at = this.headerOffset + m.index;
    try {
      const obj = this.parser(this.latestOrZero()).parseIndirectAt(at);
      const v = obj?.value;
      if (v instanceof PdfDict && v.has('Linearized')) return at;
    } catch (e) {
      if (endsDocument(e)) throw e;
    }
    return null;
  }

  private latestOrZero(): number {
    return this.loaded === undefined ? 0 : Math.max(0, this.loaded.length - 1);
  }

  private parser(rev: number): ObjectParser {
    return new ObjectParser(this.win, {
      maxDepth: this.limits.maxDepth,
      budget: this.budget,
      fromFile: true,
      lengthOf: (ref) => {
        if (this.loaded === undefined || this.loaded.length === 0) return null;
        const v = this.resolve(ref, rev);
        return typeof v === 'number' ? v : null;
      },
    });
  }

  private setUpEncryption(): EncryptionInfo | null {
    let encryptValue: PdfValue | undefined;
    let idValue: PdfValue | undefined;
    for (let r = this.latest; r >= 0; r--) {
      const t = this.loaded[r].trailer;
      if (encryptValue === undefined && t.has('Encrypt')) encryptValue = t.get('Encrypt');
      if (idValue === undefined && t.has('ID')) idValue = t.get('ID');
    }
    if (encryptValue === undefined || encryptValue === null) return null;
    if (encryptValue instanceof PdfRef) this.encryptObjectNum = encryptValue.num;
    const dict = this.resolve(encryptValue);
    if (!(dict instanceof PdfDict)) {
      this.warnings.push({ code: 'ENCRYPT_UNREADABLE', detail: 'the /Encrypt dictionary could not be read' });
      return { filter: null, subFilter: null, v: null, r: null, decrypted: false };
    }
    const ids = this.resolve(idValue);
    const id0 = Array.isArray(ids) ? this.resolve(ids[0]) : null;
    const handler = openSecurityHandler(dict, id0 instanceof PdfString ? id0.bytes : null, (v) => this.resolve(v));
    if (handler.info.decrypted) this.decryptor = handler;
    else this.warnings.push({ code: 'ENCRYPTED', detail: 'encrypted with a handler or password that cannot be opened' });
    return handler.info;
  }

  /** After a repair scan, members of object streams become compressed entries of the revision holding the stream. */
  private indexRepairedObjectStreams(): void {
    for (let r = 0; r < this.loaded.length; r++) {
      const rev = this.loaded[r];
      for (const streamNum of rev.objectStreams ?? []) {
        const entry = rev.entries.get(streamNum);
        if (entry === undefined || entry.type !== 'offset') continue;
        let index: ObjectStreamIndex | null = null;
        try {
          index = this.objectStreamAt(entry.offset, r);
        } catch (e) {
          if (endsDocument(e) || (e instanceof DocumentError && e.code === 'TOO_DEEP')) throw e;
        }
        if (index === null) continue;
        index.members.forEach((m, i) => {
          if (!rev.entries.has(m.num)) rev.entries.set(m.num, { type: 'compressed', streamNum, index: i });
        });
        const objects = [...rev.entries.keys()];
        sortNumbers(objects);
        rev.info.objects = objects;
      }
    }
  }

  trailer(rev: number = this.latest): PdfDict {
    return this.loaded[this.clampRev(rev)].trailer;
  }

  /** The document catalog as of `rev`: /Root of the newest trailer up to `rev` that names one. */
  catalog(rev: number = this.latest): PdfDict | null {
    return this.catalogOrNull(this.clampRev(rev));
  }

  /** Whether some revision before `rev` has a readable catalog through the xref chain. */
  private catalogBefore(rev: number): boolean {
    for (let r = rev - 1; r >= 0; r--) if (this.catalogOrNull(r) !== null) return true;
    return false;
  }

  private catalogOrNull(rev: number): PdfDict | null {
    const root = this.trailerEntry('Root', rev);
    if (root === undefined) return null;
    const v = this.resolve(root, rev);
    return v instanceof PdfDict ? v : null;
  }

  /**
   * Trailer entry `key` in force as of `rev`: from the newest trailer up to `rev` that has the key. Which trailer
   * that is, is worked out once per key for every revision (a file of thousands of updates whose trailers omit
   * /Info would otherwise walk them all on every lookup).
   */
  trailerEntry(key: string, rev: number = this.latest): PdfValue | undefined {
    let from = this.trailerKeyRevisions.get(key);
    if (from === undefined || from.length !== this.loaded.length) {
      from = new Int32Array(this.loaded.length);
      let last = -1;
      for (let r = 0; r < this.loaded.length; r++) {
        if (this.loaded[r].trailer.get(key) !== undefined) last = r;
        from[r] = last;
      }
      this.trailerKeyRevisions.set(key, from);
    }
    const r = from[Math.min(rev, this.loaded.length - 1)] ?? -1;
    return r < 0 ? undefined : this.loaded[r].trailer.get(key);
  }

  private clampRev(rev: number): number {
    if (!Number.isInteger(rev) || rev < 0 || rev > this.latest) throw new RangeError(`no revision ${rev}`);
    return rev;
  }

  /** The xref entry for `num` as of `rev`, and the revision that wrote it. */
  entryAsOf(num: number, rev: number = this.latest): { entry: XrefEntry; revision: number } | null {
    const top = Math.min(rev, this.latest);
    if (this.loaded.length <= MANY_REVISIONS) {
      for (let r = top; r >= 0; r--) {
        const e = this.loaded[r].entries.get(num);
        if (e !== undefined) return { entry: e, revision: r };
      }
      return null;
    }
    // Thousands of (empty) updates made every lookup walk them all, and the change analysis looks objects up in
    // each: quadratic in the number of updates. The revisions that list a number are found once, then searched.
    const listing = this.revisionsListingOf(num);
    let lo = 0;
    let hi = listing.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (listing[mid]! <= top) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return null;
    const r = listing[found]!;
    return { entry: this.loaded[r].entries.get(num)!, revision: r };
  }

  /** The revisions whose sections list `num`, ascending; memoised until the entries change. */
  private revisionsListingOf(num: number): number[] {
    let listing = this.revisionsListing.get(num);
    if (listing === undefined) {
      listing = [];
      for (let r = 0; r < this.loaded.length; r++) if (this.loaded[r].entries.has(num)) listing.push(r);
      if (this.revisionsListing.size >= MAX_LISTINGS) this.revisionsListing.clear();
      this.revisionsListing.set(num, listing);
    }
    return listing;
  }

  /**
   * Whether revision `rev`'s own section writes or frees object `num`: what `objects.includes(num) ||
   * freed.includes(num)` says of its RevisionInfo, by one lookup instead of a search through lists that a hostile
   * section makes millions long.
   */
  sectionTouches(rev: number, num: number): boolean {
    const e = this.loaded[this.clampRev(rev)].entries.get(num);
    return e !== undefined && (e.type !== 'free' || num !== 0);
  }

  /** The merged cross-reference as of `rev` (free entries included). */
  xrefEntries(rev: number = this.latest): Map<number, XrefEntry> {
    return new Map(this.entriesAsOf(rev));
  }

  /**
   * The merged cross-reference as of `rev`, one entry at a time and in the order xrefEntries lists them (each number
   * where it first appears, with its newest entry): a caller that needs only some of them never builds the whole of
   * it, which a hostile section makes millions long.
   */
  *entriesAsOf(rev: number = this.latest): IterableIterator<[number, XrefEntry]> {
    const last = this.clampRev(rev);
    for (let r = 0; r <= last; r++) {
      for (const [num] of this.loaded[r].entries) {
        this.budget.check();
        if (r > 0 && this.entryAsOf(num, r - 1) !== null) continue;
        yield [num, this.entryAsOf(num, last)!.entry];
      }
    }
  }

  getObject(num: number, rev: number = this.latest): ResolvedObject | null {
    const found = this.entryAsOf(num, rev);
    if (found === null || found.entry.type === 'free') return null;
    const { entry, revision } = found;
    if (entry.type === 'offset') {
      const parsed = this.objectAtOffset(num, entry.offset, entry.gen, rev);
      if (parsed === null) return null;
      return { value: parsed.value, location: { kind: 'offset', offset: parsed.offset, gen: parsed.gen }, revision };
    }
    const value = this.compressedObject(num, entry.streamNum, entry.index, rev);
    if (value === undefined) return null;
    return { value, location: { kind: 'compressed', streamNum: entry.streamNum, index: entry.index }, revision };
  }

  /** Follows references as of `rev`; a dangling or cyclic reference reads as null, as the spec says. */
  resolve(value: PdfValue | undefined, rev: number = this.latest): PdfValue {
    // Called for nearly every value read: a direct value, or one reference to an object that is not itself a
    // reference, returns without the cycle bookkeeping, which only a chain of references needs.
    if (!(value instanceof PdfRef)) return value === undefined ? null : value;
    const first = this.getObject(value.num, rev)?.value ?? null;
    if (!(first instanceof PdfRef)) return first;
    let v: PdfValue | undefined = value;
    const seen = new Set<number>();
    while (v instanceof PdfRef) {
      if (seen.has(v.num) || seen.size >= MAX_REF_HOPS) {
        this.warnOnce('REF_CYCLE', `reference cycle through object ${v.num}`);
        return null;
      }
      seen.add(v.num);
      v = this.getObject(v.num, rev)?.value ?? null;
    }
    return v === undefined ? null : v;
  }

  /**
   * Decoded stream data (decrypted, filters applied), bounded by `limits.maxStreamBytes`; all the streams of the
   * document together by `limits.maxDecodedBytes`.
   */
  streamData(stream: PdfStream): Buffer {
    if (stream.dataLength > this.limits.maxStreamBytes) {
      throw new DocumentError('TOO_LARGE', `stream of ${stream.dataLength} bytes exceeds ${this.limits.maxStreamBytes}`);
    }
    this.chargeDecoded(0);
    let raw = this.win.slice(stream.dataOffset, stream.dataOffset + stream.dataLength);
    if (this.decryptor !== null && stream.owner !== null) {
      raw = this.decryptor.decryptStream(raw, stream.owner.num, stream.owner.gen, stream.dict);
    }
    const data = decodeStreamData(raw, stream.dict.get('Filter'), stream.dict.get('DecodeParms'), this.limits.maxStreamBytes, (v) =>
      v === undefined ? undefined : this.resolve(v),
    );
    this.chargeDecoded(data.length);
    return data;
  }

  /**
   * Counts decoded bytes against the document's limit. Each stream is bounded on its own, but a file of many small
   * streams that each inflate to the bound (object streams are kept once read, DSS entries all) would make the
   * verifier hold gigabytes: past the limit the document is refused, and no further stream is decoded.
   */
  private chargeDecoded(bytes: number): void {
    this.decodedBytes += bytes;
    if (this.decodedBytes > this.limits.maxDecodedBytes) {
      throw new DocumentError('TOO_COMPLEX', `its streams decode to more than ${this.limits.maxDecodedBytes} bytes in all`);
    }
  }

  /** Raw bytes of the file, for callers that need to look at what is written (e.g. around a signature). */
  readBytes(offset: number, length: number): Buffer {
    return this.win.slice(offset, offset + length);
  }

  /** Leaf pages in document order as of `rev`; cycle-safe and bounded by `limits.maxObjects`. */
  pages(rev: number = this.latest): PageEntry[] {
    const out: PageEntry[] = [];
    const catalog = this.catalog(rev);
    if (catalog === null) return out;
    const seen = new Set<number>();
    let visits = 0;
    const walk = (node: PdfValue | undefined, depth: number): void => {
      this.budget.check();
      if (depth > this.limits.maxDepth || ++visits > this.limits.maxObjects) return;
      let ref: PdfRef | null = null;
      if (node instanceof PdfRef) {
        if (seen.has(node.num)) return;
        seen.add(node.num);
        ref = node;
      }
      const dict = this.resolve(node, rev);
      if (!(dict instanceof PdfDict)) return;
      const kids = this.resolve(dict.get('Kids'), rev);
      const type = this.resolve(dict.get('Type'), rev);
      if (Array.isArray(kids) && !(type instanceof PdfName && type.name === 'Page')) {
        for (const kid of kids) walk(kid, depth + 1);
      } else {
        out.push({ ref, dict });
      }
    };
    walk(catalog.get('Pages'), 0);
    return out;
  }

  private warnOnce(code: string, detail: string): void {
    if (this.warnings.length < 1000 && !this.warnings.some((w) => w.code === code && w.detail === detail)) {
      this.warnings.push({ code, detail });
    }
  }

  private objectAtOffset(
    num: number,
    offset: number,
    gen: number,
    rev: number,
  ): { value: PdfValue; offset: number; gen: number } | null {
    const direct = this.parseAt(offset, rev);
    if (direct !== null && direct.num === num) return { value: direct.value, offset, gen: direct.gen };
    // The xref offset is off: look for this object's header nearby (or shifted by junk before %PDF-).
    const candidates = this.headerOffset > 0 ? [offset + this.headerOffset] : [];
    const from = Math.max(0, offset - NEARBY);
    const text = this.win.slice(from, offset + NEARBY).toString('latin1');
    const re = new RegExp(`(?<![0-9])${num}[ \\t\\r\\n\\f\\0]+${gen}[ \\t\\r\\n\\f\\0]+obj`, 'g');
    const hits: number[] = [];
    for (const m of text.matchAll(re)) if (m.index !== undefined) hits.push(from + m.index);
    hits.sort((a, b) => Math.abs(a - offset) - Math.abs(b - offset));
    for (const at of [...candidates, ...hits]) {
      const p = this.parseAt(at, rev);
      if (p !== null && p.num === num) {
        this.warnOnce('XREF_OFFSET_WRONG', `object ${num} expected at ${offset}, found at ${at}`);
        return { value: p.value, offset: at, gen: p.gen };
      }
    }
    this.warnOnce('OBJECT_MISSING', `object ${num} not found at ${offset}`);
    return null;
  }

  private parseAt(offset: number, rev: number): { num: number; gen: number; value: PdfValue } | null {
    if (this.parsedAtOffset.has(offset)) return this.parsedAtOffset.get(offset) ?? null;
    if (this.parsing.has(offset)) return null; // e.g. a stream whose /Length refers to itself
    if (this.parsing.size >= MAX_NESTED_PARSES) {
      // /Length → stream whose /Length → stream …: a chain built to exhaust the stack.
      this.warnOnce('LENGTH_CHAIN', `indirect /Length chain deeper than ${MAX_NESTED_PARSES} at ${offset}`);
      return null;
    }
    this.parsing.add(offset);
    let result: { num: number; gen: number; value: PdfValue } | null = null;
    try {
      const obj = this.parser(rev).parseIndirectAt(offset);
      if (obj !== null) {
        const value = this.decryptObject(obj.value, obj.num, obj.gen);
        result = { num: obj.num, gen: obj.gen, value };
      }
    } catch (e) {
      if (!(e instanceof PdfSyntaxError)) throw e;
      this.warnOnce('OBJECT_UNREADABLE', `object at ${offset}: ${e.message}`);
    } finally {
      this.parsing.delete(offset);
    }
    // Objects whose stream /Length is indirect may read differently per revision: do not cache those.
    if (!(result?.value instanceof PdfStream && result.value.dict.get('Length') instanceof PdfRef)) {
      // A file of millions of objects read one by one (the scan of an update) must not grow one Map without end.
      if (this.parsedAtOffset.size >= MAX_CACHED_OBJECTS) this.parsedAtOffset.clear();
      this.parsedAtOffset.set(offset, result);
    }
    return result;
  }

  private decryptObject(value: PdfValue, num: number, gen: number): PdfValue {
    if (this.decryptor === null || num === this.encryptObjectNum) return value;
    const d = this.decryptor;
    const walk = (v: PdfValue, inSignature: boolean, key: string | null): PdfValue => {
      if (v instanceof PdfString) {
        // Signature /Contents are never encrypted (ISO 32000-1 7.6.1).
        if (inSignature && key === 'Contents') return v;
        return new PdfString(d.decryptString(v.bytes, num, gen), v.hex);
      }
      if (Array.isArray(v)) return v.map((x) => walk(x, false, null));
      if (v instanceof PdfDict) {
        const sig = isSignatureDict(v);
        const map = new Map<string, PdfValue>();
        for (const [k, x] of v.map) map.set(k, walk(x, sig, k));
        return new PdfDict(map);
      }
      if (v instanceof PdfStream) {
        const dict = walk(v.dict, false, null) as PdfDict;
        return new PdfStream(dict, v.dataOffset, v.dataLength, v.owner);
      }
      return v;
    };
    return walk(value, false, null);
  }

  private compressedObject(num: number, streamNum: number, index: number, rev: number): PdfValue | undefined {
    const streamEntry = this.entryAsOf(streamNum, rev);
    if (streamEntry === null || streamEntry.entry.type !== 'offset') return undefined;
    const os = this.objectStreamAt(streamEntry.entry.offset, rev);
    if (os === null) return undefined;
    let member = os.members[index];
    if (member === undefined || member.num !== num) {
      member = os.members.find((m) => m.num === num) ?? member;
      if (member === undefined || member.num !== num) return undefined;
      this.warnOnce('OBJSTM_INDEX_WRONG', `object ${num} is not at index ${index} of object stream ${streamNum}`);
    }
    const parser = new ObjectParser(new BufferBytes(os.data), { maxDepth: this.limits.maxDepth, budget: this.budget, fromFile: false });
    try {
      const { value } = parser.parseValueAt(os.first + member.offset);
      return value instanceof PdfStream ? null : value;
    } catch (e) {
      if (!(e instanceof PdfSyntaxError)) throw e;
      this.warnOnce('OBJECT_UNREADABLE', `object ${num} in object stream ${streamNum}: ${e.message}`);
      return undefined;
    }
  }

  private objectStreamAt(offset: number, rev: number): ObjectStreamIndex | null {
    if (this.objectStreams.has(offset)) return this.objectStreams.get(offset) ?? null;
    this.objectStreams.set(offset, null); // guards against a stream that (indirectly) contains itself
    const parsed = this.parseAt(offset, rev);
    const stream = parsed?.value;
    if (!(stream instanceof PdfStream)) return null;
    const n = this.resolve(stream.dict.get('N'), rev);
    const first = this.resolve(stream.dict.get('First'), rev);
    if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || first < 0) return null;
    const data = this.streamData(stream);
    const lexer = new Lexer(new BufferBytes(data), 0, false, this.budget);
    const members: { num: number; offset: number }[] = [];
    for (let i = 0; i < n && i < this.limits.maxObjects; i++) {
      const a = lexer.next();
      const b = lexer.next();
      if (a.kind !== 'number' || b.kind !== 'number') break;
      members.push({ num: a.value, offset: b.value });
    }
    const index: ObjectStreamIndex = { data, first, members };
    this.objectStreams.set(offset, index);
    return index;
  }
}

function isSignatureDict(d: PdfDict): boolean {
  const t = d.get('Type');
  if (t instanceof PdfName && (t.name === 'Sig' || t.name === 'DocTimeStamp')) return true;
  return d.has('ByteRange') && d.has('Contents');
}

export { readObjectHeader };
