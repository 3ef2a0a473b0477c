/**
 * The farm's clock. Everything in the simulator reads time from here, so
 * tests can step it and the demo can run it faster than real time.
 */
export interface SimClock {
  /** Current farm time, Unix milliseconds. */
  now(): number;
  /** Moves farm time forward by `ms` milliseconds at once. */
  advance(ms: number): void;
}

/** A clock that only moves when told to: for tests. */
export class ManualClock implements SimClock {
  private nowMs: number;

  /** @param startMs farm time at creation, Unix milliseconds. */
  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/**
 * Real time multiplied by `speed` (1 = real time), plus any jumps made
 * with {@link advance}. Starts at the real current time.
 */
export class ScaledClock implements SimClock {
  private readonly realStartMs = Date.now();
  private offsetMs = 0;

  constructor(private readonly speed: number) {}

  now(): number {
    const elapsed = (Date.now() - this.realStartMs) * this.speed;
    return Math.floor(this.realStartMs + elapsed + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
