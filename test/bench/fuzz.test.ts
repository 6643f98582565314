import { MutationEngine } from '../../bench/fuzz/mutate';
import { shadowUpdate } from '../../bench/fuzz/mutators';
import { emptyKnowledge, learnSeed, messageDigestsIn, Oracle, verdictKey, type SeedKnowledge } from '../../bench/fuzz/oracle';
import { PdfSpots } from '../../bench/fuzz/pdf-spots';
import { Rng } from '../../bench/fuzz/rng';
import { verifyAndJudge } from '../../bench/fuzz/run-one';
import { scenarioSeeds, type Seed } from '../../bench/fuzz/seeds';
import type { DocumentReport } from '../../worker/report';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import { testTrust } from '../helpers/test-trust';

/**
 * `npm run fuzz`'s engine and oracle, in-process and seeded: a few hundred mutants of the named scenarios go through
 * verifyDocument with nothing escaping it, no INTERNAL error and no signature valid over bytes nobody signed; the
 * oracle itself is shown to catch what it is there for.
 */

const { pki, trust } = testTrust();
let seeds: Seed[];
let knowledge: SeedKnowledge;
let oracle: Oracle;
const seedReports = new Map<string, DocumentReport>();

beforeAll(async () => {
  seeds = scenarioSeeds(pki);
  knowledge = emptyKnowledge();
  for (const seed of seeds) {
    const report = await verifyDocument(new BufferSource(seed.bytes), trust, { fileName: seed.name });
    seedReports.set(seed.name, report);
    learnSeed(seed.bytes, report, knowledge);
  }
  oracle = new Oracle(knowledge);
});

const seedNamed = (name: string): Seed => {
  const seed = seeds.find((s) => s.name === `scenario:${name}`);
  if (!seed) throw new Error(`no scenario ${name}`);
  return seed;
};

test('400 seeded mutants: no exception, no INTERNAL, no valid signature over changed bytes, no self-contradicting report', async () => {
  const engine = new MutationEngine(
    seeds.map((s) => s.bytes),
    20261205,
  );
  const failures: unknown[] = [];
  const verdicts = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const m = engine.mutant(i);
    const outcome = await verifyAndJudge(m.bytes, trust, oracle, { fileName: `mutant-${i}.pdf`, timeBudgetMs: 10_000, pageRewritten: m.pageRewritten });
    const key = outcome.report ? verdictKey(outcome.report) : 'exception';
    verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
    if (outcome.problems.length > 0) failures.push({ index: i, seed: seeds[m.seed].name, ops: m.ops, problems: outcome.problems });
  }
  expect(failures).toEqual([]);
  // The mutants reach past the first checks: readable documents judged, compliant ones among them, and broken ones.
  expect(verdicts.get('noncompliant') ?? 0).toBeGreaterThan(100);
  expect([...verdicts.keys()].some((k) => k.startsWith('error:'))).toBe(true);
});

test('mutant N of campaign S is the same bytes every time; another campaign makes others', () => {
  const bytes = seeds.map((s) => s.bytes);
  const a = new MutationEngine(bytes, 7);
  const b = new MutationEngine(bytes, 7);
  const c = new MutationEngine(bytes, 8);
  for (const i of [0, 1, 2, 99, 1000]) {
    expect(b.mutant(i).bytes.equals(a.mutant(i).bytes)).toBe(true);
    expect(b.mutant(i).ops).toEqual(a.mutant(i).ops);
  }
  const differ = [0, 1, 2, 3, 4].filter((i) => !c.mutant(i).bytes.equals(a.mutant(i).bytes));
  expect(differ.length).toBeGreaterThan(2);
});

test('the oracle: a report calling a signature valid over changed bytes is caught, the true report is not', () => {
  const seed = seedNamed('compliant-two-layer-unit-0');
  const report = seedReports.get(seed.name)!;
  expect(report.verdict).toBe('compliant');
  expect(oracle.judge(seed.bytes, report, false)).toEqual([]);
  // One bit flipped inside the first signed range, and a (wrong) report that still calls every signature valid.
  const changed = Buffer.from(seed.bytes);
  changed[200] ^= 0x01;
  expect(oracle.judge(changed, report, false).map((p) => p.kind)).toEqual(['valid-over-changed-bytes', 'valid-over-changed-bytes']);
  // A /ByteRange that no longer says [0 a b c], reported valid.
  const moved = { ...report, signatures: report.signatures.map((s) => ({ ...s, byteRange: [1, 2, 3, 4] })) };
  expect(oracle.judge(seed.bytes, moved, false).map((p) => p.kind)).toContain('valid-over-changed-bytes');
  // Intact after a page was rewritten; INTERNAL; a verdict the checks contradict.
  expect(oracle.judge(seed.bytes, report, true).map((p) => p.kind)).toEqual(['intact-after-page-rewrite']);
  const internal: DocumentReport = { ...report, verdict: 'error', error: { code: 'INTERNAL', message: 'boom' } };
  expect(oracle.judge(seed.bytes, internal, false).map((p) => p.kind)).toContain('internal');
  const contradicting: DocumentReport = { ...report, checks: { ...report.checks, twoLayer: false } };
  expect(oracle.judge(seed.bytes, contradicting, false).map((p) => p.kind)).toEqual(['inconsistent-report']);
});

test('the oracle also knows what a signer signed from the CMS messageDigest, read without the verifier', () => {
  const seed = seedNamed('compliant-two-layer-unit-2');
  const report = seedReports.get(seed.name)!;
  // With only the digests scanned from the seeds' CMS blobs (none of the covered contents), the true report passes …
  const byDigest = new Oracle({ signedContent: [], messageDigests: knowledge.messageDigests });
  expect(byDigest.judge(seed.bytes, report, false)).toEqual([]);
  // … and with neither, the same report is flagged: the digests are what vouched for it.
  expect(new Oracle(emptyKnowledge()).judge(seed.bytes, report, false).map((p) => p.kind)).toEqual(['valid-over-changed-bytes', 'valid-over-changed-bytes']);
  expect(messageDigestsIn(Buffer.from(`06092a864886f70d01090431220420${'ab'.repeat(32)}`, 'hex'))).toEqual(['ab'.repeat(32)]);
  // Cut short, or not a SET of one OCTET STRING: nothing.
  expect(messageDigestsIn(Buffer.from(`06092a864886f70d01090431220420${'ab'.repeat(8)}`, 'hex'))).toEqual([]);
  expect(messageDigestsIn(Buffer.from(`06092a864886f70d01090430220420${'ab'.repeat(32)}`, 'hex'))).toEqual([]);
});

test('a page rewritten in an appended update is read as such: the signatures stay valid and the document is not intact', async () => {
  const seed = seedNamed('compliant-two-layer-unit-1');
  let done = null;
  // The mutator picks a page most of the time; draw until it has.
  for (let s = 1; s < 50 && !done?.pageRewritten; s++) {
    done = shadowUpdate({ bytes: seed.bytes, spots: new PdfSpots(seed.bytes), seeds: [seed.bytes], seedSpots: () => new PdfSpots(seed.bytes), maxBytes: 1 << 24 }, new Rng(s));
  }
  expect(done?.pageRewritten).toBe(true);
  const report = await verifyDocument(new BufferSource(done!.bytes), trust, { fileName: 'shadow.pdf' });
  expect(report.signatures.map((s) => s.integrity)).toEqual(['valid', 'valid']);
  expect(report.checks.intact).toBe(false);
  expect(report.verdict).toBe('noncompliant');
  expect(oracle.judge(done!.bytes, report, true)).toEqual([]);
});
