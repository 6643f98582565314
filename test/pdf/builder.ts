import * as zlib from 'node:zlib';

/**
 * Writes small PDFs by hand for tests: objects, then xref sections whose offsets it computes, so each test can
 * shape exactly the structure (incremental updates, object streams, broken offsets) it is about.
 */
export class PdfBuilder {
  private parts: Buffer[] = [];
  length = 0;
  /** Offsets of objects written since the last xref section. */
  private pending = new Map<number, number>();
  /** Every object's latest offset. */
  readonly offsets = new Map<number, number>();
  lastXref = -1;

  constructor(header = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n') {
    this.raw(Buffer.from(header, 'latin1'));
  }

  raw(data: string | Buffer): this {
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  obj(num: number, body: string | Buffer, gen = 0): this {
    this.pending.set(num, this.length);
    this.offsets.set(num, this.length);
    this.raw(`${num} ${gen} obj\n`);
    this.raw(body);
    return this.raw('\nendobj\n');
  }

  stream(num: number, dict: string, data: Buffer, opts: { flate?: boolean } = {}): this {
    const body = opts.flate ? zlib.deflateSync(data) : data;
    const filter = opts.flate ? '/Filter /FlateDecode ' : '';
    const head = Buffer.from(`<< ${filter}/Length ${body.length} ${dict} >>\nstream\n`, 'latin1');
    return this.obj(num, Buffer.concat([head, body, Buffer.from('\nendstream', 'latin1')]));
  }

  /** Classic xref table for the objects written since the last section; returns its offset. */
  xrefTable(trailer: string, opts: { free?: number[]; startxrefDelta?: number; eol?: string } = {}): number {
    const eol = opts.eol ?? ' \n';
    const at = this.length;
    const entries = new Map<number, string>();
    for (const [num, off] of this.pending) entries.set(num, `${String(off).padStart(10, '0')} 00000 n${eol}`);
    for (const num of opts.free ?? []) entries.set(num, `0000000000 00001 f${eol}`);
    if (this.lastXref < 0) entries.set(0, `0000000000 65535 f${eol}`);
    let text = 'xref\n';
    const nums = [...entries.keys()].sort((a, b) => a - b);
    // One subsection per run of consecutive numbers.
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
      text += `${nums[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) text += entries.get(nums[k]);
      i = j + 1;
    }
    const prev = this.lastXref >= 0 ? ` /Prev ${this.lastXref}` : '';
    text += `trailer\n<< ${trailer}${prev} >>\nstartxref\n${at + (opts.startxrefDelta ?? 0)}\n%%EOF\n`;
    this.raw(text);
    this.pending.clear();
    this.lastXref = at;
    return at;
  }

  /**
   * Xref stream for the objects written since the last section, plus `compressed` members of object streams.
   * Returns its offset.
   */
  xrefStream(num: number, trailer: string, compressed: { num: number; streamNum: number; index: number }[] = [], opts: { predictor?: boolean } = {}): number {
    const at = this.length;
    const rows = new Map<number, Buffer>();
    const row = (t: number, a: number, b: number): Buffer => {
      const r = Buffer.alloc(1 + 4 + 2);
      r[0] = t;
      r.writeUInt32BE(a, 1);
      r.writeUInt16BE(b, 5);
      return r;
    };
    for (const [n, off] of this.pending) rows.set(n, row(1, off, 0));
    rows.set(num, row(1, at, 0));
    for (const c of compressed) rows.set(c.num, row(2, c.streamNum, c.index));
    if (this.lastXref < 0) rows.set(0, row(0, 0, 65535));
    const nums = [...rows.keys()].sort((a, b) => a - b);
    const index: number[] = [];
    const data: Buffer[] = [];
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
      index.push(nums[i], j - i + 1);
      for (let k = i; k <= j; k++) data.push(rows.get(nums[k]) as Buffer);
      i = j + 1;
    }
    let payload = Buffer.concat(data);
    let parms = '';
    if (opts.predictor) {
      // PNG "Up" predictor, as most writers use for xref streams.
      const rowLen = 7;
      const out: Buffer[] = [];
      let prev = Buffer.alloc(rowLen);
      for (let r = 0; r < payload.length / rowLen; r++) {
        const cur = payload.subarray(r * rowLen, (r + 1) * rowLen);
        const enc = Buffer.alloc(rowLen + 1);
        enc[0] = 2;
        for (let k = 0; k < rowLen; k++) enc[k + 1] = (cur[k] - prev[k]) & 0xff;
        out.push(enc);
        prev = cur;
      }
      payload = Buffer.concat(out);
      parms = ' /DecodeParms << /Predictor 12 /Columns 7 >>';
    }
    const prev = this.lastXref >= 0 ? ` /Prev ${this.lastXref}` : '';
    const size = Math.max(...nums) + 1;
    this.stream(num, `/Type /XRef /W [1 4 2] /Index [${index.join(' ')}] /Size ${size}${parms}${prev} ${trailer}`, payload, { flate: true });
    this.raw(`startxref\n${at}\n%%EOF\n`);
    this.pending.clear();
    this.lastXref = at;
    return at;
  }

  /** An object stream holding `members` (object number → body). */
  objectStream(num: number, members: [number, string][]): this {
    let header = '';
    let body = '';
    for (const [n, text] of members) {
      header += `${n} ${body.length} `;
      body += `${text}\n`;
    }
    const data = Buffer.from(header + body, 'latin1');
    return this.stream(num, `/Type /ObjStm /N ${members.length} /First ${header.length}`, data, { flate: true });
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A minimal one-page document: catalog 1, pages 2, page 3. */
export function basicObjects(b: PdfBuilder, catalogExtra = ''): PdfBuilder {
  b.obj(1, `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`);
  b.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  b.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>');
  return b;
}
