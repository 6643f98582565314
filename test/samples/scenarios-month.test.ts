import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REGISTER_HEADERS, buildMonth, makeBenchCorpus } from '../../samples/month';
import { PdfFile } from '../../samples/lib/pdf-reader';
import { locateSignatures } from '../../samples/lib/pdf-writer';
import { loadTestPki } from '../../samples/lib/test-pki';

/** The sample month folder and the benchmark corpus have the promised shape. */

const pki = loadTestPki();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-month-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('month: ~24 PDFs for 4 units and a register with the agreed mismatches', () => {
  const month = path.join(dir, 'thang-11');
  const entries = buildMonth(month, pki);
  const pdfs = fs.readdirSync(month).filter((f) => f.endsWith('.pdf'));
  expect(pdfs.length).toBe(entries.length);
  expect(pdfs.length).toBeGreaterThanOrEqual(20);
  for (const f of pdfs) expect(f).toMatch(/^2026-11_[a-z-]+_\d+\.pdf$/);
  expect(new Set(entries.map((e) => e.unit)).size).toBe(4);

  const raw = fs.readFileSync(path.join(month, 'so-dang-ky.csv'));
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = raw.subarray(3).toString('utf8');
  expect(text).toMatch(/\r\n$/);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  const rows = text.trimEnd().split('\r\n').map((l) => l.split(','));
  expect(rows[0]).toEqual(REGISTER_HEADERS);
  const files = rows.slice(1).map((r) => r[0]);
  for (const r of rows.slice(1)) expect(r[2]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  // One row without a file, one file without a row.
  expect(files.filter((f) => !pdfs.includes(f))).toHaveLength(1);
  expect(pdfs.filter((f) => !files.includes(f))).toHaveLength(1);

  const shapes = entries.map((e) => e.shape);
  expect(shapes.filter((s) => s === 'compliant').length).toBeGreaterThan(entries.length / 2);
  for (const s of ['leader-only', 'public-agency', 'expired', 'unsigned-update', 'wrapped', 'unsigned', 'not-pdf']) expect(shapes).toContain(s);

  for (const e of entries) {
    const b = fs.readFileSync(path.join(month, e.file));
    if (e.shape === 'not-pdf') {
      expect(b.subarray(0, 4).toString('latin1')).not.toBe('%PDF');
      continue;
    }
    const sigs = locateSignatures(b);
    const expected = { compliant: 2, 'leader-only': 1, 'public-agency': 2, expired: 2, 'unsigned-update': 2, wrapped: 2, unsigned: 0 }[e.shape];
    expect(sigs).toHaveLength(expected);
    expect(new PdfFile(b).pageNums().length).toBeGreaterThan(0);
  }
});

test('bench corpus: n distinct ~150 KB two-layer documents, reproducible per seed', () => {
  const a = makeBenchCorpus(path.join(dir, 'bench-a'), 6, 3, pki);
  const b = makeBenchCorpus(path.join(dir, 'bench-b'), 2, 3, pki);
  const hashes = a.map((f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex'));
  expect(new Set(hashes).size).toBe(6);
  for (const f of a) {
    const size = fs.statSync(f).size;
    expect(size).toBeGreaterThan(140_000);
    expect(size).toBeLessThan(160_000);
    expect(locateSignatures(fs.readFileSync(f))).toHaveLength(2);
  }
  expect(fs.readFileSync(b[1]).equals(fs.readFileSync(a[1]))).toBe(true);
});
