import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manySignaturesPdf, writeHugeXrefPdf } from '../../bench/hostile-pdfs';
import { Budget, DocumentError } from '../../worker/errors';
import { hashPass } from '../../worker/hashing';
import { analyzePdf, openPdf, type PdfLimits } from '../../worker/pdf';
import { BufferBytes, Lexer } from '../../worker/pdf/lexer';
import { MAX_ITEMS } from '../../worker/pdf/parser';
import { XrefEntries, type XrefEntry } from '../../worker/pdf/xref-entries';
import { readPlainRow, type PlainRow } from '../../worker/pdf/xref-rows';
import { BufferSource, openFileSource } from '../../worker/source';
import { basicObjects, PdfBuilder } from './builder';

/**
 * The PDF layer's bounds on what one document can make it do, so no file can take the thread's time or memory: a cap on
 * signatures, on decoded stream bytes, a hash pass that checks its budget as often as its work multiplies, and xref
 * sections of millions of rows kept compactly with the same lookups as before.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-limits-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function errorCode(buf: Buffer, limits?: Partial<PdfLimits>): string {
  try {
    analyzePdf(new BufferSource(buf), { limits });
    return 'ok';
  } catch (e) {
    if (e instanceof DocumentError) return e.code;
    throw e;
  }
}

describe('signatures a document may make kiemky examine', () => {
  test('up to maxSignatures are read; one more is TOO_COMPLEX', () => {
    const pdf = manySignaturesPdf(5);
    expect(analyzePdf(new BufferSource(pdf), { limits: { maxSignatures: 5 } }).structure.signatures).toHaveLength(5);
    expect(errorCode(pdf, { maxSignatures: 4 })).toBe('TOO_COMPLEX');
  });

  test('the default is 1,000, counted as the field tree is walked', () => {
    expect(analyzePdf(new BufferSource(manySignaturesPdf(1000))).structure.signatures).toHaveLength(1000);
    expect(errorCode(manySignaturesPdf(1001))).toBe('TOO_COMPLEX');
  });

  test('fields of later revisions bringing dictionaries of their own count towards the same total', () => {
    // Two revisions, each under the per-revision limit, together over it.
    const b = new PdfBuilder();
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 6 0 R] >> >>');
    b.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
    b.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>');
    b.obj(4, '<< /FT /Sig /T (a) /V 5 0 R >>');
    b.obj(5, '<< /Type /Sig /Contents <00> /ByteRange [0 1 2 3] >>');
    b.obj(6, '<< /FT /Sig /T (b) /V 7 0 R >>');
    b.obj(7, '<< /Type /Sig /Contents <00> /ByteRange [0 1 2 3] >>');
    b.xrefTable('/Size 8 /Root 1 0 R');
    b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R 10 0 R] >> >>');
    b.obj(8, '<< /FT /Sig /T (c) /V 9 0 R >>');
    b.obj(9, '<< /Type /Sig /Contents <00> /ByteRange [0 1 2 3] >>');
    b.obj(10, '<< /FT /Sig /T (d) /V 11 0 R >>');
    b.obj(11, '<< /Type /Sig /Contents <00> /ByteRange [0 1 2 3] >>');
    b.xrefTable('/Size 12 /Root 1 0 R');
    expect(errorCode(b.toBuffer(), { maxSignatures: 4 })).toBe('ok');
    expect(errorCode(b.toBuffer(), { maxSignatures: 3 })).toBe('TOO_COMPLEX');
  });
});

describe('what one object may hold', () => {
  test('an array of more than MAX_ITEMS items is TOO_COMPLEX, refused before V8 has to grow it that far', () => {
    // V8 cannot grow an array's backing store past a worker's heap cap without aborting the whole process.
    const items = (n: number): Buffer => {
      const b = basicObjects(new PdfBuilder(), `/Big ${'['}${'0 '.repeat(n)}]`);
      b.xrefTable('/Size 4 /Root 1 0 R');
      return b.toBuffer();
    };
    expect(errorCode(items(1000))).toBe('ok');
    expect(errorCode(items(MAX_ITEMS + 1))).toBe('TOO_COMPLEX');
  });
});

describe('decoded stream bytes, all streams together', () => {
  const dssWithCrls = (count: number, bytes: number): Buffer => {
    const refs = Array.from({ length: count }, (_, i) => `${10 + i} 0 R`).join(' ');
    const b = basicObjects(new PdfBuilder(), `/DSS << /CRLs [${refs}] >>`);
    for (let i = 0; i < count; i++) b.stream(10 + i, '', Buffer.alloc(bytes, i), { flate: true });
    b.xrefTable(`/Size ${10 + count} /Root 1 0 R`);
    return b.toBuffer();
  };

  test('each stream within its own limit, past maxDecodedBytes in all: TOO_COMPLEX, not an entry skipped', () => {
    const pdf = dssWithCrls(4, 1 << 20);
    expect(errorCode(pdf, { maxDecodedBytes: 5 << 20 })).toBe('ok');
    expect(errorCode(pdf, { maxDecodedBytes: 3 << 20 })).toBe('TOO_COMPLEX');
  });

  test('the default leaves a real DSS alone and stops a hundred bombs', () => {
    const s = analyzePdf(new BufferSource(dssWithCrls(3, 256 * 1024))).structure;
    expect(s.dss?.crls).toHaveLength(3);
    // 100 streams of 16 KB that each inflate to 4 MB: 400 MB decoded, more than the 256 MB the document may.
    expect(errorCode(dssWithCrls(100, 4 << 20))).toBe('TOO_COMPLEX');
  });
});

describe('the hash pass and its budget', () => {
  test('signatures whose ranges all differ: the budget is checked as the work multiplies, not once a chunk', () => {
    // 2 MB, 300 signatures each skipping its own gap: 300 hashes over each chunk. A budget already spent must end
    // the pass within the first chunk; checked once a chunk (every 256th check reads the clock), it never would.
    const file = crypto.randomBytes(2 << 20);
    const jobs = Array.from({ length: 300 }, (_, i) => ({
      ranges: [
        [0, 1000 + i * 10],
        [1005 + i * 10, file.length],
      ] as [number, number][],
      algorithms: ['sha256'],
    }));
    const spent = new Budget(Date.now() - 1);
    expect(() => hashPass(new BufferSource(file), jobs, spent)).toThrow(expect.objectContaining({ code: 'TIMEOUT' }));
    // With time left, every digest is its own ranges'.
    const { results } = hashPass(new BufferSource(file), jobs.slice(0, 3), Budget.unlimited());
    const expected = crypto.createHash('sha256').update(file.subarray(0, 1010)).update(file.subarray(1015)).digest();
    expect(results[1]!.digests.get('sha256')).toEqual(expected);
  });
});

describe('xref sections of millions of rows', () => {
  /** A Map and an XrefEntries given the same operations must answer alike. */
  test('XrefEntries answers as a Map would, dense and scattered numbers, across the size where it changes form', () => {
    const entries = new XrefEntries();
    const map = new Map<number, XrefEntry>();
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const entryFor = (i: number): XrefEntry =>
      i % 3 === 0 ? { type: 'free', gen: i % 7 } : i % 3 === 1 ? { type: 'offset', offset: 1000 + i, gen: 0 } : { type: 'compressed', streamNum: i % 11, index: i % 5 };
    // Consecutive numbers (as writers give them), some out of order, some far apart, some written twice.
    const nums: number[] = [];
    for (let i = 0; i < 150_000; i++) nums.push(i);
    for (let i = 0; i < 20_000; i++) nums.push(rand(10_000_000));
    for (let i = 0; i < 5_000; i++) nums.push(200_000 + rand(8192));
    nums.push(2 ** 41, 1.5, 4_000_000_000);
    nums.forEach((n, i) => {
      // First one wins, as readTable and the xref stream reader use it.
      if (!entries.has(n)) entries.set(n, entryFor(i));
      if (!map.has(n)) map.set(n, entryFor(i));
    });
    const text = (e: XrefEntry | undefined): string => JSON.stringify(e ?? null);
    const probes = [...map.keys()].slice(0, 1000).concat(nums.slice(-30_000), [150_000, 150_001, 9_999_999_999, -1, 2 ** 41 + 1]);
    expect(entries.size).toBe(map.size);
    expect(probes.map((n) => text(entries.get(n))).join('|')).toBe(probes.map((n) => text(map.get(n))).join('|'));
    expect(probes.filter((n) => entries.has(n))).toEqual(probes.filter((n) => map.has(n)));
    // Iteration gives every entry once; numbers() lists in-use and freed ones (object 0 is never "freed").
    const listed = (pairs: Iterable<[number, XrefEntry]>): string => [...pairs].sort((x, y) => x[0] - y[0]).map(([n, e]) => `${n}:${text(e)}`).join('|');
    expect(listed(entries)).toBe(listed(map));
    const { inUse, freed } = entries.numbers();
    const sorted = (list: number[]): number[] => [...list].sort((x, y) => x - y);
    expect(sorted(inUse)).toEqual(sorted([...map].filter(([, e]) => e.type !== 'free').map(([n]) => n)));
    expect(sorted(freed)).toEqual(sorted([...map].filter(([n, e]) => e.type === 'free' && n !== 0).map(([n]) => n)));
    // Set after the section was read (an unlisted object found later) overrides, in a page or not.
    entries.set(5, { type: 'offset', offset: 42, gen: 1 });
    entries.set(9_999_999, { type: 'offset', offset: 43, gen: 0 });
    expect(entries.get(5)).toEqual({ type: 'offset', offset: 42, gen: 1 });
    expect(entries.get(9_999_999)).toEqual({ type: 'offset', offset: 43, gen: 0 });
    expect(entries.clone().get(5)).toEqual({ type: 'offset', offset: 42, gen: 1 });
  });

  test('rows past the limit of entries (16,000,000 a document, fewer after earlier sections) are TOO_COMPLEX', () => {
    const entries = new XrefEntries(undefined, 100_000);
    expect(() => {
      for (let n = 1; n <= 150_000; n++) entries.setFree(n, 0);
    }).toThrow(expect.objectContaining({ code: 'TOO_COMPLEX' }));
    expect(entries.size).toBeLessThanOrEqual(100_001);
  });

  test('a small section stays a Map in the order its rows came', () => {
    const entries = new XrefEntries();
    for (const n of [9, 3, 7, 1]) entries.set(n, { type: 'free', gen: n });
    expect([...entries.keys()]).toEqual([9, 3, 7, 1]);
  });

  test('a row read without the lexer is one the lexer reads the same way', () => {
    const rows = [
      '0000000017 00000 n\r\n',
      '0000000017 00000 n \n',
      '17 0 n\n',
      ' \t17\r\n0\f f\n',
      '17 0 f%comment\n',
      '17 0 n<<',
      '17 0 nx\n',
      '17 0 n',
      '-17 0 n\n',
      '17 0.0 n\n',
      '1234567890123456 0 n\n',
      '17 0n\n',
      '17 0 trailer\n',
      '17 3 0000000001 00000 n\n',
      '%c\n17 0 n\n',
      '17\u00000\u0000n\u0000',
    ];
    for (const text of rows) {
      const bytes = new BufferBytes(Buffer.from(text, 'latin1'));
      const row: PlainRow = { first: -1, second: -1, free: false, end: -1 };
      const fast = readPlainRow(bytes, 0, row);
      const lexer = new Lexer(bytes, 0, false);
      const [a, b, c] = [lexer.next(), lexer.next(), lexer.next()];
      const lexerRow = a.kind === 'number' && b.kind === 'number' && c.kind === 'keyword' && (c.value === 'n' || c.value === 'f');
      if (fast) {
        expect({ text, lexerRow }).toEqual({ text, lexerRow: true });
        expect({ text, first: row.first, second: row.second, free: row.free, end: row.end }).toEqual({
          text,
          first: a.kind === 'number' ? a.value : null,
          second: b.kind === 'number' ? b.value : null,
          free: c.kind === 'keyword' && c.value === 'f',
          end: lexer.pos,
        });
      }
    }
    // The plain shapes are taken by the fast path (else it would not save anything).
    for (const text of rows.slice(0, 4)) expect(readPlainRow(new BufferBytes(Buffer.from(text, 'latin1')), 0, { first: 0, second: 0, free: false, end: 0 })).toBe(true);
  });

  test('a 200,000-row table reads as the lexer would have read it: every row an entry, the real objects resolved', () => {
    for (const kind of ['inuse', 'free'] as const) {
      const file = path.join(dir, `rows-${kind}.pdf`);
      writeHugeXrefPdf(file, 200_000, kind);
      const source = openFileSource(file);
      try {
        const doc = openPdf(source);
        const rev = doc.revisions[0]!;
        expect(rev.xrefDamage).toEqual([]);
        expect(rev.objects.length).toBe(kind === 'inuse' ? 199_999 : 3);
        expect(rev.freed.length).toBe(kind === 'inuse' ? 0 : 199_996);
        expect(rev.objects.slice(0, 4)).toEqual(kind === 'inuse' ? [1, 2, 3, 4] : [1, 2, 3]);
        expect(doc.pages()).toHaveLength(1);
        expect(doc.entryAsOf(150_000)?.entry).toEqual(kind === 'inuse' ? { type: 'offset', offset: expect.any(Number), gen: 0 } : { type: 'free', gen: 1 });
        // A row naming the page's offset for another number: the object is not there.
        expect(doc.getObject(150_000)).toBeNull();
      } finally {
        source.close?.();
      }
    }
  });
});
