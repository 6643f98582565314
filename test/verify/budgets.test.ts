import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manySignaturesPdf, writeHugeXrefPdf } from '../../bench/hostile-pdfs';
import { makeBenchCorpus } from '../../samples/month';
import { appendUpdate } from '../../samples/lib/pdf-writer';
import type { DocumentReport } from '../../worker/report';
import { BufferSource, openFileSource, type ByteSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import { schemaErrors } from '../helpers/schema';
import { testTrust } from '../helpers/test-trust';

/**
 * verifyDocument, the one function every mode calls, under hostile inputs (100,000 signature fields, millions of xref
 * rows, huge updates): it ends each within its budget with a verdict, and what it saves on them never costs a check
 * that makes a changed document not intact. Speed and memory are measured by hand (README); the bounds here are
 * generous, the verdicts exact.
 */

const { pki, trust } = testTrust();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-verify-budgets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function timed(source: ByteSource, fileName: string): Promise<{ report: DocumentReport; ms: number }> {
  const started = Date.now();
  try {
    const report = await verifyDocument(source, trust, { fileName });
    return { report, ms: Date.now() - started };
  } finally {
    source.close?.();
  }
}

describe('100,000 signature fields, each with its own signature dictionary', () => {
  test.each(['literal', 'hex'] as const)('/Contents as %s strings, read from a file: TOO_COMPLEX, far inside the time budget', async (form) => {
    // Over 16 MB, so the file is read by range through the window, as a large upload is.
    const file = path.join(dir, `signatures-${form}.pdf`);
    fs.writeFileSync(file, manySignaturesPdf(100_000, form));
    expect(fs.statSync(file).size).toBeGreaterThan(16 * 1024 * 1024);
    const { report, ms } = await timed(openFileSource(file), 'signatures.pdf');
    expect(report).toMatchObject({ verdict: 'error', error: { code: 'TOO_COMPLEX' }, signatures: [] });
    expect(report.error?.message).toMatch(/quá nhiều thành phần/);
    expect(report.findings[0]?.messageEn).toMatch(/too many parts/);
    const empty = { unit: null, documents: 0, signed: 0, twoLayer: 0, governmentCa: 0, compliant: 0, signedPct: 0, twoLayerPct: 0, governmentCaPct: 0, compliantPct: 0, providers: {} };
    const errors = schemaErrors({ generatedAt: new Date().toISOString(), documents: [report], units: [], totals: empty });
    expect(errors).toEqual([]);
    expect(ms).toBeLessThan(15_000);
  });

  test('1,000 of them, the most a document may have, are each examined', async () => {
    const { report } = await timed(new BufferSource(manySignaturesPdf(1000)), 'thousand.pdf');
    expect(report.verdict).toBe('noncompliant');
    expect(report.signatures).toHaveLength(1000);
    expect(report.signatures.every((s) => s.integrity === 'invalid')).toBe(true);
  });
});

describe('a classic xref table of millions of rows', () => {
  test('2,000,000 rows (40 MB): verified (an unsigned document), well within the budget', async () => {
    const file = path.join(dir, 'xref-2m.pdf');
    writeHugeXrefPdf(file, 2_000_000, 'inuse');
    const { report, ms } = await timed(openFileSource(file), 'xref.pdf');
    expect(report).toMatchObject({ verdict: 'noncompliant', checks: { signed: false } });
    expect(report.findings.map((f) => f.code)).toContain('NOT_SIGNED');
    expect(ms).toBeLessThan(20_000);
  });

  test('an update after the signatures whose section frees 70,000 objects is a change, not intact', async () => {
    const [signed] = makeBenchCorpus(path.join(dir, 'signed'), 1, 3, pki);
    const original = fs.readFileSync(signed!);
    const before = await timed(new BufferSource(original), 'signed.pdf');
    expect(before.report.verdict).toBe('compliant');
    // More rows than a section keeps as a plain Map: the paged form must say the same. (From object 2: a freed
    // catalog sends the whole file to the repair scan, another story.)
    const freed = Array.from({ length: 70_000 }, (_, i) => i + 2);
    const { report } = await timed(new BufferSource(appendUpdate(original, [], { freed })), 'freed.pdf');
    expect(report.verdict).toBe('noncompliant');
    expect(report.checks.intact).toBe(false);
    expect(report.signatures.map((s) => s.changesAfter)).toEqual(['disallowed', 'disallowed']);
    // Found by looking the signature dictionaries up in the freeing section, not by searching its list.
    expect(report.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['SIGNATURE_DICTIONARY_MODIFIED', 'DISALLOWED_CHANGE']));
  });

  test('an update after the signatures that frees 250,000 objects is TOO_COMPLEX, not examined object by object', async () => {
    // More than the document's object limit: no signer's update, and its set of objects would be too large to build.
    const [signed] = makeBenchCorpus(path.join(dir, 'signed-big'), 1, 4, pki);
    const freed = Array.from({ length: 250_000 }, (_, i) => i + 2);
    const { report } = await timed(new BufferSource(appendUpdate(fs.readFileSync(signed!), [], { freed })), 'freed-many.pdf');
    expect(report).toMatchObject({ verdict: 'error', error: { code: 'TOO_COMPLEX' } });
  });
});
