import { loadTestPki } from '../../samples/lib/test-pki';
import { signAgency, signLeader, makeUnitDocument, LEADER_AT } from '../../samples/scenarios';
import { appendUpdate } from '../../samples/lib/pdf-writer';
import { analyzePdf } from '../../worker/pdf/index';
import { BufferSource } from '../../worker/source';
import { collectFacts } from '../../worker/facts';
import { analyzeRevision } from '../../worker/changes/index';
import { appearanceFindings } from '../../worker/policy/appearance';
import { describeViolation } from '../../worker/policy/labels';

/**
 * The change analysis at the level of rules: which named rule explains each object of the agency's revision,
 * what an override is called, the ND 30 appearance warnings, and what the analysis costs.
 */

const pki = loadTestPki();
const u = pki.units[0];
const leaderOnly = signLeader(makeUnitDocument({ unit: 0, so: 901, date: LEADER_AT, seed: 901 }, u.name), u.leader);
const twoLayer = signAgency(leaderOnly, u.agency);
const noLocks = { docMdpP: null, isLocked: () => false, vouched: true };

describe('the agency revision of a two-layer document', () => {
  const { doc } = analyzePdf(new BufferSource(twoLayer));
  const agencyRev = doc.revisions.length - 1;
  const facts = collectFacts(new BufferSource(twoLayer), { fileName: 'x.pdf' });
  const agency = facts.signatures[1]!;

  test('every object it writes is explained by a named rule, none is left over', () => {
    const diff = analyzeRevision(doc, agencyRev, { ...noLocks, signer: { index: 2, objectNumber: agency.pdf.objectNumber, timestamp: false } });
    expect(diff.violations).toEqual([]);
    const rules = new Set(diff.explained.map((e) => e.rule));
    expect([...rules].sort()).toEqual(['rule_acroform_fields_append', 'rule_new_signature_field', 'rule_page_annots_append_sig_widget']);
    expect(diff.explained.map((e) => e.object).sort((a, b) => a - b)).toEqual([...doc.revisions[agencyRev]!.objects].sort((a, b) => a - b));
  });

  test('the same revision without its valid signature is a visible unsigned field: disallowed', () => {
    const diff = analyzeRevision(doc, agencyRev, { ...noLocks, signer: null });
    expect(diff.violations.map((v) => v.kind)).toContain('signature-field');
  });

  test('after a DocMDP P=1 certification, even a signed new field is disallowed', () => {
    const diff = analyzeRevision(doc, agencyRev, { docMdpP: 1, isLocked: () => false, vouched: true, signer: { index: 2, objectNumber: agency.pdf.objectNumber, timestamp: false } });
    expect(diff.violations.some((v) => v.detail?.includes('P=1'))).toBe(true);
  });

  test('facts carry the explanation: revision of signature #2, no violations', () => {
    expect(facts.revisions[agencyRev]).toMatchObject({ kind: 'signature', signature: 2, violations: [] });
  });
});

describe('overrides are named by what they were', () => {
  test('a rewritten page content stream is "page content" of page 1 with its object number', () => {
    const pdf = appendUpdate(twoLayer, [{ num: 6, body: '<< /Length 0 >>\nstream\n\nendstream' }]);
    const { doc } = analyzePdf(new BufferSource(pdf));
    const diff = analyzeRevision(doc, doc.revisions.length - 1, { ...noLocks, signer: null });
    expect(diff.violations).toEqual([expect.objectContaining({ object: 6, change: 'modified', kind: 'page-content', page: 0 })]);
    expect(describeViolation(diff.violations[0]!).vi).toBe('ghi đè nội dung trang (trang 1)');
    expect(describeViolation(diff.violations[0]!).en).toBe('page content overridden (page 1)');
    expect(describeViolation(diff.violations[0]!).detail).toMatch(/^obj 6\b/);
  });
});

describe('ND 30 appearance warnings', () => {
  const leader = { index: 1, kind: 'personal' as const, integrity: true, revision: 1, timestamp: false, widgets: [{ page: 0, rect: [350, 90, 500, 150] as [number, number, number, number], hasAppearance: true, hasImage: true }] };
  const seal = (rect: [number, number, number, number], page = 0, hasImage = true) => ({
    index: 2,
    kind: 'organization' as const,
    integrity: true,
    revision: 2,
    timestamp: false,
    widgets: [{ page, rect, hasAppearance: true, hasImage }],
  });
  const codes = (xs: Parameters<typeof appearanceFindings>[0]) => appearanceFindings(xs).map((f) => f.code);

  test('a seal over the left third of the leader image: no warning', () => expect(codes([leader, seal([295, 62, 403, 170])])).toEqual([]));
  test('a seal only over the right part of the leader image', () => expect(codes([leader, seal([460, 62, 560, 170])])).toEqual(['AGENCY_SEAL_NOT_OVER_LEADER']));
  test('a seal on another page', () => expect(codes([leader, seal([295, 62, 403, 170], 1)])).toEqual(['AGENCY_SEAL_NOT_OVER_LEADER']));
  test('an agency signature without image', () => expect(codes([leader, seal([295, 62, 403, 170], 0, false)])).toEqual(['AGENCY_SEAL_NO_IMAGE']));
  test('a leader signature without image', () =>
    expect(codes([{ ...leader, widgets: [{ ...leader.widgets[0]!, hasImage: false }] }])).toEqual(['LEADER_SIGNATURE_NO_IMAGE']));
  test('an attachment: agency only, with an image', () => expect(codes([{ ...seal([0, 0, 10, 10]), index: 1 }])).toEqual(['ATTACHMENT_SIGNATURE_HAS_IMAGE']));
  test('the warnings are warnings (they never decide the verdict)', () => {
    for (const f of appearanceFindings([leader, seal([460, 62, 560, 170])])) expect(f.severity).toBe('warning');
  });
});
