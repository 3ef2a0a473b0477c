/**
 * A counting semaphore: at most `max` tasks run at once, the rest wait in
 * arrival order. Used to bound requests in flight to the Manager.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param max tasks allowed at once, at least 1. */
  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`Limiter max ${max} < 1`);
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Runs `task` once a slot is free; the slot is freed when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
