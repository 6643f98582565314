/**
 * Property tests over the parsers, with a bounded budget (fast-check, seeded so a failure is reproducible):
 *   - PDF: mutants made by `npm run fuzz`'s engine (bench/fuzz/mutate.ts and its mutators) and plain random bytes
 *     go through verifyDocument: each ends in a report, an unreadable one in verdict `error` with a coded
 *     DocumentError code, never INTERNAL, never a throw; the PDF reader alone ends or throws a DocumentError.
 *   - CMS: mutated SignedData blobs go through prepareSignature/finishSignature as verify.ts runs them: a coded
 *     problem or facts, never a throw.
 *   - Certificates, CRLs, OCSP responses, timestamp tokens: decoded or refused with an Asn1Error (ASN1_MALFORMED),
 *     nothing else.
 * Every input is timed against its budget.
 */
import fc from 'fast-check';
import { MutationEngine } from '../../bench/fuzz/mutate';
import { ALL_SCENARIOS, scenarioSeeds } from '../../bench/fuzz/seeds';
import { digestPlan, finishSignature, prepareSignature } from '../../worker/cms/index';
import { parseTimestampToken } from '../../worker/cms/timestamp';
import { Asn1Error } from '../../worker/asn1/der';
import { DocumentError, type DocumentErrorCode } from '../../worker/errors';
import { analyzePdf } from '../../worker/pdf';
import { Certificate } from '../../worker/pki/certificate';
import { CertificateList } from '../../worker/pki/crl';
import { digestBytes } from '../../worker/pki/digest-hash';
import { OcspResponse } from '../../worker/pki/ocsp';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import { collectBlobs, type Blob, type BlobKind } from '../decoders/blobs';
import { apply, editArb } from '../decoders/der-edits';
import { pkijsRevocation } from '../../samples/lib/revocation-pkijs';
import { testTrust } from '../helpers/test-trust';

/** The per-document budget given to verifyDocument, and how far past it a document may end (a shared, busy CI box). */
const BUDGET_MS = 2_000;
const MARGIN_MS = 3_000;
/** A DER object is small: this is generous and still catches a loop. */
const DER_BUDGET_MS = 500;

const CODES: ReadonlySet<DocumentErrorCode> = new Set(['EMPTY_FILE', 'NOT_PDF', 'TRUNCATED', 'MALFORMED_PDF', 'TOO_DEEP', 'TOO_LARGE', 'TOO_COMPLEX', 'OUT_OF_MEMORY', 'TIMEOUT', 'UNREADABLE']);

const { pki, trust } = testTrust();
// Scenarios of every kind the seeds cover: two layers, timestamps, ECDSA, RSA-PSS, SKI sid, x509.rsa_sha1, broken CMS.
const SEED_NAMES = ['compliant-signature-timestamp', 'compliant-rsa-pss', 'compliant-ecdsa-leader', 'compliant-ski-sid', 'compliant-document-timestamp', 'compliant-dss-after-signing', 'compliant-xref-stream-object-streams', 'adbe-x509-rsa-sha1', 'adbe-pkcs7-sha1', 'garbage-cms', 'revoked-leader'];
let seeds: Buffer[] = [];
let cmsBlobs: { contents: Buffer; subFilter: string | null }[] = [];
let derBlobs: Blob[] = [];

beforeAll(async () => {
  const { makeOcspResponse } = await pkijsRevocation();
  const built = scenarioSeeds(
    pki,
    ALL_SCENARIOS.filter((s) => SEED_NAMES.includes(s.name)),
  );
  seeds = built.map((s) => s.bytes);
  expect(seeds.length).toBe(SEED_NAMES.length);
  for (const pdf of seeds) {
    for (const s of analyzePdf(new BufferSource(pdf)).structure.signatures) if (s.contents) cmsBlobs.push({ contents: s.contents, subFilter: s.subFilter });
  }
  // The committed PKI and trust store, and what the scenario CMS blobs carry: no ../shared needed.
  derBlobs = collectBlobs({ shared: false, pdfs: built });
  // The scenarios carry no OCSP response: two from the test PKI (good, and revoked with a reason), encoded by pkijs.
  const at = new Date('2026-03-10T00:00:00Z');
  const good = makeOcspResponse(pki.govSub, { cert: pki.units[0]!.leader.cert, status: 'good', producedAt: at });
  const revoked = makeOcspResponse(pki.govSub, { cert: pki.revokedLeader.cert, status: 'revoked', revokedAt: pki.revokedLeaderDate, revocationReason: 1, producedAt: at });
  derBlobs.push({ kind: 'ocsp', der: good, from: 'test PKI good' }, { kind: 'ocsp', der: revoked, from: 'test PKI revoked' });
});

/** A property run over at most `runs` inputs and at most `ms` of wall time (the rest of the runs are skipped). */
function bounded(runs: number, ms: number): { numRuns: number; seed: number; interruptAfterTimeLimit: number; markInterruptAsFailure: boolean } {
  return { numRuns: runs, seed: 20261206, interruptAfterTimeLimit: ms, markInterruptAsFailure: false };
}

async function verifyBounded(bytes: Buffer, name: string): Promise<string> {
  const started = Date.now();
  const report = await verifyDocument(new BufferSource(bytes), trust, { fileName: name, timeBudgetMs: BUDGET_MS });
  const took = Date.now() - started;
  if (took > BUDGET_MS + MARGIN_MS) throw new Error(`${name}: ${took} ms, budget ${BUDGET_MS} ms`);
  if (report.verdict === 'error') {
    const code = report.error?.code as DocumentErrorCode | undefined;
    if (!code || !CODES.has(code)) throw new Error(`${name}: error verdict with code ${String(code)} (${report.error?.message ?? ''})`);
    return `error:${code}`;
  }
  return report.verdict;
}

describe('PDF', () => {
  test('mutants of the scenarios (the fuzz engine) end in a report or a coded error, within the budget', async () => {
    const engine = new MutationEngine(seeds, 21);
    const verdicts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (index) => {
        const m = engine.mutant(index);
        const v = await verifyBounded(m.bytes, `mutant-${index} (${m.ops.join('; ')})`);
        verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
      }),
      bounded(300, 20_000),
    );
    expect([...verdicts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    // Mutants reach past the first checks: readable ones judged, and unreadable ones refused with a code.
    expect(verdicts.get('noncompliant') ?? 0).toBeGreaterThan(10);
    expect([...verdicts.keys()].some((k) => k.startsWith('error:'))).toBe(true);
  });

  test('random bytes, with and without a PDF header, end in a report or a coded error', async () => {
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 4096 }), async (header, body) => {
        const bytes = Buffer.concat([Buffer.from(header ? '%PDF-1.7\n' : ''), Buffer.from(body)]);
        codes.add(await verifyBounded(bytes, 'random.pdf'));
      }),
      bounded(300, 8_000),
    );
    expect(codes.has('error:NOT_PDF')).toBe(true);
    expect(codes.size).toBeGreaterThan(1);
  });

  test('the PDF reader alone returns a structure or throws a DocumentError, nothing else', () => {
    const engine = new MutationEngine(seeds, 2121);
    let read = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(fc.nat().map((i) => engine.mutant(i).bytes), fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.concat([Buffer.from('%PDF-1.4\n'), b]))), (bytes) => {
        try {
          analyzePdf(new BufferSource(bytes));
          read++;
        } catch (e) {
          if (!(e instanceof DocumentError) || !CODES.has(e.code)) throw e;
          refused++;
        }
      }),
      bounded(300, 10_000),
    );
    expect(read).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('CMS', () => {
  test('mutated signatures end in facts or a coded problem, never a throw', () => {
    expect(cmsBlobs.length).toBeGreaterThan(10);
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 3 }), (pick, edits) => {
        const blob = cmsBlobs[pick % cmsBlobs.length]!;
        const contents = edits.reduce(apply, blob.contents);
        const started = Date.now();
        const p = prepareSignature(contents, blob.subFilter, null);
        let code: string;
        if ('error' in p) code = p.error.code;
        else {
          const plan = digestPlan(p);
          const digests = new Map(plan.algorithms.map((a) => [a, digestBytes(a, Buffer.from('signed bytes'))] as const));
          const facts = finishSignature(p, digests, plan.needsContent ? Buffer.from('signed bytes') : null, []);
          code = facts.problems.map((x) => x.code).join('+') || 'none';
        }
        for (const c of code.split('+')) expect(c).toMatch(/^[A-Z0-9_]+$/);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(Date.now() - started).toBeLessThan(DER_BUDGET_MS * 4);
      }),
      bounded(1500, 10_000),
    );
    // Both paths are taken: refused as malformed, and read far enough to check digests and signatures.
    expect(codes.get('CMS_MALFORMED') ?? 0).toBeGreaterThan(10);
    expect([...codes.keys()].some((c) => c.includes('MESSAGE_DIGEST_MISMATCH') || c.includes('SIGNATURE_INVALID'))).toBe(true);
  });
});

const DECODERS: Record<Exclude<BlobKind, 'cms'>, (der: Buffer) => unknown> = {
  certificate: (d) => Certificate.fromDer(d),
  crl: (d) => CertificateList.fromDer(d).entries(),
  ocsp: (d) => OcspResponse.fromDer(d),
  timestamp: (d) => parseTimestampToken(d),
};

describe('certificates, CRLs, OCSP responses, timestamp tokens', () => {
  test('mutated and random DER: decoded, or refused with an Asn1Error', () => {
    const pool = derBlobs.filter((b) => b.kind !== 'cms');
    expect(new Set(pool.map((b) => b.kind))).toEqual(new Set(['certificate', 'crl', 'ocsp', 'timestamp']));
    const refused = new Map<string, number>();
    const input = fc.oneof(
      fc.tuple(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 3 })).map(([pick, edits]) => {
        const b = pool[pick % pool.length]!;
        return { kind: b.kind as Exclude<BlobKind, 'cms'>, der: edits.reduce(apply, b.der) };
      }),
      fc.tuple(fc.constantFrom<Exclude<BlobKind, 'cms'>>('certificate', 'crl', 'ocsp', 'timestamp'), fc.uint8Array({ maxLength: 512 })).map(([kind, bytes]) => ({ kind, der: Buffer.from(bytes) })),
    );
    fc.assert(
      fc.property(input, ({ kind, der }) => {
        const started = Date.now();
        try {
          DECODERS[kind](der);
        } catch (e) {
          if (!(e instanceof Asn1Error)) throw e;
          expect(e.code).toBe('ASN1_MALFORMED');
          refused.set(kind, (refused.get(kind) ?? 0) + 1);
        }
        expect(Date.now() - started).toBeLessThan(DER_BUDGET_MS);
      }),
      bounded(3000, 8_000),
    );
    expect(refused.size).toBe(4);
    expect([...refused.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
  });
});
