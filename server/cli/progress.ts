import { t, type Lang } from '../shared/messages';
import { visible } from '../shared/safe-text';

/**
 * A one-line progress bar on stderr, only when a person is watching (a TTY) and the batch is long enough to
 * wait for; redirected output and CI logs stay clean.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export const PROGRESS_MIN_DOCUMENTS = 20;

export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly lang: Lang,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true && this.total > PROGRESS_MIN_DOCUMENTS;
  }

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    // Redrawn at most ten times a second: a terminal write per document would slow a fast batch down.
    if (done < this.total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = (done / seconds).toFixed(0);
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    // The line's own controls (return, erase the line) and then its text, which holds none of them raw.
    this.stream.write(`\r\x1b[2K${bar} ${visible(t(this.lang, 'progress', { done, total: this.total, rate }))}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
