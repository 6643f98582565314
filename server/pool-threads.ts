import { Worker } from 'node:worker_threads';
import type { DocumentReport } from '../worker/report';
import type { PoolErrorCode } from './error-report';
import type { Job, JobMessage, ResultMessage, WorkerInit } from './pool-protocol';

/**
 * N worker threads. Each holds the job it is working on and, for jobs read from a path, the next one queued behind
 * it, so a worker never idles waiting for the main thread to hand it work (a document takes about a millisecond:
 * the round trip was a third of the time). The hard deadline runs for the job at the head only; past it the
 * worker is terminated (a parser stuck in a loop cannot be interrupted any other way) and a fresh one started. A
 * worker that dies takes down only the job it was running; the one queued behind it goes back to the queue.
 * Either way the job's promise resolves with an error report and the batch goes on.
 */

/** What an error report needs of a job, taken before its buffer is transferred away to a worker. */
export type ErrorTarget = { fileName: string; path: string } | { fileName: string; sha256: string; size: number };
export type ErrorReportFor = (target: ErrorTarget, code: PoolErrorCode, detail: string) => Promise<DocumentReport>;

interface Pending {
  job: Job;
  target: ErrorTarget;
  resolve: (report: DocumentReport) => void;
}

interface InFlight extends Pending {
  id: number;
}

interface Slot {
  worker: Worker;
  /** Jobs posted to the worker, in the order it runs them; the head is the one running. */
  inflight: InFlight[];
  /** Deadline of the head job. */
  timer: NodeJS.Timeout | null;
}

/** Jobs per worker at once. Only path jobs are queued behind another: a transferred buffer cannot be re-sent. */
const DEPTH = 2;

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

  /**
   * Starts every worker now instead of at the first job. A worker spends tens of milliseconds booting, loading
   * the core and the trust store; a caller that knows work is coming (the CLI, while it lists the inputs) lets
   * that happen in the meantime instead of on the way to the first document.
   */
  start(): void {
    if (this.closed) return;
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  /** Stops every worker; jobs still queued or running are answered with INTERNAL rather than left hanging. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    const unfinished: Pending[] = [...this.queue.splice(0)];
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      unfinished.push(...slot.inflight.splice(0));
    }
    await Promise.all(slots.map((s) => this.retire(s)));
    await Promise.all(unfinished.map(async (p) => p.resolve(await this.errorReportFor(p.target, 'INTERNAL', 'pool closed'))));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.script, { workerData: this.init }), inflight: [], timer: null };
    slot.worker.on('message', (msg: ResultMessage) => this.onResult(slot, msg));
    slot.worker.on('error', (err) => this.fail(slot, 'INTERNAL', err.message));
    slot.worker.on('exit', (code) => this.fail(slot, 'INTERNAL', `worker exited with code ${code}`));
    return slot;
  }

  private pump(): void {
    // Workers start lazily, so a pool that is never used costs nothing.
    while (this.slots.length < this.size && this.queue.length > this.slots.filter((s) => s.inflight.length === 0).length) {
      this.slots.push(this.spawn());
    }
    // First one job to every idle worker, then a second behind the busy ones.
    for (let depth = 1; depth <= DEPTH; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (slot.inflight.length >= depth) continue;
        const head = this.queue[0]!;
        if (slot.inflight.length > 0 && (!('path' in head.job) || !slot.inflight.every((p) => 'path' in p.job))) continue;
        this.queue.shift();
        const id = this.nextId++;
        slot.inflight.push({ ...head, id });
        if (slot.inflight.length === 1) this.arm(slot);
        const { message, transfer } = toMessage(id, head.job);
        slot.worker.postMessage(message, transfer);
      }
    }
  }

  /** Starts the deadline of the slot's head job. */
  private arm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = slot.inflight.length > 0 ? setTimeout(() => this.fail(slot, 'TIMEOUT', `${this.timeoutMs} ms`), this.timeoutMs) : null;
  }

  private onResult(slot: Slot, msg: ResultMessage): void {
    const head = slot.inflight[0];
    if (!head || head.id !== msg.id) return;
    slot.inflight.shift();
    this.arm(slot);
    if ('reportJson' in msg) head.resolve(JSON.parse(msg.reportJson) as DocumentReport);
    else void this.errorReportFor(head.target, 'INTERNAL', msg.error).then(head.resolve);
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
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const [head, ...behind] = slot.inflight.splice(0);
    void this.retire(slot);
    // The jobs queued behind never started: they go back to the front of the queue, in order.
    this.queue.unshift(...behind.map(({ id: _id, ...pending }) => pending));
    if (head) void this.errorReportFor(head.target, code, detail).then(head.resolve);
    if (!this.closed) this.pump();
  }

  private async retire(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners();
    // A late 'error' from a worker being torn down must not become an uncaught exception.
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}
