import { logLine } from '../shared/log-line';
import type { JobQueue, Store } from '../shared/types';

/**
 * What makes the queue safe to lose: the Store knows every row still waiting for a report; the reconciler enqueues
 * those documents again. Jobs already waiting or running are not duplicated (the queues dedupe by sha256), so it is
 * cheap to run at every start and every few seconds; a job that vanished (Redis lost its last second of writes, a
 * job ran out of attempts, the process with the in-process queue died) comes back within one interval. A job that
 * finished between the query and the enqueue is made again, but as skipIfVerified: it finds the stored report and
 * verifies nothing.
 */

export const DEFAULT_RECONCILE_LIMIT = 5_000;

/** Re-enqueues the oldest pending documents; returns how many were offered to the queue. */
export async function reconcile(store: Store, queue: JobQueue, limit = DEFAULT_RECONCILE_LIMIT): Promise<number> {
  const pending = await store.pendingDocuments(limit);
  if (pending.length === 0) return 0;
  // The Store gives hashes only; the name is for logs (the report's file name comes from each batch row).
  await queue.enqueue(pending.map((sha256) => ({ sha256, fileName: sha256, skipIfVerified: true })));
  return pending.length;
}

export interface ReconcilerOptions {
  intervalMs: number;
  limit?: number;
  log?: (message: string) => void;
}

export interface Reconciler {
  /** One pass now (also what the timer runs); never two at once. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Runs reconcile now and every intervalMs; a failed pass (Redis or the database down) is logged and retried. */
export function startReconciler(store: Store, queue: JobQueue, options: ReconcilerOptions): Reconciler {
  const log = options.log ?? ((m: string) => process.stderr.write(logLine('reconcile', m)));
  let current: Promise<number> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const runOnce = (): Promise<number> => {
    if (current) return current;
    current = reconcile(store, queue, options.limit)
      .catch((err: unknown) => {
        log(`pass failed: ${err instanceof Error ? err.message : String(err)}`);
        return 0;
      })
      .finally(() => {
        current = null;
      });
    return current;
  };

  const schedule = (): void => {
    if (stopped) return;
    // setTimeout after each pass, not setInterval: a slow pass (a huge backlog) never overlaps the next.
    timer = setTimeout(() => {
      void runOnce().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };

  void runOnce().finally(schedule);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
