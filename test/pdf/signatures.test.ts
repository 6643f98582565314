import { BufferSource } from '../../worker/source';
import { analyzePdf, type PdfStructure } from '../../worker/pdf';
import { PdfBuilder } from './builder';

const PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';

/** A signature dictionary body whose /ByteRange is patched by `sign` once the revision end is known. */
function sigDict(extra: string, contentsHexChars = 64): string {
  return `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ${PLACEHOLDER} /Contents <${'0'.repeat(contentsHexChars)}> ${extra} >>`;
}

/** Fills the placeholder of the signature object written at `objOffset` so it covers [0, revisionEnd). */
function sign(buf: Buffer, objOffset: number, revisionEnd: number): { start: number; end: number } {
  const text = buf.toString('latin1');
  const brAt = text.indexOf(PLACEHOLDER, objOffset);
  const start = text.indexOf('/Contents <', objOffset) + '/Contents '.length;
  const end = text.indexOf('>', start) + 1;
  const br = `[0 ${String(start).padStart(10, '0')} ${String(end).padStart(10, '0')} ${String(revisionEnd - end).padStart(10, '0')}]`;
  buf.write(br, brAt, 'latin1');
  return { start, end };
}

function utf16(s: string): string {
  const b = Buffer.from(s, 'utf16le');
  b.swap16();
  return `<FEFF${b.toString('hex')}>`;
}

function analyze(buf: Buffer): PdfStructure {
  return analyzeDoc(buf).structure;
}
function analyzeDoc(buf: Buffer): ReturnType<typeof analyzePdf> {
  return analyzePdf(new BufferSource(buf));
}

describe('signature dictionaries', () => {
  function signedTwice(): { buf: Buffer; spans: { start: number; end: number }[]; ends: number[] } {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R 12 0 R] >> >>');
    b.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
    b.obj(3, '<< /Type /Page /Parent 2 0 R /Annots [11 0 R] >>');
    b.obj(10, '<< /T (parent) /FT /Sig /Kids [11 0 R] >>');
    b.obj(11, '<< /T (child) /Parent 10 0 R /V 20 0 R /Type /Annot /Subtype /Widget /Rect [10 20 110 70] /AP << /N 30 0 R >> >>');
    // A second field pointing to the same dictionary: one signature, two names.
    b.obj(12, '<< /T (alias) /FT /Sig /V 20 0 R >>');
    b.stream(30, '/Type /XObject /Subtype /Form /BBox [0 0 100 50] /Resources << /XObject << /F1 31 0 R >> >>', Buffer.from('/F1 Do'));
    b.stream(31, '/Type /XObject /Subtype /Form /BBox [0 0 100 50] /Resources << /XObject << /Im1 32 0 R >> >>', Buffer.from('/Im1 Do'));
    b.stream(32, '/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8', Buffer.from([0]));
    const sig1 = b.length;
    b.obj(20, sigDict(`/Name (Alice) /Reason ${utf16('Phê duyệt')} /Location (H\\340 N\\351i) /M (D:20240102030405+07'00') /Cert <0102>`));
    b.xrefTable('/Size 33 /Root 1 0 R');
    const end0 = b.length;
    // Revision 1: the signed dictionary is rewritten with a spoofed reason; a usage-rights signature appears.
    b.obj(20, sigDict('/Name (Mallory) /Reason (Spoofed) /M (D:20250101000000Z) /Cert [<0A0B> <0C>]'));
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R 12 0 R 13 0 R] >> /Perms << /UR3 40 0 R >> >>');
    b.obj(13, '<< /T (second) /FT /Sig /V 21 0 R /Rect [0 0 0 0] /P 3 0 R >>');
    b.obj(40, `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> /Reference [<< /TransformMethod /UR3 >>] >>`);
    const sig2 = b.length;
    b.obj(21, sigDict('/Name (Bob) /M (D:2024) /Cert [<AA> (lit) 7 22 0 R]'));
    b.obj(22, '<BBCC>');
    b.xrefTable('/Size 41 /Root 1 0 R');
    const end1 = b.length;
    const buf = b.toBuffer();
    const spans = [sign(buf, sig1, end0), sign(buf, sig2, end1)];
    // The later copy of object 20 keeps the signed byte range, as an attacker would.
    const signedRange = `[0 ${String(spans[0].start).padStart(10, '0')} ${String(spans[0].end).padStart(10, '0')} ${String(end0 - spans[0].end).padStart(10, '0')}]`;
    buf.write(signedRange, buf.indexOf(PLACEHOLDER, end0), 'latin1');
    return { buf, spans, ends: [end0, end1] };
  }

  it('reads every value from the revision the byte range covers', () => {
    const { buf, spans, ends } = signedTwice();
    const s = analyze(buf);
    expect(s.signatures).toHaveLength(2);
    const [first, second] = s.signatures;
    expect(first.objectNumber).toBe(20);
    expect(first.fieldNames.sort()).toEqual(['alias', 'parent.child']);
    expect(first.revision).toBe(0);
    expect(first.definedInRevision).toBe(0);
    expect(first.modifiedAfterSigning).toBe(true);
    expect(first.name).toBe('Alice');
    expect(first.reason).toBe('Phê duyệt');
    expect(first.location).toBe('Hà Néi');
    expect(first.m).toBe("D:20240102030405+07'00'");
    expect(first.mDate?.toISOString()).toBe('2024-01-01T20:04:05.000Z');
    expect(first.byteRange).toEqual([0, spans[0].start, spans[0].end, ends[0] - spans[0].end]);
    expect(first.contentsSpan).toEqual(spans[0]);
    expect(first.contents).toEqual(Buffer.alloc(32));
    expect(first.contentsIsHex).toBe(true);
    expect(first.type).toBe('Sig');
    expect(first.subFilter).toBe('adbe.pkcs7.detached');
    expect(first.certification).toBe(false);
    // /Cert as signed, not the one written over it later.
    expect(first.cert).toEqual([Buffer.from([1, 2])]);
    expect(first.widgets).toEqual([{ page: 0, rect: [10, 20, 110, 70], hasAppearance: true, hasImage: true }]);

    expect(second.objectNumber).toBe(21);
    expect(second.fieldNames).toEqual(['second']);
    expect(second.revision).toBe(1);
    expect(second.modifiedAfterSigning).toBe(false);
    // An array keeps its order; an element that is no string stays as a null where it stood.
    expect(second.cert).toEqual([Buffer.from([0xaa]), Buffer.from('lit'), null, Buffer.from([0xbb, 0xcc])]);
    expect(second.mDate?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(second.widgets).toEqual([{ page: 0, rect: [0, 0, 0, 0], hasAppearance: false, hasImage: false }]);
    expect(s.usageRightsSignatures).toBe(1);
    expect(s.docMdp).toBeNull();
  });

  it('marks a certification signature and reads its DocMDP permission', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R] >> /Perms << /DocMDP 20 0 R >> >>');
    b.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
    b.obj(10, '<< /T (cert) /FT /Sig /V 20 0 R >>');
    const at = b.length;
    b.obj(20, sigDict('/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>]'));
    b.xrefTable('/Size 21 /Root 1 0 R');
    const buf = b.toBuffer();
    sign(buf, at, buf.length);
    const s = analyze(buf);
    expect(s.signatures).toHaveLength(1);
    expect(s.signatures[0].certification).toBe(true);
    expect(s.signatures[0].references).toEqual([{ transformMethod: 'DocMDP', permission: 1, action: null, fields: [] }]);
    expect(s.docMdp).toEqual({ signatureObject: 20, permission: 1 });
  });

  it('gives no contentsSpan for a literal /Contents or a dictionary inside an object stream', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R 11 0 R] >> >>');
    b.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
    b.obj(10, '<< /T (literal) /FT /Sig /V << /Type /Sig /ByteRange [0 1 2 3] /Contents (abc) >> >>');
    b.objectStream(5, [
      [11, '<< /T (packed) /FT /Sig /V 12 0 R >>'],
      [12, '<< /Type /Sig /ByteRange [0 10 20 30] /Contents <0102> >>'],
    ]);
    b.xrefStream(6, '/Root 1 0 R', [
      { num: 11, streamNum: 5, index: 0 },
      { num: 12, streamNum: 5, index: 1 },
    ]);
    const s = analyze(b.toBuffer());
    expect(s.signatures).toHaveLength(2);
    const literal = s.signatures.find((x) => x.fieldNames[0] === 'literal');
    const packed = s.signatures.find((x) => x.fieldNames[0] === 'packed');
    expect(literal).toMatchObject({ objectNumber: null, contentsIsHex: false, contentsSpan: null, revision: null });
    expect(literal?.contents?.toString()).toBe('abc');
    expect(literal?.cert).toBeNull();
    expect(packed).toMatchObject({ objectNumber: 12, contentsIsHex: true, contentsSpan: null });
    // Neither range reaches a revision end; they sort by where they end.
    expect(s.signatures.map((x) => x.objectNumber)).toEqual([null, 12]);
  });

  it('reads the /DSS of the latest catalog and the revision that added it', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    b.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
    b.xrefTable('/Size 3 /Root 1 0 R');
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /DSS 5 0 R >>');
    b.obj(5, '<< /Certs [6 0 R] /CRLs [7 0 R] >>');
    b.stream(6, '', Buffer.from('certificate-bytes'), { flate: true });
    b.stream(7, '', Buffer.from('crl-bytes'));
    b.xrefTable('/Size 8 /Root 1 0 R');
    const s = analyze(b.toBuffer());
    expect(s.dss).toEqual({
      certificates: [Buffer.from('certificate-bytes')],
      crls: [Buffer.from('crl-bytes')],
      ocsps: [],
      revision: 1,
    });
  });

  it('survives a /Kids cycle in the field tree', () => {
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R] >> >>');
    b.obj(2, '<< /Type /Pages /Kids [2 0 R] /Count 0 >>');
    b.obj(10, '<< /T (a) /FT /Sig /Kids [11 0 R] >>');
    b.obj(11, '<< /T (b) /Kids [10 0 R 11 0 R] /V 20 0 R >>');
    b.obj(20, '<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>');
    b.xrefTable('/Size 21 /Root 1 0 R');
    const { doc, structure } = analyzeDoc(b.toBuffer());
    expect(structure.signatures.map((x) => x.fieldNames)).toEqual([['a.b']]);
    expect(doc.pages()).toEqual([]);
  });
});
