import { judgeByteRange } from '../../worker/integrity/byte-range';
import type { PdfSignatureInfo, RevisionInfo } from '../../worker/pdf/types';

// A file of 1000 bytes, one revision ending at 1000, /Contents hex string at [100, 300).
const SIZE = 1000;
const revisions: RevisionInfo[] = [
  { index: 0, xrefOffset: 900, xrefKind: 'table', eofOffset: 994, end: 1000, objects: [1], freed: [], rootObject: 1, xrefDamage: [], unlisted: [], conflicting: [] },
];

function sig(over: Partial<PdfSignatureInfo>): PdfSignatureInfo {
  return {
    objectNumber: 5,
    fieldNames: ['Sig1'],
    type: 'Sig',
    filter: 'Adobe.PPKLite',
    subFilter: 'adbe.pkcs7.detached',
    byteRange: [0, 100, 300, 700],
    contents: Buffer.from([0x30, 0x82, 0x01]),
    contentsIsHex: true,
    contentsSpan: { start: 100, end: 300 },
    cert: null,
    revision: 0,
    definedInRevision: 0,
    modifiedAfterSigning: false,
    name: null,
    reason: null,
    location: null,
    contactInfo: null,
    m: null,
    mDate: null,
    references: [],
    certification: false,
    widgets: [],
    ...over,
  };
}

const codes = (s: PdfSignatureInfo): string[] => judgeByteRange(s, SIZE, revisions).problems.map((p) => p.code);

describe('byte range judgement', () => {
  test('an exact [0 a b c] whose gap is the /Contents string and that ends the file is whole and clean', () => {
    const j = judgeByteRange(sig({}), SIZE, revisions);
    expect(j.problems).toEqual([]);
    expect(j.coversWholeFile).toBe(true);
    expect(j.ranges).toEqual([
      [0, 100],
      [300, 1000],
    ]);
  });

  test('universal signature forgery: missing, zero or empty byte range or contents are problems, never skipped', () => {
    expect(codes(sig({ byteRange: null }))).toContain('BYTERANGE_MISSING');
    expect(codes(sig({ byteRange: [0, 0, 0, 0] }))).toContain('BYTERANGE_EMPTY');
    expect(codes(sig({ contents: null }))).toContain('CONTENTS_MISSING');
    expect(codes(sig({ contents: Buffer.alloc(0) }))).toContain('CONTENTS_EMPTY');
    expect(codes(sig({ contents: Buffer.alloc(64) }))).toContain('CONTENTS_EMPTY');
  });

  test('signature wrapping: a gap that is not exactly the /Contents string is rejected', () => {
    expect(codes(sig({ contentsSpan: { start: 120, end: 300 } }))).toContain('GAP_NOT_CONTENTS');
    expect(codes(sig({ byteRange: [0, 100, 310, 690] }))).toContain('GAP_NOT_CONTENTS');
    expect(codes(sig({ contentsSpan: null }))).toContain('GAP_NOT_CONTENTS');
  });

  test('malformed ranges: wrong arity, not starting at 0, negative, overlapping, past the end', () => {
    expect(codes(sig({ byteRange: [0, 100, 300, 600, 900, 100] }))).toContain('BYTERANGE_MALFORMED');
    expect(codes(sig({ byteRange: [10, 90, 300, 700] }))).toContain('BYTERANGE_MALFORMED');
    expect(codes(sig({ byteRange: [0, -100, 300, 700] }))).toContain('BYTERANGE_MALFORMED');
    expect(codes(sig({ byteRange: [0, 300, 100, 700] }))).toContain('BYTERANGE_MALFORMED');
    expect(codes(sig({ byteRange: [0, 100.5, 300, 700] }))).toContain('BYTERANGE_MALFORMED');
    expect(codes(sig({ byteRange: [0, 100, 300, 800] }))).toContain('BYTERANGE_BEYOND_EOF');
  });

  test('signed bytes that stop short of a revision end are rejected; stopping at an earlier revision is not whole-file', () => {
    expect(codes(sig({ byteRange: [0, 100, 300, 600], revision: null }))).toContain('BYTERANGE_NOT_AT_REVISION_END');
    const two: RevisionInfo[] = [{ ...revisions[0]!, end: 800, eofOffset: 794 }, { ...revisions[0]!, index: 1, end: 1000 }];
    const j = judgeByteRange(sig({ byteRange: [0, 100, 300, 500] }), SIZE, two);
    expect(j.problems).toEqual([]);
    expect(j.coversWholeFile).toBe(false);
  });

  test('a literal-string /Contents is not the hex string the gap must be', () => {
    expect(codes(sig({ contentsIsHex: false }))).toContain('CONTENTS_NOT_HEX');
  });
});
