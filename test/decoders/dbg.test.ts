import { collectBlobs } from './blobs';
import { apply, type Edit } from './der-edits';
import { readWithKiemky } from './kiemky-view';
import { readWithPkijs } from './pkijs-view';
const CASES: [string, Edit[]][] = [
  ['samples/out/scenarios/changes-font-override.pdf signature #1', [{"op":"flip","at":1084011491,"bit":5},{"op":"set","at":2071583213,"value":129},{"op":"length","at":877429374,"value":-1}]],
  ['certs/public/BkavCA/pubca-mic_bkavca_2015-2020.crt #0', [{"op":"length","at":2147483634,"value":1},{"op":"flip","at":394123245,"bit":4},{"op":"length","at":1345236870,"value":-1}]],
  ['../shared/corpus/dss__fieldmdp-exclude-signed.pdf signature #0 timestamp #0', [{"op":"flip","at":162509591,"bit":1}]],
];
test('d', () => {
  const blobs = collectBlobs({ shared: true, samplesOut: true });
  for (const [from, edits] of CASES) {
    const b = blobs.find((x) => x.from === from)!;
    const m = edits.reduce(apply, b.der);
    const pos = edits.map((e) => e.at % b.der.length);
    const k = JSON.stringify(readWithKiemky(b.kind, m), null, 1).split('\n');
    const p = JSON.stringify(readWithPkijs(b.kind, m), null, 1).split('\n');
    const diff = k.map((l, i) => (l !== p[i] ? `${i}: ${l} | ${p[i]}` : '')).filter(Boolean).slice(0, 6);
    console.log(from, pos, b.der.length, pos.map((x) => `${x}: ${b.der.subarray(Math.max(0, x - 6), x + 6).toString('hex')} -> ${m.subarray(Math.max(0, x - 6), x + 6).toString('hex')}`).join('\n'), '\n', diff.join('\n'), k.length < 4 ? k.join(' ') : '', p.length < 5 ? p.join(' ') : '');
  }
});
