/**
 * `npm run samples`: writes the sample trust store, the sample month with its register, and every named scenario
 * with its expected result.
 *
 *   node dist/samples/make.js [--out DIR] [--regen-pki]
 *
 * --regen-pki regenerates the committed TEST PKI first (new keys: every signed sample changes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildMonth } from './month';
import { SCENARIOS } from './scenarios';
import { CHANGE_EXPECT, CHANGE_SCENARIOS } from './scenarios-changes';
import { HIDDEN_EXPECT, HIDDEN_SCENARIOS } from './scenarios-hidden';
import { loadPkijs } from './lib/pkijs-modules';
import { writeStoredZip } from './lib/zip-writer';
import { defaultPkiDir, generateTestPki, loadTestPki, writeTrustStore } from './lib/test-pki';

function repoRoot(): string {
  let p = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(p, 'package.json'))) return p;
    const up = path.dirname(p);
    if (up === p) throw new Error('no package.json above ' + __dirname);
    p = up;
  }
}

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: node dist/samples/make.js [--out DIR] [--regen-pki]\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const root = repoRoot();
  let out = path.join(root, 'samples', 'out');
  let regen = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--regen-pki') regen = true;
    else if (a === '--out') out = path.resolve(argv[++i] ?? usage('--out needs a folder'));
    else if (a.startsWith('--out=')) out = path.resolve(a.slice(6));
    else if (a === '-h' || a === '--help') usage('kiemky samples');
    else usage(`unknown argument: ${a}`);
  }
  // The CMS samples are encoded by pkijs synchronously; loading it first serves a Node that cannot require() it.
  await loadPkijs();
  if (regen) {
    await generateTestPki(defaultPkiDir());
    process.stdout.write(`test PKI regenerated in ${defaultPkiDir()}\n`);
  }
  const pki = loadTestPki();

  // Stale files from an earlier run would otherwise linger in the trust store or the month.
  for (const sub of ['trust', 'thang-11', 'thang-11.zip', 'scenarios']) fs.rmSync(path.join(out, sub), { recursive: true, force: true });

  writeTrustStore(path.join(out, 'trust'), pki, { includeRealCerts: path.join(root, 'certs') });

  const month = buildMonth(path.join(out, 'thang-11'), pki);
  // The month as a clerk uploads it: its PDFs in one ZIP, the register beside it (the README's service example).
  const monthDir = path.join(out, 'thang-11');
  const zip = path.join(out, 'thang-11.zip');
  writeStoredZip(zip, fs.readdirSync(monthDir).filter((n) => n.endsWith('.pdf')).sort().map((n) => path.join(monthDir, n)));
  const byShape = new Map<string, number>();
  for (const e of month) byShape.set(e.shape, (byShape.get(e.shape) ?? 0) + 1);

  const scenDir = path.join(out, 'scenarios');
  fs.mkdirSync(scenDir, { recursive: true });
  const expected: Record<string, { description: string; expect: unknown; changesAfter?: unknown }> = {};
  // The change-analysis scenarios too (changes after signing, objects hidden from the xref), each with what every
  // signature's changesAfter must be: files to open in a viewer or hand to another verifier.
  const changes = { ...CHANGE_EXPECT, ...HIDDEN_EXPECT };
  const all = [...SCENARIOS, ...CHANGE_SCENARIOS, ...HIDDEN_SCENARIOS];
  for (const s of all) {
    fs.writeFileSync(path.join(scenDir, `${s.name}.pdf`), s.build(pki));
    expected[s.name] = { description: s.description, expect: s.expect, ...(changes[s.name] ? { changesAfter: changes[s.name]!.changesAfter } : {}) };
  }
  fs.writeFileSync(path.join(scenDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');

  process.stdout.write(
    `trust store: ${path.join(out, 'trust')}\n` +
      `month:       ${path.join(out, 'thang-11')} (${month.length} files: ${[...byShape].map(([k, v]) => `${k} ${v}`).join(', ')}; so-dang-ky.csv)\n` +
      `zip:         ${zip} (the month's PDFs, to upload with thang-11/so-dang-ky.csv)\n` +
      `scenarios:   ${scenDir} (${all.length} + expected.json)\n`,
  );
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
