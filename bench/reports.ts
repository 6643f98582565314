/**
 * `npm run bench:reports`: every report format writes a province's month in bounded memory (issue 19). For each
 * format, a child process writes the report of N synthetic documents (bench/reports/synthetic.ts) to a file through
 * the same writer `kiemky check` and the API drive (report/format.ts openReport), sampling its RSS as it goes; run at
 * a tenth of N, at N and at 2N. What a writer keeps that does not grow with the documents (the inspection report's
 * appendix fills to its cap of 2,000 between N/10 and N) is paid once; from N to 2N, the growth of the peak RSS is
 * what each further document costs.
 *
 * Exits 0 when every format's peak RSS grows by less than GROWTH_LIMIT_MB from N to 2N documents; 1 otherwise.
 * Options: --docs N (30000), --formats csv,xlsx,docx,pdf.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openReport, type ReportOut } from '../server/report/format';
import { formatNamed, formatNames, type ReportFormatName } from '../server/report/formats';
import { SummaryTally } from '../server/report/summary';
import { log, runMain } from './inputs';
import { syntheticReport } from './reports/synthetic';

const GROWTH_LIMIT_MB = 64;

interface Measure {
  format: string;
  docs: number;
  ms: number;
  peakRssMb: number;
  bytes: number;
}

/** In the child: one format, one size, RSS sampled every 10 ms. */
async function child(format: ReportFormatName, docs: number, file: string): Promise<Measure> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = process.hrtime.bigint();
  const stream = fs.createWriteStream(file);
  const out: ReportOut = { text: (piece) => void stream.write(piece), stream: () => stream };
  const writer = openReport(formatNamed(format), { lang: 'vi', generatedAt: new Date(), compact: false, scope: { kind: 'period', from: '2026-11', to: '2026-11', units: [] } });
  const tally = new SummaryTally();
  try {
    for (let i = 0; i < docs; i++) {
      const doc = syntheticReport(i);
      tally.add(doc);
      for (const piece of writer.document(doc)) await out.text(piece);
      // Let the sampler and the file stream run, as documents arriving from verification threads would.
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    await writer.end(tally.result(), [], out);
    if (!stream.writableFinished) {
      stream.end();
      await new Promise<void>((r) => stream.once('finish', () => r()));
    }
  } finally {
    writer.dispose();
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { format, docs, ms, peakRssMb: peak / 2 ** 20, bytes: fs.statSync(file).size };
}

function measure(format: string, docs: number, dir: string): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', format, String(docs), path.join(dir, `${format}-${docs}`)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let answer: Measure | null = null;
    proc.on('message', (m) => (answer = m as Measure));
    proc.on('error', reject);
    proc.on('exit', (code) => (answer && code === 0 ? resolve(answer) : reject(new Error(`${format} × ${docs}: exit ${code}`))));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--child') {
    const result = await child(argv[1] as ReportFormatName, Number(argv[2]), argv[3]!);
    process.send!(result);
    return 0;
  }
  let docs = 30_000;
  let formats = ['csv', 'xlsx', 'docx', 'pdf'];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--docs') docs = Number(argv[++i]);
    else if (argv[i] === '--formats') formats = argv[++i]!.split(',');
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const unknown = formats.filter((f) => !(formatNames() as string[]).includes(f));
  if (unknown.length > 0) throw new Error(`unknown formats: ${unknown.join(', ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-bench-reports-'));
  let ok = true;
  try {
    log(`format  documents   time (s)   peak RSS (MB)   file (MB)`);
    for (const format of formats) {
      const small = await measure(format, Math.round(docs / 10), dir);
      const base = await measure(format, docs, dir);
      const large = await measure(format, docs * 2, dir);
      for (const m of [small, base, large]) {
        log(`${m.format.padEnd(6)}  ${String(m.docs).padStart(9)}   ${(m.ms / 1000).toFixed(1).padStart(8)}   ${m.peakRssMb.toFixed(0).padStart(13)}   ${(m.bytes / 2 ** 20).toFixed(1).padStart(9)}`);
      }
      const growth = large.peakRssMb - base.peakRssMb;
      const pass = growth < GROWTH_LIMIT_MB;
      ok &&= pass;
      log(`${format}: peak RSS grows ${growth.toFixed(0)} MB from ${base.docs} to ${large.docs} documents (limit ${GROWTH_LIMIT_MB} MB): ${pass ? 'ok' : 'TOO MUCH'}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return ok ? 0 : 1;
}

runMain(main);
