/**
 * The sample PDF writer: a base document (xref table or stream, optional object streams), and TRUE incremental
 * updates on top of it: signatures (leader, agency, document timestamp, usage rights), a DSS, and arbitrary object
 * overrides for attacks. An update only ever appends: the earlier bytes, and so the earlier signatures' byte ranges,
 * stay exactly as they were, which is what ND 30 two-layer signing (and PAdES) rely on.
 *
 * Layout of a signature, as real signing tools write it: `/ByteRange [0 a b c]` is written with fixed-width
 * padding, the revision is laid out with a zero-filled `/Contents <00…>` placeholder, then the byte range is
 * patched in, the signed bytes [0,a) + [b,b+c) are handed to `sign`, and the returned CMS is hexed into the
 * placeholder. Nothing moves, so the xref offsets written before the patch stay right.
 */
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import { deflate, noiseImage, sealImage, signatureImage, type RasterImage } from './pdf-images';
import { PdfFile } from './pdf-reader';
import {
  type PdfDictVal,
  type PdfVal,
  arr,
  asRef,
  dget,
  dset,
  literalString,
  name,
  num,
  pdfDate,
  ref,
  serialize,
  textString,
  unaccent,
} from './pdf-syntax';

export { readObject, PdfFile } from './pdf-reader';

export type XrefKind = 'table' | 'stream';
export type SubFilter = 'adbe.pkcs7.detached' | 'ETSI.CAdES.detached' | 'adbe.pkcs7.sha1' | 'adbe.x509.rsa_sha1' | 'ETSI.RFC3161';
export type Rect = [number, number, number, number];

/** A4 in points. */
const MEDIA_BOX = '[0 0 595.28 841.89]';
/** Room for up to six 10-digit numbers: normal ranges use four, wrapping attacks may need six. */
const BYTE_RANGE_WIDTH = 70;

// ---------------------------------------------------------------------------------------------------------------
// Revision serialization

interface RawObj {
  num: number;
  body: Buffer;
  /** Stream objects may not go into an object stream. */
  isStream: boolean;
}

function obj(numb: number, body: string | Buffer): RawObj {
  const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  return { num: numb, body: b, isStream: /(^|[\s>])stream\r?\n/.test(b.subarray(0, 4096).toString('latin1')) };
}

/** `<< entries /Length n >> stream … endstream`, the body of a stream object. */
function streamBody(entries: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${entries}${entries ? ' ' : ''}/Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

interface RevisionOptions {
  xref: XrefKind;
  /** Put non-stream objects in an /ObjStm (requires xref: 'stream'). */
  objectStreams?: boolean;
  freed?: number[];
  prev?: number;
  /** Trailer /Size before this revision (new numbers extend it). */
  size: number;
  root: string;
  info?: string;
  id: [string, string];
}

interface Revision {
  bytes: Buffer;
  /** Absolute file offset of each directly written object's `N 0 obj`. */
  offsets: Map<number, number>;
}

/**
 * Appends one revision: objects, then an xref table + trailer or an xref stream, then startxref/%%EOF.
 * `baseLen` is the length of what precedes (0 with a header in `prefix` for the first revision).
 */
function buildRevision(baseLen: number, prefix: Buffer, objs: RawObj[], r: RevisionOptions): Revision {
  const chunks: Buffer[] = [prefix];
  let len = baseLen + prefix.length;
  const offsets = new Map<number, number>();
  const compressed = new Map<number, { stream: number; index: number }>();
  let size = r.size;
  for (const o of objs) size = Math.max(size, o.num + 1);
  for (const n of r.freed ?? []) size = Math.max(size, n + 1);

  const push = (b: Buffer): void => {
    chunks.push(b);
    len += b.length;
  };
  const writeObj = (o: RawObj): void => {
    offsets.set(o.num, len);
    push(Buffer.from(`${o.num} 0 obj\n`, 'latin1'));
    push(o.body);
    push(Buffer.from('\nendobj\n', 'latin1'));
  };

  let direct = objs;
  if (r.objectStreams) {
    if (r.xref !== 'stream') throw new Error('object streams need an xref stream');
    const packed = objs.filter((o) => !o.isStream);
    direct = objs.filter((o) => o.isStream);
    if (packed.length) {
      const stmNum = size++;
      let header = '';
      let data = '';
      packed.forEach((o, i) => {
        header += `${o.num} ${data.length} `;
        data += o.body.toString('latin1') + '\n';
        compressed.set(o.num, { stream: stmNum, index: i });
      });
      const raw = Buffer.from(header + '\n' + data, 'latin1');
      const first = Buffer.byteLength(header + '\n', 'latin1');
      direct = [
        ...direct,
        { num: stmNum, body: streamBody(`/Type /ObjStm /N ${packed.length} /First ${first} /Filter /FlateDecode`, deflate(raw)), isStream: true },
      ];
    }
  }
  for (const o of direct) writeObj(o);

  const first = baseLen === 0;
  const freed = r.freed ?? [];
  const trailerEntries =
    `/Root ${r.root}` + (r.info ? ` /Info ${r.info}` : '') + ` /ID [<${r.id[0]}> <${r.id[1]}>]` +
    (r.prev !== undefined ? ` /Prev ${r.prev}` : '');

  // Entries of this section: written objects, compressed ones, freed ones, and object 0 when it heads a free list.
  type Ent = { t: 0 | 1 | 2; a: number; b: number };
  const ents = new Map<number, Ent>();
  for (const [n, off] of offsets) ents.set(n, { t: 1, a: off, b: 0 });
  for (const [n, c] of compressed) ents.set(n, { t: 2, a: c.stream, b: c.index });
  freed.forEach((n, i) => ents.set(n, { t: 0, a: freed[i + 1] ?? 0, b: 1 }));
  if (first || freed.length) ents.set(0, { t: 0, a: freed[0] ?? 0, b: 65535 });

  if (r.xref === 'table') {
    const xrefOff = len;
    let text = 'xref\n';
    for (const [start, nums] of runs([...ents.keys()])) {
      text += `${start} ${nums.length}\n`;
      for (const n of nums) {
        const e = ents.get(n) as Ent;
        text += `${String(e.a).padStart(10, '0')} ${String(e.b).padStart(5, '0')} ${e.t === 0 ? 'f' : 'n'}\r\n`;
      }
    }
    text += `trailer\n<< /Size ${size} ${trailerEntries} >>\nstartxref\n${xrefOff}\n%%EOF\n`;
    push(Buffer.from(text, 'latin1'));
  } else {
    const xnum = size++;
    const xrefOff = len;
    ents.set(xnum, { t: 1, a: xrefOff, b: 0 });
    const keys = [...ents.keys()].sort((x, y) => x - y);
    const rows = Buffer.alloc(keys.length * 7);
    let index = '';
    let p = 0;
    for (const [start, nums] of runs(keys)) {
      index += `${start} ${nums.length} `;
      for (const n of nums) {
        const e = ents.get(n) as Ent;
        rows[p] = e.t;
        rows.writeUInt32BE(e.a, p + 1);
        rows.writeUInt16BE(e.b, p + 5);
        p += 7;
      }
    }
    const body = streamBody(
      `/Type /XRef /Size ${size} /W [1 4 2] /Index [${index.trim()}] ${trailerEntries} /Filter /FlateDecode`,
      zlib.deflateSync(rows),
    );
    push(Buffer.from(`${xnum} 0 obj\n`, 'latin1'));
    push(body);
    push(Buffer.from(`\nendobj\nstartxref\n${xrefOff}\n%%EOF\n`, 'latin1'));
  }
  return { bytes: Buffer.concat(chunks), offsets };
}

/** Groups sorted object numbers into contiguous runs (xref subsections / /Index pairs). */
function runs(nums: number[]): Array<[number, number[]]> {
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  const out: Array<[number, number[]]> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1].length === n) last[1].push(n);
    else out.push([n, [n]]);
  }
  return out;
}

function hexId(data: string | Buffer): string {
  return crypto.createHash('md5').update(data).digest('hex').toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------------
// Base document

export interface DocumentOptions {
  title: string;
  lines: string[];
  pages?: number;
  /** Approximate total size in bytes, reached with an incompressible image drawn small on page 1. */
  padTo?: number;
  seed?: number;
  xref?: XrefKind;
  /** Non-stream objects in an /ObjStm; forces an xref stream. */
  objectStreams?: boolean;
  /** Creation date written to /Info (default: a fixed date derived from the seed, for reproducible output). */
  created?: Date;
}

function contentStream(lines: string[], footer: string, drawPad: boolean): Buffer {
  const esc = (s: string): string => literalString(unaccent(s));
  let c = 'BT\n/F1 13 Tf\n16 TL\n60 790 Td\n';
  lines.forEach((l, i) => {
    c += `${i === 0 ? '' : 'T* '}${esc(l)} Tj\n`;
  });
  c += 'ET\nBT\n/F1 9 Tf\n280 30 Td\n' + `${esc(footer)} Tj\nET\n`;
  if (drawPad) c += 'q 24 0 0 24 60 30 cm /Pad Do Q\n';
  return Buffer.from(c, 'latin1');
}

export function makeDocument(o: DocumentOptions): Buffer {
  const seed = o.seed ?? 1;
  const xref: XrefKind = o.objectStreams ? 'stream' : (o.xref ?? 'table');
  const pages = Math.max(1, o.pages ?? 1);
  const created = o.created ?? new Date(Date.UTC(2025, 0, 1) + (seed % 500) * 86400_000);

  const build = (padBytes: number): Buffer => {
    const objs: RawObj[] = [];
    const pageNums: number[] = [];
    let next = 5;
    const padNum = padBytes > 0 ? next++ : 0;
    if (padBytes > 0) {
      const img = noiseImage(seed, padBytes);
      objs.push(obj(padNum, imageBody(img, null)));
    }
    for (let p = 0; p < pages; p++) {
      const pageNum = next++;
      const contNum = next++;
      pageNums.push(pageNum);
      const lines =
        p === 0
          ? o.lines
          : [`${o.title}`, '', ...filler(seed + p, 30)];
      const xo = p === 0 && padNum ? ` /XObject << /Pad ${padNum} 0 R >>` : '';
      objs.push(
        obj(
          pageNum,
          `<< /Type /Page /Parent 2 0 R /MediaBox ${MEDIA_BOX} /Resources << /Font << /F1 3 0 R >>${xo} >> /Contents ${contNum} 0 R >>`,
        ),
      );
      objs.push(obj(contNum, streamBody('', contentStream(lines, `Trang ${p + 1}/${pages}`, p === 0 && padNum > 0))));
    }
    objs.unshift(
      obj(1, '<< /Type /Catalog /Pages 2 0 R /Lang (vi-VN) >>'),
      obj(2, `<< /Type /Pages /Kids [${pageNums.map((n) => `${n} 0 R`).join(' ')}] /Count ${pages} >>`),
      obj(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>'),
      obj(
        4,
        `<< /Title ${textString(o.title)} /Producer (kiemky samples) /Creator (kiemky samples) /CreationDate (${pdfDate(created)}) >>`,
      ),
    );
    const id = hexId(`${o.title}|${seed}|${o.lines.join('\n')}`);
    const header = Buffer.concat([Buffer.from('%PDF-1.7\n%', 'latin1'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from('\n')]);
    return buildRevision(0, header, objs, {
      xref,
      objectStreams: o.objectStreams,
      size: 1,
      root: '1 0 R',
      info: '4 0 R',
      id: [id, id],
    }).bytes;
  };

  const plain = build(0);
  if (!o.padTo || o.padTo <= plain.length + 1024) return plain;
  // The image dictionary and the extra xref lines cost ~250 bytes; the rest of the gap is pixel data.
  return build(o.padTo - plain.length - 300);
}

/** Deterministic "body text" for extra pages, so multi-page files differ per seed. */
function filler(seed: number, n: number): string[] {
  const words = ['van ban', 'thuc hien', 'quy dinh', 'co quan', 'don vi', 'bao cao', 'ke hoach', 'trien khai', 'noi dung', 'ket qua', 'de nghi', 'theo doi'];
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let l = '';
    for (let j = 0; j < 9; j++) {
      x = (x * 1103515245 + 12345) >>> 0;
      l += words[x % words.length] + ' ';
    }
    out.push(l.trim());
  }
  return out;
}

/** Image XObject body; the soft mask (alpha) is a separate object referenced by number. */
function imageBody(img: RasterImage, smaskNum: number | null): Buffer {
  const isNoise = smaskNum === null && img.alpha === null;
  // Noise is stored unfiltered: deflating random data only makes it bigger.
  const data = isNoise ? img.rgb : deflate(img.rgb);
  return streamBody(
    `/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceRGB /BitsPerComponent 8` +
      (isNoise ? '' : ' /Filter /FlateDecode') +
      (smaskNum !== null ? ` /SMask ${smaskNum} 0 R` : ''),
    data,
  );
}

function smaskBody(img: RasterImage): Buffer {
  return streamBody(
    `/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
    deflate(img.alpha ?? Buffer.alloc(img.width * img.height, 255)),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Incremental updates

/** The next free object number of a file: what `appendUpdate` would give the first object without `num`. */
export function nextObjectNumber(pdf: Buffer): number {
  return new PdfFile(pdf).size;
}

/** A newline before the update when the file does not end with one (the earlier bytes are never touched). */
function separator(pdf: Buffer): Buffer {
  const last = pdf[pdf.length - 1];
  return last === 0x0a || last === 0x0d ? Buffer.alloc(0) : Buffer.from('\n');
}

function trailerInfo(f: PdfFile): { root: string; info?: string; id0: string } {
  const t = f.trailer;
  const root = dget(t, 'Root');
  const info = dget(t, 'Info');
  const id = dget(t, 'ID');
  let id0 = hexId(f.buf.subarray(0, 1024));
  if (id && id.t === 'arr' && id.items[0]?.t === 'str') {
    const raw = id.items[0].raw;
    if (raw.startsWith('<')) id0 = raw.slice(1, -1);
  }
  return { root: root ? serialize(root) : '1 0 R', info: info ? serialize(info) : undefined, id0 };
}

function updateOf(
  pdf: Buffer,
  f: PdfFile,
  objs: RawObj[],
  o: { xref?: XrefKind; rootOverride?: string; freed?: number[] },
): Revision {
  const sep = separator(pdf);
  const ti = trailerInfo(f);
  const prev = f.sections[0].offset;
  const newId = hexId(Buffer.concat([pdf.subarray(Math.max(0, pdf.length - 256)), ...objs.map((x) => x.body)]));
  return buildRevision(pdf.length, sep, objs, {
    xref: o.xref ?? f.sections[0].kind,
    freed: o.freed,
    prev,
    size: f.size,
    root: o.rootOverride ?? ti.root,
    info: ti.info,
    id: [ti.id0, newId],
  });
}

export interface UpdateObject {
  /** Omit for a new object number. */
  num?: number;
  /** The body between `N 0 obj` and `endobj`: `<< … >>`, or a dictionary followed by `stream … endstream`. */
  body: string | Buffer;
}

/**
 * One generic incremental update (for attacks: override page content, add annotations, free objects, …).
 * `rootOverride` is a reference like `12 0 R`.
 */
export function appendUpdate(
  pdf: Buffer,
  objects: UpdateObject[],
  o: { xref?: XrefKind; rootOverride?: string; freed?: number[] } = {},
): Buffer {
  const f = new PdfFile(pdf);
  let next = f.size;
  const objs = objects.map((x) => obj(x.num ?? next++, x.body));
  return Buffer.concat([pdf, updateOf(pdf, f, objs, o).bytes]);
}

/** Builds a stream object body for `appendUpdate` (e.g. replacement page content). */
export function makeStreamBody(entries: string, data: Buffer | string): Buffer {
  return streamBody(entries, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
}

/** Page content in the same style as `makeDocument`'s, for attacks that replace what a page shows. */
export function makePageContent(lines: string[]): Buffer {
  return streamBody('', contentStream(lines, 'Trang 1/1', false));
}

// ---------------------------------------------------------------------------------------------------------------
// Signatures

/** Hooks for forged signature dictionaries (Universal Signature Forgery, Signature Wrapping). */
export interface SignatureForgery {
  /** `empty`: `/Contents <>`; `zeros`: the placeholder left all zeros; `missing`: no /Contents key. */
  contents?: 'empty' | 'zeros' | 'missing';
  /**
   * `missing`: no /ByteRange key; `zeros`: `[0 0 0 0]`; a function: the numbers to write (any count, even), from
   * the real layout. The signature is then computed over the pairs those numbers name, so it is cryptographically
   * right and only the structure is wrong.
   */
  byteRange?: 'missing' | 'zeros' | ((l: { contentsStart: number; contentsEnd: number; fileEnd: number }) => number[]);
  /** Raw text written inside the signature dictionary right after the /Contents string. */
  afterContents?: string;
}

export interface SignFieldOptions {
  fieldName: string;
  /** 0-based page index (default 0). */
  page?: number;
  rect?: Rect;
  /** Blue signature / red seal image in the widget's /AP /N; null or omitted with DocTimeStamp: invisible. */
  image?: 'signature' | 'seal' | null;
  subFilter?: SubFilter;
  type?: 'Sig' | 'DocTimeStamp';
  name?: string;
  reason?: string;
  location?: string;
  /** Written as /M, D:YYYYMMDDHHmmSS+07'00' (default now). */
  m?: Date;
  /** DocMDP certification: /Reference in the signature and catalog /Perms /DocMDP. */
  certify?: 1 | 2 | 3;
  /** Bytes reserved for the CMS (default 12000). */
  placeholder?: number;
  xref?: XrefKind;
  sign: (signedBytes: Buffer) => Buffer;
  /** More fields (merged field/widget) whose /V is this same signature dictionary. */
  extraFieldNames?: string[];
  /** /Cert (adbe.x509.rsa_sha1): one certificate is written as a string, an array as an array of strings. */
  cert?: Buffer | Buffer[];
  forge?: SignatureForgery;
}

/** Default widget rectangles: the seal (~38 mm) overlaps about the left third of the leader's signature image. */
export const LEADER_RECT: Rect = [350, 90, 500, 150];
export const SEAL_RECT: Rect = [295, 62, 403, 170];

interface SigDictLayout {
  body: Buffer;
  /** Index in body of the ByteRange placeholder's first char (after `[`), or -1. */
  br: number;
  /** Index in body of `<` of /Contents and one past `>`, or -1. */
  cStart: number;
  cEnd: number;
}

function sigDict(entries: string, o: { placeholder: number; forge?: SignatureForgery; tail: string }): SigDictLayout {
  const forge = o.forge ?? {};
  let s = '<< ' + entries;
  let br = -1;
  if (forge.byteRange !== 'missing') {
    s += ' /ByteRange [';
    br = s.length;
    s += ' '.repeat(BYTE_RANGE_WIDTH) + ']';
  }
  let cStart = -1;
  let cEnd = -1;
  if (forge.contents !== 'missing') {
    s += ' /Contents ';
    cStart = s.length;
    s += forge.contents === 'empty' ? '<>' : '<' + '0'.repeat(o.placeholder * 2) + '>';
    cEnd = s.length;
  }
  if (forge.afterContents) s += ' ' + forge.afterContents;
  s += o.tail + ' >>';
  return { body: Buffer.from(s, 'latin1'), br, cStart, cEnd };
}

/**
 * Lays out one signed revision, patches the ByteRange, signs, and writes the CMS. `sigNum` must be among `objs`
 * (its body replaced by the layout's).
 */
function signRevision(
  pdf: Buffer,
  f: PdfFile,
  objs: RawObj[],
  sigNum: number,
  layout: SigDictLayout,
  o: { xref?: XrefKind; placeholder: number; forge?: SignatureForgery; sign: (b: Buffer) => Buffer },
): Buffer {
  const rev = updateOf(pdf, f, objs, { xref: o.xref });
  const out = Buffer.concat([pdf, rev.bytes]);
  const objOff = rev.offsets.get(sigNum);
  if (objOff === undefined) throw new Error('signature dictionary was not written directly');
  const base = objOff + `${sigNum} 0 obj\n`.length;
  const fileEnd = out.length;
  // The normal range is also what a forged dictionary is signed over when it hides the range itself.
  const cStart = layout.cStart >= 0 ? base + layout.cStart : -1;
  const cEnd = layout.cEnd >= 0 ? base + layout.cEnd : -1;
  let numbers: number[];
  const forge = o.forge ?? {};
  if (cStart < 0) numbers = [0, fileEnd, 0, 0];
  else numbers = [0, cStart, cEnd, fileEnd - cEnd];
  let written = numbers;
  if (forge.byteRange === 'zeros') written = [0, 0, 0, 0];
  else if (typeof forge.byteRange === 'function') {
    written = forge.byteRange({ contentsStart: cStart, contentsEnd: cEnd, fileEnd });
    numbers = written;
  }
  if (layout.br >= 0) {
    const text = written.join(' ');
    if (text.length > BYTE_RANGE_WIDTH) throw new Error('byte range does not fit its placeholder');
    out.write(text.padEnd(BYTE_RANGE_WIDTH, ' '), base + layout.br, 'latin1');
  }
  if (cStart < 0 || forge.contents === 'empty' || forge.contents === 'zeros') return out;
  const parts: Buffer[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) parts.push(out.subarray(numbers[i], numbers[i] + numbers[i + 1]));
  const cms = o.sign(Buffer.concat(parts));
  if (cms.length > o.placeholder) {
    throw new Error(`CMS is ${cms.length} bytes, placeholder ${o.placeholder}: raise 'placeholder'`);
  }
  out.write(cms.toString('hex').toUpperCase(), cStart + 1, 'latin1');
  return out;
}

/** Field/widget appearance: the image scaled to the widget rectangle, or an empty form for invisible ones. */
function appearance(
  alloc: () => number,
  objs: RawObj[],
  image: 'signature' | 'seal' | null,
  rect: Rect,
  seed: number,
): number {
  const w = Math.max(0, rect[2] - rect[0]);
  const h = Math.max(0, rect[3] - rect[1]);
  const apNum = alloc();
  if (!image) {
    objs.push(obj(apNum, streamBody(`/Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}]`, Buffer.alloc(0))));
    return apNum;
  }
  const img = image === 'signature' ? signatureImage(seed) : sealImage(seed);
  const imgNum = alloc();
  const smNum = alloc();
  objs.push(obj(imgNum, imageBody(img, smNum)));
  objs.push(obj(smNum, smaskBody(img)));
  objs.push(
    obj(
      apNum,
      streamBody(
        `/Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}] /Resources << /XObject << /Img ${imgNum} 0 R >> >>`,
        Buffer.from(`q ${w} 0 0 ${h} 0 0 cm /Img Do Q\n`, 'latin1'),
      ),
    ),
  );
  return apNum;
}

/** A mutable copy of an object's dictionary plus a flag that it must be written in the update. */
class Edited {
  changed = false;
  constructor(
    readonly num: number,
    readonly d: PdfDictVal,
  ) {}
}

/**
 * Appends `item` to the array at `d[key]`: inline (the holder then joins the update), or an array object, whose
 * edited items are kept in `arrays` so that several pushes in one update accumulate.
 */
function pushToArray(f: PdfFile, holder: Edited, key: string, item: PdfVal, arrays: Map<number, PdfVal[]>): void {
  const v = dget(holder.d, key);
  const r = asRef(v);
  if (r) {
    let items = arrays.get(r.num);
    if (!items) {
      const a = f.get(r.num)?.value;
      items = a && a.t === 'arr' ? [...a.items] : [];
      arrays.set(r.num, items);
    }
    items.push(item);
    return;
  }
  dset(holder.d, key, arr(v && v.t === 'arr' ? [...v.items, item] : [item]));
  holder.changed = true;
}

function hexString(b: Buffer): string {
  return `<${b.toString('hex').toUpperCase()}>`;
}

function seedOf(s: string): number {
  return crypto.createHash('sha256').update(s).digest().readUInt32BE(0);
}

/** Appends ONE incremental update holding a new signature field and its signature. */
export function addSignature(pdf: Buffer, o: SignFieldOptions): Buffer {
  const f = new PdfFile(pdf);
  let next = f.size;
  const alloc = (): number => next++;
  const objs: RawObj[] = [];
  const isTs = o.type === 'DocTimeStamp';
  const placeholder = o.placeholder ?? 12000;
  const pageNums = f.pageNums();
  const pageNum = pageNums[o.page ?? 0];
  if (pageNum === undefined) throw new Error(`no page ${o.page}`);

  const catalog = new Edited(f.rootNum, f.dictOf(f.rootNum));
  const page = new Edited(pageNum, f.dictOf(pageNum));

  // AcroForm: a separate object (as most signing tools keep it), else the catalog's inline dictionary.
  let acro: Edited;
  const afv = dget(catalog.d, 'AcroForm');
  const afr = asRef(afv);
  if (afr) acro = new Edited(afr.num, f.dictOf(afr.num));
  else if (afv && afv.t === 'dict') acro = new Edited(catalog.num, afv);
  else {
    acro = new Edited(alloc(), { t: 'dict', entries: [] });
    dset(catalog.d, 'AcroForm', ref(acro.num));
    catalog.changed = true;
  }
  acro.changed = true;
  dset(acro.d, 'SigFlags', num(3));

  const sigNum = alloc();
  const image = isTs ? null : (o.image ?? null);
  const rect: Rect = o.rect ?? (image === 'signature' ? LEADER_RECT : image === 'seal' ? SEAL_RECT : [0, 0, 0, 0]);
  const arrays = new Map<number, PdfVal[]>();
  // The same signer's image is the same PNG on every document, as with a real leader's scanned signature.
  const seed = seedOf(`${image ?? ''}|${o.name ?? o.fieldName}`);
  for (const fieldName of [o.fieldName, ...(o.extraFieldNames ?? [])]) {
    const fieldNum = alloc();
    const apNum = appearance(alloc, objs, image, rect, seed);
    objs.push(
      obj(
        fieldNum,
        `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${textString(fieldName)} /V ${sigNum} 0 R /F ${image ? 4 : 132}` +
          ` /Rect [${rect.join(' ')}] /P ${pageNum} 0 R /AP << /N ${apNum} 0 R >> >>`,
      ),
    );
    pushToArray(f, acro, 'Fields', ref(fieldNum), arrays);
    pushToArray(f, page, 'Annots', ref(fieldNum), arrays);
  }

  const subFilter: SubFilter = o.subFilter ?? (isTs ? 'ETSI.RFC3161' : 'adbe.pkcs7.detached');
  const entries = `/Type /${isTs ? 'DocTimeStamp' : 'Sig'} /Filter /Adobe.PPKLite /SubFilter /${subFilter}`;
  let tail = '';
  if (!isTs || o.m) tail += ` /M (${pdfDate(o.m ?? new Date())})`;
  if (o.cert) tail += ` /Cert ${Array.isArray(o.cert) ? `[${o.cert.map(hexString).join(' ')}]` : hexString(o.cert)}`;
  if (o.name) tail += ` /Name ${textString(o.name)}`;
  if (o.reason) tail += ` /Reason ${textString(o.reason)}`;
  if (o.location) tail += ` /Location ${textString(o.location)}`;
  if (o.certify) {
    tail +=
      ' /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams' +
      ` << /Type /TransformParams /P ${o.certify} /V /1.2 >> >>]`;
    const perms = dget(catalog.d, 'Perms');
    const pd: PdfDictVal = perms && perms.t === 'dict' ? perms : { t: 'dict', entries: [] };
    dset(pd, 'DocMDP', ref(sigNum));
    dset(catalog.d, 'Perms', pd);
    catalog.changed = true;
  }
  if (!isTs) tail += ' /Prop_Build << /App << /Name /kiemky#20samples >> >>';
  const layout = sigDict(entries, { placeholder, forge: o.forge, tail });

  // The catalog may hold the AcroForm inline; write each changed dictionary once.
  const edited = new Map<number, Edited>();
  for (const e of [catalog, acro, page]) if (e.changed) edited.set(e.num, e);
  for (const e of edited.values()) objs.push(obj(e.num, serialize(e.d)));
  for (const [n, items] of arrays) objs.push(obj(n, serialize(arr(items))));
  objs.unshift({ num: sigNum, body: layout.body, isStream: false });
  return signRevision(pdf, f, objs, sigNum, layout, { xref: o.xref, placeholder, forge: o.forge, sign: o.sign });
}

/**
 * A Reader-extensions usage-rights signature (catalog /Perms /UR3): a signature dictionary with a UR3 transform
 * and no field. It signs the document but is not a document signature, so a verifier must not count it.
 */
export function addUsageRightsSignature(
  pdf: Buffer,
  o: { sign: (b: Buffer) => Buffer; m?: Date; placeholder?: number; xref?: XrefKind },
): Buffer {
  const f = new PdfFile(pdf);
  const sigNum = f.size;
  const placeholder = o.placeholder ?? 12000;
  const catalog = f.dictOf(f.rootNum);
  const perms = dget(catalog, 'Perms');
  const pd: PdfDictVal = perms && perms.t === 'dict' ? perms : { t: 'dict', entries: [] };
  dset(pd, 'UR3', ref(sigNum));
  dset(catalog, 'Perms', pd);
  const tail =
    ` /M (${pdfDate(o.m ?? new Date())}) /Name (ARE Acrobat Product v8.0 P23 0002337)` +
    ' /Reference [<< /Type /SigRef /TransformMethod /UR3 /TransformParams << /Type /TransformParams /V /2.2' +
    ' /Document [/FullSave] /Form [/Add /Delete /FillIn /Import /Export /SubmitStandalone /SpawnTemplate]' +
    ' /Signature [/Modify] /Annots [/Create /Delete /Modify /Copy /Import /Export] >> >>]';
  const layout = sigDict('/Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached', { placeholder, tail });
  const objs: RawObj[] = [
    { num: sigNum, body: layout.body, isStream: false },
    obj(f.rootNum, serialize(catalog)),
  ];
  return signRevision(pdf, f, objs, sigNum, layout, { xref: o.xref, placeholder, sign: o.sign });
}

/** Incremental update adding (or extending) the catalog's /DSS with certificates, CRLs and OCSP responses. */
export function addDss(
  pdf: Buffer,
  o: { certs?: Buffer[]; crls?: Buffer[]; ocsps?: Buffer[]; xref?: XrefKind },
): Buffer {
  const f = new PdfFile(pdf);
  let next = f.size;
  const objs: RawObj[] = [];
  const catalog = f.dictOf(f.rootNum);
  const existing = f.resolve(dget(catalog, 'DSS'));
  const dss: PdfDictVal = existing && existing.t === 'dict' ? existing : { t: 'dict', entries: [[ 'Type', name('DSS') ]] };
  const add = (key: string, items: Buffer[] | undefined): void => {
    if (!items?.length) return;
    const cur = f.resolve(dget(dss, key));
    const refs: PdfVal[] = cur && cur.t === 'arr' ? [...cur.items] : [];
    for (const der of items) {
      const n = next++;
      objs.push({ num: n, body: streamBody('/Filter /FlateDecode', deflate(der)), isStream: true });
      refs.push(ref(n));
    }
    dset(dss, key, arr(refs));
  };
  add('Certs', o.certs);
  add('CRLs', o.crls);
  add('OCSPs', o.ocsps);
  const dssRef = asRef(dget(catalog, 'DSS'));
  const dssNum = dssRef ? dssRef.num : next++;
  objs.push(obj(dssNum, serialize(dss)));
  if (!dssRef) {
    dset(catalog, 'DSS', ref(dssNum));
    objs.push(obj(f.rootNum, serialize(catalog)));
  }
  return Buffer.concat([pdf, updateOf(pdf, f, objs, { xref: o.xref }).bytes]);
}

// ---------------------------------------------------------------------------------------------------------------
// Small inspection helpers for scenarios and tests

export interface SignatureLocation {
  field: string;
  fieldNum: number;
  sigNum: number | null;
  /** /ByteRange numbers as written (latest definition), or null. */
  byteRange: number[] | null;
  /** File offsets of `<` and one past `>` of /Contents in the latest definition, or null. */
  contents: { start: number; end: number } | null;
}

/** Where each signature field's dictionary sits: for attacks that patch bytes of a signed file. */
export function locateSignatures(pdf: Buffer): SignatureLocation[] {
  const f = new PdfFile(pdf);
  return f.signatureFields().map((sf) => {
    let byteRange: number[] | null = null;
    let contents: { start: number; end: number } | null = null;
    if (sf.sigNum !== null) {
      const so = f.get(sf.sigNum);
      if (so && so.value.t === 'dict') {
        const br = dget(so.value, 'ByteRange');
        if (br && br.t === 'arr') byteRange = br.items.map((x) => (x.t === 'num' ? Number(x.raw) : NaN));
        if (so.offset >= 0) {
          const text = f.s.slice(so.offset, so.offset + so.text.length + 64);
          const m = /\/Contents\s*</.exec(text);
          if (m) {
            const start = so.offset + m.index + m[0].length - 1;
            contents = { start, end: f.s.indexOf('>', start) + 1 };
          }
        }
      }
    }
    return { ...sf, byteRange, contents };
  });
}
