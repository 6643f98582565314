import { DocumentError, type Budget } from '../errors';
import { Lexer, PdfSyntaxError, type ByteAccess, type Token } from './lexer';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfValue } from './objects';
import { isWhitespace } from './window';

export interface ParserOptions {
  maxDepth: number;
  budget?: Budget;
  /** Strings get file offsets only when parsing the file itself. */
  fromFile: boolean;
  /** Resolves an indirect /Length; null when it cannot be resolved. */
  lengthOf?: (ref: PdfRef) => number | null;
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** Offset of the object number. */
  start: number;
  /** Offset just past `endobj` (or past the value / `endstream` when `endobj` is missing). */
  end: number;
}

const ENDSTREAM = Buffer.from('endstream');
/**
 * Most items one array or dictionary may hold. Real ones hold thousands at most; a hostile file can write a
 * hundred million in one array, whose backing store V8 cannot grow without aborting the whole process (a single
 * allocation past a thread's heap cap is fatal, not an error the thread can be ended on): refused long before.
 */
export const MAX_ITEMS = 1 << 22;
const ENDOBJ = Buffer.from('endobj');

export class ObjectParser {
  constructor(
    private readonly bytes: ByteAccess,
    private readonly opts: ParserOptions,
  ) {}

  /** One direct value starting at `pos`, e.g. a trailer dictionary or an object-stream member. */
  parseValueAt(pos: number): { value: PdfValue; end: number } {
    const lexer = new Lexer(this.bytes, pos, this.opts.fromFile, this.opts.budget);
    const value = this.value(lexer, lexer.next(), 0);
    return { value, end: lexer.pos };
  }

  /** `N G obj … endobj` at `pos` (after optional whitespace); null when the header is not there. */
  parseIndirectAt(pos: number): IndirectObject | null {
    const lexer = new Lexer(this.bytes, pos, this.opts.fromFile, this.opts.budget);
    const header = readObjectHeader(lexer);
    if (header === null) return null;
    let value = this.value(lexer, lexer.next(), 0);
    let end = lexer.pos;
    if (value instanceof PdfDict) {
      const afterDict = lexer.pos;
      const t = lexer.next();
      if (t.kind === 'keyword' && t.value === 'stream') {
        const stream = this.stream(value, lexer.pos, header);
        value = stream.stream;
        end = stream.end;
        lexer.pos = end;
      } else {
        lexer.pos = afterDict;
      }
    }
    const after = lexer.pos;
    const t = lexer.next();
    if (t.kind === 'keyword' && t.value === 'endobj') end = lexer.pos;
    else lexer.pos = after;
    return { num: header.num, gen: header.gen, value, start: header.start, end };
  }

  private stream(dict: PdfDict, afterKeyword: number, owner: { num: number; gen: number }): { stream: PdfStream; end: number } {
    let dataStart = afterKeyword;
    const b0 = this.bytes.byte(dataStart);
    if (b0 === 0x0d) dataStart += this.bytes.byte(dataStart + 1) === 0x0a ? 2 : 1;
    else if (b0 === 0x0a) dataStart += 1;

    const declared = this.declaredLength(dict.get('Length'));
    if (declared !== null && dataStart + declared <= this.bytes.size) {
      const endKeyword = this.endstreamAt(dataStart + declared);
      if (endKeyword >= 0) {
        return { stream: new PdfStream(dict, dataStart, declared, owner), end: endKeyword + ENDSTREAM.length };
      }
    }
    // /Length is missing or lies: the data runs to the next `endstream`, minus the end-of-line before it.
    let hit = this.bytes.indexOf(ENDSTREAM, dataStart);
    if (hit < 0) {
      const endobj = this.bytes.indexOf(ENDOBJ, dataStart);
      hit = endobj >= 0 ? endobj : this.bytes.size;
      return { stream: new PdfStream(dict, dataStart, trimEol(this.bytes, dataStart, hit) - dataStart, owner), end: hit };
    }
    return {
      stream: new PdfStream(dict, dataStart, trimEol(this.bytes, dataStart, hit) - dataStart, owner),
      end: hit + ENDSTREAM.length,
    };
  }

  private declaredLength(v: PdfValue | undefined): number | null {
    let n: PdfValue | undefined = v;
    if (n instanceof PdfRef) n = this.opts.lengthOf ? this.opts.lengthOf(n) : null;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
  }

  /** Offset of `endstream` when it follows `pos` after optional whitespace, else -1. */
  private endstreamAt(pos: number): number {
    let p = pos;
    for (let i = 0; i < 4 && isWhitespace(this.bytes.byte(p)); i++) p++;
    return this.bytes.slice(p, p + ENDSTREAM.length).equals(ENDSTREAM) ? p : -1;
  }

  private value(lexer: Lexer, t: Token, depth: number): PdfValue {
    this.opts.budget?.check();
    switch (t.kind) {
      case 'number':
        return t.integer && t.value >= 0 ? this.maybeRef(lexer, t.value) : t.value;
      case 'name':
        return new PdfName(t.value);
      case 'string':
        return t.value;
      case '[':
        return this.array(lexer, depth + 1, t.start);
      case '<<':
        return this.dict(lexer, depth + 1, t.start);
      case 'keyword':
        if (t.value === 'true') return true;
        if (t.value === 'false') return false;
        if (t.value === 'null') return null;
        throw new PdfSyntaxError(`unexpected keyword ${JSON.stringify(t.value.slice(0, 20))}`, t.start);
      case 'eof':
        throw new PdfSyntaxError('unexpected end of data', t.start);
      default:
        throw new PdfSyntaxError(`unexpected ${t.kind}`, t.start);
    }
  }

  private checkDepth(depth: number, at: number): void {
    if (depth > this.opts.maxDepth) throw new DocumentError('TOO_DEEP', `nesting deeper than ${this.opts.maxDepth} at offset ${at}`);
  }

  private maybeRef(lexer: Lexer, num: number): PdfValue {
    const save = lexer.pos;
    const g = lexer.next();
    if (g.kind === 'number' && g.integer && g.value >= 0) {
      const r = lexer.next();
      if (r.kind === 'keyword' && r.value === 'R') return new PdfRef(num, g.value);
    }
    lexer.pos = save;
    return num;
  }

  private array(lexer: Lexer, depth: number, start: number): PdfValue[] {
    this.checkDepth(depth, start);
    const out: PdfValue[] = [];
    for (;;) {
      const t = lexer.next();
      if (t.kind === ']') return out;
      if (t.kind === 'eof') throw new PdfSyntaxError('unterminated array', start);
      if (t.kind === 'keyword' && (t.value === 'endobj' || t.value === 'obj' || t.value === 'stream')) {
        throw new PdfSyntaxError('unterminated array', start);
      }
      if (out.length >= MAX_ITEMS) throw new DocumentError('TOO_COMPLEX', `an array of more than ${MAX_ITEMS} items at offset ${start}`);
      out.push(this.value(lexer, t, depth));
    }
  }

  private dict(lexer: Lexer, depth: number, start: number): PdfDict {
    this.checkDepth(depth, start);
    const map = new Map<string, PdfValue>();
    for (;;) {
      const t = lexer.next();
      if (t.kind === '>>') return new PdfDict(map);
      if (t.kind === 'eof') throw new PdfSyntaxError('unterminated dictionary', start);
      if (t.kind !== 'name') {
        if (t.kind === 'keyword' && (t.value === 'endobj' || t.value === 'stream' || t.value === 'obj')) {
          throw new PdfSyntaxError('unterminated dictionary', start);
        }
        continue; // junk where a key belongs: skip it, as other readers do
      }
      const vt = lexer.next();
      if (vt.kind === '>>') {
        map.set(t.value, null);
        return new PdfDict(map);
      }
      if (map.size >= MAX_ITEMS) throw new DocumentError('TOO_COMPLEX', `a dictionary of more than ${MAX_ITEMS} keys at offset ${start}`);
      map.set(t.value, this.value(lexer, vt, depth));
    }
  }
}

/** Reads `N G obj`; null (with the lexer unmoved) when absent. */
export function readObjectHeader(lexer: Lexer): { num: number; gen: number; start: number } | null {
  const save = lexer.pos;
  const n = lexer.next();
  const g = n.kind === 'number' ? lexer.next() : null;
  const k = g !== null && g.kind === 'number' ? lexer.next() : null;
  if (
    n.kind === 'number' && n.integer && n.value >= 0 &&
    g !== null && g.kind === 'number' && g.integer && g.value >= 0 &&
    k !== null && k.kind === 'keyword' && k.value === 'obj'
  ) {
    return { num: n.value, gen: g.value, start: n.start };
  }
  lexer.pos = save;
  return null;
}

function trimEol(bytes: ByteAccess, start: number, end: number): number {
  let e = end;
  if (e > start && bytes.byte(e - 1) === 0x0a) e--;
  if (e > start && bytes.byte(e - 1) === 0x0d) e--;
  return e;
}
