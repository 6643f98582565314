import { parentPort, workerData } from 'node:worker_threads';
import { RegisterLimitError } from './limits';
import { readRegister } from './read';
import { RegisterFormatError } from './table';
import type { RegisterThreadAnswer, RegisterThreadInput } from './thread-protocol';

/** The register thread: reads one register and answers once (see thread.ts). */

async function answer(input: RegisterThreadInput): Promise<RegisterThreadAnswer> {
  try {
    return { ok: true, rows: await readRegister(input.file, input.limits) };
  } catch (err) {
    if (err instanceof RegisterLimitError) return { ok: false, error: { type: 'limit', kind: err.kind, limit: err.limit, line: err.line } };
    if (err instanceof RegisterFormatError) return { ok: false, error: { type: 'format', reason: err.reason } };
    return { ok: false, error: { type: 'other', message: err instanceof Error ? err.message : String(err) } };
  }
}

void answer(workerData as RegisterThreadInput).then((result) => parentPort?.postMessage(result));
