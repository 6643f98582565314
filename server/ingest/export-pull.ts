import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { logLine } from '../shared/log-line';
import { registerLimits } from '../shared/register-limits';
import type { JobQueue, NewBatch, ServiceConfig, Store } from '../shared/types';
import type { BlobStore } from '../shared/blob-store';
import { attachRegister, jobsFor } from './batch-items';
import { pickRegister, readRegisterFile, zipRegister, type ExportRegister } from './export-register';
import { listFiles, scanDir, type Candidate } from './export-scan';
import { DataTempDir, Ingest } from './ingest';

/**
 * The E-office export pull: each new export in EXPORT_DIR — a sub-folder or a .zip, with its PDFs and the
 * register (sổ đăng ký) — becomes one batch, once. An export is taken only when it has stopped changing (the same
 * size and mtime fingerprint on two scans in a row) and carries no `*.part` or `.lock` marker, so a copy still in
 * progress is never taken half-written. `store.claimExport` is the "once": several servers may scan the same
 * folder, only one of them creates the batch.
 */

export interface ExportPullDeps {
  cfg: Pick<ServiceConfig, 'exportDir' | 'dataDir' | 'limits' | 'exportIntervalSeconds'>;
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  log?: (message: string) => void;
  /** Where an export's ZIP entries and register are extracted; default DATA_DIR/tmp. */
  tmpDir?: string;
}

export class ExportPuller {
  /** Fingerprints seen at the previous scan, by export name: "unchanged across two scans". */
  private readonly previous = new Map<string, string>();
  /** name + fingerprint this process has claimed or seen claimed, so a taken export is not re-ingested each scan. */
  private readonly settled = new Set<string>();
  /** Claimed but not yet created (the database failed in between): retried at the next scan, same batch id. */
  private readonly unfinished = new Map<string, NewBatch>();
  private readonly log: (message: string) => void;
  private scanning: Promise<string[]> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private missingLogged = false;
  /** When the last scan finished, failed or not (the admin page shows that the pull is alive). */
  lastScanAt: Date | null = null;

  constructor(private readonly deps: ExportPullDeps) {
    this.log = deps.log ?? ((m) => process.stderr.write(logLine('export', m)));
  }

  /** One scan; returns the ids of the batches it created. Never two at once. */
  scanOnce(): Promise<string[]> {
    this.scanning ??= this.scan().finally(() => {
      this.scanning = null;
      this.lastScanAt = new Date();
    });
    return this.scanning;
  }

  /** Scans now and then every exportIntervalSeconds, until stop(). */
  start(): void {
    const schedule = (): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.scanOnce().catch(this.failed).finally(schedule), this.deps.cfg.exportIntervalSeconds * 1000);
      this.timer.unref();
    };
    void this.scanOnce().catch(this.failed).finally(schedule);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.scanning?.catch(() => undefined);
  }

  private readonly failed = (err: unknown): string[] => {
    this.log(`scan failed: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  };

  private async scan(): Promise<string[]> {
    const dir = this.deps.cfg.exportDir;
    if (!dir) return [];
    const created: string[] = [];
    for (const [key, batch] of [...this.unfinished]) {
      if (await this.create(batch)) {
        this.unfinished.delete(key);
        created.push(batch.id);
      }
    }
    if (!fs.existsSync(dir)) {
      if (!this.missingLogged) this.log(`EXPORT_DIR ${dir} does not exist (yet)`);
      this.missingLogged = true;
      return created;
    }
    this.missingLogged = false;
    // The exporter's own lock on the whole folder: nothing is taken while it is there.
    if (fs.existsSync(path.join(dir, '.lock'))) return created;

    const seen = new Set<string>();
    for (const c of scanDir(dir)) {
      seen.add(c.name);
      const before = this.previous.get(c.name);
      this.previous.set(c.name, c.fingerprint);
      const key = `${c.name}\0${c.fingerprint}`;
      if (c.busy || before !== c.fingerprint || this.settled.has(key)) continue;
      try {
        const id = await this.take(c);
        this.settled.add(key);
        if (id) created.push(id);
      } catch (err) {
        // Not settled: tried again at the next scan.
        this.log(`export ${c.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const name of [...this.previous.keys()]) if (!seen.has(name)) this.previous.delete(name);
    return created;
  }

  /** Stores the export's bytes, claims it, creates its batch. Null when another server had it, or it is empty. */
  private async take(c: Candidate): Promise<string | null> {
    const { cfg, blobs } = this.deps;
    const tmpRoot = this.deps.tmpDir ?? path.join(cfg.dataDir, 'tmp');
    const ingest = new Ingest({ blobs, limits: cfg.limits, tmpRoot, strictZipLimits: false });
    const temp = new DataTempDir(tmpRoot);
    let register: ExportRegister = { rows: null, finding: null };
    try {
      if (c.kind === 'folder') {
        const files = listFiles(c.full);
        // As `kiemky check` walks a folder: its PDFs, the other files being attachments and indexes.
        for (const f of files) if (/\.pdf$/i.test(f.rel)) ingest.addForeignFile(f.full, `${c.name}/${f.rel}`);
        const reg = pickRegister(files);
        if (reg) register = await readRegisterFile(reg.full, `${c.name}/${reg.rel}`, registerLimits(cfg.limits));
      } else {
        await ingest.addZip(c.full, c.name);
        register = await zipRegister(c.full, c.name, temp, registerLimits(cfg.limits));
      }
      // No early enqueue here: an export is not waited for by anyone, and storing it whole first means its blobs'
      // folders are fsynced once each, not once per group.
      await ingest.store();
    } finally {
      ingest.close();
      temp.remove();
    }
    if (ingest.items.length === 0 && ingest.findings.length === 0) {
      this.log(`export ${c.name}: no PDF in it; waiting for one`);
      return null;
    }
    const joined = attachRegister(ingest.items, register.rows);
    const batch: NewBatch = {
      id: crypto.randomUUID(),
      source: `export:${c.name}`,
      items: joined.items,
      findings: [...ingest.findings, ...(register.finding ? [register.finding] : []), ...joined.findings],
      hasRegister: register.rows !== null,
      createdBy: null,
    };
    // The bytes are stored before the claim, so a claimed export always has its blobs.
    if (!(await this.deps.store.claimExport(c.name, c.fingerprint, batch.id))) return null;
    if (!(await this.create(batch))) {
      this.unfinished.set(c.name, batch);
      return null;
    }
    this.log(`export ${c.name}: batch ${batch.id}, ${batch.items.length} documents`);
    return batch.id;
  }

  private async create(batch: NewBatch): Promise<boolean> {
    try {
      const { pending } = await this.deps.store.createBatch(batch);
      try {
        await this.deps.queue.enqueue(jobsFor(pending, batch.items));
      } catch (err) {
        // The rows are pending in the Store: the reconciler re-enqueues them.
        this.log(`batch ${batch.id}: enqueue failed, left to the reconciler: ${err instanceof Error ? err.message : String(err)}`);
      }
      return true;
    } catch (err) {
      this.log(`batch ${batch.id} (${batch.source}): not created, retried at the next scan: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}
