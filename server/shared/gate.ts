/**
 * Holders of a shared allowance (documents held in memory, bytes), let in first come, first served. A holder waits
 * until its weight fits under the limit beside those already in; one heavier than the whole limit is let in alone,
 * when nothing else is in, rather than never. The line keeps its order: a heavy holder at its head is not overtaken
 * by lighter ones behind it, so it cannot be starved by them.
 */
export class Gate {
  private used = 0;
  private readonly waiting: { weight: number; enter: () => void }[] = [];

  constructor(private readonly limit: number) {}

  async enter(weight = 1): Promise<void> {
    if (this.waiting.length === 0 && this.fits(weight)) {
      this.used += weight;
      return;
    }
    await new Promise<void>((enter) => this.waiting.push({ weight, enter }));
  }

  /** Gives back what enter(weight) took; who waits next in line comes in, and those after it while they fit. */
  leave(weight = 1): void {
    this.used -= weight;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.weight)) {
      const next = this.waiting.shift()!;
      this.used += next.weight;
      next.enter();
    }
  }

  private fits(weight: number): boolean {
    return this.used === 0 || this.used + weight <= this.limit;
  }
}
