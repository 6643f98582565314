/**
 * Mutated DER: thousands of blobs made from the real ones by fast-check (byte flips, length and tag octet changes,
 * insertions, deletions, truncations), each read by kiemky and by pkijs/asn1js. Both accept with the same fields, or
 * both refuse, or an entry of differences.ts explains why not. Bounded in runs and time.
 */
import fc from 'fast-check';
import { collectBlobs, type Blob } from './blobs';
import { differingFields, explain } from './differences';
import { readWithKiemky } from './kiemky-view';
import { readWithPkijs } from './pkijs-view';
import { sharedAvailable } from '../helpers/shared';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

const RUNS = 3000;
const TIME_LIMIT_MS = 12_000;

type Edit = { op: 'flip'; at: number; bit: number } | { op: 'set'; at: number; value: number } | { op: 'insert'; at: number; bytes: number[] } | { op: 'delete'; at: number; count: number } | { op: 'truncate'; at: number } | { op: 'length'; at: number; value: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0xff, 0x30, 0x31, 0x04, 0x02, 0x05, 0x17, 0x18, 0xa0, 0x1f) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  // Aimed at what DER readers get wrong: a length octet one more or one less, or made long-form.
  fc.record({ op: fc.constant('length' as const), at: fc.nat(), value: fc.integer({ min: -2, max: 2 }) }),
);

function apply(der: Buffer, e: Edit): Buffer {
  const at = der.length === 0 ? 0 : e.at % der.length;
  const b = Buffer.from(der);
  switch (e.op) {
    case 'flip':
      b[at] = b[at]! ^ (1 << e.bit);
      return b;
    case 'set':
      b[at] = e.value;
      return b;
    case 'insert':
      return Buffer.concat([der.subarray(0, at), Buffer.from(e.bytes), der.subarray(at)]);
    case 'delete':
      return Buffer.concat([der.subarray(0, at), der.subarray(at + e.count)]);
    case 'truncate':
      return der.subarray(0, at);
    case 'length':
      // The octet after a tag is a length octet only sometimes; near enough for a fuzzer, exact for the first element.
      b[at] = (b[at]! + e.value) & 0xff;
      return b;
  }
}

const haveSamples = fs.existsSync(path.join(REPO_ROOT, 'samples', 'out', 'scenarios'));

describe('kiemky and pkijs/asn1js on mutated DER', () => {
  let blobs: Blob[] = [];
  beforeAll(() => {
    const shared = sharedAvailable('cross-check of the decoders on the shared corpus', 'corpus');
    // Small seeds mutate into more distinct structures per run; the largest CMS blobs add time and little else.
    blobs = collectBlobs({ shared, samplesOut: haveSamples }).filter((b) => b.der.length < 16_384);
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
      { numRuns: RUNS, seed: 21 },
    );
    console.log(JSON.stringify(Object.fromEntries(seen)));
    expect(unexplained).toEqual([]);
    expect(seen.get('both accept') ?? 0).toBeGreaterThan(50);
    expect(seen.get('both refuse') ?? 0).toBeGreaterThan(50);
  });
});
