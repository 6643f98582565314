/**
 * A small, self-contained PDF object syntax for the sample generator: a value tree, a parser and a serializer.
 *
 * It is deliberately independent of worker/pdf (the verifier's parser): the samples exist to test the verifier, so
 * sharing its parser would let one bug hide another. Strings keep their raw source text so that a dictionary can be
 * parsed, edited and written back without re-escaping anything the original writer chose.
 */

export type PdfVal =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'num'; raw: string }
  | { t: 'name'; v: string }
  /** raw: the string exactly as written, delimiters included: `(…)` or `<…>`. */
  | { t: 'str'; raw: string }
  | { t: 'arr'; items: PdfVal[] }
  | { t: 'dict'; entries: Array<[string, PdfVal]> }
  | { t: 'ref'; num: number; gen: number };

export type PdfDictVal = Extract<PdfVal, { t: 'dict' }>;
export type PdfArrVal = Extract<PdfVal, { t: 'arr' }>;

// ---------------------------------------------------------------------------------------------------------------
// Constructors and accessors

export const pnull: PdfVal = { t: 'null' };
export const num = (n: number): PdfVal => ({ t: 'num', raw: String(n) });
export const name = (v: string): PdfVal => ({ t: 'name', v });
export const ref = (n: number, gen = 0): PdfVal => ({ t: 'ref', num: n, gen });
export const arr = (items: PdfVal[]): PdfArrVal => ({ t: 'arr', items });
export const rawStr = (raw: string): PdfVal => ({ t: 'str', raw });
export function dict(entries: Array<[string, PdfVal]> = []): PdfDictVal {
  return { t: 'dict', entries };
}

export function dget(d: PdfDictVal, key: string): PdfVal | undefined {
  for (const [k, v] of d.entries) if (k === key) return v;
  return undefined;
}

/** Replaces the value in place (keeping key order, as an editor would) or appends the key. */
export function dset(d: PdfDictVal, key: string, v: PdfVal): void {
  const i = d.entries.findIndex(([k]) => k === key);
  if (i >= 0) d.entries[i] = [key, v];
  else d.entries.push([key, v]);
}

export function ddel(d: PdfDictVal, key: string): void {
  d.entries = d.entries.filter(([k]) => k !== key);
}

export function asRef(v: PdfVal | undefined): { num: number; gen: number } | null {
  return v && v.t === 'ref' ? { num: v.num, gen: v.gen } : null;
}

export function asInt(v: PdfVal | undefined): number | null {
  if (!v || v.t !== 'num') return null;
  const n = Number(v.raw);
  return Number.isInteger(n) ? n : null;
}

export function asName(v: PdfVal | undefined): string | null {
  return v && v.t === 'name' ? v.v : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Serializer

export function serialize(v: PdfVal): string {
  switch (v.t) {
    case 'null':
      return 'null';
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'num':
      return v.raw;
    case 'name':
      return '/' + escapeName(v.v);
    case 'str':
      return v.raw;
    case 'ref':
      return `${v.num} ${v.gen} R`;
    case 'arr':
      return '[' + v.items.map(serialize).join(' ') + ']';
    case 'dict':
      return '<< ' + v.entries.map(([k, x]) => `/${escapeName(k)} ${serialize(x)}`).join(' ') + ' >>';
  }
}

function escapeName(n: string): string {
  // Names are written with #xx for delimiters, whitespace and anything outside printable ASCII (PDF 32000 7.3.5).
  let out = '';
  for (const ch of Buffer.from(n, 'latin1')) {
    if (ch < 0x21 || ch > 0x7e || '()<>[]{}/%#'.includes(String.fromCharCode(ch))) {
      out += '#' + ch.toString(16).padStart(2, '0').toUpperCase();
    } else out += String.fromCharCode(ch);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (over a latin1 string: one char per byte, so indexes are file offsets)

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set('()<>[]{}/%'.split('').map((c) => c.charCodeAt(0)));

export class PdfLexer {
  constructor(
    readonly s: string,
    public pos = 0,
  ) {}

  skipWs(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (WS.has(c)) this.pos++;
      else if (c === 0x25 /* % */) {
        while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
      } else break;
    }
  }

  /** A regular token (number, keyword, operator) starting at pos; does not consume. */
  peekWord(): string {
    this.skipWs();
    let e = this.pos;
    while (e < this.s.length && !WS.has(this.s.charCodeAt(e)) && !DELIM.has(this.s.charCodeAt(e))) e++;
    return this.s.slice(this.pos, e);
  }

  readWord(): string {
    const w = this.peekWord();
    this.pos += w.length;
    return w;
  }

  parse(): PdfVal {
    this.skipWs();
    const s = this.s;
    const c = s[this.pos];
    if (c === undefined) throw new Error('unexpected end of data');
    if (c === '/') {
      this.pos++;
      let e = this.pos;
      while (e < s.length && !WS.has(s.charCodeAt(e)) && !DELIM.has(s.charCodeAt(e))) e++;
      const raw = s.slice(this.pos, e);
      this.pos = e;
      return { t: 'name', v: raw.replace(/#([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) };
    }
    if (c === '<' && s[this.pos + 1] === '<') {
      this.pos += 2;
      const entries: Array<[string, PdfVal]> = [];
      for (;;) {
        this.skipWs();
        if (s.startsWith('>>', this.pos)) {
          this.pos += 2;
          return { t: 'dict', entries };
        }
        const k = this.parse();
        if (k.t !== 'name') throw new Error(`dictionary key is not a name at ${this.pos}`);
        entries.push([k.v, this.parse()]);
      }
    }
    if (c === '<') {
      const e = s.indexOf('>', this.pos);
      if (e < 0) throw new Error('unterminated hex string');
      const raw = s.slice(this.pos, e + 1);
      this.pos = e + 1;
      return { t: 'str', raw };
    }
    if (c === '(') {
      const start = this.pos;
      let depth = 0;
      for (; this.pos < s.length; this.pos++) {
        const ch = s[this.pos];
        if (ch === '\\') this.pos++;
        else if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) {
          this.pos++;
          return { t: 'str', raw: s.slice(start, this.pos) };
        }
      }
      throw new Error('unterminated literal string');
    }
    if (c === '[') {
      this.pos++;
      const items: PdfVal[] = [];
      for (;;) {
        this.skipWs();
        if (s[this.pos] === ']') {
          this.pos++;
          return { t: 'arr', items };
        }
        items.push(this.parse());
      }
    }
    const w = this.readWord();
    if (w === '') throw new Error(`unexpected '${c}' at ${this.pos}`);
    if (w === 'null') return pnull;
    if (w === 'true' || w === 'false') return { t: 'bool', v: w === 'true' };
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) {
      // "N G R" is a reference: look ahead without committing.
      if (/^\d+$/.test(w)) {
        const save = this.pos;
        const g = this.readWord();
        if (/^\d+$/.test(g) && this.readWord() === 'R') return { t: 'ref', num: Number(w), gen: Number(g) };
        this.pos = save;
      }
      return { t: 'num', raw: w };
    }
    throw new Error(`unexpected token '${w}' at ${this.pos - w.length}`);
  }
}

export function parseValue(text: string): PdfVal {
  return new PdfLexer(text).parse();
}

export function parseDict(text: string): PdfDictVal {
  const v = parseValue(text);
  if (v.t !== 'dict') throw new Error('not a dictionary: ' + text.slice(0, 40));
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Strings and dates

/** A text string for /Title, /Reason, /Name…: plain literal when ASCII, else UTF-16BE with a BOM (PDF 7.9.2.2). */
export function textString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return literalString(s);
  const be = Buffer.from(s, 'utf16le').swap16();
  return '<FEFF' + be.toString('hex').toUpperCase() + '>';
}

export function literalString(s: string): string {
  return '(' + s.replace(/[\\()]/g, (m) => '\\' + m) + ')';
}

/**
 * Vietnamese text in a Type1 font with WinAnsiEncoding: WinAnsi has no ố, ự, đ…, so the page text is written
 * unaccented, which is what many e-office exports of scanned-and-typed letters look like anyway.
 */
export function unaccent(s: string): string {
  return s
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** D:YYYYMMDDHHmmSS+07'00' in Vietnam time (UTC+7, no DST), as Vietnamese signing tools write /M. */
export function pdfDate(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `D:${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}` +
    `${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}+07'00'`
  );
}
