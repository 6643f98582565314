import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RegisterLimitError, type RegisterLimits } from '../shared/register-limits';
import { readRegister } from './read';
import { RegisterFormatError, type RegisterRow } from './table';
import type { RegisterThreadAnswer, RegisterThreadInput } from './thread-protocol';

/**
 * A register read in a thread of its own, for `serve`: its parse, however long within the limits, never holds up
 * the requests the server is answering (health checks, other uploads), and whatever memory it took is given back
 * when the thread ends. The thread's heap is capped, and a thread that runs past its time is ended: either way the
 * register is refused as unreadable, and the server goes on.
 */

export interface RegisterThread {
  /** The compiled thread-main.js, or (tests) the TypeScript one with a loader in execArgv. */
  script: string;
  execArgv?: string[];
  timeoutMs?: number;
  /** The thread's old-generation heap, in MB. */
  heapMb?: number;
}

/** Well within the limits, a 50 MB register reads in a few seconds; a minute means something is wrong. */
const DEFAULT_TIMEOUT_MS = 120_000;
/** Enough for a register at its limits (its text twice, as cells and as rows); a bomb that slips through dies here. */
const DEFAULT_HEAP_MB = 768;

/** The compiled thread next to this file; null when running from the TypeScript sources (jest), which have none. */
export function compiledRegisterThread(): RegisterThread | null {
  if (!__filename.endsWith('.js')) return null;
  const script = path.join(__dirname, 'thread-main.js');
  return fs.existsSync(script) ? { script } : null;
}

function failure(answer: Exclude<RegisterThreadAnswer, { ok: true }>): Error {
  const e = answer.error;
  if (e.type === 'limit') return new RegisterLimitError(e.kind, e.limit, e.line);
  if (e.type === 'format') return new RegisterFormatError(e.reason);
  return new Error(e.message);
}

/** Reads the register in a thread when one is given (or compiled), else in this thread, streaming. */
export function readRegisterOffThread(file: string, limits: RegisterLimits, thread: RegisterThread | null = compiledRegisterThread()): Promise<RegisterRow[]> {
  if (!thread) return readRegister(file, limits);
  return new Promise<RegisterRow[]>((resolve, reject) => {
    const input: RegisterThreadInput = { file, limits };
    const reader = new Worker(thread.script, {
      workerData: input,
      execArgv: thread.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: thread.heapMb ?? DEFAULT_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void reader.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new Error('the register took too long to read'))), thread.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const rows: RegisterRow[] = [];
    reader.on('message', (answer: RegisterThreadAnswer) => {
      if (!answer.ok) {
        settle(() => reject(failure(answer)));
        return;
      }
      for (const row of answer.rows) rows.push(row);
      if (answer.done) settle(() => resolve(rows));
    });
    reader.once('error', (err: Error & { code?: string }) => {
      const detail = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the register needs more memory than it may have' : err.message;
      settle(() => reject(new Error(detail)));
    });
    reader.once('exit', (code) => settle(() => reject(new Error(`the register thread stopped (${code})`))));
  });
}
