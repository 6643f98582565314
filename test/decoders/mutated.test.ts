/**
 * Mutated DER: thousands of blobs made from the real ones by fast-check (byte flips, length and tag octet changes,
 * insertions, deletions, truncations), each read by kiemky and by pkijs/asn1js. Both accept with the same fields, or
 * both refuse, or an entry of differences.ts explains why not. Bounded in runs and time.
 *
 * Other draws, for an investigation (not the suite): DECODER_FUZZ_SEED (default 21), DECODER_FUZZ_RUNS (default
 * 3,000) and DECODER_FUZZ_MS (default 12,000; runs past it are skipped), e.g.
 *   DECODER_FUZZ_SEED=8 DECODER_FUZZ_RUNS=10000 DECODER_FUZZ_MS=600000 npx jest test/decoders/mutated.test.ts
 * What another seed finds goes to mutated-found.test.ts as a fixture once fixed or listed.
 */
import fc from 'fast-check';
import { collectBlobs, type Blob } from './blobs';
import { apply, editArb } from './der-edits';
import { differingFields, explain } from './differences';
import { readWithKiemky } from './kiemky-view';
import { readWithPkijs } from './pkijs-view';
import { sharedAvailable } from '../helpers/shared';
import { loadTestPki } from '../../samples/lib/test-pki';
import { ALL_SCENARIOS, scenarioSeeds } from '../../bench/fuzz/seeds';

const RUNS = Number(process.env.DECODER_FUZZ_RUNS ?? 3000);
const TIME_LIMIT_MS = Number(process.env.DECODER_FUZZ_MS ?? 12_000);

describe('kiemky and pkijs/asn1js on mutated DER', () => {
  let blobs: Blob[] = [];
  beforeAll(() => {
    const shared = sharedAvailable('cross-check of the decoders on the shared corpus', 'corpus');
    // Small seeds mutate into more distinct structures per run; the largest CMS blobs add time and little else.
    const pdfs = scenarioSeeds(loadTestPki(), ALL_SCENARIOS).map((s) => ({ name: s.name, bytes: s.bytes }));
    blobs = collectBlobs({ shared, pdfs }).filter((b) => b.der.length < 16_384);
  });

  test('both accept with the same fields, both refuse, or a listed difference explains it', () => {
    const unexplained: string[] = [];
    const seen = new Map<string, number>();
    const started = Date.now();
    fc.assert(
      fc.property(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 3 }), (pick, edits) => {
        if (Date.now() - started > TIME_LIMIT_MS) return;
        const blob = blobs[pick % blobs.length]!;
        const der = edits.reduce(apply, blob.der);
        const k = readWithKiemky(blob.kind, der);
        const p = readWithPkijs(blob.kind, der);
        if (k.ok === p.ok && differingFields(k, p).length === 0) {
          seen.set(k.ok ? 'both accept' : 'both refuse', (seen.get(k.ok ? 'both accept' : 'both refuse') ?? 0) + 1);
          return;
        }
        const d = differingFields(k, p);
        const why = explain(blob.kind, k, p, d);
        if (why) seen.set(why.id, (seen.get(why.id) ?? 0) + 1);
        else if (unexplained.length < 20) unexplained.push(`${blob.kind} from ${blob.from} after ${JSON.stringify(edits)}: kiemky ${k.ok ? 'accepts' : `refuses (${k.error})`}, pkijs ${p.ok ? 'accepts' : `refuses (${p.error})`}; differing ${d.join(',')} ${d.map((f) => `${JSON.stringify((k as { fields: Record<string, unknown> }).fields?.[f]).slice(0, 200)} / ${JSON.stringify((p as { fields: Record<string, unknown> }).fields?.[f]).slice(0, 200)}`).join(' ; ')}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.DECODER_FUZZ_SEED ?? 21) },
    );
    console.log(JSON.stringify(Object.fromEntries(seen)));
    expect(unexplained).toEqual([]);
    expect(seen.get('both accept') ?? 0).toBeGreaterThan(50);
    expect(seen.get('both refuse') ?? 0).toBeGreaterThan(50);
  });
});
