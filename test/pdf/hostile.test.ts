import * as zlib from 'node:zlib';
import { Budget, DocumentError } from '../../worker/errors';
import { BufferSource } from '../../worker/source';
import { analyzePdf, openPdf, PdfDict, type PdfStructure } from '../../worker/pdf';
import { basicObjects, PdfBuilder } from './builder';

function code(buf: Buffer, opts?: Parameters<typeof analyzePdf>[1]): string {
  try {
    analyzePdf(new BufferSource(buf), opts);
    return 'ok';
  } catch (e) {
    if (e instanceof DocumentError) return e.code;
    throw e;
  }
}

/** Parses, or fails with a DocumentError: never another exception. */
function parsesOrRefuses(buf: Buffer, opts?: Parameters<typeof analyzePdf>[1]): PdfStructure | DocumentError {
  try {
    return analyzePdf(new BufferSource(buf), opts).structure;
  } catch (e) {
    if (e instanceof DocumentError) return e;
    throw e;
  }
}

describe('unreadable input', () => {
  it('classifies empty, non-PDF, truncated and malformed files', () => {
    expect(code(Buffer.alloc(0))).toBe('EMPTY_FILE');
    expect(code(Buffer.from('hello, this is not a pdf'))).toBe('NOT_PDF');
    expect(code(Buffer.concat([Buffer.alloc(2000, 0x20), Buffer.from('%PDF-1.7\n')]))).toBe('NOT_PDF');
    expect(code(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Cat'))).toBe('TRUNCATED');
    expect(code(Buffer.from('%PDF-1.7\n'))).toBe('TRUNCATED');
    expect(code(Buffer.from('%PDF-1.7\ntrailer\n<< >>\nstartxref\n0\n%%EOF\n'))).toBe('MALFORMED_PDF');
  });

  it('a file cut in the middle of its last revision still opens from what was written before', () => {
    const b = basicObjects(new PdfBuilder());
    b.xrefTable('/Size 4 /Root 1 0 R');
    b.obj(4, '<< /Title (cut) >>');
    const whole = b.toBuffer();
    const s = parsesOrRefuses(whole.subarray(0, whole.length - 5));
    expect(s).not.toBeInstanceOf(DocumentError);
  });
});

describe('hostile structures', () => {
  it('refuses 10 000 nested arrays with TOO_DEEP, without a stack overflow', () => {
    const b = new PdfBuilder();
    b.obj(1, `<< /Type /Catalog /Pages 2 0 R /Deep ${'['.repeat(10_000)}${']'.repeat(10_000)} >>`);
    b.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
    b.xrefTable('/Size 3 /Root 1 0 R');
    expect(code(b.toBuffer())).toBe('TOO_DEEP');
  });

  it('reads a stream whose /Length lies (999999999) up to its endstream', () => {
    const b = basicObjects(new PdfBuilder());
    b.obj(5, '<< /Length 999999999 >>\nstream\nhello world\nendstream');
    b.xrefTable('/Size 6 /Root 1 0 R');
    const doc = openPdf(new BufferSource(b.toBuffer()));
    const s = doc.getObject(5)?.value;
    expect(s !== null && s !== undefined && 'dict' in (s as object)).toBe(true);
    expect(doc.streamData(s as never).toString()).toBe('hello world');
  });

  it('stops a flate bomb at maxStreamBytes', () => {
    const bomb = zlib.deflateSync(Buffer.alloc(50 * 1024 * 1024));
    const limits = { maxStreamBytes: 1024 * 1024, maxDepth: 64, maxObjects: 10_000 };
    // In an object stream the document cannot be read: TOO_LARGE.
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    b.stream(5, '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', bomb);
    b.xrefStream(6, '/Root 1 0 R', [{ num: 2, streamNum: 5, index: 0 }]);
    const doc = openPdf(new BufferSource(b.toBuffer()), { limits });
    expect(() => doc.pages()).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
    // As a DSS entry it is skipped with a warning; the rest of the document is still read.
    const d = basicObjects(new PdfBuilder(), '/DSS << /Certs [7 0 R] >>');
    d.stream(7, '/Filter /FlateDecode', bomb);
    d.xrefTable('/Size 8 /Root 1 0 R');
    const s = parsesOrRefuses(d.toBuffer(), { limits }) as PdfStructure;
    expect(s.dss?.certificates).toEqual([]);
    expect(s.warnings.map((w) => w.code)).toContain('DSS_ENTRY_TOO_LARGE');
  });

  it('a long chain of streams whose /Length points at the next stream neither overflows nor hangs', () => {
    const b = basicObjects(new PdfBuilder(), '/Chain 100 0 R');
    for (let i = 100; i < 20_100; i++) b.obj(i, `<< /Length ${i + 1} 0 R >>\nstream\nx\nendstream`);
    b.obj(20_100, '1');
    b.xrefTable('/Size 20101 /Root 1 0 R');
    const doc = openPdf(new BufferSource(b.toBuffer()));
    const first = doc.resolve(doc.catalog()?.get('Chain'));
    expect(first).not.toBeNull();
    expect(doc.streamData(first as never).toString()).toBe('x');
  });

  it('resolves a reference cycle to null', () => {
    const b = basicObjects(new PdfBuilder());
    b.obj(4, '5 0 R');
    b.obj(5, '4 0 R');
    b.xrefTable('/Size 6 /Root 1 0 R /Info 4 0 R');
    const doc = openPdf(new BufferSource(b.toBuffer()));
    expect(doc.resolve(doc.trailer().get('Info'))).toBeNull();
    expect(doc.catalog()).toBeInstanceOf(PdfDict);
  });

  it('a page tree cycle ends the walk', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    b.obj(2, '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>');
    b.obj(3, '<< /Type /Page /Parent 2 0 R >>');
    b.xrefTable('/Size 4 /Root 1 0 R');
    expect(openPdf(new BufferSource(b.toBuffer())).pages()).toHaveLength(1);
  });

  it('ends with TIMEOUT when the budget runs out', () => {
    const b = basicObjects(new PdfBuilder());
    const at = b.length;
    b.raw('xref\n0 100000\n' + '0000000000 65535 f \n'.repeat(100_000));
    b.raw(`trailer\n<< /Size 100000 /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`);
    expect(code(b.toBuffer())).toBe('ok');
    expect(code(b.toBuffer(), { budget: new Budget(0) })).toBe('TIMEOUT');
  });

  it('survives random corruption of a signed-looking file', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R] >> >>');
    b.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
    b.obj(3, '<< /Type /Page /Parent 2 0 R /Annots [10 0 R] >>');
    b.obj(10, '<< /T (s) /FT /Sig /V 20 0 R /Rect [0 0 1 1] /AP << /N 30 0 R >> >>');
    b.obj(20, '<< /Type /Sig /ByteRange [0 10 20 30] /Contents <0011> /M (D:20240101) /Name (x\\(y\\)) >>');
    b.stream(30, '/Subtype /Form /Resources << /XObject << /I 31 0 R >> >>', Buffer.from('q Q'), { flate: true });
    b.objectStream(31, [[40, '<< /A [1 2 (x) <41>] >>']]);
    b.xrefStream(32, '/Root 1 0 R', [{ num: 40, streamNum: 31, index: 0 }], { predictor: true });
    b.obj(20, '<< /Type /Sig /ByteRange [0 10 20 30] /Contents <0011> >>');
    b.xrefTable('/Size 33 /Root 1 0 R');
    const original = b.toBuffer();
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bytes = Buffer.from('<>[]()/%0123456789 \n\rRobjendstreamxref');
    for (let i = 0; i < 400; i++) {
      const buf = Buffer.from(original);
      const edits = 1 + rand(6);
      for (let k = 0; k < edits; k++) buf[rand(buf.length)] = rand(3) === 0 ? rand(256) : bytes[rand(bytes.length)];
      const cut = rand(10) === 0 ? buf.subarray(0, rand(buf.length)) : buf;
      parsesOrRefuses(cut, { budget: Budget.ms(5000) });
    }
  });
});
