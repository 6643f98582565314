/**
 * `npm run fuzz`: the mutation campaign against verifyDocument, for a chosen time, with figures at the end.
 *
 *   1. Seeds: every named scenario (built once with the committed test PKI, kept in samples/out/fuzz/seeds) and,
 *      when it is there, every PDF of ../shared/corpus (found from the repository root).
 *   2. The seeds are verified once in this thread: what their valid signatures cover, and what their CMS blobs say
 *      was signed, is what the oracle holds every mutant's "valid" against (bench/fuzz/oracle.ts).
 *   3. Mutant N of campaign seed S (bench/fuzz/mutate.ts) is made and verified in worker threads with the
 *      per-document budget, under a watchdog, for --seconds (default 60) or --runs.
 *   4. Figures: mutants per second, verdicts by code, the most frequent findings, the slowest mutant, peak RSS;
 *      each crash (an exception out of verifyDocument, an INTERNAL error, a hang past the budget, a thread that
 *      died, a valid signature over bytes nobody signed, an intact document after a page was rewritten, a report
 *      that contradicts itself) is saved to samples/out/fuzz/crashes/ (git-ignored) with the command that makes it
 *      again. Exit code 1 when there was any.
 *
 * Options: --seconds N | --runs N, --seed S, --jobs N, --budget-ms MS, --margin-ms MS, --max-heap-mb MB,
 * --max-bytes B, --corpus DIR | --no-corpus, --out DIR, --rebuild-seeds; --replay S:N (make and verify one mutant
 * again), --file PATH (verify and judge one file).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTestPki, writeTrustStore } from '../samples/lib/test-pki';
import { DEFAULT_TIME_BUDGET_MS } from '../worker/facts';
import { loadTrustStore } from '../worker/pki/trust-store';
import type { TrustStore } from '../worker/pki/types';
import { runCampaign, type CampaignResult, type Crash } from './fuzz/campaign';
import { DEFAULT_MAX_MUTANT_BYTES, MutationEngine } from './fuzz/mutate';
import { emptyKnowledge, learnSeed, Oracle, verdictKey, type SeedKnowledge } from './fuzz/oracle';
import { verifyAndJudge, type Outcome } from './fuzz/run-one';
import { cachedScenarioSeeds, corpusSeeds, type Seed } from './fuzz/seeds';
import { log, ROOT, runMain } from './inputs';

interface FuzzArgs {
  seconds: number | null;
  runs: number | null;
  seed: number;
  jobs: number;
  budgetMs: number;
  marginMs: number;
  maxHeapMb: number;
  maxBytes: number;
  corpus: string | null;
  out: string;
  rebuildSeeds: boolean;
  replay: { seed: number; index: number } | null;
  file: string | null;
}

function parseFuzzArgs(argv: string[]): FuzzArgs {
  const a: FuzzArgs = {
    seconds: null,
    runs: null,
    seed: crypto.randomBytes(4).readUInt32BE(0),
    jobs: os.availableParallelism(),
    budgetMs: DEFAULT_TIME_BUDGET_MS,
    marginMs: 10_000,
    maxHeapMb: 1024,
    maxBytes: DEFAULT_MAX_MUTANT_BYTES,
    corpus: path.resolve(ROOT, '..', 'shared', 'corpus'),
    out: path.join(ROOT, 'samples', 'out', 'fuzz'),
    rebuildSeeds: false,
    replay: null,
    file: null,
  };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} needs an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--seconds') a.seconds = int(k, argv[++i], 1);
    else if (k === '--runs') a.runs = int(k, argv[++i], 1);
    else if (k === '--seed') a.seed = int(k, argv[++i], 0) >>> 0;
    else if (k === '--jobs') a.jobs = int(k, argv[++i], 1);
    else if (k === '--budget-ms') a.budgetMs = int(k, argv[++i], 1);
    else if (k === '--margin-ms') a.marginMs = int(k, argv[++i], 0);
    else if (k === '--max-heap-mb') a.maxHeapMb = int(k, argv[++i], 64);
    else if (k === '--max-bytes') a.maxBytes = int(k, argv[++i], 1024);
    else if (k === '--corpus') a.corpus = path.resolve(argv[++i] ?? '');
    else if (k === '--no-corpus') a.corpus = null;
    else if (k === '--out') a.out = path.resolve(argv[++i] ?? '');
    else if (k === '--rebuild-seeds') a.rebuildSeeds = true;
    else if (k === '--file') a.file = path.resolve(argv[++i] ?? '');
    else if (k === '--replay') {
      const m = /^(\d+):(\d+)$/.exec(argv[++i] ?? '');
      if (!m) throw new Error('--replay needs SEED:INDEX, as a crash report prints it');
      a.replay = { seed: Number(m[1]) >>> 0, index: Number(m[2]) };
    } else throw new Error(`unknown option ${k} (see the head of bench/fuzz.ts)`);
  }
  if (a.seconds === null && a.runs === null) a.seconds = 60;
  return a;
}

/** The seeds, and what they say was signed: each verified once here, against the fuzz trust store. */
async function prepare(a: FuzzArgs): Promise<{ seeds: Seed[]; trustDir: string; trust: TrustStore; knowledge: SeedKnowledge }> {
  const trustDir = path.join(a.out, 'trust');
  fs.rmSync(trustDir, { recursive: true, force: true });
  // The test roots and the real bundled CAs: the corpus's real-world chains are classified as they would be.
  writeTrustStore(trustDir, loadTestPki(), { includeRealCerts: path.join(ROOT, 'certs') });
  const trust = loadTrustStore(trustDir);
  const scenarios = cachedScenarioSeeds(path.join(a.out, 'seeds'), () => loadTestPki(), a.rebuildSeeds);
  const corpus = corpusSeeds(a.corpus);
  const seeds = [...scenarios, ...corpus];
  const knowledge = emptyKnowledge();
  const noOracle = new Oracle(emptyKnowledge());
  for (const seed of seeds) {
    const outcome = await verifyAndJudge(seed.bytes, trust, noOracle, { fileName: seed.name, timeBudgetMs: a.budgetMs, pageRewritten: false });
    if (outcome.report) learnSeed(seed.bytes, outcome.report, knowledge);
  }
  log(
    `seeds: ${seeds.length} (${scenarios.length} scenarios, ${corpus.length} from ${a.corpus ? path.relative(ROOT, a.corpus) : 'no corpus'}); ` +
      `the oracle knows ${knowledge.signedContent.length} signed contents and ${knowledge.messageDigests.length} CMS message digests`,
  );
  return { seeds, trustDir, trust, knowledge };
}

function printOutcome(outcome: Outcome): void {
  const r = outcome.report;
  log(`  ${r ? verdictKey(r) : 'exception'} in ${outcome.ms.toFixed(1)} ms`);
  if (r) {
    log(`  checks: ${JSON.stringify(r.checks)}`);
    for (const s of r.signatures) log(`  signature ${s.index}: integrity ${s.integrity}, /ByteRange ${JSON.stringify(s.byteRange)}, coversWholeFile ${s.coversWholeFile}`);
    log(`  findings: ${[...new Set(r.findings.map((f) => f.code))].join(', ') || 'none'}`);
  }
  for (const p of outcome.problems) log(`  PROBLEM ${p.kind}: ${p.detail}`);
}

const replayCommand = (seed: number, index: number): string => `npm run fuzz -- --replay ${seed}:${index}`;

/** Each crash's mutant, made again, written with what happened to it; returns the lines to print. */
function saveCrashes(a: FuzzArgs, engine: MutationEngine, seeds: Seed[], trustDir: string, crashes: Crash[]): string[] {
  const dir = path.join(a.out, 'crashes');
  fs.mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (const crash of crashes.slice(0, 100)) {
    const mutant = engine.mutant(crash.index);
    const base = path.join(dir, `${crash.problems[0].kind}-${a.seed}-${crash.index}`);
    fs.writeFileSync(`${base}.pdf`, mutant.bytes);
    const info = {
      campaignSeed: a.seed,
      index: crash.index,
      seedFile: seeds[mutant.seed].name,
      ops: mutant.ops,
      ms: crash.ms,
      problems: crash.problems,
      reproduce: [replayCommand(a.seed, crash.index), `npm run fuzz -- --file ${path.relative(ROOT, `${base}.pdf`)}`, `node bin/kiemky.js check ${path.relative(ROOT, `${base}.pdf`)} --certs ${path.relative(ROOT, trustDir)} --format json`],
    };
    fs.writeFileSync(`${base}.json`, `${JSON.stringify(info, null, 2)}\n`);
    lines.push(`  #${crash.index} ${crash.problems.map((p) => p.kind).join(', ')} (${seeds[mutant.seed].name}; ${mutant.ops.join('; ')})`);
    lines.push(`    ${crash.problems[0].detail.split('\n')[0]}`);
    lines.push(`    saved: ${path.relative(ROOT, `${base}.pdf`)}; again: ${replayCommand(a.seed, crash.index)}`);
  }
  if (crashes.length > 100) lines.push(`  … and ${crashes.length - 100} more (the first 100 saved)`);
  return lines;
}

function top(counts: Map<string, number>, n: number): string {
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function report(a: FuzzArgs, r: CampaignResult, seeds: Seed[], engine: MutationEngine, trustDir: string): number {
  const rate = r.runs / Math.max(0.001, r.seconds);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  log('');
  log(`mutants: ${r.runs} in ${r.seconds.toFixed(1)} s (${rate.toFixed(0)}/s, ${a.jobs} thread(s), campaign seed ${a.seed})`);
  log(`verdicts: ${top(r.verdicts, 40)}`);
  log(`most frequent findings: ${top(r.findings, 12)}`);
  if (r.slowest) {
    log(`slowest: mutant #${r.slowest.index} of ${seeds[r.slowest.seed].name}, ${r.slowest.ms.toFixed(1)} ms, ${r.slowest.size} bytes (${replayCommand(a.seed, r.slowest.index)})`);
  }
  log(`over 1 s: ${r.overOneSecond}; largest mutant: ${r.largest} bytes; peak RSS ${peakRssMb.toFixed(0)} MB; threads replaced: ${r.threadsReplaced}`);
  log(`the oracle held ${r.validSignatures} signatures reported valid (in ${r.mutantsWithValid} mutants) against the bytes they cover, and ${r.pageRewrites} page rewrites after signing against "intact"`);
  log(`crashes: ${r.crashes.length}`);
  for (const line of saveCrashes(a, engine, seeds, trustDir, r.crashes)) log(line);
  log(
    JSON.stringify({
      seed: a.seed,
      runs: r.runs,
      seconds: Number(r.seconds.toFixed(1)),
      perSecond: Number(rate.toFixed(1)),
      verdicts: Object.fromEntries(r.verdicts),
      slowestMs: r.slowest ? Number(r.slowest.ms.toFixed(1)) : null,
      overOneSecond: r.overOneSecond,
      validSignaturesChecked: r.validSignatures,
      pageRewrites: r.pageRewrites,
      peakRssMb: Math.round(peakRssMb),
      crashes: r.crashes.length,
    }),
  );
  return r.crashes.length > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const a = parseFuzzArgs(argv);
  const { seeds, trustDir, trust, knowledge } = await prepare(a);
  const oracle = new Oracle(knowledge);
  const engine = new MutationEngine(
    seeds.map((s) => s.bytes),
    a.seed,
    a.maxBytes,
  );
  if (a.file) {
    log(`${a.file}:`);
    const outcome = await verifyAndJudge(fs.readFileSync(a.file), trust, oracle, { fileName: a.file, timeBudgetMs: a.budgetMs, pageRewritten: false });
    printOutcome(outcome);
    return outcome.problems.length > 0 ? 1 : 0;
  }
  if (a.replay) {
    const again = new MutationEngine(engine.seeds, a.replay.seed, a.maxBytes);
    const mutant = again.mutant(a.replay.index);
    const file = path.join(a.out, `replay-${a.replay.seed}-${a.replay.index}.pdf`);
    fs.writeFileSync(file, mutant.bytes);
    log(`mutant #${a.replay.index} of campaign ${a.replay.seed}: ${seeds[mutant.seed].name}, ${mutant.bytes.length} bytes → ${path.relative(ROOT, file)}`);
    for (const op of mutant.ops) log(`  ${op}`);
    const outcome = await verifyAndJudge(mutant.bytes, trust, oracle, { fileName: file, timeBudgetMs: a.budgetMs, pageRewritten: mutant.pageRewritten });
    printOutcome(outcome);
    return outcome.problems.length > 0 ? 1 : 0;
  }
  const limit = [a.seconds !== null ? `${a.seconds} s` : null, a.runs !== null ? `${a.runs} mutants` : null].filter(Boolean).join(' or ');
  log(`fuzzing for ${limit}: campaign seed ${a.seed}, ${a.jobs} thread(s), budget ${a.budgetMs} ms per document (+${a.marginMs} ms before a hang), ${a.maxHeapMb} MB heap per thread`);
  let lastTick = 0;
  const result = await runCampaign({
    seeds: engine.seeds,
    knowledge,
    certsDir: trustDir,
    campaignSeed: a.seed,
    seconds: a.seconds,
    runs: a.runs,
    jobs: a.jobs,
    timeBudgetMs: a.budgetMs,
    marginMs: a.marginMs,
    maxBytes: a.maxBytes,
    maxHeapMb: a.maxHeapMb,
    onTick: (done, seconds) => {
      if (seconds - lastTick < 10) return;
      lastTick = seconds;
      log(`  ${seconds.toFixed(0)} s: ${done} mutants (${(done / seconds).toFixed(0)}/s)`);
    },
  });
  return report(a, result, seeds, engine, trustDir);
}

runMain(main);
