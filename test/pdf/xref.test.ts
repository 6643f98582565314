import { BufferSource } from '../../worker/source';
import { openPdf, PdfDict, PdfName, PdfString, readStructure, type PdfDocument } from '../../worker/pdf';
import { basicObjects, PdfBuilder } from './builder';

function open(buf: Buffer): PdfDocument {
  return openPdf(new BufferSource(buf));
}

function title(doc: PdfDocument, rev?: number): string | null {
  const info = doc.resolve(doc.trailer(rev).get('Info'), rev);
  if (!(info instanceof PdfDict)) return null;
  const t = doc.resolve(info.get('Title'), rev);
  return t instanceof PdfString ? t.bytes.toString('latin1') : null;
}

describe('classic xref table', () => {
  it('reads objects, trailer and one revision ending after %%EOF and its EOL', () => {
    const b = basicObjects(new PdfBuilder());
    b.obj(4, '<< /Title (Hello) >>');
    b.xrefTable('/Size 5 /Root 1 0 R /Info 4 0 R');
    const buf = b.toBuffer();
    const doc = open(buf);
    expect(doc.revisions).toHaveLength(1);
    const r = doc.revisions[0];
    expect(r.xrefKind).toBe('table');
    expect(r.end).toBe(buf.length);
    expect(r.eofOffset).toBe(buf.length - 6);
    expect(r.objects).toEqual([1, 2, 3, 4]);
    expect(r.rootObject).toBe(1);
    expect(title(doc)).toBe('Hello');
    expect(doc.pages()).toHaveLength(1);
    expect(doc.getObject(4)?.location).toEqual({ kind: 'offset', offset: b.offsets.get(4), gen: 0 });
    const s = readStructure(doc);
    expect(s.headerVersion).toBe('1.7');
    expect(s.trailingBytes).toBe(0);
    expect(s.xrefRepaired).toBe(false);
    expect(s.warnings).toEqual([]);
  });

  it('tolerates \\r\\n entries and subsection counts that lie', () => {
    const b = basicObjects(new PdfBuilder());
    const o1 = b.offsets.get(1) ?? 0;
    const o2 = b.offsets.get(2) ?? 0;
    const o3 = b.offsets.get(3) ?? 0;
    const at = b.length;
    const e = (o: number): string => `${String(o).padStart(10, '0')} 00000 n\r\n`;
    b.raw(`xref\r\n0 7\r\n0000000000 65535 f\r\n${e(o1)}${e(o2)}${e(o3)}trailer\r\n<< /Size 4 /Root 1 0 R >>\r\nstartxref\r\n${at}\r\n%%EOF\r\n`);
    const buf = b.toBuffer();
    const doc = open(buf);
    expect(doc.revisions[0].objects).toEqual([1, 2, 3]);
    expect(doc.revisions[0].end).toBe(buf.length);
    expect(doc.catalog()?.get('Type')).toEqual(new PdfName('Catalog'));
  });

  it('reads a table whose first subsection says 1 but starts with object 0', () => {
    const b = basicObjects(new PdfBuilder());
    const at = b.length;
    const e = (n: number): string => `${String(b.offsets.get(n)).padStart(10, '0')} 00000 n \n`;
    b.raw(`xref\n1 4\n0000000000 65535 f \n${e(1)}${e(2)}${e(3)}trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`);
    const doc = open(b.toBuffer());
    expect(doc.xrefRepaired).toBe(false);
    expect(doc.revisions[0].objects).toEqual([1, 2, 3]);
  });

  it('counts trailing garbage after the last %%EOF', () => {
    const b = basicObjects(new PdfBuilder());
    b.xrefTable('/Size 4 /Root 1 0 R');
    b.raw('\n\0\0  junk\n');
    expect(readStructure(open(b.toBuffer())).trailingBytes).toBe(4);
  });
});

describe('xref streams and object streams', () => {
  it('reads compressed objects through /W, /Index and a PNG predictor', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    b.objectStream(5, [
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, '<< /Type /Page /Parent 2 0 R >>'],
      [4, '<< /Title (Packed) >>'],
    ]);
    b.xrefStream(6, '/Root 1 0 R /Info 4 0 R', [
      { num: 2, streamNum: 5, index: 0 },
      { num: 3, streamNum: 5, index: 1 },
      { num: 4, streamNum: 5, index: 2 },
    ], { predictor: true });
    const doc = open(b.toBuffer());
    expect(doc.revisions[0].xrefKind).toBe('stream');
    expect(title(doc)).toBe('Packed');
    expect(doc.getObject(4)?.location).toEqual({ kind: 'compressed', streamNum: 5, index: 2 });
    expect(doc.pages()).toHaveLength(1);
  });

  it('hybrid file: table entries in use win, /XRefStm fills in the rest', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    b.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
    b.obj(4, '<< /Title (FromTable) >>');
    b.objectStream(5, [[4, '<< /Title (FromStream) >>'], [7, '<< /Title (OnlyInStream) >>']]);
    const tableOffsets = new Map(b.offsets);
    // The xref stream (object 6) lists 4 and 7 as compressed.
    const stmAt = b.length;
    const rows = Buffer.alloc(3 * 5);
    const put = (i: number, t: number, a: number, c: number): void => {
      rows[i * 5] = t;
      rows.writeUInt16BE(a, i * 5 + 1);
      rows.writeUInt16BE(c, i * 5 + 3);
    };
    put(0, 2, 5, 0); // 4 -> stream 5 index 0
    put(1, 1, stmAt, 0); // 6
    put(2, 2, 5, 1); // 7 -> stream 5 index 1
    b.raw(`6 0 obj\n<< /Type /XRef /W [1 2 2] /Index [4 1 6 2] /Size 8 /Length ${rows.length} >>\nstream\n`);
    b.raw(rows);
    b.raw('\nendstream\nendobj\n');
    const at = b.length;
    const e = (n: number): string => `${String(tableOffsets.get(n)).padStart(10, '0')} 00000 n \n`;
    b.raw(`xref\n0 6\n0000000000 65535 f \n${e(1)}${e(2)}0000000000 00000 f \n${e(4)}${e(5)}`);
    b.raw(`trailer\n<< /Size 8 /Root 1 0 R /Info 4 0 R /XRefStm ${stmAt} >>\nstartxref\n${at}\n%%EOF\n`);
    const doc = open(b.toBuffer());
    expect(doc.revisions).toHaveLength(1);
    expect(doc.revisions[0].xrefKind).toBe('hybrid');
    expect(title(doc)).toBe('FromTable');
    const seven = doc.resolve(doc.getObject(7)?.value);
    expect(seven instanceof PdfDict && seven.get('Title')).toEqual(expect.objectContaining({ hex: false }));
  });
});

describe('incremental updates', () => {
  function threeRevisions(): { buf: Buffer; ends: number[] } {
    const b = basicObjects(new PdfBuilder());
    b.obj(4, '<< /Title (One) >>');
    b.xrefTable('/Size 5 /Root 1 0 R /Info 4 0 R');
    const end0 = b.length;
    b.obj(4, '<< /Title (Two) >>');
    b.obj(5, '<< /Extra true >>');
    b.xrefTable('/Size 6 /Root 1 0 R /Info 4 0 R');
    const end1 = b.length;
    b.obj(4, '<< /Title (Three) >>');
    b.xrefTable('/Size 6 /Root 1 0 R /Info 4 0 R', { free: [5] });
    return { buf: b.toBuffer(), ends: [end0, end1, b.length] };
  }

  it('resolves each object as of each revision, never with later definitions', () => {
    const { buf, ends } = threeRevisions();
    const doc = open(buf);
    expect(doc.revisions.map((r) => r.end)).toEqual(ends);
    expect(doc.revisions.map((r) => r.objects)).toEqual([[1, 2, 3, 4], [4, 5], [4]]);
    expect(doc.revisions[2].freed).toEqual([5]);
    expect([0, 1, 2].map((r) => title(doc, r))).toEqual(['One', 'Two', 'Three']);
    expect(doc.getObject(5, 0)).toBeNull();
    expect(doc.getObject(5, 1)).not.toBeNull();
    expect(doc.getObject(5, 2)).toBeNull();
    expect(doc.getObject(4, 1)?.revision).toBe(1);
    expect(doc.xrefEntries(1).get(4)).toEqual({ type: 'offset', offset: expect.any(Number), gen: 0 });
  });

  it('/Prev cycles end the chain instead of looping', () => {
    const b = basicObjects(new PdfBuilder());
    const at = b.length;
    b.xrefTable(`/Size 4 /Root 1 0 R /Prev ${'0'.repeat(0)}${0}`);
    const buf = Buffer.from(b.toBuffer().toString('latin1').replace('/Prev 0', `/Prev ${at}`), 'latin1');
    const doc = open(buf);
    expect(doc.revisions).toHaveLength(1);
    expect(doc.warnings.map((w) => w.code)).toContain('XREF_PREV_CYCLE');
  });
});

describe('linearized files', () => {
  it('treats the first-page and main sections as one revision 0, then counts updates', () => {
    const pad = (n: number): string => String(n).padStart(10, '0');
    let text = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
    const lin = text.length;
    text += '10 0 obj\n<< /Linearized 1 /L 0000000000 /O 3 /N 1 >>\nendobj\n';
    const fpXref = text.length;
    text += `xref\n10 2\n${pad(lin)} 00000 n \n@@11 00000 n \ntrailer\n<< /Size 12 /Root 1 0 R /Prev @@MAIN >>\nstartxref\n0\n%%EOF\n`;
    const o11 = text.length;
    text = text.replace('@@11', pad(o11));
    text += '11 0 obj\n<< /FirstPage true >>\nendobj\n';
    const offs: number[] = [];
    for (const [n, body] of [
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, '<< /Type /Page /Parent 2 0 R >>'],
    ] as [number, string][]) {
      offs[n] = text.length;
      text += `${n} 0 obj\n${body}\nendobj\n`;
    }
    const main = text.length;
    text = text.replace('@@MAIN', pad(main));
    text += `xref\n0 4\n0000000000 65535 f \n${pad(offs[1])} 00000 n \n${pad(offs[2])} 00000 n \n${pad(offs[3])} 00000 n \n`;
    text += `trailer\n<< /Size 12 >>\nstartxref\n${fpXref}\n%%EOF\n`;
    const end0 = text.length;
    const b = new PdfBuilder('');
    b.raw(text);
    b.lastXref = fpXref;
    b.obj(3, '<< /Type /Page /Parent 2 0 R /Changed true >>');
    b.xrefTable('/Size 12 /Root 1 0 R');
    const doc = open(b.toBuffer());
    expect(doc.linearized).toBe(true);
    expect(doc.revisions).toHaveLength(2);
    expect(doc.revisions[0]).toMatchObject({ index: 0, xrefOffset: fpXref, end: end0, objects: [1, 2, 3, 10, 11] });
    expect(doc.revisions[1].objects).toEqual([3]);
    expect(doc.resolve(doc.getObject(11, 0)?.value)).toBeInstanceOf(PdfDict);
  });
});

describe('repair', () => {
  it('rebuilds from `N G obj` when startxref points nowhere, keeping revisions apart', () => {
    const b = basicObjects(new PdfBuilder());
    b.obj(4, '<< /Title (One) >>');
    b.xrefTable('/Size 5 /Root 1 0 R /Info 4 0 R', { startxrefDelta: 50_000 });
    b.obj(4, '<< /Title (Two) >>');
    b.xrefTable('/Size 5 /Root 1 0 R /Info 4 0 R', { startxrefDelta: 50_000 });
    const doc = open(b.toBuffer());
    expect(doc.xrefRepaired).toBe(true);
    expect(doc.warnings.map((w) => w.code)).toContain('XREF_REPAIRED');
    expect(doc.revisions).toHaveLength(2);
    expect(title(doc, 0)).toBe('One');
    expect(title(doc, 1)).toBe('Two');
  });

  it('does not rebuild when a later update frees the catalog an earlier revision has: the freeing stays visible', () => {
    const b = basicObjects(new PdfBuilder());
    b.xrefTable('/Size 4 /Root 1 0 R');
    b.xrefTable('/Size 4 /Root 1 0 R', { free: [1, 2, 3] });
    const doc = open(b.toBuffer());
    expect(doc.xrefRepaired).toBe(false);
    expect(doc.warnings.map((w) => w.code)).toContain('CATALOG_LOST');
    expect(doc.revisions).toHaveLength(2);
    expect(doc.revisions[1]!.freed).toEqual([1, 2, 3]);
    expect(doc.catalog(0)).not.toBeNull();
    expect(doc.catalog(1)).toBeNull();
  });

  it('finds a section a few bytes off the startxref offset and warns', () => {
    const b = basicObjects(new PdfBuilder());
    b.xrefTable('/Size 4 /Root 1 0 R', { startxrefDelta: -3 });
    const doc = open(b.toBuffer());
    expect(doc.xrefRepaired).toBe(false);
    expect(doc.warnings.map((w) => w.code)).toContain('XREF_OFFSET_WRONG');
    expect(doc.pages()).toHaveLength(1);
  });

  it('finds an object whose xref offset is a few bytes off', () => {
    const b = basicObjects(new PdfBuilder());
    b.obj(4, '<< /Title (Shifted) >>');
    b.xrefTable('/Size 5 /Root 1 0 R /Info 4 0 R');
    const o4 = b.offsets.get(4) ?? 0;
    const buf = Buffer.from(b.toBuffer().toString('latin1').replace(`${String(o4).padStart(10, '0')} 00000 n`, `${String(o4 + 2).padStart(10, '0')} 00000 n`), 'latin1');
    const doc = open(buf);
    expect(title(doc)).toBe('Shifted');
    expect(doc.warnings.map((w) => w.code)).toContain('XREF_OFFSET_WRONG');
  });
});

describe('many revisions', () => {
  it('resolves each object as of each of 200 revisions (the memoised lookup used past 32 revisions)', () => {
    const b = basicObjects(new PdfBuilder());
    b.obj(4, '<< /Title (r0) >>');
    b.xrefTable('/Size 5 /Root 1 0 R /Info 4 0 R');
    for (let r = 1; r < 200; r++) {
      // Every tenth update rewrites the title; the others only add an object of their own.
      if (r % 10 === 0) b.obj(4, `<< /Title (r${r}) >>`);
      else b.obj(4 + r, '<< >>');
      b.xrefTable(`/Size ${5 + r} /Root 1 0 R /Info 4 0 R`);
    }
    const doc = open(b.toBuffer());
    expect(doc.revisions).toHaveLength(200);
    for (const r of [0, 1, 9, 10, 11, 99, 100, 150, 199]) expect(title(doc, r)).toBe(`r${Math.floor(r / 10) * 10}`);
    expect(doc.entryAsOf(4 + 7, 6)).toBeNull();
    expect(doc.entryAsOf(4 + 7, 7)?.revision).toBe(7);
    expect(doc.entryAsOf(4 + 7)?.revision).toBe(7);
  });
});
