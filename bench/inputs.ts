import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeBenchCorpus } from '../samples/month';
import { loadTestPki } from '../samples/lib/test-pki';
import { loadPkijs } from '../samples/lib/pkijs-modules';
import { writeStoredZip } from '../samples/lib/zip-writer';

/**
 * The benchmarks' places and inputs, generated once and cached under samples/out/bench/ (git-ignored). A marker
 * file sits beside each folder, not in it: kiemky would report any extra file in a folder it checks.
 */

function repoRoot(): string {
  let p = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(p, 'package.json')) && fs.existsSync(path.join(p, 'bin', 'kiemky.js'))) return p;
    const up = path.dirname(p);
    if (up === p) throw new Error('bench: repository root not found above ' + __dirname);
    p = up;
  }
}

export const ROOT = repoRoot();
export const OUT = path.join(ROOT, 'samples', 'out', 'bench');
export const KIEMKY = path.join(ROOT, 'bin', 'kiemky.js');

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function zipOf(docs: number, seed: number): string {
  return path.join(OUT, `corpus-${docs}-s${seed}.zip`);
}

/** N distinct two-layer documents of ~150 KB (samples' makeBenchCorpus), the same for a given size and seed. */
export function ensureCorpus(docs: number, seed: number): string[] {
  const dir = path.join(OUT, `corpus-${docs}-s${seed}`);
  const marker = `${dir}.done`;
  if (fs.existsSync(marker)) {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pdf'));
    if (files.length === docs) return files.sort().map((f) => path.join(dir, f));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // A ZIP packed from an earlier copy of the folder would no longer hold these files.
  fs.rmSync(`${zipOf(docs, seed)}.done`, { force: true });
  const t = performance.now();
  log(`generating ${docs} documents in ${path.relative(ROOT, dir)} (once) …`);
  const files = makeBenchCorpus(dir, docs, seed, loadTestPki());
  fs.writeFileSync(marker, `${docs}\n`);
  log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return files;
}

/** The corpus as one ZIP, cached beside it; the marker holds its size, so a truncated copy is rebuilt. */
export function ensureZip(docs: number, seed: number, files: string[]): string {
  const zip = zipOf(docs, seed);
  const marker = `${zip}.done`;
  if (fs.existsSync(marker) && fs.existsSync(zip) && fs.readFileSync(marker, 'utf8').trim() === String(fs.statSync(zip).size)) return zip;
  const t = performance.now();
  log(`packing ${files.length} documents into ${path.relative(ROOT, zip)} (once) …`);
  const size = writeStoredZip(zip, files);
  fs.writeFileSync(marker, `${size}\n`);
  log(`  ${(size / 1024 / 1024).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return zip;
}

/**
 * Reads every file once, so what is measured starts with the files in the page cache. The machines here reclaim
 * cold page cache within minutes: without this, whichever tool ran first after a pause paid for the disk.
 */
export function warmPageCache(files: string[]): void {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const f of files) {
    const fd = fs.openSync(f, 'r');
    try {
      while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Runs a benchmark's main as a script: its result is the exit code; a throw prints its stack and exits 2. pkijs is loaded
 * first because the sample builders encode CMS with it synchronously (samples/lib/pkijs-modules.ts).
 */
export function runMain(main: (argv: string[]) => Promise<number>): void {
  loadPkijs().then(() => main(process.argv.slice(2))).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
