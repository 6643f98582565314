/**
 * A light reader for the generator's own output: enough to build incremental updates on top of a file (find the
 * catalog, the pages, the AcroForm, an object's latest text) and for the writer's tests to check xref offsets.
 *
 * Rules: the newest xref section wins for each object number (a later free entry hides older definitions); tables and
 * xref streams (with /Prev chains and type-2 entries into object streams) are both handled. It is not a general PDF
 * parser: no encryption, no repair of broken files, Flate only.
 */
import * as zlib from 'node:zlib';
import {
  PdfLexer,
  type PdfDictVal,
  type PdfVal,
  asInt,
  asName,
  asRef,
  dget,
  parseDict,
} from './pdf-syntax';

export type XrefEntry =
  | { type: 'free'; next: number; gen: number }
  | { type: 'offset'; offset: number; gen: number }
  | { type: 'compressed'; stream: number; index: number };

export interface XrefSection {
  kind: 'table' | 'stream';
  /** Offset of the `xref` keyword or of the xref stream's `N 0 obj`. */
  offset: number;
  entries: Map<number, XrefEntry>;
  trailer: PdfDictVal;
}

export interface PdfObject {
  num: number;
  value: PdfVal;
  /** Body between `N G obj` and `endobj`, trimmed (latin1, stream data included). */
  text: string;
  /** Raw (still encoded) stream data, for stream objects. */
  stream?: Buffer;
  /** File offset of `N G obj`; -1 for objects inside an object stream. */
  offset: number;
}

/** Offset named by the last `startxref` of the file. */
export function lastStartxref(s: string): number {
  const i = s.lastIndexOf('startxref');
  if (i < 0) throw new Error('no startxref');
  const m = /^startxref\s+(\d+)/.exec(s.slice(i, i + 40));
  if (!m) throw new Error('bad startxref');
  return Number(m[1]);
}

export class PdfFile {
  readonly s: string;
  /** Newest first. */
  readonly sections: XrefSection[] = [];
  readonly xref = new Map<number, XrefEntry>();
  private readonly objStmCache = new Map<number, { data: Buffer; offsets: Map<number, [number, number]> }>();

  constructor(readonly buf: Buffer) {
    this.s = buf.toString('latin1');
    const seen = new Set<number>();
    let off: number | null = lastStartxref(this.s);
    while (off !== null) {
      if (seen.has(off)) throw new Error('xref /Prev loop');
      seen.add(off);
      const sec = this.readSection(off);
      this.sections.push(sec);
      for (const [n, e] of sec.entries) if (!this.xref.has(n)) this.xref.set(n, e);
      off = asInt(dget(sec.trailer, 'Prev'));
    }
  }

  get trailer(): PdfDictVal {
    return this.sections[0].trailer;
  }

  /** Highest object number in use + 1, over every section (what the next update's /Size starts from). */
  get size(): number {
    let max = 0;
    for (const sec of this.sections) {
      const sz = asInt(dget(sec.trailer, 'Size')) ?? 0;
      if (sz > max) max = sz;
      for (const n of sec.entries.keys()) if (n + 1 > max) max = n + 1;
    }
    return max;
  }

  private readSection(off: number): XrefSection {
    if (this.s.startsWith('xref', off)) return this.readTable(off);
    const obj = this.parseObjectAt(off);
    if (obj.value.t !== 'dict' || asName(dget(obj.value, 'Type')) !== 'XRef' || !obj.stream) {
      throw new Error(`startxref/Prev ${off} is neither a table nor an xref stream`);
    }
    return this.readXrefStream(off, obj.value, obj.stream);
  }

  private readTable(off: number): XrefSection {
    const lx = new PdfLexer(this.s, off + 4);
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      const w = lx.peekWord();
      if (w === 'trailer') {
        lx.readWord();
        const trailer = lx.parse();
        if (trailer.t !== 'dict') throw new Error('bad trailer');
        return { kind: 'table', offset: off, entries, trailer };
      }
      const start = Number(lx.readWord());
      const count = Number(lx.readWord());
      if (!Number.isInteger(start) || !Number.isInteger(count)) throw new Error(`bad xref subsection at ${lx.pos}`);
      for (let i = 0; i < count; i++) {
        const o = Number(lx.readWord());
        const g = Number(lx.readWord());
        const k = lx.readWord();
        entries.set(start + i, k === 'n' ? { type: 'offset', offset: o, gen: g } : { type: 'free', next: o, gen: g });
      }
    }
  }

  private readXrefStream(off: number, d: PdfDictVal, raw: Buffer): XrefSection {
    const data = decodeStream(d, raw);
    const w = arrInts(dget(d, 'W'));
    const size = asInt(dget(d, 'Size')) ?? 0;
    const index = dget(d, 'Index') ? arrInts(dget(d, 'Index')) : [0, size];
    const rec = w[0] + w[1] + w[2];
    const entries = new Map<number, XrefEntry>();
    let p = 0;
    for (let i = 0; i < index.length; i += 2) {
      for (let j = 0; j < index[i + 1]; j++, p += rec) {
        const f = (k: number, def: number): number => {
          if (w[k] === 0) return def;
          let v = 0;
          const at = p + (k === 0 ? 0 : k === 1 ? w[0] : w[0] + w[1]);
          for (let b = 0; b < w[k]; b++) v = v * 256 + data[at + b];
          return v;
        };
        const type = f(0, 1);
        const a = f(1, 0);
        const b = f(2, 0);
        const n = index[i] + j;
        if (type === 0) entries.set(n, { type: 'free', next: a, gen: b });
        else if (type === 1) entries.set(n, { type: 'offset', offset: a, gen: b });
        else if (type === 2) entries.set(n, { type: 'compressed', stream: a, index: b });
      }
    }
    return { kind: 'stream', offset: off, entries, trailer: d };
  }

  /** Parses `N G obj … endobj` at a file offset. */
  parseObjectAt(off: number): PdfObject {
    const lx = new PdfLexer(this.s, off);
    const n = Number(lx.readWord());
    lx.readWord();
    if (lx.readWord() !== 'obj') throw new Error(`no 'obj' at ${off}`);
    const bodyStart = lx.pos;
    const value = lx.parse();
    let stream: Buffer | undefined;
    const save = lx.pos;
    if (lx.peekWord() === 'stream' && value.t === 'dict') {
      lx.readWord();
      let p = lx.pos;
      if (this.s[p] === '\r') p++;
      if (this.s[p] === '\n') p++;
      const len = asInt(dget(value, 'Length'));
      if (len === null) throw new Error(`object ${n}: stream /Length must be direct here`);
      stream = this.buf.subarray(p, p + len);
      lx.pos = p + len;
      if (lx.readWord() !== 'endstream') throw new Error(`object ${n}: no endstream after /Length`);
    } else lx.pos = save;
    const end = this.s.indexOf('endobj', lx.pos);
    if (end < 0) throw new Error(`object ${n}: no endobj`);
    return { num: n, value, text: this.s.slice(bodyStart, end).trim(), stream, offset: off };
  }

  /** The latest definition of object `num`, or null when it is free or absent. */
  get(num: number): PdfObject | null {
    const e = this.xref.get(num);
    if (!e || e.type === 'free') return null;
    if (e.type === 'offset') return this.parseObjectAt(e.offset);
    const stm = this.objStm(e.stream);
    const span = stm.offsets.get(num);
    if (!span) throw new Error(`object ${num} not in object stream ${e.stream}`);
    const text = stm.data.subarray(span[0], span[1]).toString('latin1').trim();
    return { num, value: new PdfLexer(text).parse(), text, offset: -1 };
  }

  private objStm(n: number): { data: Buffer; offsets: Map<number, [number, number]> } {
    const hit = this.objStmCache.get(n);
    if (hit) return hit;
    const o = this.get(n);
    if (!o || o.value.t !== 'dict' || !o.stream) throw new Error(`object stream ${n} missing`);
    const data = decodeStream(o.value, o.stream);
    const count = asInt(dget(o.value, 'N')) ?? 0;
    const first = asInt(dget(o.value, 'First')) ?? 0;
    const lx = new PdfLexer(data.subarray(0, first).toString('latin1'));
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) pairs.push([Number(lx.readWord()), Number(lx.readWord())]);
    const offsets = new Map<number, [number, number]>();
    pairs.forEach(([num, rel], i) => {
      const end = i + 1 < pairs.length ? pairs[i + 1][1] : data.length - first;
      offsets.set(num, [first + rel, first + end]);
    });
    const res = { data, offsets };
    this.objStmCache.set(n, res);
    return res;
  }

  dictOf(num: number): PdfDictVal {
    const o = this.get(num);
    if (!o || o.value.t !== 'dict') throw new Error(`object ${num} is not a dictionary`);
    return o.value;
  }

  /** Follows a reference (or returns a direct value). */
  resolve(v: PdfVal | undefined): PdfVal | undefined {
    const r = asRef(v);
    if (!r) return v;
    return this.get(r.num)?.value;
  }

  get rootNum(): number {
    const r = asRef(dget(this.trailer, 'Root'));
    if (!r) throw new Error('trailer has no /Root');
    return r.num;
  }

  /** Object numbers of the pages in document order. */
  pageNums(): number[] {
    const out: number[] = [];
    const walk = (n: number, depth: number): void => {
      if (depth > 32) throw new Error('page tree too deep');
      const d = this.dictOf(n);
      if (asName(dget(d, 'Type')) === 'Page') {
        out.push(n);
        return;
      }
      const kids = this.resolve(dget(d, 'Kids'));
      if (!kids || kids.t !== 'arr') return;
      for (const k of kids.items) {
        const r = asRef(k);
        if (r) walk(r.num, depth + 1);
      }
    };
    const pages = asRef(dget(this.dictOf(this.rootNum), 'Pages'));
    if (pages) walk(pages.num, 0);
    return out;
  }

  /** Signature fields of the AcroForm: field name, field object, and the /V signature dictionary's number. */
  signatureFields(): Array<{ field: string; fieldNum: number; sigNum: number | null }> {
    const cat = this.dictOf(this.rootNum);
    const af = this.resolve(dget(cat, 'AcroForm'));
    if (!af || af.t !== 'dict') return [];
    const fields = this.resolve(dget(af, 'Fields'));
    if (!fields || fields.t !== 'arr') return [];
    const out: Array<{ field: string; fieldNum: number; sigNum: number | null }> = [];
    for (const f of fields.items) {
      const r = asRef(f);
      if (!r) continue;
      const fd = this.dictOf(r.num);
      if (asName(dget(fd, 'FT')) !== 'Sig') continue;
      const t = dget(fd, 'T');
      out.push({ field: t && t.t === 'str' ? decodeTextString(t.raw) : '', fieldNum: r.num, sigNum: asRef(dget(fd, 'V'))?.num ?? null });
    }
    return out;
  }
}

function arrInts(v: PdfVal | undefined): number[] {
  if (!v || v.t !== 'arr') throw new Error('expected an array of integers');
  return v.items.map((x) => {
    const n = asInt(x);
    if (n === null) throw new Error('expected an integer');
    return n;
  });
}

/** Flate (optionally with PNG predictors, as other writers put on xref streams); no filter passes through. */
export function decodeStream(d: PdfDictVal, raw: Buffer): Buffer {
  const f = dget(d, 'Filter');
  const filter = f && f.t === 'arr' ? asName(f.items[0]) : asName(f);
  if (!filter) return raw;
  if (filter !== 'FlateDecode') throw new Error(`filter ${filter} not supported by the sample reader`);
  let data = zlib.inflateSync(raw);
  const parms = dget(d, 'DecodeParms');
  if (parms && parms.t === 'dict') {
    const pred = asInt(dget(parms, 'Predictor')) ?? 1;
    if (pred >= 10) {
      const cols = asInt(dget(parms, 'Columns')) ?? 1;
      const out = Buffer.alloc((data.length / (cols + 1)) * cols);
      const prev = Buffer.alloc(cols);
      for (let r = 0; r * (cols + 1) < data.length; r++) {
        const type = data[r * (cols + 1)];
        for (let c = 0; c < cols; c++) {
          const x = data[r * (cols + 1) + 1 + c];
          const left = c > 0 ? out[r * cols + c - 1] : 0;
          const v = type === 2 ? x + prev[c] : type === 1 ? x + left : type === 0 ? x : NaN;
          if (Number.isNaN(v)) throw new Error('PNG predictor type not supported');
          out[r * cols + c] = v & 0xff;
        }
        out.copy(prev, 0, r * cols, r * cols + cols);
      }
      data = out;
    }
  }
  return data;
}

/** Decodes a raw PDF text string (literal or hex, PDFDoc/latin1 or UTF-16BE with BOM). */
export function decodeTextString(raw: string): string {
  let bytes: Buffer;
  if (raw.startsWith('<')) bytes = Buffer.from(raw.slice(1, -1).replace(/\s+/g, ''), 'hex');
  else {
    const body = raw.slice(1, -1);
    const out: number[] = [];
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c !== '\\') {
        out.push(body.charCodeAt(i));
        continue;
      }
      const n = body[++i];
      const map: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
      if (n in map) out.push(map[n]);
      else if (/[0-7]/.test(n)) {
        let o = n;
        while (o.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) o += body[++i];
        out.push(parseInt(o, 8) & 0xff);
      } else if (n === '\r' || n === '\n') {
        if (n === '\r' && body[i + 1] === '\n') i++;
      } else out.push(n.charCodeAt(0));
    }
    bytes = Buffer.from(out);
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/** The latest definition's body text of object `num` (`<< … >>`, or dict + `stream … endstream`). */
export function readObject(pdf: Buffer, num: number): string {
  const o = new PdfFile(pdf).get(num);
  if (!o) throw new Error(`object ${num} is free or absent`);
  return o.text;
}

export { parseDict };
