import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHANGE_EXPECT, CHANGE_SCENARIOS } from '../../samples/scenarios-changes';
import { HIDDEN_EXPECT, HIDDEN_SCENARIOS } from '../../samples/scenarios-hidden';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { BufferSource, openFileSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import type { DocumentReport } from '../../worker/report';
import { schemaErrors } from '../helpers/schema';
import { SHARED_DIR, sharedAvailable } from '../helpers/shared';
import { testTrust } from '../helpers/test-trust';

/**
 * The change analysis end to end: CHANGE_SCENARIOS through verifyDocument (verdict, checks, each signature's
 * changesAfter, and findings that name the change), then the shared corpus' attack and valid files.
 */

const { pki, trust } = testTrust();

const reports = new Map<string, DocumentReport>();

const EXPECT = { ...CHANGE_EXPECT, ...HIDDEN_EXPECT };

describe.each([...CHANGE_SCENARIOS, ...HIDDEN_SCENARIOS].map((s) => [s.name, s] as const))('change scenario %s', (name, scenario) => {
  let report: DocumentReport;
  const want = EXPECT[name]!;
  beforeAll(async () => {
    report = await verifyDocument(new BufferSource(scenario.build(pki)), trust, { fileName: `${name}.pdf` });
    reports.set(name, report);
  });

  test(`${scenario.expect.verdict} — ${scenario.description}`, () => {
    expect({ verdict: report.verdict, findings: report.findings.map((f) => f.code) }).toMatchObject({ verdict: scenario.expect.verdict });
    if (scenario.expect.checks) expect(report.checks).toMatchObject(scenario.expect.checks);
    if (scenario.expect.findings?.length) expect(report.findings.map((f) => f.code)).toEqual(expect.arrayContaining(scenario.expect.findings));
  });

  test(`changesAfter ${want.changesAfter.join(' / ')}`, () => {
    expect(report.signatures.map((s) => s.changesAfter)).toEqual(want.changesAfter);
    // intact is exactly: integrity everywhere, nothing disallowed after any signature, and no change a
    // certification permitted that no signature vouches for.
    const disallowed = report.signatures.some((s) => s.changesAfter === 'disallowed');
    const unvouched = report.findings.some((f) => f.code === 'CHANGE_PERMITTED_NOT_VOUCHED');
    if (report.signatures.every((s) => s.integrity === 'valid')) expect(report.checks.intact).toBe(!disallowed && !unvouched);
  });

  if (want.mentions?.length) {
    test(`findings name the change: ${want.mentions.join(', ')}`, () => {
      // No object number or PDF key in what clerks read.
      for (const f of report.findings) expect(f.message).not.toMatch(/\bobj \d|\/[A-Z][A-Za-z]+\b|đối tượng \d/);
      // The message names the change in plain words; the object numbers and PDF keys are in the detail, for IT.
      const text = report.findings.map((f) => [f.message, f.messageEn, f.detail].join('\n')).join('\n');
      for (const m of want.mentions!) expect(text).toContain(m);
      // Every disallowed change is reported in English too, for the export.
      for (const f of report.findings.filter((x) => x.code === 'DISALLOWED_CHANGE')) expect(f.messageEn).toMatch(/revision \d+/);
    });
  }
});

test('change scenario reports satisfy the shared report schema', () => {
  const empty = { unit: null, documents: 0, signed: 0, twoLayer: 0, governmentCa: 0, compliant: 0, signedPct: 0, twoLayerPct: 0, governmentCaPct: 0, compliantPct: 0, providers: {} };
  const errors = schemaErrors({ generatedAt: new Date().toISOString(), documents: [...reports.values()], units: [], totals: empty });
  expect(errors).toEqual([]);
});

// ── the shared corpus ───────────────────────────────────────────────────────────────────────────────────────────

const CORPUS = path.join(SHARED_DIR, 'corpus');
const present = sharedAvailable('change analysis of the shared corpus', 'corpus', 'PROVENANCE.tsv');

/**
 * Files where the verdict differs from the category's default expectation, with the reason. "Must be not
 * intact" files that are intact, and "should be intact" valid/multi-sig files that are not.
 */
export const CHANGE_VERDICT_DIFFERS: Record<string, { intact: boolean; reason: string }> = {
  'dss__signature-referenced-from-multiple-fields.pdf': {
    intact: true,
    reason: 'attack-spoofing, but the one signature covers the whole file: nothing changes after signing, the second field is counted once (one signature referenced by two fields counts once); intact',
  },
  'dss__pdf-structtreeroot-changes.pdf': {
    intact: false,
    reason: 'multi-sig, but the second signature\'s revision also rewrites structure-tree objects (10, 14): not a signature-only change, not intact',
  },
  'itext__certificationSignatureAfterApproval.pdf': {
    intact: false,
    reason: 'certification;multi-sig: a certification signature added after an approval signature writes catalog /Perms (ISO 32000: certification must be first), not intact',
  },
  'itext__twoCertificationSignatures.pdf': {
    intact: false,
    reason: 'certification;multi-sig: a second certification (catalog /Perms) and a visible unsigned field after the first signature, not intact',
  },
  'itext__fieldLockSequentialIncludeValues.pdf': {
    intact: false,
    reason: 'fieldmdp;multi-sig: later revisions fill fields an earlier FieldMDP /Include lock protects, not intact',
  },
  'dss__DSS1376-rev_n.pdf': {
    intact: false,
    reason: 'certification;multi-sig: revisions 1-4 fill form fields (allowed under P=2), but revision 5 adds a new VISIBLE signature field Sig2 after the certification — the Sneaky Signature shape, disallowed whoever signs it',
  },
  'dss__Signature-P-HU_POL-7.pdf': {
    intact: true,
    reason: 'plugtest multi-sig: its first later revision is a DSS with an unreferenced orphan VRI dictionary: intact',
  },
  'pyhanko__form-update-ap-indirect-sneaky-trailer.pdf': {
    intact: false,
    reason: 'post-sign-update: signing Sig2 swaps its indirect /AP dictionary (object 10), which the trailer /FooBar also refers to — a second context the swap is not explained for (pyHanko rejects it too)',
  },
  'pyhanko__form-update-override-appearance-stream-sneaky.pdf': {
    intact: false,
    reason: 'post-sign-update: the second signature overwrites, in place, its field\'s old appearance stream (object 9), which the catalog\'s /FooBar also refers to: never allowed',
  },
  'pyhanko__form-update-no-override-appearance-stream-ap-indirect.pdf': {
    intact: true,
    reason: 'post-sign-update: the second signature fills its empty field with a new appearance in new objects; the old one is left alone and used nowhere else',
  },
  'itext__B-LTA.pdf': {
    intact: true,
    reason: 'ltv: after the signature, a DSS and an invisible document timestamp; iText leaves the timestamp appearance\'s font unreferenced, an orphan no reader draws',
  },
  'dss__john-doe-lta.pdf': {
    intact: true,
    reason: 'ltv: the DSS and timestamp updates also rewrite LibreOffice\'s trailer /AdditionalStreams (the hybrid PDF\'s editable source), which no PDF reader renders',
  },
};

function tsv(file: string): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = head!.split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i]!, v])));
}

const run = present ? describe : describe.skip;
run('shared corpus: changes after signing', () => {
  const corpusTrust = loadTrustStore(path.resolve(__dirname, '../../certs'));
  const rows = present ? tsv(path.join(CORPUS, 'PROVENANCE.tsv')) : [];
  const got = new Map<string, DocumentReport>();

  beforeAll(async () => {
    for (const row of rows) {
      const src = openFileSource(path.join(CORPUS, row.file!));
      try {
        got.set(row.file!, await verifyDocument(src, corpusTrust, { fileName: row.file! }));
      } finally {
        src.close?.();
      }
    }
  }, 600_000);

  const mustFail = (cat: string): boolean =>
    (cat.startsWith('attack-') && cat !== 'attack-shadow-baseline') || cat.split(';').some((c) => c === 'tampered' || c === 'byterange-anomaly');
  /** Plain valid files, and multi-signature files whose later revisions only add signatures or DSS. */
  const mustHold = (cat: string): boolean => {
    const parts = cat.split(';');
    if (parts.some((p) => /post-sign-update|cms-broken|hash-failure|fieldmdp|certification/.test(p))) return false;
    return parts[0] === 'valid' || parts.includes('multi-sig');
  };

  test('every attack, tampered and byte-range-anomaly file is not intact', () => {
    const wrong: string[] = [];
    for (const row of rows.filter((r) => mustFail(r.category!))) {
      const r = got.get(row.file!);
      if (r?.checks.intact === true && !CHANGE_VERDICT_DIFFERS[row.file!]) wrong.push(`${row.file} (${row.category})`);
    }
    expect(wrong).toEqual([]);
  });

  test('every plain valid and signature-only multi-signature file is intact', () => {
    const wrong: string[] = [];
    for (const row of rows.filter((r) => mustHold(r.category!))) {
      const r = got.get(row.file!);
      if (r?.checks.intact !== true && !CHANGE_VERDICT_DIFFERS[row.file!]) {
        wrong.push(`${row.file} (${row.category}): ${r?.findings.map((f) => f.code).join(',')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the listed differences are still what the reasons say', () => {
    for (const [file, { intact, reason }] of Object.entries(CHANGE_VERDICT_DIFFERS)) {
      const r = got.get(file);
      if (!r) continue;
      expect({ file, reason, intact: r.checks.intact }).toEqual({ file, reason, intact });
    }
  });

  test('each shadow attack file names at least one disallowed change', () => {
    for (const row of rows.filter((r) => r.category!.startsWith('attack-shadow') && r.category !== 'attack-shadow-baseline')) {
      const codes = got.get(row.file!)?.findings.map((f) => f.code) ?? [];
      expect({ file: row.file, named: codes.includes('DISALLOWED_CHANGE') }).toEqual({ file: row.file, named: true });
    }
  });
});
