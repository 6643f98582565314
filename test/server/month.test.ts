import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/cli/main';
import { buildMonth, type MonthEntry } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import type { BatchReport, DocumentReport } from '../../worker/report';
import { Capture } from './helpers/reports';
import { schemaErrors } from '../helpers/schema';

/**
 * The README's main job, end to end: the sample month of four units with its register, through `kiemky check`
 * with worker threads off (in-process under ts-jest). Every document's verdict follows from how it was made, and
 * the unit summary counts what the documents say.
 */

const pki = loadTestPki();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-month-'));
const monthDir = path.join(dir, 'thang-11');
const trustDir = path.join(dir, 'trust');
let entries: MonthEntry[] = [];
let report: BatchReport;
let code: number;

beforeAll(async () => {
  entries = buildMonth(monthDir, pki);
  writeTrustStore(trustDir, pki);
  const stdout = new Capture();
  const stderr = new Capture();
  code = await run(['check', monthDir, '--register', path.join(monthDir, 'so-dang-ky.csv'), '--certs', trustDir, '--format', 'json'], { stdout, stderr });
  report = JSON.parse(stdout.text) as BatchReport;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const byFile = (f: string): DocumentReport => report.documents.find((d) => path.basename(d.file) === f)!;

const EXPECTED: Record<string, { verdict: string; failing: string[] }> = {
  compliant: { verdict: 'compliant', failing: [] },
  'leader-only': { verdict: 'noncompliant', failing: ['twoLayer'] },
  expired: { verdict: 'noncompliant', failing: ['certificatesValid'] },
  'unsigned-update': { verdict: 'noncompliant', failing: ['intact'] },
  'public-agency': { verdict: 'noncompliant', failing: ['governmentCa'] },
  unsigned: { verdict: 'noncompliant', failing: ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid'] },
  wrapped: { verdict: 'noncompliant', failing: ['twoLayer', 'intact'] },
  'not-pdf': { verdict: 'error', failing: ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'] },
};

test('exit code 1: the month has non-compliant documents on purpose; the report satisfies the schema', () => {
  expect(code).toBe(1);
  const errors = schemaErrors(report);
  expect(errors).toEqual([]);
  expect(report.documents).toHaveLength(entries.length);
});

test('every document gets the verdict and the failing checks its making implies', () => {
  const got = entries.map((e) => {
    const d = byFile(e.file);
    return { file: e.file, shape: e.shape, verdict: d.verdict, failing: Object.entries(d.checks).filter(([, v]) => !v).map(([k]) => k).sort() };
  });
  const want = entries.map((e) => ({ file: e.file, shape: e.shape, verdict: EXPECTED[e.shape]!.verdict, failing: [...EXPECTED[e.shape]!.failing].sort() }));
  expect(got).toEqual(want);
});

test('each document belongs to its register unit (or, without a row, to its agency signer) and the summary adds up', () => {
  for (const e of entries) {
    if (e.shape === 'not-pdf' && !e.registered) continue;
    if (e.registered || e.shape === 'compliant') expect({ f: e.file, unit: byFile(e.file).unit }).toEqual({ f: e.file, unit: e.unit });
  }
  for (const u of report.units) {
    const docs = report.documents.filter((d) => d.unit === u.unit);
    expect(u.documents).toBe(docs.length);
    expect(u.compliant).toBe(docs.filter((d) => d.verdict === 'compliant').length);
    expect(u.twoLayer).toBe(docs.filter((d) => d.checks.twoLayer).length);
    expect(u.compliantPct).toBeCloseTo(Math.round((1000 * u.compliant) / u.documents) / 10, 5);
  }
  expect(report.totals.documents).toBe(entries.length);
  expect(report.totals.providers['VNPT-CA']).toBe(entries.filter((e) => e.shape === 'public-agency').length);
});

test('the register cross-checks are reported: missing PDF, PDF without a row, other signer, late signing', () => {
  const all = [...(report.findings ?? []), ...report.documents.flatMap((d) => d.findings)].map((f) => f.code);
  expect(all).toEqual(expect.arrayContaining(['REGISTER_ROW_WITHOUT_PDF', 'DOCUMENT_NOT_IN_REGISTER', 'REGISTER_SIGNER_MISMATCH', 'REGISTER_DATE_MISMATCH']));
  const unregistered = entries.filter((e) => !e.registered).map((e) => e.file);
  for (const f of unregistered) expect(byFile(f).findings.map((x) => x.code)).toContain('DOCUMENT_NOT_IN_REGISTER');
});
