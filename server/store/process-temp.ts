import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownerOf, ownerState, ownerTag } from './owner';

/**
 * DATA_DIR/tmp, where uploads arrive, ZIP entries are extracted and XLSX reports spooled, shared by every serve
 * (and worker) on the data volume. Each process writes only inside a folder of its own, `run_<host>_<pid>_<nonce>`,
 * which it touches every minute and removes when it stops. At start-up, and then every minute, a process removes
 * the folders no live process can be writing in: those of dead processes on its own host at once (a kill -9 during
 * an upload left 244 MB here, kept across restarts), those of other hosts once untouched for STALE_MS. Anything
 * else in DATA_DIR/tmp (an older version's files) goes once it is an hour old, as before.
 */

export const RUN_PREFIX = 'run_';
const HEARTBEAT_MS = 60_000;
/** Ten missed heartbeats: a live process never goes that long without touching its folder. */
export const STALE_MS = 10 * HEARTBEAT_MS;
const LEGACY_MS = 3_600_000;

export interface SweepOptions {
  now?: number;
  /** Whether a pid on this host is a live process (tests). */
  alive?: (pid: number) => boolean;
}

/** Removes what no live process can be writing in DATA_DIR/tmp; returns the names removed. */
export function sweepTempRoot(root: string, options: SweepOptions = {}): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  for (const name of names) {
    const full = path.join(root, name);
    try {
      const owner = ownerOf(name, RUN_PREFIX);
      const state = owner ? ownerState(owner, options.alive) : 'unknown';
      if (state === 'ours') continue;
      const age = now - fs.statSync(full).mtimeMs;
      const abandoned = state === 'dead' || age > (owner ? STALE_MS : LEGACY_MS);
      if (!abandoned) continue;
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Removed meanwhile by another process.
    }
  }
  return removed;
}

/** Servers started in this process so far (tests start several): each has a folder of its own. */
let instances = 0;

/** This process's folder in DATA_DIR/tmp, kept fresh while it runs. */
export class ProcessTemp {
  readonly dir: string;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly root: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.dir = path.join(root, `${RUN_PREFIX}${ownerTag()}_${++instances}`);
  }

  /** Sweeps what dead processes left, makes the folder, and keeps both up every minute. */
  start(): void {
    this.sweep();
    fs.mkdirSync(this.dir, { recursive: true });
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  private sweep(): void {
    const removed = sweepTempRoot(this.root);
    if (removed.length > 0) this.log(`removed temporary files of stopped processes: ${removed.join(', ')}`);
  }

  private beat(): void {
    const now = new Date();
    try {
      fs.utimesSync(this.dir, now, now);
    } catch {
      // Removed from under us (an operator, a stale-looking folder on a slow network volume): made again.
      try {
        fs.mkdirSync(this.dir, { recursive: true });
      } catch {
        // The volume is gone: uploads will say so.
      }
    }
    this.sweep();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
