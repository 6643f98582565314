import { parentPort, workerData } from 'node:worker_threads';
import { RegisterLimitError } from '../shared/register-limits';
import { readRegister } from './read';
import { RegisterFormatError } from './table';
import { ROWS_PER_MESSAGE, type RegisterThreadAnswer, type RegisterThreadInput } from './thread-protocol';

/** The register thread: reads one register and answers once (see thread.ts). */

function send(answer: RegisterThreadAnswer): void {
  parentPort?.postMessage(answer);
}

async function answer(input: RegisterThreadInput): Promise<RegisterThreadAnswer> {
  try {
    const rows = await readRegister(input.file, input.limits);
    for (let i = 0; i + ROWS_PER_MESSAGE < rows.length; i += ROWS_PER_MESSAGE) send({ ok: true, rows: rows.slice(i, i + ROWS_PER_MESSAGE), done: false });
    const last = rows.length === 0 ? 0 : Math.floor((rows.length - 1) / ROWS_PER_MESSAGE) * ROWS_PER_MESSAGE;
    return { ok: true, rows: rows.slice(last), done: true };
  } catch (err) {
    if (err instanceof RegisterLimitError) return { ok: false, error: { type: 'limit', kind: err.kind, limit: err.limit, line: err.line } };
    if (err instanceof RegisterFormatError) return { ok: false, error: { type: 'format', reason: err.reason } };
    return { ok: false, error: { type: 'other', message: err instanceof Error ? err.message : String(err) } };
  }
}

void answer(workerData as RegisterThreadInput).then(send);
