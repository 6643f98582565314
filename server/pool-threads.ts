import { Worker } from 'node:worker_threads';
import type { DocumentReport } from '../worker/report';
import type { PoolErrorCode } from './error-report';
import type { Job, JobMessage, ResultMessage, WorkerInit } from './pool-protocol';

/**
 * N worker threads, one job each at a time. A job past its hard deadline gets its worker terminated (a parser
 * stuck in a loop cannot be interrupted any other way) and a fresh one started; a worker that dies takes down
 * only the job it held. Either way the job's promise resolves with an error report and the batch goes on.
 */

/** What an error report needs of a job, taken before its buffer is transferred away to a worker. */
export type ErrorTarget = { fileName: string; path: string } | { fileName: string; sha256: string; size: number };
export type ErrorReportFor = (target: ErrorTarget, code: PoolErrorCode, detail: string) => Promise<DocumentReport>;

interface Pending {
  job: Job;
  target: ErrorTarget;
  resolve: (report: DocumentReport) => void;
}

interface Slot {
  worker: Worker;
  current: (Pending & { id: number; timer: NodeJS.Timeout }) | null;
}

/** A buffer moves to the worker without a copy only when the whole ArrayBuffer is the job's own. */
function toMessage(id: number, job: Job): { message: JobMessage; transfer: ArrayBuffer[] } {
  if ('path' in job) return { message: { id, fileName: job.fileName, path: job.path }, transfer: [] };
  const d = job.data;
  const owned = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && d.buffer instanceof ArrayBuffer;
  const data = owned ? new Uint8Array(d.buffer, 0, d.byteLength) : new Uint8Array(d);
  return { message: { id, fileName: job.fileName, data }, transfer: [data.buffer as ArrayBuffer] };
}

export class ThreadRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: string,
    private readonly init: WorkerInit,
    readonly size: number,
    private readonly timeoutMs: number,
    private readonly errorReportFor: ErrorReportFor,
    private readonly targetOf: (job: Job) => ErrorTarget,
  ) {}

  verify(job: Job): Promise<DocumentReport> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    return new Promise((resolve) => {
      this.queue.push({ job, target: this.targetOf(job), resolve });
      this.pump();
    });
  }

  /** Stops every worker; jobs still queued or running are answered with INTERNAL rather than left hanging. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    const unfinished: Pending[] = [...this.queue.splice(0)];
    for (const slot of slots) {
      if (slot.current) {
        clearTimeout(slot.current.timer);
        unfinished.push(slot.current);
      }
      slot.current = null;
    }
    await Promise.all(slots.map((s) => this.retire(s)));
    await Promise.all(unfinished.map(async (p) => p.resolve(await this.errorReportFor(p.target, 'INTERNAL', 'pool closed'))));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.script, { workerData: this.init }), current: null };
    slot.worker.on('message', (msg: ResultMessage) => this.onResult(slot, msg));
    slot.worker.on('error', (err) => this.fail(slot, 'INTERNAL', err.message));
    slot.worker.on('exit', (code) => this.fail(slot, 'INTERNAL', `worker exited with code ${code}`));
    return slot;
  }

  private pump(): void {
    // Workers start lazily, so a pool that is never used costs nothing.
    while (this.slots.length < this.size && this.queue.length > this.slots.filter((s) => !s.current).length) {
      this.slots.push(this.spawn());
    }
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.current) continue;
      const pending = this.queue.shift();
      if (!pending) return;
      const id = this.nextId++;
      const timer = setTimeout(() => this.fail(slot, 'TIMEOUT', `${this.timeoutMs} ms`), this.timeoutMs);
      slot.current = { ...pending, id, timer };
      const { message, transfer } = toMessage(id, pending.job);
      slot.worker.postMessage(message, transfer);
    }
  }

  private onResult(slot: Slot, msg: ResultMessage): void {
    const current = slot.current;
    if (!current || current.id !== msg.id) return;
    clearTimeout(current.timer);
    slot.current = null;
    if ('report' in msg) current.resolve(msg.report);
    else void this.errorReportFor(current.target, 'INTERNAL', msg.error).then(current.resolve);
    this.pump();
  }

  /**
   * The worker is lost (hung, crashed or exited): drop it and answer its job with an error report. A replacement
   * starts only when a job needs one, so a worker script that dies on start cannot respawn in a loop.
   */
  private fail(slot: Slot, code: PoolErrorCode, detail: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const current = slot.current;
    slot.current = null;
    void this.retire(slot);
    if (current) {
      clearTimeout(current.timer);
      void this.errorReportFor(current.target, code, detail).then(current.resolve);
    }
    if (!this.closed) this.pump();
  }

  private async retire(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners();
    // A late 'error' from a worker being torn down must not become an uncaught exception.
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}
