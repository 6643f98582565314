import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestPki } from '../../samples/lib/test-pki';
import { SCENARIOS, type Scenario } from '../../samples/scenarios';
import { CHANGE_SCENARIOS } from '../../samples/scenarios-changes';
import { HIDDEN_SCENARIOS } from '../../samples/scenarios-hidden';

/**
 * The files mutants start from: every named scenario (samples/scenarios*.ts, signed with the committed test PKI:
 * two-layer documents, each kind of failure, every change after signing kiemky knows), and the real signed PDFs of
 * ../shared/corpus when it is there. A few scenarios sign with randomized signatures (ECDSA, RSA-PSS) and come out
 * different bytes at each build, so the built seeds are kept on disk: mutant N of campaign S is then the same file
 * on every run, and a finding can be made again from its two numbers.
 */

export interface Seed {
  name: string;
  bytes: Buffer;
}

export const ALL_SCENARIOS: readonly Scenario[] = [...SCENARIOS, ...CHANGE_SCENARIOS, ...HIDDEN_SCENARIOS];

/** The scenarios as seeds, built in memory (the jest test builds a few; the campaign builds them once to disk). */
export function scenarioSeeds(pki: TestPki, scenarios: readonly Scenario[] = ALL_SCENARIOS): Seed[] {
  return scenarios.map((s) => ({ name: `scenario:${s.name}`, bytes: s.build(pki) }));
}

/** The scenario seeds as kept in `dir`, built there first when they are not (or when `rebuild`). */
export function cachedScenarioSeeds(dir: string, pki: () => TestPki, rebuild: boolean): Seed[] {
  const marker = path.join(dir, 'seeds.done');
  const names = ALL_SCENARIOS.map((s, i) => `${String(i).padStart(3, '0')}-${s.name}.pdf`);
  const complete = !rebuild && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === String(names.length) && names.every((n) => fs.existsSync(path.join(dir, n)));
  if (!complete) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const built = scenarioSeeds(pki());
    built.forEach((seed, i) => fs.writeFileSync(path.join(dir, names[i]), seed.bytes));
    fs.writeFileSync(marker, `${names.length}\n`);
  }
  return ALL_SCENARIOS.map((s, i) => ({ name: `scenario:${s.name}`, bytes: fs.readFileSync(path.join(dir, names[i])) }));
}

/** Every PDF of a corpus folder, in name order; none when the folder is absent. */
export function corpusSeeds(dir: string | null): Seed[] {
  if (!dir || !fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.pdf$/i.test(f))
    .sort()
    .map((f) => ({ name: `corpus:${f}`, bytes: fs.readFileSync(path.join(dir, f)) }));
}
