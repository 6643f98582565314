import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
    }
    return path.join(this.dir, `${++this.counter}${suffix}`);
  }

  remove(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
