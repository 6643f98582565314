/**
 * Where the parts of a PDF that matter to a signature verifier sit in its bytes, found by pattern, not by parsing:
 * the fuzzer must be able to aim at /ByteRange, /Length, xref rows and subsection headers, startxref, %%EOF and
 * /Contents even in a file it has already broken. Offsets are byte offsets (the text is read as latin1, one
 * character per byte). Each list is found once per buffer, when a mutation first asks for it, and capped, so a
 * 2 MB file costs a few milliseconds at most.
 */

/** A span of bytes, [start, end). */
export interface Spot {
  start: number;
  end: number;
}

/** An object written out in full, `N G obj … endobj`, that is not a stream. */
export interface PlainObject extends Spot {
  num: number;
  gen: number;
  body: string;
}

const CAP = 20_000;

/** The span of `group` in every match of `re` (which needs the `g` and `d` flags), up to CAP of them. */
function all(text: string, re: RegExp, group = 0): Spot[] {
  const out: Spot[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && out.length < CAP; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    const at = m.indices?.[group];
    if (at) out.push({ start: at[0], end: at[1] });
  }
  return out;
}

/** The integers of every `/Key [ … ]` or `/Key N` whose key is one of `keys`. */
function valuesOf(text: string, keys: string, arrays: boolean): Spot[] {
  if (!arrays) return all(text, new RegExp(`/(?:${keys})\\s+(-?\\d+)`, 'gd'), 1);
  const out: Spot[] = [];
  for (const array of all(text, new RegExp(`/(?:${keys})\\s*\\[([^\\]]{0,200})\\]`, 'gd'), 1)) {
    for (const n of all(text.slice(array.start, array.end), /-?\d+/dg)) out.push({ start: array.start + n.start, end: array.start + n.end });
  }
  return out;
}

export class PdfSpots {
  private textCache: string | null = null;
  private readonly found = new Map<string, unknown>();

  constructor(readonly bytes: Buffer) {}

  get text(): string {
    this.textCache ??= this.bytes.toString('latin1');
    return this.textCache;
  }

  private memo<T>(key: string, find: () => T): T {
    if (!this.found.has(key)) this.found.set(key, find());
    return this.found.get(key) as T;
  }

  /** Each number inside a /ByteRange array. */
  byteRangeNumbers(): Spot[] {
    return this.memo('byteRange', () => valuesOf(this.text, 'ByteRange', true));
  }

  /** Each /ByteRange array, brackets included. */
  byteRangeArrays(): Spot[] {
    return this.memo('byteRangeArrays', () => all(this.text, /\/ByteRange\s*\[[^\]]{0,200}\]/gd));
  }

  /** The number after each /Length (a direct length; an indirect `N 0 R` gives its object number). */
  lengthValues(): Spot[] {
    return this.memo('length', () => valuesOf(this.text, 'Length', false));
  }

  /** Counts and sizes a reader allocates or loops by. */
  countValues(): Spot[] {
    return this.memo('counts', () => [
      ...valuesOf(this.text, 'Count|Size|N|First|Prev|XRefStm|Length1|Length2|Length3|Columns|Predictor|R|P|V', false),
      ...valuesOf(this.text, 'Index|W|MediaBox|Rect', true),
    ]);
  }

  /** The 10-digit offset of each classic xref row `oooooooooo ggggg n`. */
  xrefOffsets(): Spot[] {
    return this.memo('xrefRows', () => all(this.text, /(?:^|[\r\n])(\d{10}) \d{5} [nf]/gd, 1));
  }

  /** The `n` or `f` of each classic xref row. */
  xrefKinds(): Spot[] {
    return this.memo('xrefKinds', () => all(this.text, /(?:^|[\r\n])\d{10} \d{5} ([nf])/gd, 1));
  }

  /** Both numbers of each subsection header `first count` of a classic xref section. */
  subsectionNumbers(): Spot[] {
    return this.memo('subsections', () => {
      const re = /(?:xref|[nf])[ \t]*\r?\n(\d+) (\d+)[ \t]*\r?\n/dg;
      return [...all(this.text, re, 1), ...all(this.text, re, 2)];
    });
  }

  /** The number after each startxref. */
  startxrefValues(): Spot[] {
    return this.memo('startxref', () => all(this.text, /startxref\s+(\d+)/gd, 1));
  }

  /** Each %%EOF marker. */
  eofMarkers(): Spot[] {
    return this.memo('eof', () => all(this.text, /%%EOF/gd));
  }

  /** Where each revision ends: just past each %%EOF and its line break. */
  revisionEnds(): number[] {
    return this.memo('revisionEnds', () =>
      this.eofMarkers().map((s) => {
        let end = s.end;
        if (this.bytes[end] === 0x0d) end++;
        if (this.bytes[end] === 0x0a) end++;
        return end;
      }),
    );
  }

  /** The hex digits of each /Contents <…> string (a signature's CMS). */
  contentsHex(): Spot[] {
    return this.memo('contents', () => all(this.text, /\/Contents\s*<([0-9A-Fa-f\s]{2,})>/gd, 1));
  }

  /** Keywords whose loss or duplication a parser must survive. */
  keywords(): Spot[] {
    return this.memo('keywords', () => all(this.text, /\b(?:obj|endobj|stream|endstream|xref|trailer|startxref|R)\b|<<|>>|\[|\]/gd));
  }

  /** Any integer token. */
  integers(): Spot[] {
    return this.memo('integers', () => all(this.text, /(?<![\d.])-?\d+(?![\d.])/gd));
  }

  /** Objects written out in full that hold no stream: what an incremental update can rewrite. */
  plainObjects(): PlainObject[] {
    return this.memo('objects', () => {
      const out: PlainObject[] = [];
      const re = /(?:^|[\r\n])(\d+) (\d+) obj\b([\s\S]{0,4000}?)\bendobj/g;
      const text = this.text;
      for (let m = re.exec(text); m !== null && out.length < CAP; m = re.exec(text)) {
        if (m[3].includes('stream')) continue;
        const start = m.index + m[0].indexOf(m[1]);
        out.push({ start, end: m.index + m[0].length, num: Number(m[1]), gen: Number(m[2]), body: m[3] });
      }
      return out;
    });
  }

  /** The document catalog's reference, from the last trailer or xref stream dictionary that names one. */
  rootRef(): string | null {
    const refs = [...this.text.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)];
    return refs.length > 0 ? refs[refs.length - 1][1] : null;
  }

  /** The largest object number written in the file. */
  maxObjectNumber(): number {
    return this.plainObjects().reduce((max, o) => Math.max(max, o.num), 0);
  }
}
