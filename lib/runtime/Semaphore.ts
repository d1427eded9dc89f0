/**
 * At most `size` holders at once; the others wait their turn in order.
 *
 * @example
 * const release = await slots.acquire();
 * try { await work(); } finally { release(); }
 */
export class Semaphore {
  private holders = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Resolves with the release function once a place is free. */
  async acquire(): Promise<() => void> {
    if (this.holders >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.holders += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The place passes straight to the next waiter; otherwise it is freed.
      if (next) next();
      else this.holders -= 1;
    };
  }
}
