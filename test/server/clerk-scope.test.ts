import { attachRegister } from '../../server/ingest/batch-items';
import type { RegisterRow } from '../../server/register/table';
import { batchRow } from '../../server/store/scoped-row';
import { unitInScope } from '../../server/register/unit-scope';
import type { DocumentReport } from '../../worker/report';
import { report, signature } from './helpers/reports';

/**
 * A clerk's upload counts only for the clerk's units: which names stand for a clerk's unit, and how a row of a clerk's
 * batch is made from its document and register row. The API and both stores are tested on top of this in
 * test/api/clerk-units.ts.
 */

const A = 'UBND xã Vạn Thắng';
const A2 = 'Phòng Tư pháp huyện Vạn Ninh';
const B = 'UBND xã Vạn Phước';

const row = (line: number, file: string, unit: string | null, extra: Partial<RegisterRow> = {}): RegisterRow => ({
  line,
  file,
  number: `${line}/UBND`,
  date: '2024-11-05',
  summary: `Văn bản dòng ${line}`,
  signer: 'Nguyễn Văn A',
  unit,
  ...extra,
});

/** A two-layer document sealed by `agency` (its organization signature), or only the leader's when null. */
function sealedBy(agency: string | null, overrides: Partial<DocumentReport> = {}): DocumentReport {
  const leader = signature({ cn: 'Nguyễn Văn A' });
  leader.signer = { ...leader.signer!, organization: 'ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA' };
  const signatures = agency === null ? [leader] : [leader, signature({ index: 2, kind: 'organization', cn: agency, revision: 2 })];
  return report('goc.pdf', { unit: agency ?? 'ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA', signatures, ...overrides });
}

const codes = (doc: DocumentReport): string[] => doc.findings.map((f) => f.code);

describe('which names stand for a clerk\'s unit', () => {
  test('case, diacritics, punctuation and UBND/HĐND/TP spelled out; the clerk\'s spelling comes back', () => {
    for (const name of [A, 'ubnd xa van thang', 'ỦY BAN NHÂN DÂN XÃ VẠN THẮNG', 'Uỷ ban nhân dân xã Vạn Thắng', 'UBND xã Vạn Thắng.']) {
      expect({ name, unit: unitInScope([B, A], name) }).toEqual({ name, unit: A });
    }
  });

  test('a certificate that adds the district or province after the unit names it; so does a shorter form', () => {
    expect(unitInScope([A], 'Ủy ban nhân dân xã Vạn Thắng, huyện Vạn Ninh, tỉnh Khánh Hòa')).toBe(A);
    expect(unitInScope([A2], 'Phòng Tư pháp')).toBe(A2);
  });

  test('another unit, or a unit named further inside a longer name, is not the clerk\'s', () => {
    expect(unitInScope([A], B)).toBeNull();
    expect(unitInScope([A], 'UBND huyện Vạn Ninh')).toBeNull();
    // The district's office is not the district's people's committee, nor the other way round.
    expect(unitInScope(['Văn phòng HĐND và UBND huyện Vạn Ninh'], 'UBND huyện Vạn Ninh')).toBeNull();
    expect(unitInScope(['UBND huyện Vạn Ninh'], 'Văn phòng HĐND và UBND huyện Vạn Ninh')).toBeNull();
    expect(unitInScope([A], '')).toBeNull();
    expect(unitInScope([A], null)).toBeNull();
    expect(unitInScope([A], ' - ')).toBeNull();
  });
});

describe('a row of a clerk\'s batch', () => {
  const ctx = (register: RegisterRow | null, hasRegister = true) => ({ file: 'tai-len/CV-1.pdf', register, hasRegister });

  test('not limited (an admin, an export): the register row applies as in `kiemky check`, whatever unit it names', () => {
    const made = batchRow(sealedBy(A), ctx(row(4, 'CV-1.pdf', B)), null);
    expect(made).toMatchObject({ counted: true, report: { unit: B, file: 'tai-len/CV-1.pdf', register: { unit: B } } });
    expect(codes(made.report)).toEqual(['REGISTER_UNIT_MISMATCH']);
  });

  test('a register row naming the clerk\'s unit applies; the row counts under the clerk\'s spelling', () => {
    const made = batchRow(sealedBy(A), ctx(row(4, 'CV-1.pdf', 'Ủy ban nhân dân xã Vạn Thắng')), [A]);
    expect(made.counted).toBe(true);
    expect(made.report.unit).toBe(A);
    expect(made.report.register).toMatchObject({ number: '4/UBND', unit: 'Ủy ban nhân dân xã Vạn Thắng' });
    expect(made.register?.line).toBe(4);
    expect(codes(made.report)).toEqual([]);
  });

  test('a register row naming another unit is refused: nothing of it applies, the document counts for the clerk', () => {
    const verified = sealedBy(A, { findings: [{ code: 'OWN', severity: 'info', message: 'riêng', signature: null }] });
    const made = batchRow(verified, ctx(row(7, 'CV-1.pdf', B, { number: '99/B-MAT', summary: 'Của xã khác' })), [A]);
    expect(made.counted).toBe(true);
    expect(made.report.unit).toBe(A);
    expect(made.report.register).toBeUndefined();
    expect(made.register).toBeNull();
    // The document's own findings first (the store keeps the rest as the row's), then the refusal: no "not in register".
    expect(codes(made.report)).toEqual(['OWN', 'REGISTER_ROW_OTHER_UNIT']);
    const refusal = made.report.findings[1];
    expect(refusal).toMatchObject({ severity: 'warning', signature: null });
    expect(refusal.message).toContain('Dòng 7 của sổ đăng ký');
    expect(refusal.messageEn).toContain('Register line 7');
    expect(JSON.stringify(made.report)).not.toMatch(/Vạn Phước|99\/B-MAT|Của xã khác/);
  });

  test('a document another unit\'s agency signed counts for no unit, whatever the register row says', () => {
    for (const register of [row(3, 'CV-1.pdf', A), row(3, 'CV-1.pdf', B), null]) {
      const made = batchRow(sealedBy(B), ctx(register), [A]);
      expect({ register: register?.unit, counted: made.counted, unit: made.report.unit }).toEqual({ register: register?.unit, counted: false, unit: null });
      expect(made.report.register).toBeUndefined();
      expect(codes(made.report)).toEqual(register?.unit === B ? ['REGISTER_ROW_OTHER_UNIT', 'AGENCY_SIGNATURE_OTHER_UNIT'] : ['AGENCY_SIGNATURE_OTHER_UNIT']);
      expect(made.report.findings.at(-1)?.message).toContain('không được tính cho đơn vị nào');
      expect(made.report.file).toBe('tai-len/CV-1.pdf');
    }
  });

  test('an agency signature whose integrity fails is no evidence; a document issued jointly with the clerk\'s agency is the clerk\'s', () => {
    const broken = sealedBy(B);
    broken.signatures[1] = { ...broken.signatures[1], integrity: 'invalid' };
    expect(batchRow(broken, ctx(null, false), [A])).toMatchObject({ counted: true, report: { unit: A } });
    const joint = sealedBy(B);
    joint.signatures.push(signature({ index: 3, kind: 'organization', cn: 'ỦY BAN NHÂN DÂN XÃ VẠN THẮNG', revision: 3 }));
    expect(batchRow(joint, ctx(null, false), [A])).toMatchObject({ counted: true, report: { unit: A } });
  });

  test('without an agency signature the document is the clerk\'s: the leader\'s certificate may name the province', () => {
    const made = batchRow(sealedBy(null), ctx(null), [A]);
    expect(made).toMatchObject({ counted: true, report: { unit: A } });
    expect(codes(made.report)).toEqual(['DOCUMENT_NOT_IN_REGISTER']);
    const unsigned = batchRow(report('x.pdf', { unit: null, signatures: [], verdict: 'noncompliant' }), ctx(null, false), [A, A2]);
    expect(unsigned).toMatchObject({ counted: true, report: { unit: A } });
  });

  test('a clerk of several units: the register row\'s unit, else the agency\'s, else the first', () => {
    expect(batchRow(sealedBy(A2), ctx(row(2, 'CV-1.pdf', A)), [A, A2]).report.unit).toBe(A);
    expect(batchRow(sealedBy('PHÒNG TƯ PHÁP HUYỆN VẠN NINH'), ctx(null, false), [A, A2]).report.unit).toBe(A2);
    expect(batchRow(sealedBy(null), ctx(row(2, 'CV-1.pdf', null)), [A2, A]).report.unit).toBe(A2);
  });

  test('a scope with no unit counts nothing', () => {
    expect(batchRow(sealedBy(A), ctx(row(2, 'CV-1.pdf', A)), [])).toMatchObject({ counted: false, report: { unit: null } });
  });
});

describe('register rows no document used', () => {
  const items = [{ file: 'CV-1.pdf', sha256: 'a'.repeat(64), size: 1 }];

  test('in a clerk\'s upload a row naming another unit is refused by its line number only', () => {
    const rows = [row(2, 'CV-1.pdf', A), row(3, 'CV-2.pdf', A), row(4, 'bi-mat.pdf', B, { number: '9/B-MAT' }), row(5, 'CV-3.pdf', null)];
    const { items: joined, findings } = attachRegister(items, rows, [A]);
    expect(joined[0].register?.line).toBe(2);
    expect(findings.map((f) => [f.code, f.message.match(/dòng (\d+)|Dòng (\d+)/i)?.slice(1).find(Boolean)])).toEqual([
      ['REGISTER_ROW_WITHOUT_PDF', '3'],
      ['REGISTER_ROW_OTHER_UNIT', '4'],
      ['REGISTER_ROW_WITHOUT_PDF', '5'],
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/bi-mat|9\/B-MAT|Vạn Phước/);
  });

  test('a matched row stays on its document (the store refuses it there); not limited, every row is as before', () => {
    const { items: joined, findings } = attachRegister(items, [row(2, 'CV-1.pdf', B), row(4, 'x.pdf', B)]);
    expect(joined[0].register?.unit).toBe(B);
    expect(findings.map((f) => f.code)).toEqual(['REGISTER_ROW_WITHOUT_PDF']);
    expect(attachRegister(items, [row(2, 'CV-1.pdf', B)], [A]).items[0].register?.unit).toBe(B);
  });
});
