/** Counters a {@link SingleFlight} reports to. */
export interface SchedulerHooks {
  skipped(job: string): void;
  succeeded(job: string, atMs: number): void;
}

/**
 * Runs `fn` every `intervalMs`, never twice at once: a tick that finds the
 * previous run still going is skipped and counted, so a slow fetch or a
 * blocked event loop cannot make two evaluations overlap and send twice.
 */
export class SingleFlight {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;

  constructor(
    private readonly job: string,
    private readonly fn: () => Promise<void>,
    private readonly hooks: SchedulerHooks,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs once now unless a run is active; resolves when it ends. */
  tick(): Promise<void> {
    if (this.current !== undefined) {
      this.hooks.skipped(this.job);
      return this.current.catch(() => undefined);
    }
    this.current = this.fn()
      .then(() => this.hooks.succeeded(this.job, this.now()))
      .finally(() => {
        this.current = undefined;
      });
    return this.current.catch(() => undefined);
  }

  /** Starts ticking every `intervalMs`, the first tick at once. */
  start(intervalMs: number): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), intervalMs);
  }

  /** Stops ticking and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.current?.catch(() => undefined);
  }
}
