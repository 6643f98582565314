import * as fs from 'node:fs';
import { serviceRevocation } from '../pool/revocation/settings';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type express from 'express';
import { createApp } from '../api/app';
import { FileBlobStore } from '../store/blobs';
import { logLine } from '../shared/log-line';
import type { DocumentVerifier } from '../pool/verify-pool';
import { BullQueue } from '../queue/bullmq-queue';
import { InProcessQueue } from '../queue/inprocess-queue';
import { readUnitRegistryFile } from '../shared/unit-registry';
import { startReconciler } from '../queue/reconciler';
import { openStore } from '../store/open';
import { ExportPuller } from '../ingest/export-pull';
import { ProcessTemp } from '../store/process-temp';
import { describeTrustStore } from '../pool/trust-list';
import { startControl } from './control';
import { RejudgeJobs } from './rejudge-jobs';
import { ChangeFollower } from './follow-changes';
import { factsStoreOf } from '../queue/processor';
import type { JobQueue, ServiceConfig, Store, TrustEntry } from '../shared/types';
import { webRoutes } from '../web/pages';

/**
 * `kiemky serve`: the API, plus what keeps it honest — the reconciler (pending documents are re-enqueued after
 * any crash) and the E-office export pull. With REDIS_URL the verification runs in `kiemky worker` processes;
 * without it, in this process on every core, so one command works on a fresh machine.
 */

export interface StartServerOptions {
  /** Use this Store instead of opening one from the config (tests); closed with the server. */
  store?: Store;
  /** The in-process queue verifies with this instead of a thread pool (tests). */
  verifier?: DocumentVerifier;
  /** Database schema (tests run in a fresh one). */
  schema?: string;
  reconcileIntervalSeconds?: number;
  /** Close on SIGTERM/SIGINT (the CLI); off for tests. Default true. */
  handleSignals?: boolean;
  /** Listen on this host instead of the config's (HOST, default 127.0.0.1). */
  host?: string;
  log?: (message: string) => void;
}

export interface ServerHandle {
  readonly app: express.Application;
  readonly server: http.Server;
  /** The port actually listened on (PORT=0 picks a free one). */
  readonly port: number;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly exportPuller: ExportPuller | null;
  /** Resolves when the server has closed (a signal, or close()). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * The trust store as GET /api/trust lists it, read from the folder the verification threads load, on first asking
 * (most starts never need it) and then kept: the threads, too, read it once at start.
 */
function trustList(certsDir: string, log: (m: string) => void): { list: () => TrustEntry[]; forget: () => void } {
  let entries: TrustEntry[] | null = null;
  const forget = (): void => {
    entries = null;
  };
  const list = (): TrustEntry[] => {
    if (entries === null) {
      try {
        entries = describeTrustStore(certsDir);
      } catch (err) {
        log(`trust store: ${err instanceof Error ? err.message : String(err)}`);
        entries = [];
      }
    }
    return entries;
  };
  return { list, forget };
}

export async function startServer(cfg: ServiceConfig, options: StartServerOptions = {}): Promise<ServerHandle> {
  const log = options.log ?? ((m: string) => process.stderr.write(logLine('serve', m)));
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  const blobs = new FileBlobStore(cfg.dataDir);
  await blobs.sweepTemp().catch(() => 0);
  // Removes what stopped processes left in DATA_DIR/tmp (an upload cut by a kill -9), then makes this one's folder.
  const temp = new ProcessTemp(path.join(cfg.dataDir, 'tmp'), (m) => log(m));
  temp.start();

  let store: Store;
  try {
    store = options.store ?? (await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, schema: options.schema }));
  } catch (err) {
    temp.stop();
    throw err;
  }
  if (cfg.unitsFile) {
    // UNITS_FILE wins at start: the file is what the operator deploys; a change made through the API after that
    // stands until the next start with the file (unchanged contents add nothing to the registry's history).
    try {
      const stored = await store.putUnitRegistry(readUnitRegistryFile(cfg.unitsFile), `file:${cfg.unitsFile}`, new Date());
      log(`unit registry from ${cfg.unitsFile}: ${stored.registry.units.length} unit(s), version ${stored.version.slice(0, 12)}`);
    } catch (err) {
      await store.close();
      temp.stop();
      throw err;
    }
  }
  let queue: JobQueue;
  try {
    queue = cfg.redisUrl
      ? new BullQueue({ redisUrl: cfg.redisUrl, queuePrefix: cfg.queuePrefix }, { log })
      : new InProcessQueue({ blobs, store, certsDir: cfg.certsDir, concurrency: cfg.concurrency, revocation: serviceRevocation(cfg.revocation, cfg.dataDir), jobsInFlight: cfg.jobsInFlight, verifier: options.verifier, log });
  } catch (err) {
    await store.close();
    temp.stop();
    throw err;
  }
  const reconciler = startReconciler(store, queue, { intervalMs: (options.reconcileIntervalSeconds ?? 30) * 1000, log: (m) => log(`reconcile: ${m}`) });
  // Several servers may scan one EXPORT_DIR: store.claimExport lets exactly one of them take each export.
  const exportPuller = cfg.exportDir ? new ExportPuller({ cfg, store, blobs, queue, tmpDir: temp.dir, log: (m) => log(`export: ${m}`) }) : null;

  // Stored facts judged again: by an admin's request, and by itself at start for what the current trust store and
  // registry did not judge (rejudge-jobs.ts).
  const factsStore = factsStoreOf(store);
  // The registry, the certs folder and (online) the time are followed while serve runs; each change re-judges
  // what was judged before it (follow-changes.ts).
  const trust = trustList(cfg.certsDir, log);
  const follower = await ChangeFollower.open(store, {
    certsDir: cfg.certsDir,
    revocationRefreshMs: cfg.revocation === 'online' && cfg.revocationRefreshHours > 0 ? cfg.revocationRefreshHours * 3_600_000 : null,
    onTrustChange: trust.forget,
    log,
  });
  const rejudge = factsStore ? new RejudgeJobs(factsStore, cfg.certsDir, () => follower.registry(), (m) => log(m), serviceRevocation(cfg.revocation, cfg.dataDir)) : null;
  follower.start(rejudge);
  const app = createApp({
    rejudge: rejudge && factsStore
      ? { startRejudge: (scope) => rejudge.start(scope), rejudgeJob: (id) => rejudge.get(id), history: (sha256) => factsStore.verdictHistory(sha256) }
      : undefined,
    cfg,
    store,
    blobs,
    queue,
    tmpDir: temp.dir,
    log: (m, err) => log(`${m}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`),
    trust: trust.list,
    lastExportScan: () => exportPuller?.lastScanAt ?? null,
    pages: (identify) => webRoutes({ identify }),
  });
  let server: http.Server;
  try {
    server = await new Promise<http.Server>((resolve, reject) => {
      const s = app.listen(cfg.port, options.host ?? cfg.host);
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    await reconciler.stop();
    await queue.close();
    await store.close();
    temp.stop();
    throw err;
  }
  // Uploads of a month can take minutes on a slow link: no request timeout, but headers must come quickly.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  exportPuller?.start();
  rejudge?.startStale();
  const port = (server.address() as AddressInfo).port;
  // `kiemky user create` / `token create` reach this process through it while it runs (control.ts). Not fatal:
  // without it those commands still work when serve is stopped, or with PostgreSQL.
  const control = await startControl(store, cfg.dataDir, log, temp.dir, rejudge ? (scope) => rejudge.start(scope) : undefined).catch((err: unknown) => {
    log(`control channel not started (user/token create will open the store themselves): ${err instanceof Error ? err.message : String(err)}`);
    return null;
  });

  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Stop taking requests and new exports first, let the running verifications finish, then close the store.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await control?.close();
      await exportPuller?.stop();
      follower.stop();
      await rejudge?.stop();
      await stopped;
      await reconciler.stop();
      await queue.close();
      await store.close();
      temp.stop();
      if (handleSignals) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
      log('stopped');
      resolveClosed();
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    log(`${signal}: finishing the running requests and documents, then exiting`);
    void close().catch((err: unknown) => {
      log(`close failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
      resolveClosed();
    });
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  log(
    `listening on ${options.host ?? cfg.host} port ${port}; store ${cfg.databaseUrl ? 'PostgreSQL' : `embedded (${path.join(cfg.dataDir, 'db')})`}; ` +
      `queue ${cfg.redisUrl ? 'BullMQ (Redis)' : 'in-process'}${cfg.exportDir ? `; export pull from ${cfg.exportDir} every ${cfg.exportIntervalSeconds} s` : ''}`,
  );
  return { app, server, port, store, queue, exportPuller, closed, close };
}
