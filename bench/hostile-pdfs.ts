/**
 * Hostile PDFs for the budget tests and for measuring by hand, made at run time (never committed: they are tens or
 * hundreds of megabytes). Two shapes an attacker found to hurt:
 *
 * - many signatures: one revision whose AcroForm has N signature fields, each with its own signature dictionary
 *   holding a small CMS that parses (so each would be hashed and checked) and a /ByteRange that covers the whole
 *   file but its own /Contents, as a real signature's does. 100,000 of them make about 24 MB.
 * - a huge xref table: a small valid document whose classic xref table claims N rows (10,000,000 make about
 *   200 MB), written to a file as it is made so it never sits in memory.
 *
 * `node dist/bench/hostile-pdfs.js signatures 100000 out.pdf` and `… xref 10000000 out.pdf [free|inuse]` write them.
 */
import * as fs from 'node:fs';
import { int, nul, octets, oid, seq, set } from '../samples/lib/der';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const RSA = '1.2.840.113549.1.1.1';
const DATA = '1.2.840.113549.1.7.1';
const SIGNED_DATA = '1.2.840.113549.1.7.2';

/**
 * The smallest CMS SignedData the verifier accepts for checking: one SignerInfo, no signed attributes (so the
 * verifier needs the signed bytes themselves, the most it can be made to keep), a one-byte signature.
 */
export function tinyCms(serial: number): Buffer {
  const signer = seq(
    int(1),
    seq(seq(), int(serial + 1)),
    seq(oid(SHA256)),
    seq(oid(RSA), nul()),
    octets(Buffer.from([serial & 0xff])),
  );
  const signedData = seq(int(1), set(seq(oid(SHA256))), seq(oid(DATA)), set(signer));
  return seq(oid(SIGNED_DATA), Buffer.concat([Buffer.from([0xa0]), derLength(signedData.length), signedData]));
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  return n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

const pad10 = (n: number): string => String(n).padStart(10, '0');

/** How each /Contents is written: a hex string, as signers write it, or a literal string, half the size. */
export type ContentsForm = 'hex' | 'literal';

/** A PDF literal string holding `bytes`: `(`, `)` and `\\` escaped, and CR (which a reader would turn into LF). */
function literalString(bytes: Buffer): Buffer {
  const out: number[] = [0x28];
  for (const b of bytes) {
    if (b === 0x0d) {
      out.push(0x5c, 0x72);
      continue;
    }
    if (b === 0x28 || b === 0x29 || b === 0x5c) out.push(0x5c);
    out.push(b);
  }
  out.push(0x29);
  return Buffer.from(out);
}

/**
 * One revision, `count` signature fields each with its own signature dictionary. Numbers in /ByteRange are written
 * ten digits wide, so every offset is known before the file's size is, and filled in at the end.
 */
export function manySignaturesPdf(count: number, contents: ContentsForm = 'literal'): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  const offsets: number[] = [];
  const push = (b: Buffer | string): void => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  const obj = (num: number, body: string): void => {
    offsets[num] = length;
    push(`${num} 0 obj\n${body}\nendobj\n`);
  };
  // Object numbers: 1 catalog, 2 pages, 3 page, then field i = 4 + 2i, its signature dictionary 5 + 2i.
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const fields: string[] = [];
  for (let i = 0; i < count; i++) fields.push(`${4 + 2 * i} 0 R`);
  obj(1, `<< /Type /Catalog /Pages 2 0 R /AcroForm << /SigFlags 3 /Fields [${fields.join(' ')}] >> >>`);
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  // Where each /ByteRange's four numbers go, and where its /Contents string starts and ends.
  const holes: { at: number; a: number; b: number }[] = [];
  for (let i = 0; i < count; i++) {
    obj(4 + 2 * i, `<< /FT /Sig /T (s${i}) /V ${5 + 2 * i} 0 R >>`);
    const head = `${5 + 2 * i} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [`;
    offsets[5 + 2 * i] = length;
    const at = length + head.length;
    const rangeText = `${pad10(0)} ${pad10(0)} ${pad10(0)} ${pad10(0)}`;
    const middle = `${head}${rangeText}] /Contents `;
    const a = length + middle.length;
    const value = contents === 'hex' ? Buffer.from(`<${tinyCms(i).toString('hex')}>`, 'latin1') : literalString(tinyCms(i));
    holes.push({ at, a, b: a + value.length });
    push(Buffer.concat([Buffer.from(middle, 'latin1'), value, Buffer.from(' >>\nendobj\n', 'latin1')]));
  }
  const total = 4 + 2 * count;
  const xrefAt = length;
  const rows: string[] = ['0000000000 65535 f\r\n'];
  for (let n = 1; n < total; n++) rows.push(`${pad10(offsets[n]!)} 00000 n\r\n`);
  push(`xref\n0 ${total}\n${rows.join('')}trailer\n<< /Size ${total} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  const file = Buffer.concat(parts);
  for (const h of holes) {
    const text = `${pad10(0)} ${pad10(h.a)} ${pad10(h.b)} ${pad10(file.length - h.b)}`;
    file.write(text, h.at, 'latin1');
  }
  return file;
}

export type XrefRows = 'free' | 'inuse';

/**
 * A one-page document whose classic xref table has `rows` rows: the real objects first, then free rows (`free`) or
 * in-use rows that all name the page's offset (`inuse`), which no object number but 3 can match. Written to `file`
 * in pieces; returns its size.
 */
export function writeHugeXrefPdf(file: string, rows: number, kind: XrefRows = 'inuse'): number {
  const fd = fs.openSync(file, 'w');
  try {
    let length = 0;
    const write = (s: string): void => {
      const b = Buffer.from(s, 'latin1');
      fs.writeSync(fd, b);
      length += b.length;
    };
    const offsets: number[] = [];
    const obj = (num: number, body: string): void => {
      offsets[num] = length;
      write(`${num} 0 obj\n${body}\nendobj\n`);
    };
    write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
    obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
    const xrefAt = length;
    write(`xref\n0 ${rows}\n0000000000 65535 f\r\n`);
    for (let n = 1; n <= 3 && n < rows; n++) write(`${pad10(offsets[n]!)} 00000 n\r\n`);
    const filler = kind === 'free' ? '0000000000 00001 f\r\n' : `${pad10(offsets[3]!)} 00000 n\r\n`;
    const perChunk = 50_000;
    const chunk = filler.repeat(perChunk);
    let left = Math.max(0, rows - 4);
    while (left > 0) {
      const n = Math.min(perChunk, left);
      write(n === perChunk ? chunk : filler.repeat(n));
      left -= n;
    }
    write(`trailer\n<< /Size ${rows} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    return length;
  } finally {
    fs.closeSync(fd);
  }
}

if (require.main === module) {
  const [what, n, out, kind] = process.argv.slice(2);
  const count = Number(n);
  if (!out || !Number.isInteger(count) || count < 1 || (what !== 'signatures' && what !== 'xref')) {
    process.stderr.write('usage: hostile-pdfs signatures COUNT OUT.pdf [literal|hex] | xref ROWS OUT.pdf [free|inuse]\n');
    process.exit(2);
  }
  if (what === 'signatures') fs.writeFileSync(out, manySignaturesPdf(count, kind === 'hex' ? 'hex' : 'literal'));
  else writeHugeXrefPdf(out, count, kind === 'free' ? 'free' : 'inuse');
  process.stdout.write(`${out}: ${fs.statSync(out).size} bytes\n`);
}
