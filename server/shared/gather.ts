/**
 * Group commit, for work that costs per call more than per item: a folder fsync, a database statement, a Redis
 * transaction. Items added are handed to `write` in groups, one write at a time. A group is due when it holds
 * `size` items, or `delayMs` after its first item came, whichever is first; items added while a group is being
 * written start the next group. The upload's blob flushes, its early enqueues and the store's report saves all
 * gather this way — each with its own policy and its own handling of a failed write.
 */

export interface GatherPolicy {
  /** Items that make a group due at once. 1: every write starts as soon as the one before it ends. */
  size: number;
  delayMs: number;
}

export class Gatherer<T> {
  private pending: T[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private due = false;
  /** Set by drain(): every group is due at once, whatever its size. */
  private urgent = false;
  private cancelled = false;
  /** A write that rejected (a bug: `write` handles its own failures); drain() throws it. */
  private failure: { error: unknown } | null = null;

  /** `write` must not reject: it settles each item's outcome itself. */
  constructor(
    private readonly write: (group: T[]) => Promise<void>,
    private readonly policy: GatherPolicy,
  ) {}

  add(item: T): void {
    if (this.cancelled) return;
    this.pending.push(item);
    this.kick();
  }

  /** Writes everything added so far, without waiting for groups to fill; resolves when all is written. */
  async drain(): Promise<void> {
    this.urgent = true;
    this.stopTimer();
    try {
      while (this.writing || (!this.cancelled && this.pending.length > 0)) {
        this.kick();
        if (this.writing) await this.writing;
      }
    } finally {
      this.urgent = false;
    }
    if (this.failure) throw this.failure.error;
  }

  /** Drops what waits and writes nothing more; settled() then waits for the write under way. */
  cancel(): void {
    this.cancelled = true;
    this.stopTimer();
    this.pending = [];
  }

  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private kick(): void {
    if (this.cancelled || this.writing || this.pending.length === 0) return;
    if (!this.urgent && !this.due && this.pending.length < this.policy.size) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.due = true;
        this.kick();
      }, this.policy.delayMs);
      return;
    }
    this.stopTimer();
    this.due = false;
    const group = this.pending.splice(0);
    this.writing = this.write(group)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.writing = null;
        this.kick();
      });
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
