import { BufferBytes, Lexer } from '../../worker/pdf/lexer';
import { SourceWindow } from '../../worker/pdf/window';
import { ObjectParser } from '../../worker/pdf/parser';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../worker/pdf';
import { ascii85Decode, asciiHexDecode, lzwDecode, runLengthDecode } from '../../worker/pdf/filters';
import { rc4 } from '../../worker/pdf/rc4';
import { decodeTextString, parsePdfDate } from '../../worker/pdf/text';

function parse(text: string): PdfValue {
  return new ObjectParser(new BufferBytes(Buffer.from(text, 'latin1')), { maxDepth: 64, fromFile: true }).parseValueAt(0).value;
}

describe('lexer and parser', () => {
  it('numbers in every form', () => {
    expect(parse('[1 -2 +4 .5 -.3 4. 0.25 007]')).toEqual([1, -2, 4, 0.5, -0.3, 4, 0.25, 7]);
  });

  it('names with #xx escapes', () => {
    expect(parse('/A#20B#2fC')).toEqual(new PdfName('A B/C'));
    expect(parse('/Sig')).toEqual(new PdfName('Sig'));
  });

  it('literal strings: escapes, nesting, octal, line continuation, bare CR', () => {
    const s = parse('(a\\(b\\)c (nested) \\n\\t\\\\ \\101\\7\\0101 x\\\ny\rz)') as PdfString;
    expect(s.bytes.toString('latin1')).toBe('a(b)c (nested) \n\t\\ A\x07\x081 xy\nz');
    expect(s.hex).toBe(false);
  });

  it('hex strings: whitespace, odd length, and their file span', () => {
    const s = parse('  <41 42\n4>') as PdfString;
    expect(s.bytes).toEqual(Buffer.from([0x41, 0x42, 0x40]));
    expect(s.hex).toBe(true);
    expect(s.span).toEqual({ start: 2, end: 11 });
  });

  it('zero-padded hex strings (signature /Contents) read exactly as the digits say, whatever their shape', () => {
    // The reference: ISO 32000-1 7.3.4.3, non-digits skipped, an odd final digit followed by an implied 0.
    const reference = (digits: string): Buffer => {
      const clean = digits.replace(/[^0-9a-fA-F]/g, '');
      return Buffer.from(clean.length % 2 === 1 ? `${clean}0` : clean, 'hex');
    };
    const shapes: string[] = [
      `3082${'ab'.repeat(40)}${'0'.repeat(2000)}`, // the usual: a CMS, then padding
      `${'0'.repeat(3000)}`, // all padding (an unsigned placeholder)
      `30820${'0'.repeat(999)}`, // odd length: the implied final 0
      `3082a${'0'.repeat(1001)}`, // the last real digit starts a pair that the padding completes
      `30 82${'0'.repeat(1000)}`, // whitespace before the padding
      `3082${'0'.repeat(500)} ${'0'.repeat(500)}`, // whitespace inside the padding
      `30g2${'0'.repeat(1000)}`, // junk before the padding
      `3082${'0'.repeat(1000)}x0`, // junk after it
      `3082${'0'.repeat(100)}`, // padding too short to take the shortcut
      `3082${'0'.repeat(1000)}1`, // not padding after all: a digit at the very end
      `${'0'.repeat(1000)}ff${'0'.repeat(1000)}`, // a nonzero byte in the middle of the zeros
      `308203${'ab'.repeat(3)}${'0'.repeat(1000)}`, // a DER length that matches the digits before the padding
      `308102${'ab'.repeat(8)}${'0'.repeat(1000)}`, // a DER length shorter than the digits (a lie): checked, not believed
      `30820fff${'ab'.repeat(8)}${'0'.repeat(1000)}`, // one longer than the whole string
      `3080${'ab'.repeat(8)}${'0'.repeat(1000)}`, // indefinite length
      `3082${'ab'.repeat(8)}${'0'.repeat(1 << 20)}`, // longer than the shortcut takes
    ];
    for (const digits of shapes) {
      const s = parse(`<${digits}>`) as PdfString;
      expect({ digits: digits.slice(0, 12), bytes: s.bytes.toString('hex') }).toEqual({ digits: digits.slice(0, 12), bytes: reference(digits).toString('hex') });
      expect(s.span).toEqual({ start: 0, end: digits.length + 2 });
    }
  });

  it('dictionaries, arrays, references, comments', () => {
    const v = parse('<< /A 1 0 R /B [1 0 R 2] % comment\n /C << /D null /E true >> /F false >>') as PdfDict;
    expect(v.get('A')).toEqual(new PdfRef(1, 0));
    expect(v.get('B')).toEqual([new PdfRef(1, 0), 2]);
    expect((v.get('C') as PdfDict).get('E')).toBe(true);
    expect(v.get('F')).toBe(false);
  });

  it('tokens at the end of data', () => {
    const lexer = new Lexer(new BufferBytes(Buffer.from('obj')), 0, false);
    expect(lexer.next()).toMatchObject({ kind: 'keyword', value: 'obj' });
    expect(lexer.next().kind).toBe('eof');
  });
});

describe('filters', () => {
  it('ASCIIHex, ASCII85, RunLength, LZW', () => {
    expect(asciiHexDecode(Buffer.from('48 65 6c6c 6F>'))).toEqual(Buffer.from('Hello'));
    expect(asciiHexDecode(Buffer.from('4>'))).toEqual(Buffer.from('@'));
    expect(ascii85Decode(Buffer.from('<~9jqo^BlbD-BleB1DJ+*+F(f,q~>')).toString()).toBe('Man is distinguished');
    expect(ascii85Decode(Buffer.from('z~>'))).toEqual(Buffer.alloc(4));
    expect(runLengthDecode(Buffer.from([2, 0x61, 0x62, 0x63, 0xfe, 0x7a, 0x80]), 100).toString()).toBe('abczzz');
    // The example of ISO 32000-1 7.4.4.2.
    expect(lzwDecode(Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]), true, 100).toString()).toBe('-----A---B');
  });

  it('RC4 known answer', () => {
    expect(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).toBe('bbf316e8d940af0ad3');
  });
});

describe('text strings and dates', () => {
  it('UTF-16BE, UTF-8 and PDFDocEncoding', () => {
    expect(decodeTextString(Buffer.from([0xfe, 0xff, 0x00, 0x56, 0x1e, 0xa1]))).toBe('Vạ');
    expect(decodeTextString(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('Hà Nội')]))).toBe('Hà Nội');
    expect(decodeTextString(Buffer.from([0x93, 0x80, 0xa0, 0xe9]))).toBe('ﬁ•€é');
  });

  it('PDF dates, partial forms and zones', () => {
    expect(parsePdfDate("D:20240102030405+07'00'")?.toISOString()).toBe('2024-01-01T20:04:05.000Z');
    expect(parsePdfDate("D:20240102030405-05'30")?.toISOString()).toBe('2024-01-02T08:34:05.000Z');
    expect(parsePdfDate('D:20240102030405Z')?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parsePdfDate('D:2024')?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(parsePdfDate('D:202402')?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(parsePdfDate('D:20240231')).toBeNull();
    expect(parsePdfDate('yesterday')).toBeNull();
  });
});

describe('lexer through a moving window', () => {
  // The lexer scans whole windows at a time; a token, a comment or a run of spaces cut by a window's edge must read
  // exactly as it does from one buffer. A source that is not in memory (as a 1 GB file is not) makes the window
  // move. A window starts 256 bytes before the byte asked for, so windows just over 256 bytes put an edge a few
  // bytes ahead of every position read.
  const entries = (i: number): string =>
    `/Type${i} /Sig %a comment that runs on\r\n /ByteRange${i} [0 123456789012345 -17 +4.25 1-2 0000012345] ` +
    `/Name#20Escaped${i} (lit\\)eral) /Contents${i} <30 82 0A> /N${i} 12 0 R /Flag${i} true /None${i} null\n\t\f\0 ` +
    `/Key${i} /AVeryLongNameThatCrossesEveryWindowEdge${i} `;
  const text = `<< ${[0, 1, 2, 3, 4, 5].map(entries).join('')}>>`;

  class SlowSource {
    constructor(private readonly buf: Buffer) {}
    get size(): number {
      return this.buf.length;
    }
    read(offset: number, length: number): Buffer {
      return Buffer.from(this.buf.subarray(offset, offset + length));
    }
  }

  it.each([257, 258, 259, 261, 263, 270, 300, 1000])('window of %i bytes', (windowSize) => {
    const bytes = Buffer.from(text, 'latin1');
    const whole = new ObjectParser(new BufferBytes(bytes), { maxDepth: 64, fromFile: true }).parseValueAt(0);
    const windowed = new ObjectParser(new SourceWindow(new SlowSource(bytes), windowSize), { maxDepth: 64, fromFile: true }).parseValueAt(0);
    expect(windowed).toEqual(whole);
    const d = whole.value as PdfDict;
    for (let i = 0; i < 6; i++) {
      expect(d.get(`ByteRange${i}`)).toEqual([0, 123456789012345, -17, 4.25, 12, 12345]);
      expect(d.get(`Name Escaped${i}`)).toBeInstanceOf(PdfString);
      expect(d.get(`N${i}`)).toEqual(new PdfRef(12, 0));
      expect(d.get(`Key${i}`)).toEqual(new PdfName(`AVeryLongNameThatCrossesEveryWindowEdge${i}`));
      expect(d.get(`Flag${i}`)).toBe(true);
      expect(d.get(`None${i}`)).toBeNull();
    }
  });
});
