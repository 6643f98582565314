import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { openFileSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import type { DocumentReport } from '../../worker/report';
import { SHARED_DIR, sharedAvailable } from '../helpers/shared';

/**
 * ../shared/corpus: 149 real signed PDFs from public test suites. Every file gets a report without a crash, and
 * integrity agrees with poppler's pdfsig wherever pdfsig is right: "Signature is Valid." means valid and
 * "Digest Mismatch." means invalid — except for the files below, where pdfsig is fooled and kiemky must not be.
 */

const CORPUS = path.join(SHARED_DIR, 'corpus');
const present = sharedAvailable('verification of the shared corpus', 'corpus', 'pdfsig.tsv');

/** Files where pdfsig says "Signature is Valid." and kiemky rightly says invalid, with the reason. */
export const PDFSIG_FOOLED: Record<string, string> = {
  'itext__siwa.pdf': 'signature wrapping: the /ByteRange gap is larger than the /Contents string and hides a second copy of the signed object',
  'pyhanko__signature-gap-too-big.pdf': 'the /ByteRange gap extends past the /Contents string, and the signed bytes stop before the end of their revision',
  'pyhanko__tail-uncovered.pdf': 'the signed bytes stop 400 bytes before the %%EOF of their revision: the tail of the signed revision is not covered',
  'pyhanko__weird-byterange.pdf': 'the /ByteRange gap [10, 20) is not the /Contents string and the signed bytes end in the middle of the file',
  'pyhanko__pdf-sig-with-econtent.pdf':
    'the adbe.pkcs7.detached CMS encapsulates an (empty) eContent: CMS checks the messageDigest against that content, which it is not the digest of; only its match with the PDF bytes makes pdfsig call it valid',
};

/**
 * Files pdfsig reads that kiemky refuses as unreadable (verdict error: a file that is not a readable PDF is an error,
 * not a noncompliant document), with the reason.
 */
export const NOT_A_PDF_FOR_KIEMKY: Record<string, string> = {
  'dss__malformed-pades.pdf': 'the file has no %PDF- header (its first bytes are binary garbage): verdict error NOT_PDF',
};

/**
 * Files in the signature formats beyond adbe.pkcs7.detached and ETSI.CAdES.detached (adbe.x509.rsa_sha1, EdDSA,
 * RSA-PSS, ECDSA …), with what their signatures must be: integrity, and whether the document fails strongAlgorithms for
 * them.
 */
export const FORMAT_CASES: Record<string, { integrity: 'valid' | 'invalid'; weakAlgorithm: boolean; digestAlgorithm: string; signatureAlgorithm: string }> = {
  'endesive__pdf-adobe-webcapture-x509.rsa_sha1.pdf': { integrity: 'valid', weakAlgorithm: true, digestAlgorithm: 'SHA-1', signatureAlgorithm: 'RSA with SHA-1' },
  'itext__adbe.x509.rsa_sha1_signature.pdf': { integrity: 'valid', weakAlgorithm: true, digestAlgorithm: 'SHA-1', signatureAlgorithm: 'RSA with SHA-1' },
  'itext__sample-ed25519-sha512.pdf': { integrity: 'valid', weakAlgorithm: false, digestAlgorithm: 'SHA-512', signatureAlgorithm: 'Ed25519' },
  'pyhanko__ed448-shake256-nolen.pdf': { integrity: 'valid', weakAlgorithm: false, digestAlgorithm: 'SHAKE256', signatureAlgorithm: 'Ed448' },
  'dss__TeleSec_PKS_eIDAS_QES_CA_1-baseline-b.pdf': { integrity: 'valid', weakAlgorithm: false, digestAlgorithm: 'SHA-256', signatureAlgorithm: 'ECDSA (plain) with SHA-256' },
  'pyhanko__pdf-sig-with-econtent.pdf': { integrity: 'invalid', weakAlgorithm: false, digestAlgorithm: 'SHA-256', signatureAlgorithm: 'RSA with SHA-256' },
};

function tsv(file: string): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = head!.split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i]!, v])));
}

/** "[0 - 22015], [24971 - 33735]" → [0, 22015, 24971, 8764] */
function pdfsigRanges(s: string): number[] | null {
  const m = [...s.matchAll(/\[(\d+) - (\d+)\]/g)].map((x) => [Number(x[1]), Number(x[2])] as const);
  if (m.length === 0) return null;
  return m.flatMap(([a, b]) => [a, b - a]);
}

const run = present ? describe : describe.skip;

run('shared corpus', () => {
  const trust = loadTrustStore(path.resolve(__dirname, '../../certs'));
  const files = present ? fs.readdirSync(CORPUS).filter((f) => f.toLowerCase().endsWith('.pdf')).sort() : [];
  const reports = new Map<string, DocumentReport>();

  beforeAll(async () => {
    for (const f of files) {
      const src = openFileSource(path.join(CORPUS, f));
      try {
        reports.set(f, await verifyDocument(src, trust, { fileName: f }));
      } finally {
        src.close?.();
      }
    }
  }, 600_000);

  test('every file gets a report (verdict and error code when unreadable), none crashes', () => {
    expect(reports.size).toBe(files.length);
    for (const [f, r] of reports) {
      expect({ f, verdict: r.verdict }).toMatchObject({ f, verdict: expect.stringMatching(/^(compliant|noncompliant|error)$/) });
      if (r.verdict === 'error') expect(r.error?.code).toMatch(/^[A-Z_]+$/);
      expect(r.error?.code).not.toBe('INTERNAL');
    }
  });

  test('integrity agrees with pdfsig where pdfsig is right', () => {
    const disagreements: string[] = [];
    for (const row of tsv(path.join(CORPUS, 'pdfsig.tsv'))) {
      const verdict = row.signature_validation;
      if (verdict !== 'Signature is Valid.' && verdict !== 'Digest Mismatch.') continue;
      const ranges = pdfsigRanges(row.signed_ranges ?? '');
      const report = reports.get(row.file!);
      if (!report || !ranges) continue;
      if (report.verdict === 'error' && NOT_A_PDF_FOR_KIEMKY[row.file!]) continue;
      // Two fields may carry the same byte range (one of them forged): match on the field name too.
      const sameRange = report.signatures.filter((s) => JSON.stringify(s.byteRange) === JSON.stringify(ranges));
      const ours = sameRange.find((s) => s.fields?.includes(row.field!)) ?? sameRange[0];
      const want = verdict === 'Signature is Valid.' ? 'valid' : 'invalid';
      const got = ours?.integrity ?? 'missing';
      if (got === want) continue;
      if (want === 'valid' && got === 'invalid' && PDFSIG_FOOLED[row.file!]) continue;
      disagreements.push(`${row.file} sig ${row.sig}: pdfsig ${want}, kiemky ${got}`);
    }
    expect(disagreements).toEqual([]);
  });

  test('the signature formats: integrity and algorithm strength as stated', () => {
    for (const [f, want] of Object.entries(FORMAT_CASES)) {
      const r = reports.get(f);
      const sig = r?.signatures[0];
      expect({ f, count: r?.signatures.length, integrity: sig?.integrity, weakAlgorithm: sig?.weakAlgorithm, digestAlgorithm: sig?.digestAlgorithm, signatureAlgorithm: sig?.signatureAlgorithm }).toEqual({ f, count: 1, ...want });
      expect({ f, strongAlgorithms: r?.checks.strongAlgorithms, intact: r?.checks.intact }).toEqual({ f, strongAlgorithms: !want.weakAlgorithm, intact: want.integrity === 'valid' });
    }
  });

  test('every file pdfsig is fooled by is reported not intact', () => {
    for (const f of Object.keys(PDFSIG_FOOLED)) {
      const r = reports.get(f);
      expect({ f, intact: r?.checks.intact }).toEqual({ f, intact: false });
    }
  });
});
