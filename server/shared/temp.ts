import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Folders made and not yet removed. Should the process end before their owners remove them (a clerk's Ctrl-C in
 * the middle of a month, which `check` turns into an exit), they are removed as it exits: a ZIP's extracted entries
 * and an XLSX's spooled rows can be hundreds of megabytes.
 */
const live = new Set<string>();
let removedAtExit = false;

function track(dir: string): void {
  live.add(dir);
  if (removedAtExit) return;
  removedAtExit = true;
  process.on('exit', () => {
    for (const d of live) fs.rmSync(d, { recursive: true, force: true });
  });
}

/** One temporary folder per run, made on first use and removed whole at the end. */
export class TempDir {
  private dir: string | null = null;
  private counter = 0;

  /** `root`: where the folder is made (default: the system's temporary folder); `prefix`: how its name begins. */
  constructor(
    private readonly root?: string,
    private readonly prefix = 'kiemky-',
  ) {}

  /** A fresh file path inside the folder (the file itself is not created). */
  file(suffix: string): string {
    if (this.dir === null) {
      const root = this.root ?? os.tmpdir();
      fs.mkdirSync(root, { recursive: true });
      this.dir = fs.mkdtempSync(path.join(root, this.prefix));
      track(this.dir);
    }
    return path.join(this.dir, `${++this.counter}${suffix}`);
  }

  remove(): void {
    if (this.dir) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      live.delete(this.dir);
    }
    this.dir = null;
  }
}
