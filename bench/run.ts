/**
 * `npm run bench`: kiemky check against poppler's pdfsig on the same files, in one run.
 *
 *   1. A corpus of N distinct ~150 KB two-layer documents (samples' makeBenchCorpus; default 2,000), generated
 *      once and cached under samples/out/bench/ (already git-ignored), plus a trust store for the test PKI.
 *   2. pdfsig -nocert, one process per file, two at a time (started by xargs); a file counts as verified when
 *      pdfsig says "Signature is Valid." twice.
 *   3. kiemky check on the folder as a child process (both cores, worker threads), wall time and peak RSS;
 *      every document must come out compliant.
 *   4. The same for one signed ~1 GB document (bench/big-pdf.ts), unless --skip-big.
 *
 * Prints documents per second for both, the ratio and kiemky's peak RSS, then one JSON summary line.
 * Options: --docs N, --skip-big, --repeat R (each measurement R times, alternating), --big-mb M, --seed S,
 * --baseline <path to another build's bin/kiemky.js> (measured in the same rounds: before/after on one machine state).
 */
import { changeAnalysisShare } from './change-share';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTestPki, writeTrustStore } from '../samples/lib/test-pki';
import { buildBigSignedPdf } from './big-pdf';
import { ensureCorpus, KIEMKY, log, OUT, runMain, warmPageCache } from './inputs';
import { runPdfsig, type PdfsigRun } from './pdfsig';

interface BenchArgs {
  docs: number;
  skipBig: boolean;
  repeat: number;
  bigMb: number;
  seed: number;
  baseline: string | null;
}

function parseBenchArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = { docs: 2000, skipBig: false, repeat: 1, bigMb: 1024, seed: 1, baseline: null };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--docs') a.docs = int(k, argv[++i], 1);
    else if (k === '--skip-big') a.skipBig = true;
    else if (k === '--repeat') a.repeat = int(k, argv[++i], 1);
    else if (k === '--big-mb') a.bigMb = int(k, argv[++i], 1);
    else if (k === '--seed') a.seed = int(k, argv[++i], 0);
    else if (k === '--baseline') {
      const bin = argv[++i];
      if (!bin || !fs.existsSync(bin)) throw new Error('--baseline needs the path of an existing bin/kiemky.js');
      a.baseline = path.resolve(bin);
    }
    else throw new Error(`unknown option ${k} (known: --docs N, --skip-big, --repeat R, --big-mb M, --seed S, --baseline BIN)`);
  }
  return a;
}

const TIME = '/usr/bin/time';

// ---------------------------------------------------------------------------------------------------------------
// Inputs, cached: the marker file sits beside the folder, since kiemky would report any extra file in it.

function ensureBig(mb: number): string {
  const file = path.join(OUT, `big-${mb}mb.pdf`);
  const marker = `${file}.done`;
  if (fs.existsSync(marker) && fs.existsSync(file) && fs.readFileSync(marker, 'utf8').trim() === String(fs.statSync(file).size)) return file;
  log(`generating one signed ${mb} MB document (once) …`);
  const info = buildBigSignedPdf(file, mb * 1024 * 1024, loadTestPki());
  fs.writeFileSync(marker, `${info.size}\n`);
  log(`  ${info.size} bytes in ${info.seconds.toFixed(1)} s`);
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
/**
 * The environment both tools run in: this one without NODE_EXTRA_CA_CERTS. Some machines (these sandboxes among
 * them) point it at the system's whole CA bundle, and Node then parses every certificate in it when the process
 * starts — about 60 ms here, on the way to the first document — for TLS connections `kiemky check` never makes.
 * pdfsig does not read it. Stripped for both tools and for the baseline alike, and said so in the output.
 */
const TOOL_ENV: NodeJS.ProcessEnv = (() => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
})();

// ---------------------------------------------------------------------------------------------------------------
// kiemky check

interface KiemkyRun {
  seconds: number;
  docs: number;
  compliant: number;
  exitCode: number | null;
  /** Peak resident set of the kiemky process (its worker threads share it), MB. */
  peakRssMb: number;
}

/** VmHWM of a live process, kB; 0 once it is gone. */
function vmHwmKb(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function runKiemky(input: string, trust: string, expected: number, bin = KIEMKY): Promise<KiemkyRun> {
  const out = path.join(os.tmpdir(), `kiemky-bench-${process.pid}.json`);
  const cli = [bin, 'check', input, '--certs', trust, '--format', 'json', '--out', out];
  // GNU time reports the peak RSS exactly; without it, /proc is polled (threads share the process's VmHWM).
  const useTime = fs.existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-v', process.execPath, ...cli] : cli;
  const t = performance.now();
  const { code, stderr, polledKb } = await new Promise<{ code: number | null; stderr: string; polledKb: number }>((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: TOOL_ENV });
    let err = '';
    let hwm = 0;
    const poll = useTime ? null : setInterval(() => (hwm = Math.max(hwm, child.pid ? vmHwmKb(child.pid) : 0)), 20);
    child.stderr.on('data', (c: Buffer) => {
      // Keep the tail only: the progress line is redrawn for every document.
      err = (err + c.toString('utf8')).slice(-20_000);
    });
    child.on('error', reject);
    child.on('exit', () => {
      if (poll) clearInterval(poll);
    });
    child.on('close', (c) => resolve({ code: c, stderr: err, polledKb: hwm }));
  });
  const seconds = (performance.now() - t) / 1000;
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr);
  const peakKb = m ? Number(m[1]) : polledKb;
  let compliant = 0;
  let docs = 0;
  try {
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { documents: Array<{ verdict: string }> };
    docs = report.documents.length;
    compliant = report.documents.filter((d) => d.verdict === 'compliant').length;
  } catch (err) {
    log(`kiemky produced no readable report (exit ${code}): ${err instanceof Error ? err.message : String(err)}`);
    log(stderr.slice(-2000));
  } finally {
    fs.rmSync(out, { force: true });
  }
  if (docs !== expected || compliant !== expected) log(`WARNING: kiemky found ${compliant}/${docs} compliant, expected ${expected}`);
  return { seconds, docs, compliant, exitCode: code, peakRssMb: Math.round(peakKb / 1024) };
}

// ---------------------------------------------------------------------------------------------------------------

interface Pair {
  pdfsig: PdfsigRun;
  kiemky: KiemkyRun;
  /** The --baseline build, same round. */
  baseline?: KiemkyRun;
  pdfsigDocsPerSec: number;
  kiemkyDocsPerSec: number;
  ratio: number;
}

function pair(p: PdfsigRun, k: KiemkyRun): Pair {
  const pdfsigDocsPerSec = p.docs / p.seconds;
  const kiemkyDocsPerSec = k.docs / k.seconds;
  return { pdfsig: p, kiemky: k, pdfsigDocsPerSec, kiemkyDocsPerSec, ratio: kiemkyDocsPerSec / pdfsigDocsPerSec };
}

function report(label: string, round: number, r: Pair): void {
  const f = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(3));
  log(
    `${label} #${round}: pdfsig ${f(r.pdfsigDocsPerSec)} docs/s (${r.pdfsig.seconds.toFixed(2)} s, ${r.pdfsig.bothValid}/${r.pdfsig.docs} valid twice)` +
      ` | kiemky ${f(r.kiemkyDocsPerSec)} docs/s (${r.kiemky.seconds.toFixed(2)} s, ${r.kiemky.compliant}/${r.kiemky.docs} compliant,` +
      ` peak RSS ${r.kiemky.peakRssMb} MB) | ratio ${r.ratio.toFixed(2)}×`,
  );
}

async function measure(label: string, files: string[], input: string, trust: string, repeat: number, baseline: string | null): Promise<Pair[]> {
  const out: Pair[] = [];
  for (let i = 1; i <= repeat; i++) {
    // pdfsig first in odd rounds, kiemky first in even ones, each after the files were read into the page cache.
    let p: PdfsigRun;
    let k: KiemkyRun;
    if (i % 2 === 1) {
      warmPageCache(files);
      p = await runPdfsig(files, 2, TOOL_ENV);
      warmPageCache(files);
      k = await runKiemky(input, trust, files.length);
    } else {
      warmPageCache(files);
      k = await runKiemky(input, trust, files.length);
      warmPageCache(files);
      p = await runPdfsig(files, 2, TOOL_ENV);
    }
    const r = pair(p, k);
    report(label, i, r);
    if (baseline) {
      warmPageCache(files);
      r.baseline = await runKiemky(input, trust, files.length, baseline);
      const b = r.baseline;
      const dps = b.docs / b.seconds;
      log(`${label} #${i}: baseline ${dps.toFixed(1)} docs/s (${b.seconds.toFixed(2)} s, ${b.compliant}/${b.docs} compliant, peak RSS ${b.peakRssMb} MB) | ratio ${(dps / r.pdfsigDocsPerSec).toFixed(2)}×`);
    }
    out.push(r);
  }
  return out;
}

const round = (n: number, d = 2): number => Number(n.toFixed(d));

function summarize(rounds: Pair[]): Record<string, unknown> {
  return {
    rounds: rounds.map((r) => ({
      pdfsigDocsPerSec: round(r.pdfsigDocsPerSec),
      kiemkyDocsPerSec: round(r.kiemkyDocsPerSec),
      ratio: round(r.ratio),
      kiemkySeconds: round(r.kiemky.seconds, 3),
      pdfsigSeconds: round(r.pdfsig.seconds, 3),
      kiemkyPeakRssMb: r.kiemky.peakRssMb,
      pdfsigBothValid: r.pdfsig.bothValid,
      kiemkyCompliant: r.kiemky.compliant,
      ...(r.baseline
        ? { baselineDocsPerSec: round(r.baseline.docs / r.baseline.seconds), baselineRatio: round(r.baseline.docs / r.baseline.seconds / r.pdfsigDocsPerSec) }
        : {}),
    })),
    bestRatio: round(Math.max(...rounds.map((r) => r.ratio))),
    maxPeakRssMb: Math.max(...rounds.map((r) => r.kiemky.peakRssMb)),
  };
}

export async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  fs.mkdirSync(OUT, { recursive: true });
  const trust = path.join(OUT, 'trust');
  fs.rmSync(trust, { recursive: true, force: true });
  writeTrustStore(trust, loadTestPki());
  log(`kiemky bench: ${os.availableParallelism()} cores, node ${process.version}, ${args.docs} documents, ${args.repeat} round(s)`);
  if (process.env.NODE_EXTRA_CA_CERTS) log('(NODE_EXTRA_CA_CERTS is set here: both tools run without it, see TOOL_ENV)');

  const files = ensureCorpus(args.docs, args.seed);
  const corpus = await measure('corpus', files, path.dirname(files[0]), trust, args.repeat, args.baseline);
  const summary: Record<string, unknown> = { docs: args.docs, cores: os.availableParallelism(), corpus: summarize(corpus) };
  const change = await changeAnalysisShare(files, trust);
  log(
    `change analysis: ${(change.share * 100).toFixed(1)}% of a verification (median ${change.analysisMs.toFixed(3)} ms of ${change.verifyMs.toFixed(3)} ms, one thread; target ≤ 20%)`,
  );
  summary.changeAnalysis = { sharePct: round(change.share * 100), analysisMs: round(change.analysisMs), verifyMs: round(change.verifyMs) };

  let ok = corpus.every((r) => r.kiemky.compliant === files.length && r.pdfsig.bothValid === files.length);
  if (!args.skipBig) {
    const big = ensureBig(args.bigMb);
    const rounds = await measure(`${args.bigMb} MB file`, [big], big, trust, args.repeat, args.baseline);
    summary.big = { bytes: fs.statSync(big).size, ...summarize(rounds) };
    ok &&= rounds.every((r) => r.kiemky.compliant === 1 && r.pdfsig.bothValid === 1);
  }
  ok &&= change.share <= 0.2;
  summary.ok = ok;
  log(JSON.stringify(summary));
  return ok ? 0 : 1;
}

if (require.main === module) runMain(main);
