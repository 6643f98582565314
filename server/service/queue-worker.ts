import * as path from 'node:path';
import { FileBlobStore } from '../store/blobs';
import { logLine } from '../shared/log-line';
import { VerifyPool, type DocumentVerifier } from '../pool/verify-pool';
import { serviceRevocation } from '../pool/revocation/settings';
import { BullQueue, startBullWorker, type BullWorkerOptions } from '../queue/bullmq-queue';
import { startReconciler } from '../queue/reconciler';
import { followTrust } from '../queue/follow-trust';
import { followUnits } from '../queue/follow-units';
import { openStore } from '../store/open';
import { sweepTempRoot } from '../store/process-temp';
import type { ServiceConfig, Store } from '../shared/types';

/**
 * `kiemky worker`: takes verification jobs from Redis (BullMQ) and writes the reports to the Store. Run as many as
 * you like, on any machines that share DATA_DIR (the blobs) and reach Redis and the database. Each also runs the
 * reconciler, so pending documents are re-enqueued even when no `serve` is up.
 */

export interface QueueWorkerOptions extends Pick<BullWorkerOptions, 'stalledIntervalMs' | 'lockDurationMs' | 'maxStalledCount'> {
  /** Use this Store instead of opening one from the config (tests); it is closed with the worker. */
  store?: Store;
  /**
   * Use this verifier instead of a VerifyPool of `concurrency` threads (tests); it is closed with the worker. It is
   * given up to `jobsInFlight` documents at once and must queue those beyond its own `size`, as VerifyPool does.
   */
  verifier?: DocumentVerifier;
  /** Seconds between reconciler passes. Default 30. */
  reconcileIntervalSeconds?: number;
  /** Close on SIGTERM/SIGINT (the CLI); off for embedding and tests. Default true. */
  handleSignals?: boolean;
  /** Database schema (tests run in a fresh one). */
  schema?: string;
  log?: (message: string) => void;
}

export interface QueueWorkerHandle {
  close(): Promise<void>;
}

export async function runQueueWorker(cfg: ServiceConfig, options: QueueWorkerOptions = {}): Promise<QueueWorkerHandle> {
  const log = options.log ?? ((m: string) => process.stderr.write(logLine(`worker ${process.pid}`, m)));
  if (!cfg.redisUrl) throw new Error('kiemky worker needs REDIS_URL (without Redis, `kiemky serve` verifies in-process)');
  const redisUrl = cfg.redisUrl;

  const blobs = new FileBlobStore(cfg.dataDir);
  await blobs.sweepTemp().catch(() => 0);
  // A worker writes nothing in DATA_DIR/tmp, but it may be the first process up after a crash of the server.
  sweepTempRoot(path.join(cfg.dataDir, 'tmp'));
  const store = options.store ?? (await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, schema: options.schema }));
  const verifier = followTrust(
    followUnits(options.verifier ?? new VerifyPool({ certsDir: cfg.certsDir, jobs: cfg.concurrency, keepFacts: true, revocation: serviceRevocation(cfg.revocation, cfg.dataDir) }), store, log),
    cfg.certsDir,
    log,
  );

  const queue = new BullQueue({ redisUrl, queuePrefix: cfg.queuePrefix }, { log });
  const bull = await startBullWorker(
    { redisUrl, queuePrefix: cfg.queuePrefix, jobsInFlight: cfg.jobsInFlight },
    { blobs, store, verifier },
    { stalledIntervalMs: options.stalledIntervalMs, lockDurationMs: options.lockDurationMs, maxStalledCount: options.maxStalledCount, log },
  );
  const reconciler = startReconciler(store, queue, {
    intervalMs: (options.reconcileIntervalSeconds ?? 30) * 1000,
    log: (m) => log(`reconcile: ${m}`),
  });
  log(`started: queue ${cfg.queuePrefix}, ${verifier.size} verification thread(s), ${cfg.jobsInFlight} job(s) in flight`);

  let closing: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      // A second signal: the operator does not want to wait for the running documents (they will stall and be
      // taken by another worker).
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    log(`${signal}: finishing the running documents, then exiting`);
    void handle.close().then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        log(`close failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      },
    );
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  const handle: QueueWorkerHandle = {
    close() {
      closing ??= (async () => {
        // Order matters: stop taking work, let the running jobs finish and be acknowledged, then close what they use.
        await reconciler.stop();
        await bull.close();
        await queue.close();
        await verifier.close();
        await store.close();
        // Removed only now, so a second signal during the close still means "exit now".
        if (handleSignals) {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
        }
        log('stopped');
      })();
      return closing;
    },
  };
  return handle;
}
