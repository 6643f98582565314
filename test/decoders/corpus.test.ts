/**
 * Every certificate, CRL, OCSP response, CMS blob and timestamp token found in ../shared (corpus, vn-pki), the
 * trust store (certs/), the test PKI (samples/pki) and the scenario PDFs of `npm run samples` (built in memory),
 * read by kiemky and by pkijs/asn1js: the fields kiemky uses must be the same, and where one refuses what the other
 * reads, an entry of differences.ts must say why.
 */
import { loadTestPki } from '../../samples/lib/test-pki';
import { ALL_SCENARIOS, scenarioSeeds } from '../../bench/fuzz/seeds';
import { collectBlobs, type Blob, type BlobKind } from './blobs';
import { differingFields, explain } from './differences';
import { readWithKiemky } from './kiemky-view';
import { readWithPkijs } from './pkijs-view';
import { sharedAvailable } from '../helpers/shared';

describe('kiemky and pkijs/asn1js read the same objects the same way', () => {
  let blobs: Blob[] = [];
  let shared = false;
  beforeAll(() => {
    shared = sharedAvailable('cross-check of the decoders on the shared corpus and vn-pki', 'corpus');
    // The scenario PDFs `npm run samples` writes to samples/out/scenarios, built here in memory: the same bytes
    // whether or not samples/out exists, and never half-written by another test running beside this one.
    const pdfs = scenarioSeeds(loadTestPki(), ALL_SCENARIOS).map((s) => ({ name: s.name, bytes: s.bytes }));
    blobs = collectBlobs({ shared, pdfs });
  });

  test('each kind is there in numbers', () => {
    const count = (k: BlobKind): number => blobs.filter((b) => b.kind === k).length;
    expect(count('certificate')).toBeGreaterThan(shared ? 200 : 10);
    expect(count('crl')).toBeGreaterThan(shared ? 10 : 1);
    if (shared) {
      expect(count('cms')).toBeGreaterThan(250);
      expect(count('timestamp')).toBeGreaterThan(40);
      expect(count('ocsp')).toBeGreaterThan(30);
    }
  });

  test('same fields, or a listed difference', () => {
    const unexplained: string[] = [];
    let agreed = 0;
    for (const b of blobs) {
      const k = readWithKiemky(b.kind, b.der);
      const p = readWithPkijs(b.kind, b.der);
      const d = differingFields(k, p);
      if (k.ok === p.ok && d.length === 0) {
        if (k.ok) agreed++;
        continue;
      }
      if (explain(b.kind, k, p, d)) continue;
      unexplained.push(`${b.kind} ${b.from}: kiemky ${k.ok ? 'accepts' : `refuses (${k.error})`}, pkijs ${p.ok ? 'accepts' : `refuses (${p.error})`}${d.length ? `; differ: ${d.join(', ')}` : ''}`);
    }
    expect(unexplained).toEqual([]);
    // The real objects are read, not refused by both.
    expect(agreed).toBeGreaterThan(blobs.length * 0.95);
  });
});
