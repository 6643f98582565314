/**
 * Incremental updates whose cross-reference section is written by hand: the shapes a repairing reader forgives
 * and an attacker uses to hide an object from a verifier that trusts the xref (a subsection that declares more
 * rows than it has, a header with no rows, a count of ten million, a /Prev that skips an update, an object stream
 * whose member the xref stream does not list). The objects are real; only what the xref says about them lies.
 */
import * as zlib from 'node:zlib';
import { PdfFile } from './pdf-reader';
import { dget, serialize } from './pdf-syntax';

export interface RawObject {
  num: number;
  /** The body between `N 0 obj` and `endobj`. */
  body: string | Buffer;
}

/** The trailer entries every update repeats (/Root, /Info, /ID), read from the newest trailer. */
function trailerBasics(f: PdfFile): string {
  const out: string[] = [];
  for (const key of ['Root', 'Info', 'ID']) {
    const v = dget(f.trailer, key);
    if (v) out.push(`/${key} ${serialize(v)}`);
  }
  return out.join(' ');
}

function row(offset: number, gen: number, kind: 'n' | 'f'): string {
  return `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} ${kind}\r\n`;
}

/** Bytes appended after a file, knowing the absolute offset each piece lands at. */
class Appender {
  readonly parts: Buffer[] = [];
  at: number;
  constructor(private readonly pdf: Buffer) {
    this.at = pdf.length;
    if (pdf[pdf.length - 1] !== 0x0a) this.push('\n');
  }
  push(b: Buffer | string): void {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    this.parts.push(buf);
    this.at += buf.length;
  }
  result(): Buffer {
    return Buffer.concat([this.pdf, ...this.parts]);
  }
}

export interface HandWrittenXref {
  /** The text between `xref` and `trailer`, given each written object's offset (rows end in `\r\n`). */
  table: (offsets: ReadonlyMap<number, number>) => string;
  /** The /Prev to write; default: the newest xref section (a correct chain). */
  prev?: number;
}

/** Appends the objects and an xref table the caller writes, with a correct trailer and startxref. */
export function appendWithHandWrittenXref(pdf: Buffer, objects: RawObject[], xref: HandWrittenXref): Buffer {
  const f = new PdfFile(pdf);
  const out = new Appender(pdf);
  const offsets = new Map<number, number>();
  let size = f.size;
  for (const o of objects) {
    offsets.set(o.num, out.at);
    size = Math.max(size, o.num + 1);
    out.push(`${o.num} 0 obj\n`);
    out.push(o.body);
    out.push('\nendobj\n');
  }
  const xrefAt = out.at;
  const prev = xref.prev ?? f.sections[0].offset;
  out.push(`xref\n${xref.table(offsets)}trailer\n<< /Size ${size} ${trailerBasics(f)} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return out.result();
}

/** One xref row for a written object, for hand-written tables. */
export function inUse(offsets: ReadonlyMap<number, number>, num: number): string {
  const off = offsets.get(num);
  if (off === undefined) throw new Error(`object ${num} was not written`);
  return row(off, 0, 'n');
}

/** The free head of the list, object 0, as every table's first subsection has it. */
export const FREE_HEAD = `0 1\n${row(0, 65535, 'f')}`;

/**
 * An update in an xref stream whose object stream holds `hidden` members the xref stream does not list (it lists
 * only the object stream itself and the `listed` direct objects).
 */
export function appendObjectStreamHidingMembers(pdf: Buffer, hidden: RawObject[], listed: RawObject[] = []): Buffer {
  const f = new PdfFile(pdf);
  const out = new Appender(pdf);
  let size = f.size;
  for (const o of [...hidden, ...listed]) size = Math.max(size, o.num + 1);
  const stmNum = size++;
  const xrefNum = size++;

  let header = '';
  let data = '';
  for (const o of hidden) {
    header += `${o.num} ${data.length} `;
    data += (typeof o.body === 'string' ? o.body : o.body.toString('latin1')) + '\n';
  }
  const first = Buffer.byteLength(header + '\n', 'latin1');
  const packed = zlib.deflateSync(Buffer.from(header + '\n' + data, 'latin1'));
  const offsets = new Map<number, number>();
  const write = (num: number, head: string, stream: Buffer | null): void => {
    offsets.set(num, out.at);
    out.push(`${num} 0 obj\n${head}`);
    if (stream) out.push(Buffer.concat([Buffer.from('\nstream\n'), stream, Buffer.from('\nendstream')]));
    out.push('\nendobj\n');
  };
  write(stmNum, `<< /Type /ObjStm /N ${hidden.length} /First ${first} /Filter /FlateDecode /Length ${packed.length} >>`, packed);
  for (const o of listed) write(o.num, typeof o.body === 'string' ? o.body : o.body.toString('latin1'), null);

  // The xref stream lists the object stream, the listed objects and itself — not the object stream's members.
  const xrefAt = out.at;
  offsets.set(xrefNum, xrefAt);
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  const rows = Buffer.alloc(nums.length * 7);
  nums.forEach((n, i) => {
    rows[i * 7] = 1;
    rows.writeUInt32BE(offsets.get(n)!, i * 7 + 1);
    rows.writeUInt16BE(0, i * 7 + 5);
  });
  const index = nums.map((n) => `${n} 1`).join(' ');
  const body = zlib.deflateSync(rows);
  out.push(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] /Index [${index}] ${trailerBasics(f)} /Prev ${f.sections[0].offset} /Filter /FlateDecode /Length ${body.length} >>\nstream\n`);
  out.push(body);
  out.push(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  return out.result();
}
