/**
 * One signed two-layer PDF of about 1 GB, written to disk in pieces.
 *
 * The samples library builds and signs documents as one Buffer and re-reads them as one latin1 string, which V8
 * caps at ~512 MB, so it cannot make this file directly. Instead it makes a small twin: the same document with a
 * small pad image (object 5), signed by the leader and then the agency. This module then writes the big file from
 * the twin's bytes: object 5 is replaced by an uncompressed image of the wanted size, every later byte is copied as
 * is, the xref tables, /Prev and startxref are recomputed for the new offsets, and both signatures are made again
 * over the new signed bytes with the same signer, the same signing time and the same CMS builder. The result is
 * the document the library would have made had it been able to hold it.
 */
import { randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import { signDetached } from '../samples/lib/cms-pkijs';
import { PdfFile } from '../samples/lib/pdf-reader';
import { locateSignatures } from '../samples/lib/pdf-writer';
import type { TestIdentity, TestPki } from '../samples/lib/test-pki';
import { makeUnitDocument, signAgency, signLeader } from '../samples/scenarios';

/** Widest xref table offset: ten digits. */
const MAX_XREF_OFFSET = 9_999_999_999;
const IMAGE_WIDTH = 256;
const ROW_BYTES = IMAGE_WIDTH * 3;
/** Random pixel data is written this much at a time, so the pad never sits in memory whole. */
const WRITE_CHUNK = 16 * 1024 * 1024;

/** A copied stretch of the twin: old offsets in [oldStart, oldEnd) move by delta in the big file. */
interface Region {
  oldStart: number;
  oldEnd: number;
  delta: number;
}

class Relocation {
  private readonly regions: Region[] = [];
  /** Single offsets that move on their own: rewritten xref sections (they change length) and the pad object. */
  private readonly points = new Map<number, number>();

  addRegion(oldStart: number, oldEnd: number, newStart: number): void {
    this.regions.push({ oldStart, oldEnd, delta: newStart - oldStart });
  }

  addPoint(oldOffset: number, newOffset: number): void {
    this.points.set(oldOffset, newOffset);
  }

  map(old: number): number {
    const x = this.points.get(old);
    if (x !== undefined) return x;
    for (const r of this.regions) if (old >= r.oldStart && old < r.oldEnd) return old + r.delta;
    throw new Error(`big-pdf: offset ${old} of the twin is in no copied region`);
  }
}

/** Sequential writer over a file descriptor that knows where it is. */
class Out {
  pos = 0;
  constructor(private readonly fd: number) {}
  write(b: Buffer): void {
    let done = 0;
    while (done < b.length) done += fs.writeSync(this.fd, b, done, b.length - done, this.pos + done);
    this.pos += b.length;
  }
  patch(at: number, b: Buffer): void {
    let done = 0;
    while (done < b.length) done += fs.writeSync(this.fd, b, done, b.length - done, at + done);
  }
  readInto(buf: Buffer, bufOffset: number, at: number, length: number): void {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buf, bufOffset + done, length - done, at + done);
      if (n <= 0) throw new Error('big-pdf: short read of the file being built');
      done += n;
    }
  }
}

/**
 * Rewrites one xref table section (`xref … trailer << … >> startxref N %%EOF`) of the twin for the big file: each
 * in-use offset through `reloc` (ten digits, so rows keep their width), /Prev through `reloc`, startxref to `self`.
 */
function rewriteXrefSection(text: string, reloc: Relocation, self: number): Buffer {
  if (!text.startsWith('xref')) throw new Error('big-pdf: the twin must use xref tables');
  let out = text.replace(/^(\d{10}) (\d{5}) n/gm, (_m, off: string, gen: string) => {
    const moved = reloc.map(Number(off));
    if (moved > MAX_XREF_OFFSET) throw new Error('big-pdf: offset does not fit an xref table row');
    return `${String(moved).padStart(10, '0')} ${gen} n`;
  });
  out = out.replace(/\/Prev (\d+)/, (_m, prev: string) => `/Prev ${reloc.map(Number(prev))}`);
  out = out.replace(/startxref\s+\d+/, `startxref\n${self}`);
  return Buffer.from(out, 'latin1');
}

interface SignatureSlot {
  /** New offsets in the big file: first char inside `/ByteRange [`, its width, `<` and one past `>` of /Contents. */
  br: number;
  brWidth: number;
  cStart: number;
  cEnd: number;
  signer: TestIdentity;
  at: Date;
}

/** Writes the ByteRange, reads the signed bytes back, signs them as the library would and writes the CMS. */
function signInPlace(out: Out, slot: SignatureSlot): void {
  const fileEnd = out.pos;
  const text = [0, slot.cStart, slot.cEnd, fileEnd - slot.cEnd].join(' ');
  if (text.length > slot.brWidth) throw new Error('big-pdf: byte range does not fit its placeholder');
  out.patch(slot.br, Buffer.from(text.padEnd(slot.brWidth, ' '), 'latin1'));
  // The CMS builder takes the signed bytes whole; ~1 GB held once here, during generation only.
  const signed = Buffer.allocUnsafe(slot.cStart + (fileEnd - slot.cEnd));
  out.readInto(signed, 0, 0, slot.cStart);
  out.readInto(signed, slot.cStart, slot.cEnd, fileEnd - slot.cEnd);
  const cms = signDetached(signed, { signer: slot.signer, signingTime: slot.at });
  const room = slot.cEnd - slot.cStart - 2;
  const hex = cms.toString('hex').toUpperCase();
  if (hex.length > room) throw new Error('big-pdf: CMS larger than its placeholder');
  out.patch(slot.cStart + 1, Buffer.from(hex.padEnd(room, '0'), 'latin1'));
}

/** Byte span [start, end) of object `num` in a revision laid out by the samples writer (objects, then xref). */
function objectSpan(f: PdfFile, num: number): [number, number] {
  const entry = f.sections[0].entries.get(num);
  if (!entry || entry.type !== 'offset') throw new Error(`big-pdf: object ${num} is not written directly`);
  const starts = [...f.sections[0].entries.values()]
    .filter((e): e is { type: 'offset'; offset: number; gen: number } => e.type === 'offset')
    .map((e) => e.offset)
    .filter((o) => o > entry.offset)
    .sort((a, b) => a - b);
  return [entry.offset, starts[0] ?? f.sections[0].offset];
}

export interface BigPdfInfo {
  size: number;
  seconds: number;
}

/** Builds the big signed document at `file` (about `targetBytes` long). */
export function buildBigSignedPdf(file: string, targetBytes: number, pki: TestPki): BigPdfInfo {
  const t0 = performance.now();
  const u = pki.units[0];
  const date = new Date(Date.UTC(2026, 10, 16));
  const leaderAt = new Date(date.getTime() + 2 * 3600_000);
  const agencyAt = new Date(date.getTime() + 5 * 3600_000);
  // padTo gives the twin a pad image at object 5, drawn on page 1: the object the big file enlarges.
  const s0 = makeUnitDocument({ unit: 0, so: 777, date, seed: 20261116, padTo: 40_000, xref: 'table' }, u.name);
  const s1 = signLeader(s0, u.leader, { at: leaderAt });
  const s2 = signAgency(s1, u.agency, { at: agencyAt });

  const f0 = new PdfFile(s0);
  const pad = f0.get(5);
  if (!pad || !/\/Subtype\s*\/Image/.test(pad.text.slice(0, 400))) throw new Error('big-pdf: object 5 of the twin is not the pad image');
  const [padStart, padEnd] = objectSpan(f0, 5);
  const revEnds = [s0.length, s1.length, s2.length];
  const f2 = new PdfFile(s2);
  // Newest first in the reader; oldest first here.
  const xrefOld = [...f2.sections].reverse().map((s) => s.offset);
  if (xrefOld.length !== 3 || f2.sections.some((s) => s.kind !== 'table')) throw new Error('big-pdf: unexpected twin layout');

  const height = Math.max(1, Math.ceil(Math.max(0, targetBytes - s2.length) / ROW_BYTES));
  const padLength = height * ROW_BYTES;
  const reloc = new Relocation();
  const fd = fs.openSync(file, 'w+');
  try {
    const out = new Out(fd);
    // Revision 0: everything before the pad as is, the big pad, the rest as is, a new xref table.
    reloc.addRegion(0, padStart, 0);
    reloc.addPoint(padStart, padStart);
    out.write(s0.subarray(0, padStart));
    out.write(
      Buffer.from(
        `5 0 obj\n<< /Type /XObject /Subtype /Image /Width ${IMAGE_WIDTH} /Height ${height} /ColorSpace /DeviceRGB` +
          ` /BitsPerComponent 8 /Length ${padLength} >>\nstream\n`,
        'latin1',
      ),
    );
    const noise = Buffer.allocUnsafe(WRITE_CHUNK);
    for (let left = padLength; left > 0; left -= WRITE_CHUNK) {
      const n = Math.min(left, WRITE_CHUNK);
      randomFillSync(noise, 0, n);
      out.write(noise.subarray(0, n));
    }
    out.write(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    reloc.addRegion(padEnd, xrefOld[0], out.pos);
    out.write(s0.subarray(padEnd, xrefOld[0]));
    reloc.addPoint(xrefOld[0], out.pos);
    out.write(rewriteXrefSection(s0.toString('latin1', xrefOld[0], revEnds[0]), reloc, out.pos));

    // Revisions 1 and 2: the signed updates, copied, re-indexed and signed again over the new bytes.
    const sigs = locateSignatures(s2);
    const signers = [
      { signer: u.leader, at: leaderAt },
      { signer: u.agency, at: agencyAt },
    ];
    for (let r = 1; r <= 2; r++) {
      const start = revEnds[r - 1];
      const newStart = out.pos;
      reloc.addRegion(start, xrefOld[r], newStart);
      out.write(s2.subarray(start, xrefOld[r]));
      reloc.addPoint(xrefOld[r], out.pos);
      out.write(rewriteXrefSection(s2.toString('latin1', xrefOld[r], revEnds[r]), reloc, out.pos));
      const sig = sigs.find((s) => s.contents && s.contents.start >= start && s.contents.start < xrefOld[r]);
      if (!sig?.contents) throw new Error(`big-pdf: no signature in revision ${r} of the twin`);
      const brKey = s2.lastIndexOf('/ByteRange [', sig.contents.start);
      if (brKey < start) throw new Error('big-pdf: /ByteRange not found before /Contents');
      const brOld = brKey + '/ByteRange ['.length;
      const brWidth = s2.indexOf(']', brOld) - brOld;
      signInPlace(out, {
        br: reloc.map(brOld),
        brWidth,
        cStart: reloc.map(sig.contents.start),
        cEnd: reloc.map(sig.contents.end - 1) + 1,
        ...signers[r - 1],
      });
    }
    return { size: out.pos, seconds: (performance.now() - t0) / 1000 };
  } finally {
    fs.closeSync(fd);
  }
}
