import { SCENARIOS } from '../../samples/scenarios';
import { CHANGE_SCENARIOS } from '../../samples/scenarios-changes';
import { HIDDEN_SCENARIOS } from '../../samples/scenarios-hidden';
import { PdfFile } from '../../samples/lib/pdf-reader';
import { locateSignatures } from '../../samples/lib/pdf-writer';
import { loadTestPki } from '../../samples/lib/test-pki';

/**
 * The catalog builds: every scenario yields bytes of the intended shape (a readable PDF with the stated number of
 * signature fields, or the intended broken bytes). Whether the verifier agrees with the expectations is tested in
 * test/verify/scenarios.test.ts.
 */

const pki = loadTestPki();
const built = new Map<string, Buffer>();
const bytesOf = (name: string): Buffer => {
  let b = built.get(name);
  if (!b) {
    const s = SCENARIOS.find((x) => x.name === name);
    if (!s) throw new Error(name);
    b = s.build(pki);
    built.set(name, b);
  }
  return b;
};

test('names are unique kebab-case, descriptions one line', () => {
  const names = SCENARIOS.map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  for (const s of SCENARIOS) {
    expect(s.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(s.description).not.toMatch(/\n/);
    expect(s.description.length).toBeGreaterThan(10);
  }
  expect(SCENARIOS.length).toBeGreaterThanOrEqual(40);
});

test('npm run samples writes every catalog to one folder: no two scenarios share a name', () => {
  const names = [...SCENARIOS, ...CHANGE_SCENARIOS, ...HIDDEN_SCENARIOS].map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
});

test('the catalog covers every check failing and every error code', () => {
  const failing = new Set<string>();
  for (const s of SCENARIOS) for (const [k, v] of Object.entries(s.expect.checks ?? {})) if (v === false) failing.add(k);
  expect([...failing].sort()).toEqual(['certificatesValid', 'governmentCa', 'intact', 'signed', 'strongAlgorithms', 'twoLayer']);
  const codes = SCENARIOS.map((s) => s.expect.errorCode).filter(Boolean);
  expect(codes.sort()).toEqual(['EMPTY_FILE', 'NOT_PDF', 'TRUNCATED']);
});

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, s) => {
  test('builds', () => {
    const b = bytesOf(name);
    expect(Buffer.isBuffer(b)).toBe(true);
    if (s.expect.verdict === 'error') {
      if (s.expect.errorCode === 'EMPTY_FILE') expect(b.length).toBe(0);
      if (s.expect.errorCode === 'NOT_PDF') expect(b.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
      if (s.expect.errorCode === 'TRUNCATED') {
        expect(b.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(b.toString('latin1')).not.toMatch(/%%EOF\s*$/);
      }
      return;
    }
    expect(b.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    // Readable by the generator's own reader: xref chain, catalog, pages.
    const f = new PdfFile(b);
    expect(f.pageNums().length).toBeGreaterThan(0);
    const sigs = new Set(locateSignatures(b).map((l) => l.sigNum));
    if (s.expect.signatureCount !== undefined) expect(sigs.size).toBe(s.expect.signatureCount);
  });
});

test('builds are deterministic where the algorithms are (RSA PKCS#1 v1.5, fixed times)', () => {
  const s = SCENARIOS.find((x) => x.name === 'compliant-two-layer-unit-0');
  expect(s).toBeDefined();
  expect(s!.build(pki).equals(s!.build(pki))).toBe(true);
});
