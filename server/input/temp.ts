import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One temporary folder per run, made on first use and removed whole at the end. */
export class TempDir {
  private dir: string | null = null;
  private counter = 0;

  /** A fresh file path inside the folder (the file itself is not created). */
  file(suffix: string): string {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-'));
    return path.join(this.dir, `${++this.counter}${suffix}`);
  }

  remove(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
