import { buildBatchReport, summarize } from '../../server/report/summary';
import { ALL_CHECKS, report, signature } from './helpers/reports';

describe('unit summary', () => {
  const vnpt = { category: 'public' as const, provider: 'VNPT-CA', root: 'Vietnam National Root CA' };
  const docs = [
    report('a.pdf', { unit: 'Phòng Tư pháp' }),
    report('b.pdf', {
      unit: 'Phòng Tư pháp',
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, governmentCa: false },
      // Two VNPT signatures and a document timestamp: VNPT counts once, the timestamp not at all.
      signatures: [
        signature({ ca: vnpt }),
        signature({ index: 2, kind: 'organization', ca: vnpt }),
        signature({ index: 3, type: 'document-timestamp', ca: { category: 'public', provider: 'Viettel-CA', root: null } }),
      ],
    }),
    report('c.pdf', {
      unit: 'Phòng Tư pháp',
      verdict: 'error',
      checks: { signed: false, twoLayer: false, governmentCa: false, intact: false, certificatesValid: false, strongAlgorithms: false },
      signatures: [],
    }),
    report('d.pdf', {
      unit: null,
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, twoLayer: false, governmentCa: false, certificatesValid: false },
      signatures: [signature({ ca: { category: 'untrusted', provider: 'VNPT-CA', root: null } })],
    }),
  ];

  test('counts, errors in the denominator, providers once per document', () => {
    const { units, totals } = summarize(docs);
    expect(units.map((u) => u.unit)).toEqual(['Phòng Tư pháp', null]);
    expect(units[0]).toEqual({
      unit: 'Phòng Tư pháp',
      documents: 3,
      signed: 2,
      twoLayer: 2,
      governmentCa: 1,
      compliant: 1,
      errors: 1,
      signedPct: 66.7,
      twoLayerPct: 66.7,
      governmentCaPct: 33.3,
      compliantPct: 33.3,
      providers: { 'Ban Cơ yếu Chính phủ': 1, 'VNPT-CA': 1 },
    });
    expect(units[1].providers).toEqual({ '(không tin cậy)': 1 });
    expect(totals).toMatchObject({ unit: null, documents: 4, signed: 3, compliant: 1, errors: 1, compliantPct: 25, signedPct: 75 });
    expect(totals.providers).toEqual({ 'Ban Cơ yếu Chính phủ': 1, 'VNPT-CA': 1, '(không tin cậy)': 1 });
  });

  test('no documents: zero percentages', () => {
    const { units, totals } = summarize([]);
    expect(units).toEqual([]);
    expect(totals).toMatchObject({ documents: 0, signedPct: 0, compliantPct: 0, providers: {} });
  });

  test('batch report carries the generation time and the batch findings', () => {
    const batch = buildBatchReport(docs, [], new Date('2024-11-30T00:00:00Z'));
    expect(batch.generatedAt).toBe('2024-11-30T00:00:00.000Z');
    expect(batch.documents).toBe(docs);
    expect(batch.findings).toEqual([]);
  });
});
