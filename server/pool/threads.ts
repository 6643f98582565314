import { Worker } from 'node:worker_threads';
import type { DocumentReport } from '../../worker/report';
import type { PoolErrorCode } from './error-report';
import type { FactsRecord } from '../../worker/facts-record';
import { attachFacts } from './facts-channel';
import { PROGRESS_RUNNING, PROGRESS_SLOTS, PROGRESS_STARTED, progressElapsed, progressStamp, type Job, type JobBatch, type JobMessage, type ResultBatch, type ThreadData, type ThreadInit } from './protocol';
import type { UnitRegistry } from '../../worker/registry';

/**
 * N verification threads. Each is sent a batch of jobs read from a path (up to DEPTH in flight), runs them in order
 * and sends their results back in batches, so a thread never idles waiting for the main thread and the two do not
 * wake each other for every document. A job whose bytes are in memory goes alone to an idle thread: a transferred
 * buffer cannot be sent again.
 *
 * A watchdog enforces the hard per-document deadline. It reads, from memory the thread shares, which job the thread
 * is running and since when; past the deadline the thread is terminated (a parser stuck in a loop cannot be
 * interrupted any other way) and that job, and only that one, gets TIMEOUT. Each thread's heap is capped
 * (resourceLimits): a document that would take more memory than that ends its thread, not the process, and gets
 * OUT_OF_MEMORY. A thread that dies takes down only the job it was running. The others it held, whether they had
 * not started or had finished with results not yet sent, go back to the queue and are verified again by a fresh
 * thread. Either way every job's promise resolves with a report and the batch goes on.
 */

/** What an error report needs of a job, taken before its buffer is transferred away to a thread. */
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
  thread: Worker;
  /** Jobs sent to the thread, in the order it runs them. */
  inflight: InFlight[];
  progress: Int32Array;
  epoch: number;
  /** When the thread last showed life (a result, a job started): what bounds a thread that never starts a job. */
  quietSince: number;
  /** PROGRESS_STARTED as the watchdog last read it. */
  lastStarted: number;
}

/** Path jobs a thread holds at once: enough that it never runs dry between two batches of results. */
export const DEPTH = 48;

/** A buffer moves to the thread without a copy only when the whole ArrayBuffer is the job's own. */
function toMessage(id: number, job: Job): { message: JobMessage; transfer: ArrayBuffer[] } {
  if ('path' in job) return { message: { id, fileName: job.fileName, path: job.path }, transfer: [] };
  const d = job.data;
  const owned = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && d.buffer instanceof ArrayBuffer;
  const data = owned ? new Uint8Array(d.buffer, 0, d.byteLength) : new Uint8Array(d);
  return { message: { id, fileName: job.fileName, data }, transfer: [data.buffer as ArrayBuffer] };
}

export interface ThreadOptions {
  /** Cap on each thread's V8 heap (old generation), in MB; past it the thread is ended and its job is OUT_OF_MEMORY. */
  memoryLimitMb?: number;
}

/** Node ends a thread that reaches its resourceLimits with this error. */
function isOutOfMemory(err: Error): boolean {
  return (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

export class ThreadRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly script: string,
    private readonly init: ThreadInit,
    readonly size: number,
    private readonly timeoutMs: number,
    private readonly errorReportFor: ErrorReportFor,
    private readonly targetOf: (job: Job) => ErrorTarget,
    private readonly options: ThreadOptions = {},
  ) {}

  verify(job: Job): Promise<DocumentReport> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    return new Promise((resolve) => {
      this.queue.push({ job, target: this.targetOf(job), resolve });
      this.pump();
    });
  }

  /**
   * Starts every thread now instead of at the first job. A thread spends tens of milliseconds booting, loading
   * the core and the trust store; a caller that knows work is coming (the CLI, while it lists the inputs) lets
   * that happen in the meantime instead of on the way to the first document.
   */
  start(): void {
    if (this.closed) return;
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  /**
   * Verifies every job sent from now on with `registry`: live threads are told in the same channel as their jobs,
   * threads started later get it in their workerData.
   */
  setRegistry(registry: UnitRegistry | undefined): void {
    this.init.registry = registry;
    const message: JobBatch = { jobs: [], registry: registry ?? null };
    for (const slot of this.slots) slot.thread.postMessage(message);
  }

  /** Every live thread loads the trust store again before its next job; threads started later load it anyway. */
  reloadTrust(): void {
    const message: JobBatch = { jobs: [], reloadTrust: true };
    for (const slot of this.slots) slot.thread.postMessage(message);
  }

  /** Stops every thread; jobs still queued or running are answered with INTERNAL rather than left hanging. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const slots = this.slots.splice(0);
    const unfinished: Pending[] = [...this.queue.splice(0)];
    for (const slot of slots) unfinished.push(...slot.inflight.splice(0));
    await Promise.all(slots.map((s) => this.retire(s)));
    await Promise.all(unfinished.map(async (p) => p.resolve(await this.errorReportFor(p.target, 'INTERNAL', 'pool closed'))));
  }

  private spawn(): Slot {
    const shared = new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const epoch = Date.now();
    const workerData: ThreadData = { ...this.init, progress: shared, epoch };
    const limit = this.options.memoryLimitMb;
    const slot: Slot = {
      thread: new Worker(this.script, { workerData, ...(limit !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: limit } } : {}) }),
      inflight: [],
      progress: new Int32Array(shared),
      epoch,
      quietSince: epoch,
      lastStarted: 0,
    };
    slot.thread.on('message', (msg: ResultBatch) => this.onResults(slot, msg));
    slot.thread.on('error', (err) => this.fail(slot, isOutOfMemory(err) ? 'OUT_OF_MEMORY' : 'INTERNAL', err.message));
    slot.thread.on('exit', (code) => this.fail(slot, 'INTERNAL', `worker exited with code ${code}`));
    if (!this.watchdog) {
      // Checked often enough that a deadline is kept to within a quarter of itself (and a second at most).
      const every = Math.max(10, Math.min(1000, Math.floor(this.timeoutMs / 4)));
      this.watchdog = setInterval(() => this.checkDeadlines(), every);
      this.watchdog.unref();
    }
    return slot;
  }

  private pump(): void {
    // Threads start lazily, so a pool that is never used costs nothing.
    while (this.slots.length < this.size && this.queue.length > this.slots.filter((s) => s.inflight.length === 0).length) {
      this.slots.push(this.spawn());
    }
    // Dealt one job at a time across the threads, idle ones first, so a short batch is shared rather than all sent
    // to the first thread; each thread then gets its share in one message.
    const batches = new Map<Slot, { messages: JobMessage[]; transfer: ArrayBuffer[] }>();
    for (let depth = 1; depth <= DEPTH && this.queue.length > 0; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) break;
        if (slot.inflight.length >= depth) continue;
        const head = this.queue[0]!;
        const holdsData = slot.inflight.some((p) => !('path' in p.job));
        if (holdsData || (slot.inflight.length > 0 && !('path' in head.job))) continue;
        this.queue.shift();
        const id = this.allocateId();
        if (slot.inflight.length === 0) slot.quietSince = Date.now();
        slot.inflight.push({ ...head, id });
        const { message, transfer } = toMessage(id, head.job);
        let batch = batches.get(slot);
        if (!batch) batches.set(slot, (batch = { messages: [], transfer: [] }));
        batch.messages.push(message);
        batch.transfer.push(...transfer);
      }
    }
    for (const [slot, batch] of batches) {
      const message: JobBatch = { jobs: batch.messages };
      slot.thread.postMessage(message, batch.transfer);
    }
  }

  /** A job id whose Int32 form (what the thread publishes) is never 0, the "between jobs" mark. */
  private allocateId(): number {
    let id = this.nextId++;
    if ((id | 0) === 0) id = this.nextId++;
    return id;
  }

  private onResults(slot: Slot, msg: ResultBatch): void {
    slot.quietSince = Date.now();
    for (const result of msg.results) {
      const head = slot.inflight[0];
      if (!head || head.id !== result.id) continue;
      slot.inflight.shift();
      if ('reportJson' in result) {
        const report = JSON.parse(result.reportJson) as DocumentReport;
        head.resolve(result.factsJson ? attachFacts(report, JSON.parse(result.factsJson) as FactsRecord) : report);
      }
      else void this.errorReportFor(head.target, 'INTERNAL', result.error).then(head.resolve);
    }
    this.pump();
  }

  /** Terminates a thread past the deadline: its running job's, or, while it starts no job at all, its silence's. */
  private checkDeadlines(): void {
    const now = Date.now();
    for (const slot of [...this.slots]) {
      if (slot.inflight.length === 0) continue;
      const running = Atomics.load(slot.progress, PROGRESS_RUNNING);
      const started = Atomics.load(slot.progress, PROGRESS_STARTED);
      if (started !== slot.lastStarted) {
        // A job started since the last look: the thread is alive.
        slot.lastStarted = started;
        slot.quietSince = now;
      }
      if (running !== 0) {
        if (progressElapsed(progressStamp(now, slot.epoch), started) > this.timeoutMs) this.fail(slot, 'TIMEOUT', `${this.timeoutMs} ms`);
      } else if (now - slot.quietSince > this.timeoutMs) {
        this.fail(slot, 'TIMEOUT', `${this.timeoutMs} ms`);
      }
    }
  }

  /**
   * The thread is lost (hung, crashed or exited): drop it and answer the job it was running with an error report;
   * when it was between jobs, the first it held. A replacement starts only when a job needs one, so a thread
   * script that dies on start cannot respawn in a loop.
   */
  private fail(slot: Slot, code: PoolErrorCode, detail: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const running = Atomics.load(slot.progress, PROGRESS_RUNNING);
    const held = slot.inflight.splice(0);
    const at = running === 0 ? -1 : held.findIndex((p) => (p.id | 0) === running);
    const [blamed] = held.splice(at >= 0 ? at : 0, 1);
    void this.retire(slot);
    // The others never finished, or finished with results that died with the thread: back to the front, in order.
    this.queue.unshift(...held.map(({ id: _id, ...pending }) => pending));
    if (blamed) void this.errorReportFor(blamed.target, code, detail).then(blamed.resolve);
    if (!this.closed) this.pump();
  }

  private async retire(slot: Slot): Promise<void> {
    slot.thread.removeAllListeners();
    // A late 'error' from a thread being torn down must not become an uncaught exception.
    slot.thread.on('error', () => undefined);
    await slot.thread.terminate();
  }
}
