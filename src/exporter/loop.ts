import { FlamencoApiError } from "../shared/errors.js";

/** Spread of the random factor added to every delay, 0 to 1. */
const JITTER_RATIO = 0.2;

/** Inputs of {@link nextDelayMs}. */
export interface DelayInput {
  intervalSeconds: number;
  backoffMaxSeconds: number;
  /** Polls failed in a row, 0 after a success. */
  failures: number;
  /** The last error, when the last poll failed. */
  error?: unknown;
  /** A number in [0, 1); Math.random in production. */
  random: number;
}

/**
 * Milliseconds until the next poll. After a success: the interval. After
 * a failure: the interval doubled per failure in a row, up to
 * `backoffMaxSeconds`. A 503 with Retry-After is retried once after that
 * many seconds (the Manager's database was busy), then backs off as any
 * failure but never sooner than it asked. Every delay after a failure gets
 * up to {@link JITTER_RATIO} added, so exporters do not retry in step.
 */
export function nextDelayMs(input: DelayInput): number {
  const { intervalSeconds, backoffMaxSeconds, failures } = input;
  if (failures === 0) return intervalSeconds * 1000;
  const jitter = 1 + JITTER_RATIO * input.random;
  const backoff = Math.min(
    backoffMaxSeconds,
    intervalSeconds * 2 ** (failures - 1),
  );
  const retryAfter =
    input.error instanceof FlamencoApiError
      ? input.error.retryAfterSeconds
      : undefined;
  if (retryAfter === undefined) return backoff * jitter * 1000;
  const asked = Math.min(retryAfter, backoffMaxSeconds);
  const seconds = failures === 1 ? asked : Math.max(asked, backoff);
  return seconds * jitter * 1000;
}

/**
 * Runs `task` now and then again `delay()` ms after the start of the
 * previous run (at once if that run took longer), one run at a time,
 * until stopped: a steady cadence, so that a change is seen within one
 * interval however long a poll takes. `trigger()` asks for a run now;
 * while one is running it is skipped and `onSkip` is called.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly delay: () => number,
    private readonly onSkip: () => void,
  ) {}

  /** Starts the first run at once. */
  start(): void {
    this.trigger();
  }

  /** Runs now unless a run is in flight (then counts a skip). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.onSkip();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const started = Date.now();
    this.running = this.task().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      const wait = Math.max(0, this.delay() - (Date.now() - started));
      this.timer = setTimeout(() => this.trigger(), wait);
    });
  }

  /** Stops; resolves when a run in flight has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
