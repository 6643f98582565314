import { SCENARIOS } from '../../samples/scenarios';
import { testTrust } from '../helpers/test-trust';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import type { DocumentReport } from '../../worker/report';
import { schemaErrors } from '../helpers/schema';

/**
 * Every named scenario of samples/scenarios.ts, built with the test PKI and verified with a trust store of the test
 * roots: the verdict, the checks and the per-signature facts must be what the definitions of the six checks and the
 * verdict say (README, "What the verdict means").
 */

const { pki, trust } = testTrust();

const reports = new Map<string, DocumentReport>();

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (name, scenario) => {
  let report: DocumentReport;
  beforeAll(async () => {
    const bytes = scenario.build(pki);
    report = await verifyDocument(new BufferSource(bytes), trust, { fileName: `${name}.pdf` });
    reports.set(name, report);
  });

  test(`verdict: ${scenario.expect.verdict} — ${scenario.description}`, () => {
    expect({ verdict: report.verdict, error: report.error?.code, findings: report.findings.map((f) => f.code) }).toMatchObject({
      verdict: scenario.expect.verdict,
      ...(scenario.expect.errorCode ? { error: scenario.expect.errorCode } : {}),
    });
  });

  if (scenario.expect.checks) {
    test('checks', () => expect(report.checks).toMatchObject(scenario.expect.checks!));
  }
  if (scenario.expect.signatureCount !== undefined) {
    test('signature count', () => expect(report.signatures).toHaveLength(scenario.expect.signatureCount!));
  }
  if (scenario.expect.signatures) {
    test('per-signature facts', () => {
      const actual = report.signatures.map((s) => ({
        integrity: s.integrity,
        certificate: s.certificate,
        category: s.ca.category,
        kind: s.signer?.kind ?? 'unknown',
        coversWholeFile: s.coversWholeFile,
        weakAlgorithm: s.weakAlgorithm,
        subFilter: s.subFilter,
        field: s.field,
        signingTimeSource: s.signingTimeSource,
      }));
      expect(actual).toMatchObject(scenario.expect.signatures!);
    });
  }
  if (scenario.expect.unit !== undefined) {
    test('unit', () => expect(report.unit).toBe(scenario.expect.unit));
  }
  if (scenario.expect.findings && scenario.expect.findings.length > 0) {
    test('findings', () => expect(report.findings.map((f) => f.code)).toEqual(expect.arrayContaining(scenario.expect.findings!)));
  }
  test('every finding has a Vietnamese message, what to do about it, and the verdict agrees with the checks', () => {
    for (const f of report.findings) expect(f.message.length).toBeGreaterThan(10);
    for (const f of report.findings) expect(f.remedy?.length).toBeGreaterThan(10);
    // Times in messages are for people: Vietnam's dd/mm/yyyy HH:mm, never an ISO instant in UTC.
    for (const f of report.findings) expect(`${f.message} ${f.messageEn}`).not.toMatch(/\d{4}-\d{2}-\d{2}T|\d{4}-\d{2}-\d{2}\b/);
    if (report.verdict === 'compliant') expect(Object.values(report.checks).every(Boolean)).toBe(true);
    if (report.verdict === 'noncompliant') expect(Object.values(report.checks).every(Boolean)).toBe(false);
  });
});

test('a certificate expired at signing time says when, in Vietnam time as people write it', () => {
  const expired = reports.get('expired-leader')?.findings.find((f) => f.code === 'CERT_EXPIRED');
  expect(expired?.message).toMatch(/\(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\)/);
  // And the certificate's own end date, as a day.
  expect(expired?.message).toMatch(/hết hạn ngày \d{2}\/\d{2}\/\d{4}/);
});

test('every scenario report satisfies the shared report schema', () => {
  const docs = [...reports.values()];
  const empty = { unit: null, documents: 0, signed: 0, twoLayer: 0, governmentCa: 0, compliant: 0, signedPct: 0, twoLayerPct: 0, governmentCaPct: 0, compliantPct: 0, providers: {} };
  const errors = schemaErrors({ generatedAt: new Date().toISOString(), documents: docs, units: [], totals: empty });
  expect(errors).toEqual([]);
});
