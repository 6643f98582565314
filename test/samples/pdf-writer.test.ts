import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  addDss,
  addSignature,
  addUsageRightsSignature,
  appendUpdate,
  locateSignatures,
  makeDocument,
  nextObjectNumber,
  readObject,
  type SignFieldOptions,
} from '../../samples/lib/pdf-writer';
import { PdfFile } from '../../samples/lib/pdf-reader';

/** A stand-in for the CMS builder: random bytes, remembering what it was asked to sign. */
function dummySigner(): { sign: (b: Buffer) => Buffer; calls: Array<{ signed: Buffer; cms: Buffer }> } {
  const calls: Array<{ signed: Buffer; cms: Buffer }> = [];
  return {
    calls,
    sign: (b) => {
      const cms = crypto.randomBytes(2500);
      calls.push({ signed: Buffer.from(b), cms });
      return cms;
    },
  };
}

const doc = (o: { xref?: 'table' | 'stream'; objectStreams?: boolean; seed?: number; padTo?: number; pages?: number } = {}): Buffer =>
  makeDocument({
    title: 'Công văn số 123/UBND-VP',
    lines: ['UY BAN NHAN DAN HUYEN VAN NINH', 'Số: 123/UBND-VP', 'Van Ninh, ngay 10 thang 03 nam 2026', 'V/v thu nghiem'],
    ...o,
  });

/** Every section's entries, checked against the bytes without trusting the reader's object parser. */
function checkXrefOffsets(pdf: Buffer): number {
  const f = new PdfFile(pdf);
  const s = pdf.toString('latin1');
  let checked = 0;
  for (const sec of f.sections) {
    if (sec.kind === 'table') expect(s.startsWith('xref', sec.offset)).toBe(true);
    else expect(s.slice(sec.offset, sec.offset + 40)).toMatch(/^\d+ 0 obj\s*<<[^]*\/Type\s*\/XRef/);
    for (const [n, e] of sec.entries) {
      if (e.type !== 'offset') continue;
      expect(s.slice(e.offset, e.offset + String(n).length + 6)).toBe(`${n} 0 obj`);
      checked++;
    }
  }
  // Raw re-parse of every xref table (independent of PdfFile's table reader).
  const re = /(?:^|\n)xref\n([\s\S]*?)trailer/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const lines = m[1].split(/\r?\n/).filter((l) => l.trim() !== '');
    let cur = 0;
    for (const l of lines) {
      const sub = /^(\d+) (\d+)$/.exec(l);
      if (sub) {
        cur = Number(sub[1]);
        continue;
      }
      expect(l).toMatch(/^\d{10} \d{5} [nf]$/);
      const [off, , kind] = l.split(' ');
      if (kind === 'n') expect(s.slice(Number(off)).startsWith(`${cur} 0 obj`)).toBe(true);
      cur++;
    }
  }
  return checked;
}

/** Revisions: each ends with startxref N / %%EOF and N names the section of that revision. */
function revisions(pdf: Buffer): number[] {
  const s = pdf.toString('latin1');
  const ends: number[] = [];
  const re = /startxref\s+(\d+)\s+%%EOF\r?\n/g;
  for (let m = re.exec(s); m; m = re.exec(s)) ends.push(m.index + m[0].length);
  return ends;
}

const KINDS: Array<['table' | 'stream', boolean]> = [
  ['table', false],
  ['stream', false],
  ['stream', true],
];

describe.each(KINDS)('xref %s, object streams %s', (xref, objectStreams) => {
  const base = doc({ xref, objectStreams, pages: 2 });

  test('base document: header, one revision, xref offsets right', () => {
    expect(base.subarray(0, 9).toString('latin1')).toBe('%PDF-1.7\n');
    expect(revisions(base)).toEqual([base.length]);
    expect(checkXrefOffsets(base)).toBeGreaterThanOrEqual(objectStreams ? 3 : 8);
    const f = new PdfFile(base);
    expect(f.sections[0].kind).toBe(xref);
    expect(f.pageNums()).toHaveLength(2);
    expect(readObject(base, f.rootNum)).toMatch(/\/Type\s*\/Catalog/);
    if (objectStreams) {
      expect(base.toString('latin1')).toMatch(/\/Type \/ObjStm/);
      expect([...f.xref.values()].some((e) => e.type === 'compressed')).toBe(true);
    }
  });

  test('two signatures are true incremental updates with exact byte ranges', () => {
    const d1 = dummySigner();
    const d2 = dummySigner();
    const s1 = addSignature(base, { fieldName: 'LanhDao', image: 'signature', m: new Date('2026-03-10T02:15:00Z'), name: 'Nguyễn Văn Thử', sign: d1.sign });
    const s2 = addSignature(s1, { fieldName: 'CoQuan', image: 'seal', m: new Date('2026-03-10T03:40:00Z'), sign: d2.sign });
    // Earlier bytes unchanged.
    expect(s1.subarray(0, base.length).equals(base)).toBe(true);
    expect(s2.subarray(0, s1.length).equals(s1)).toBe(true);
    expect(revisions(s2)).toEqual([base.length, s1.length, s2.length]);
    checkXrefOffsets(s2);

    const locs = locateSignatures(s2);
    expect(locs.map((l) => l.field)).toEqual(['LanhDao', 'CoQuan']);
    const ends = [s1.length, s2.length];
    locs.forEach((l, i) => {
      const [z, a, b, c] = l.byteRange ?? [];
      expect(l.byteRange).toHaveLength(4);
      expect(z).toBe(0);
      expect(l.contents).toEqual({ start: a, end: b });
      expect(s2[a]).toBe('<'.charCodeAt(0));
      expect(s2[b - 1]).toBe('>'.charCodeAt(0));
      // c runs to the end of THIS revision (after its %%EOF\n).
      expect(b + c).toBe(ends[i]);
      const calls = [d1, d2][i].calls;
      expect(calls).toHaveLength(1);
      expect(calls[0].signed.equals(Buffer.concat([s2.subarray(0, a), s2.subarray(b, b + c)]))).toBe(true);
      const hex = s2.subarray(a + 1, b - 1).toString('latin1');
      expect(hex).toHaveLength(24000);
      const cms = calls[0].cms.toString('hex').toUpperCase();
      expect(hex.startsWith(cms)).toBe(true);
      expect(/^0*$/.test(hex.slice(cms.length))).toBe(true);
    });
    const f = new PdfFile(s2);
    expect(f.sections.map((x) => x.kind)).toEqual([xref, xref, xref]);
    const acro = readObject(s2, f.signatureFields()[0].fieldNum);
    expect(acro).toMatch(/\/FT \/Sig/);
    expect(readObject(s2, f.rootNum)).toMatch(/\/AcroForm \d+ 0 R/);
    const page = readObject(s2, f.pageNums()[0]);
    expect(page).toMatch(/\/Annots \[\d+ 0 R \d+ 0 R\]/);
    expect(s2.toString('latin1')).toMatch(/\/SigFlags 3/);
  });

  test('appendUpdate, addDss and freed objects', () => {
    const n = nextObjectNumber(base);
    const u1 = appendUpdate(base, [{ body: '<< /Type /Foo /V 1 >>' }, { num: 3, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' }]);
    expect(u1.subarray(0, base.length).equals(base)).toBe(true);
    expect(readObject(u1, n)).toBe('<< /Type /Foo /V 1 >>');
    expect(readObject(u1, 3)).toMatch(/Helvetica/);
    const u2 = appendUpdate(u1, [], { freed: [n] });
    expect(() => readObject(u2, n)).toThrow(/free/);
    const u3 = addDss(u2, { certs: [Buffer.from('cert')], crls: [Buffer.from('crl')] });
    const f = new PdfFile(u3);
    expect(readObject(u3, f.rootNum)).toMatch(/\/DSS \d+ 0 R/);
    expect(revisions(u3)).toHaveLength(4);
    checkXrefOffsets(u3);
  });
});

test('padTo reaches the size with content that differs per seed', () => {
  const a = doc({ padTo: 150_000, seed: 1 });
  const b = doc({ padTo: 150_000, seed: 2 });
  expect(Math.abs(a.length - 150_000)).toBeLessThan(3000);
  expect(a.equals(b)).toBe(false);
  expect(doc({ padTo: 150_000, seed: 1 }).equals(a)).toBe(true);
});

test('mixing xref kinds: a table update on a stream base and the reverse', () => {
  const d = dummySigner();
  const s = addSignature(doc({ xref: 'stream' }), { fieldName: 'A', sign: d.sign, xref: 'table', m: new Date(0) });
  const t = addSignature(s, { fieldName: 'B', sign: d.sign, xref: 'stream', m: new Date(0) });
  expect(new PdfFile(t).sections.map((x) => x.kind)).toEqual(['stream', 'table', 'stream']);
  checkXrefOffsets(t);
});

test('certification, document timestamp, usage rights, duplicate field', () => {
  const d = dummySigner();
  let p = addUsageRightsSignature(doc(), { sign: d.sign, m: new Date(0) });
  expect(readObject(p, new PdfFile(p).rootNum)).toMatch(/\/Perms << \/UR3 \d+ 0 R >>/);
  p = addSignature(p, { fieldName: 'L', certify: 2, sign: d.sign, m: new Date(0), image: 'signature' });
  expect(readObject(p, new PdfFile(p).rootNum)).toMatch(/\/Perms << \/UR3 \d+ 0 R \/DocMDP \d+ 0 R >>/);
  p = addSignature(p, { fieldName: 'C', sign: d.sign, m: new Date(0), image: 'seal', extraFieldNames: ['C2'] });
  p = addSignature(p, { fieldName: 'TS', type: 'DocTimeStamp', sign: d.sign });
  const locs = locateSignatures(p);
  expect(locs.map((l) => l.field)).toEqual(['L', 'C', 'C2', 'TS']);
  expect(locs[1].sigNum).toBe(locs[2].sigNum);
  expect(readObject(p, locs[3].sigNum!)).toMatch(/\/Type \/DocTimeStamp .*\/SubFilter \/ETSI.RFC3161/);
  expect(readObject(p, locs[0].sigNum!)).toMatch(/\/TransformMethod \/DocMDP/);
  expect(d.calls).toHaveLength(4);
  checkXrefOffsets(p);
});

test('forgery hooks write the intended broken dictionaries', () => {
  const forged = (forge: SignFieldOptions['forge']): string => {
    const p = addSignature(doc(), { fieldName: 'X', sign: () => crypto.randomBytes(100), m: new Date(0), forge });
    return readObject(p, locateSignatures(p)[0].sigNum!);
  };
  expect(forged({ contents: 'empty' })).toMatch(/\/Contents <>/);
  expect(forged({ contents: 'zeros' })).toMatch(/\/Contents <0{24000}>/);
  expect(forged({ contents: 'missing' })).not.toMatch(/\/Contents/);
  expect(forged({ byteRange: 'missing' })).not.toMatch(/\/ByteRange/);
  expect(forged({ byteRange: 'zeros' })).toMatch(/\/ByteRange \[0 0 0 0 +\]/);
  expect(forged({ byteRange: (l) => [0, l.contentsStart, l.contentsEnd, 1, l.contentsEnd + 2, l.fileEnd - l.contentsEnd - 2] })).toMatch(
    /\/ByteRange \[0 \d+ \d+ 1 \d+ \d+ +\]/,
  );
});

/** External tools, when the machine has them: an extra opinion, skipped otherwise. */
function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const external = has('qpdf') || has('pdfsig') ? test : test.skip;
external('qpdf --check / pdfsig accept the output', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-pdfw-'));
  try {
    for (const [xref, objectStreams] of KINDS) {
      const d = dummySigner();
      const p = addSignature(addSignature(doc({ xref, objectStreams }), { fieldName: 'A', image: 'signature', sign: d.sign, m: new Date(0) }), {
        fieldName: 'B',
        image: 'seal',
        sign: d.sign,
        m: new Date(0),
      });
      const file = path.join(dir, `${xref}-${objectStreams}.pdf`);
      fs.writeFileSync(file, p);
      if (has('qpdf')) {
        const out = execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
        expect(out).toMatch(/No syntax or stream encoding errors/);
      }
      if (has('pdfsig')) {
        let out = '';
        try {
          out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
        } catch (e) {
          out = String((e as { stdout?: string }).stdout ?? '');
        }
        // Random CMS bytes do not verify, but pdfsig must find both signature fields.
        expect(out).toMatch(/Signature #2/);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
