import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DocumentReport } from '../../worker/report';
import type { UnitRegistry } from '../../worker/verify';
import { errorReport, hashFile, sha256Hex, type PoolErrorCode } from './error-report';
import type { Job, RevocationSettings, VerifyFn, ThreadInit } from './protocol';
import { ThreadRunner, type ErrorTarget } from './threads';
import { runJob } from './run-job';

export type { Job, RevocationSettings, VerifyFn } from './protocol';
/**
 * Files a thread holds at once: what a caller keeps in flight per thread to keep it fed. (Not the service's
 * JOBS_PER_THREAD, which counts the jobs a queue keeps in flight per thread while their reports are stored.)
 */
export { DEPTH as THREAD_DEPTH } from './threads';

/**
 * Verifies documents on every core: verification threads when running compiled (dist/), in-process otherwise
 * (under ts-jest there is no compiled thread script) or when a verify function is injected. The CLI and the
 * service's queues both use it; the batch never stops for one bad document.
 */

export interface PoolOptions {
  certsDir: string;
  registry?: UnitRegistry;
  /** Online revocation fetching (default offline). */
  revocation?: RevocationSettings;
  /** Verification threads; default os.availableParallelism(). */
  jobs?: number;
  /** Hard per-document deadline: past it the thread is terminated. Default 60 s. */
  timeoutMs?: number;
  /** The core's own time budget, checked inside its loops. Default 30 s. */
  timeBudgetMs?: number;
  /**
   * Heap cap of each thread, in MB (default 512): a document that needs more ends its thread, which is
   * replaced, and gets OUT_OF_MEMORY. Verifying a document takes a few MB; the core's own limits keep what a
   * document can make it hold far below this, so the cap is only the last line.
   */
  memoryLimitMb?: number;
  /** Verify in-process with this function instead of threads (tests, embedding). */
  verify?: VerifyFn;
  /** Keep each document's facts record with its report (facts-channel.ts factsOf): the service stores them. */
  keepFacts?: boolean;
  /** A thread script other than the compiled thread-main.js (tests of the thread machinery). */
  threadScript?: string;
}

export interface DocumentVerifier {
  /** How many documents it works on at once. */
  readonly size: number;
  verify(job: Job): Promise<DocumentReport>;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_TIME_BUDGET_MS = 30_000;
export const DEFAULT_MEMORY_LIMIT_MB = 512;

/** The compiled thread script next to this file; none when this file is the TypeScript source (ts-jest). */
function compiledThreadScript(): string | null {
  if (!__filename.endsWith('.js')) return null;
  const script = path.join(__dirname, 'thread-main.js');
  return fs.existsSync(script) ? script : null;
}

function targetOf(job: Job): ErrorTarget {
  if ('path' in job) return { fileName: job.fileName, path: job.path };
  return { fileName: job.fileName, sha256: job.sha256 ?? sha256Hex(job.data), size: job.data.length };
}

async function errorReportFor(target: ErrorTarget, code: PoolErrorCode, detail: string): Promise<DocumentReport> {
  if ('path' in target) {
    // Hashed only now: a file's hash is needed for the rare error report, never on the path of a good document.
    const { sha256, size } = await hashFile(target.path);
    return errorReport(target.fileName, sha256, size, code, detail);
  }
  return errorReport(target.fileName, target.sha256, target.size, code, detail);
}

export class VerifyPool implements DocumentVerifier {
  readonly size: number;
  private readonly threads: ThreadRunner | null = null;
  private inProcess: VerifyFn | null = null;
  private readonly init: ThreadInit;
  private readonly timeoutMs: number;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, options.jobs ?? os.availableParallelism());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.init = {
      certsDir: options.certsDir,
      registry: options.registry,
      timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
      keepFacts: options.keepFacts === true,
      ...(options.revocation?.mode === 'online' ? { revocation: options.revocation } : {}),
    };
    const script = options.verify ? null : (options.threadScript ?? compiledThreadScript());
    if (script) {
      this.threads = new ThreadRunner(script, this.init, this.size, this.timeoutMs, errorReportFor, targetOf, {
        memoryLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
      });
    } else {
      this.inProcess = options.verify ?? null;
    }
  }

  /** The unit registry for every document verified from now on (the service follows the stored one). */
  setRegistry(registry: UnitRegistry | undefined): void {
    this.init.registry = registry;
    this.threads?.setRegistry(registry);
  }

  /**
   * The certs folder changed (trust-follower.ts): every document verified from now on is judged with the trust
   * store as the folder holds it now. An injected verify function is the caller's and is left alone.
   */
  reloadTrust(): void {
    this.threads?.reloadTrust();
    if (!this.options.verify) this.inProcess = null;
  }

  /** Starts the threads ahead of the first job (see ThreadRunner.start); in-process, nothing to start. */
  start(): void {
    this.threads?.start();
  }

  verify(job: Job): Promise<DocumentReport> {
    if (this.threads) return this.threads.verify(job);
    return this.verifyInProcess(job);
  }

  async close(): Promise<void> {
    await this.threads?.close();
  }

  /**
   * In-process, a hung verification cannot be killed: the document gets its TIMEOUT report at the deadline and
   * the batch goes on, while the abandoned promise is left to settle (or not) on its own.
   */
  private async verifyInProcess(job: Job): Promise<DocumentReport> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const verify = this.inProcessVerifier();
      const outcome = await Promise.race([runJob(verify, job, this.init), deadline]);
      if (outcome === 'timeout') return await errorReportFor(targetOf(job), 'TIMEOUT', `${this.timeoutMs} ms`);
      return outcome;
    } catch (err) {
      return errorReportFor(targetOf(job), 'INTERNAL', err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
  }

  private inProcessVerifier(): VerifyFn {
    if (!this.inProcess) {
      // Loaded on first use only: with threads the main thread never needs the trust store or the core.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createVerifier } = require('./verifier') as typeof import('./verifier');
      this.inProcess = createVerifier(this.options.certsDir, this.options.revocation, this.options.keepFacts === true);
    }
    return this.inProcess;
  }
}
