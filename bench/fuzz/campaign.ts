import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Problem, SeedKnowledge } from './oracle';
import { packSeeds, PROGRESS_INDEX, PROGRESS_STARTED, type FuzzResult, type FuzzResults, type FuzzWorkerData } from './protocol';

/**
 * The campaign: mutants numbered 0, 1, 2 … handed to worker threads a few at a time, for a time or a number of
 * runs, with a watchdog. A thread still on one mutant past the per-document budget plus a margin is ended and
 * replaced, and that mutant is a crash (a hang); so is one whose thread died (out of memory, say). Everything else
 * the threads judge themselves (see oracle.ts) and report back.
 */

export interface CampaignOptions {
  seeds: readonly Buffer[];
  knowledge: SeedKnowledge;
  certsDir: string;
  campaignSeed: number;
  /** Stop dispatching after this long (seconds) … */
  seconds: number | null;
  /** … or after this many mutants, whichever comes first. */
  runs: number | null;
  jobs: number;
  timeBudgetMs: number;
  /** How far past the budget a mutant may run before the watchdog calls it a hang. */
  marginMs: number;
  maxBytes: number;
  /** Old-generation heap of each thread: past it the thread dies, and its mutant is a crash. */
  maxHeapMb: number;
  /** Called about once a second while it runs. */
  onTick?: (done: number, elapsedSeconds: number) => void;
}

export interface Crash {
  index: number;
  seed: number | null;
  problems: Problem[];
  ms: number | null;
}

export interface CampaignResult {
  runs: number;
  seconds: number;
  verdicts: Map<string, number>;
  findings: Map<string, number>;
  slowest: { index: number; seed: number; ms: number; size: number } | null;
  /** Mutants that took more than a second. */
  overOneSecond: number;
  largest: number;
  /** What the integrity oracle had to judge: signatures reported valid, and mutants holding at least one. */
  validSignatures: number;
  mutantsWithValid: number;
  /** Mutants whose last mutation rewrote a page after every signature. */
  pageRewrites: number;
  crashes: Crash[];
  threadsReplaced: number;
}

const BATCH = 8;

interface Slot {
  worker: Worker;
  progress: Int32Array;
  /** Indices sent to this thread and not answered yet. */
  pending: number[];
  /** It has answered at least once: it loaded its trust store and seeds. */
  answered: boolean;
  retired: boolean;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const epoch = Date.now();
  const packed = packSeeds(o.seeds);
  const result: CampaignResult = {
    runs: 0,
    seconds: 0,
    verdicts: new Map(),
    findings: new Map(),
    slowest: null,
    overOneSecond: 0,
    largest: 0,
    validSignatures: 0,
    mutantsWithValid: 0,
    pageRewrites: 0,
    crashes: [],
    threadsReplaced: 0,
  };
  let next = 0;
  /** Indices of a replaced thread's batch that it never answered, other than the one blamed: run again. */
  const retry: number[] = [];
  const slots = new Set<Slot>();
  let finish: () => void = () => undefined;
  let abort: (err: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    abort = reject;
  });

  const elapsed = (): number => (Date.now() - epoch) / 1000;
  const dispatching = (): boolean => (o.seconds === null || elapsed() < o.seconds) && (o.runs === null || next < o.runs);

  const record = (r: FuzzResult): void => {
    result.runs++;
    result.verdicts.set(r.verdict, (result.verdicts.get(r.verdict) ?? 0) + 1);
    for (const code of r.findings) result.findings.set(code, (result.findings.get(code) ?? 0) + 1);
    if (!result.slowest || r.ms > result.slowest.ms) result.slowest = { index: r.index, seed: r.seed, ms: r.ms, size: r.size };
    if (r.ms > 1000) result.overOneSecond++;
    result.largest = Math.max(result.largest, r.size);
    result.validSignatures += r.validSignatures;
    if (r.validSignatures > 0) result.mutantsWithValid++;
    if (r.pageRewritten) result.pageRewrites++;
    if (r.problems.length > 0) result.crashes.push({ index: r.index, seed: r.seed, problems: r.problems, ms: r.ms });
  };

  const feed = (slot: Slot): void => {
    const indices: number[] = [];
    while (indices.length < BATCH && retry.length > 0) indices.push(retry.shift() as number);
    while (indices.length < BATCH && dispatching()) indices.push(next++);
    slot.pending = indices;
    if (indices.length > 0) slot.worker.postMessage({ indices });
    else retire(slot);
  };

  /** Ends a thread; the campaign is over when the last one has ended and none is starting in its place. */
  const retire = (slot: Slot, replaced = false): void => {
    if (slot.retired) return;
    slot.retired = true;
    slots.delete(slot);
    void slot.worker.terminate();
    if (!replaced && slots.size === 0) finish();
  };

  /** Ends a thread that hung or died, blames its current mutant, and starts another in its place. */
  const replace = (slot: Slot, problem: Problem): void => {
    if (slot.retired) return;
    const running = Atomics.load(slot.progress, PROGRESS_INDEX);
    if (running < 0 && !slot.answered) {
      // It died before its first mutant (a trust store it cannot read, say): every thread after it would too.
      for (const s of [...slots]) retire(s, true);
      abort(new Error(`a fuzz thread failed before its first mutant: ${problem.detail}`));
      return;
    }
    const blamed = running >= 0 ? running : (slot.pending[0] ?? -1);
    const started = Atomics.load(slot.progress, PROGRESS_STARTED);
    if (blamed >= 0) {
      result.runs++;
      result.verdicts.set(problem.kind, (result.verdicts.get(problem.kind) ?? 0) + 1);
      result.crashes.push({ index: blamed, seed: null, problems: [problem], ms: running >= 0 ? Date.now() - epoch - started : null });
    }
    retry.push(...slot.pending.filter((i) => i !== blamed));
    result.threadsReplaced++;
    retire(slot, true);
    start();
  };

  const start = (): void => {
    const progress = new SharedArrayBuffer(8);
    const view = new Int32Array(progress);
    Atomics.store(view, PROGRESS_INDEX, -1);
    const data: FuzzWorkerData = {
      ...packed,
      campaignSeed: o.campaignSeed,
      maxBytes: o.maxBytes,
      knowledge: o.knowledge,
      certsDir: o.certsDir,
      timeBudgetMs: o.timeBudgetMs,
      progress,
      epoch,
    };
    const worker = new Worker(path.join(__dirname, 'thread.js'), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb } });
    const slot: Slot = { worker, progress: view, pending: [], answered: false, retired: false };
    slots.add(slot);
    worker.on('message', (msg: FuzzResults) => {
      slot.answered = true;
      for (const r of msg.results) record(r);
      if (!slot.retired) feed(slot);
    });
    worker.on('error', (err) => replace(slot, { kind: 'thread-died', detail: err.stack ?? err.message }));
    worker.on('exit', (code) => replace(slot, { kind: 'thread-died', detail: `the thread exited with code ${code}` }));
    feed(slot);
  };

  for (let i = 0; i < o.jobs; i++) start();
  const watchdog = setInterval(() => {
    const now = Date.now() - epoch;
    for (const slot of [...slots]) {
      const running = Atomics.load(slot.progress, PROGRESS_INDEX);
      if (running < 0) continue;
      const ms = now - Atomics.load(slot.progress, PROGRESS_STARTED);
      if (ms > o.timeBudgetMs + o.marginMs) replace(slot, { kind: 'hang', detail: `still running after ${ms} ms (budget ${o.timeBudgetMs} ms)` });
    }
  }, 200);
  const ticker = setInterval(() => o.onTick?.(result.runs, elapsed()), 1000);
  try {
    await finished;
  } finally {
    clearInterval(watchdog);
    clearInterval(ticker);
  }
  result.seconds = elapsed();
  return result;
}
