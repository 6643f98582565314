import { DocumentError } from '../errors';

/**
 * The entries one cross-reference section lists, by object number. A section of ordinary size is a Map, as it
 * always was. A section with millions of rows (a hostile file's table claims ten million in 200 MB) would cost
 * about 90 bytes a row that way, an object and a Map slot each, and most of a minute to build: its numbers, which
 * writers give out consecutively, are kept instead in pages of 4,096 consecutive numbers, 17 bytes a row, and an
 * entry object is made only for a row that is looked up. Rows whose numbers are scattered stay in the Map. Past
 * MAX_SCATTERED scattered rows in a section, or MAX_ENTRIES paged ones in the document, it is refused (TOO_COMPLEX).
 */

export type XrefEntry =
  | { type: 'free'; gen: number }
  | { type: 'offset'; offset: number; gen: number }
  | { type: 'compressed'; streamNum: number; index: number };

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
/** A section stays a plain Map up to this many entries: every ordinary document, and their exact iteration order. */
const SMALL = 1 << 16;
/** Entries of one page range that earn it a page of its own (a quarter full: no more bytes than the Map took). */
const DENSE = PAGE_SIZE / 4;
/** Scattered entries (not in a page) one section may hold before the file is refused. */
export const MAX_SCATTERED = 2_000_000;
/**
 * Entries one section may hold before the file is refused: above the ten million rows a hostile 200 MB table
 * claims (read in seconds, in a few hundred MB), below what would make the list of a revision's objects an
 * allocation that could abort the process.
 */
export const MAX_ENTRIES = 16_000_000;
/** Object numbers a page may hold: whole numbers from 0 up to what a double counts exactly in pages. */
const MAX_PAGED = 2 ** 40;

const ABSENT = 0;
const FREE = 1;
const OFFSET = 2;
const COMPRESSED = 3;

interface Page {
  /** ABSENT, FREE, OFFSET or COMPRESSED per number of the page. */
  types: Uint8Array;
  /** offset (OFFSET), stream number (COMPRESSED), unused (FREE). */
  a: Float64Array;
  /** gen (FREE, OFFSET) or index in the object stream (COMPRESSED). */
  b: Float64Array;
}

function pageable(num: number): boolean {
  return Number.isInteger(num) && num >= 0 && num < MAX_PAGED;
}

export class XrefEntries implements Iterable<[number, XrefEntry]> {
  private readonly map: Map<number, XrefEntry>;
  /** Pages by page number (num / PAGE_SIZE); none until the section grows past SMALL. */
  private pages: Map<number, Page> | null = null;
  private paged = 0;
  /** Map size at which scattered entries are looked at again for pages to make. */
  private nextPaging = SMALL;
  private lastPageNo = -1;
  private lastPage: Page | undefined = undefined;

  /** `limit`: most entries kept in pages (MAX_ENTRIES, or what the document's earlier sections left of it). */
  constructor(
    entries?: Iterable<[number, XrefEntry]>,
    private readonly limit = MAX_ENTRIES,
  ) {
    this.map = new Map();
    if (entries) for (const [num, e] of entries) this.set(num, e);
  }

  get size(): number {
    return this.map.size + this.paged;
  }

  get(num: number): XrefEntry | undefined {
    if (this.pages !== null && pageable(num)) {
      const page = this.pageOf(num);
      if (page !== undefined) return entryAt(page, num & (PAGE_SIZE - 1));
    }
    return this.map.get(num);
  }

  has(num: number): boolean {
    if (this.pages !== null && pageable(num)) {
      const page = this.pageOf(num);
      if (page !== undefined) return page.types[num & (PAGE_SIZE - 1)] !== ABSENT;
    }
    return this.map.has(num);
  }

  set(num: number, e: XrefEntry): this {
    if (this.pages !== null && pageable(num)) {
      const page = this.pageOf(num) ?? this.continuedPage(num);
      if (page !== undefined) {
        const i = num & (PAGE_SIZE - 1);
        if (page.types[i] === ABSENT && ++this.paged > this.limit) throw tooMany();
        writeAt(page, i, e);
        return this;
      }
    }
    this.map.set(num, e);
    if (this.map.size >= this.nextPaging) this.makePages();
    return this;
  }

  /** set() of a free entry, without making the entry object where a page holds the number. */
  setFree(num: number, gen: number): this {
    return this.setRow(num, FREE, 0, gen) ? this : this.set(num, { type: 'free', gen });
  }

  /** set() of an in-use entry at a file offset, likewise. */
  setOffset(num: number, offset: number, gen: number): this {
    return this.setRow(num, OFFSET, offset, gen) ? this : this.set(num, { type: 'offset', offset, gen });
  }

  /** Writes the row into its page when it has one (or continues the last one); false when it belongs in the Map. */
  private setRow(num: number, type: number, a: number, b: number): boolean {
    if (this.pages === null || !pageable(num)) return false;
    const page = this.pageOf(num) ?? this.continuedPage(num);
    if (page === undefined) return false;
    const i = num & (PAGE_SIZE - 1);
    if (page.types[i] === ABSENT && ++this.paged > this.limit) throw tooMany();
    page.types[i] = type;
    page.a[i] = a;
    page.b[i] = b;
    return true;
  }

  /** A copy: the caller may add to it without changing this section. */
  clone(): XrefEntries {
    if (this.pages === null) {
      const copy = new XrefEntries();
      for (const [num, e] of this.map) copy.map.set(num, e);
      return copy;
    }
    return new XrefEntries(this, this.limit);
  }

  /**
   * The numbers of the in-use entries and of the free ones but object 0 (the head of every table's free list, never
   * an object a section frees), each list in iteration order, without making an entry object for each: what
   * RevisionInfo lists.
   */
  numbers(): { inUse: number[]; freed: number[] } {
    if (this.pages === null) {
      const inUse: number[] = [];
      const freed: number[] = [];
      for (const [num, e] of this.map) {
        if (e.type !== 'free') inUse.push(num);
        else if (num !== 0) freed.push(num);
      }
      return { inUse, freed };
    }
    // Millions of numbers: counted first, so each list is allocated once at its size rather than grown.
    const pages = [...this.pages].sort((x, y) => x[0] - y[0]);
    let inUseCount = 0;
    let freeCount = 0;
    for (const [pageNo, page] of pages) {
      for (let i = 0; i < PAGE_SIZE; i++) {
        const t = page.types[i]!;
        if (t === FREE) freeCount += pageNo * PAGE_SIZE + i === 0 ? 0 : 1;
        else if (t !== ABSENT) inUseCount++;
      }
    }
    for (const [num, e] of this.map) {
      if (e.type !== 'free') inUseCount++;
      else if (num !== 0) freeCount++;
    }
    const inUse = new Array<number>(inUseCount);
    const freed = new Array<number>(freeCount);
    let u = 0;
    let f = 0;
    for (const [pageNo, page] of pages) {
      const base = pageNo * PAGE_SIZE;
      for (let i = 0; i < PAGE_SIZE; i++) {
        const t = page.types[i]!;
        if (t === FREE) {
          if (base + i !== 0) freed[f++] = base + i;
        } else if (t !== ABSENT) inUse[u++] = base + i;
      }
    }
    for (const [num, e] of this.map) {
      if (e.type !== 'free') inUse[u++] = num;
      else if (num !== 0) freed[f++] = num;
    }
    return { inUse, freed };
  }

  /** Every entry: a large section's pages in number order first, then its scattered ones. */
  *[Symbol.iterator](): IterableIterator<[number, XrefEntry]> {
    if (this.pages !== null) {
      for (const [pageNo, page] of [...this.pages].sort((x, y) => x[0] - y[0])) {
        const base = pageNo * PAGE_SIZE;
        for (let i = 0; i < PAGE_SIZE; i++) if (page.types[i] !== ABSENT) yield [base + i, entryAt(page, i)!];
      }
    }
    yield* this.map;
  }

  *keys(): IterableIterator<number> {
    for (const [num] of this) yield num;
  }

  private pageOf(num: number): Page | undefined {
    const pageNo = Math.floor(num / PAGE_SIZE);
    if (pageNo !== this.lastPageNo) {
      this.lastPageNo = pageNo;
      this.lastPage = this.pages!.get(pageNo);
    }
    return this.lastPage;
  }

  /**
   * A new page for `num` when the page before it exists: numbers given out in order fill page after page without
   * passing through the Map, while scattered ones (one here, one far away) still do.
   */
  private continuedPage(num: number): Page | undefined {
    const pageNo = Math.floor(num / PAGE_SIZE);
    if (!this.pages!.has(pageNo - 1)) return undefined;
    const page = newPage();
    const base = pageNo * PAGE_SIZE;
    // Entries of this range that came earlier, out of order, move in with it.
    for (let i = 0; i < PAGE_SIZE && this.map.size > 0; i++) {
      const e = this.map.get(base + i);
      if (e === undefined) continue;
      writeAt(page, i, e);
      this.map.delete(base + i);
      this.paged++;
    }
    this.pages!.set(pageNo, page);
    this.lastPageNo = pageNo;
    this.lastPage = page;
    return page;
  }

  /** Moves the scattered entries of every page range that has DENSE of them into a page of its own. */
  private makePages(): void {
    this.pages ??= new Map();
    const counts = new Map<number, number>();
    for (const num of this.map.keys()) {
      if (!pageable(num)) continue;
      const pageNo = Math.floor(num / PAGE_SIZE);
      counts.set(pageNo, (counts.get(pageNo) ?? 0) + 1);
    }
    for (const [pageNo, count] of counts) {
      if (count < DENSE) continue;
      const page = newPage();
      const base = pageNo * PAGE_SIZE;
      for (let i = 0; i < PAGE_SIZE; i++) {
        const e = this.map.get(base + i);
        if (e === undefined) continue;
        writeAt(page, i, e);
        this.map.delete(base + i);
        this.paged++;
      }
      this.pages.set(pageNo, page);
    }
    this.lastPageNo = -1;
    if (this.map.size > MAX_SCATTERED) {
      throw new DocumentError('TOO_COMPLEX', `a cross-reference section lists more than ${MAX_SCATTERED} scattered object numbers`);
    }
    this.nextPaging = this.map.size + SMALL;
  }
}

function tooMany(): DocumentError {
  return new DocumentError('TOO_COMPLEX', `its cross-reference sections list more than ${MAX_ENTRIES} objects`);
}

function newPage(): Page {
  return { types: new Uint8Array(PAGE_SIZE), a: new Float64Array(PAGE_SIZE), b: new Float64Array(PAGE_SIZE) };
}

function writeAt(page: Page, i: number, e: XrefEntry): void {
  if (e.type === 'free') {
    page.types[i] = FREE;
    page.b[i] = e.gen;
  } else if (e.type === 'offset') {
    page.types[i] = OFFSET;
    page.a[i] = e.offset;
    page.b[i] = e.gen;
  } else {
    page.types[i] = COMPRESSED;
    page.a[i] = e.streamNum;
    page.b[i] = e.index;
  }
}

function entryAt(page: Page, i: number): XrefEntry | undefined {
  switch (page.types[i]) {
    case FREE:
      return { type: 'free', gen: page.b[i]! };
    case OFFSET:
      return { type: 'offset', offset: page.a[i]!, gen: page.b[i]! };
    case COMPRESSED:
      return { type: 'compressed', streamNum: page.a[i]!, index: page.b[i]! };
    default:
      return undefined;
  }
}
