import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** poppler's pdfsig, the bench's yardstick: one process per file, N at a time, as a clerk's script would run it. */

export interface PdfsigRun {
  seconds: number;
  docs: number;
  /** Files where pdfsig said "Signature is Valid." for both signatures. */
  bothValid: number;
}

/** What pdfsig prints first for each file it reads: where one file's output begins in the shared stream. */
const PDFSIG_HEADER = 'Digital Signature Info of: ';

/**
 * Files whose pdfsig output says "Signature is Valid." exactly twice, in the output of many pdfsig processes
 * sharing one stream.
 *
 * Each process writes its output (about 1 KB for a two-signature file) in one write at exit, and a pipe write of at
 * most PIPE_BUF (4 KB) is never interleaved with another, so the stream splits into one block per file at pdfsig's
 * header line. Should that ever not hold, some block holds more or fewer than two such lines and its file is not
 * counted: the bench then fails; it cannot pass wrongly. Never more than `files`, whatever the stream holds.
 */
export function countBothValid(output: string, files: number): number {
  let bothValid = 0;
  for (const block of output.split(PDFSIG_HEADER).slice(1)) {
    if ((block.match(/Signature is Valid\./g) ?? []).length === 2) bothValid++;
  }
  return Math.min(bothValid, files);
}

/**
 * pdfsig -nocert over `files`, `parallel` processes at a time, started by xargs rather than by this process.
 *
 * Why xargs: spawned from Node, pdfsig lost about 12% of its throughput here (7.8 s for 2,000 files against
 * 6.7–7.0 s with xargs -P2). The event loop, the pipes and forking a process with this one's heap are the harness's
 * cost, not pdfsig's; charging them to pdfsig flattered kiemky's ratio.
 */
export async function runPdfsig(files: string[], parallel: number, env: NodeJS.ProcessEnv): Promise<PdfsigRun> {
  const t = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('xargs', ['-0', '-n', '1', '-P', String(parallel), 'pdfsig', '-nocert'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      // 123: some pdfsig exited non-zero (a file it could not verify), which the count shows. 126/127: no pdfsig.
      if (code === 126 || code === 127) reject(new Error(`xargs could not run pdfsig (exit ${code})`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    child.stdin.end(files.map((f) => `${f}\0`).join(''));
  });
  return { seconds: (performance.now() - t) / 1000, docs: files.length, bothValid: countBothValid(output, files.length) };
}
