import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { nextDelayMs, PollLoop } from "../../src/exporter/loop.js";
import { FlamencoApiError } from "../../src/shared/errors.js";

const busy = (retryAfterSeconds?: number) =>
  new FlamencoApiError("FW_MANAGER_STATUS", "busy", 503, {
    retryAfterSeconds,
  });

const base = { intervalSeconds: 10, backoffMaxSeconds: 120, random: 0 };

describe("nextDelayMs", () => {
  it("waits the poll interval after a success", () => {
    expect(nextDelayMs({ ...base, failures: 0 })).toBe(10_000);
  });

  it("retries a 503 once after its Retry-After", () => {
    expect(nextDelayMs({ ...base, failures: 1, error: busy(1) })).toBe(1000);
  });

  it("backs off a repeated 503 but never sooner than Retry-After", () => {
    expect(nextDelayMs({ ...base, failures: 3, error: busy(1) })).toBe(40_000);
    expect(nextDelayMs({ ...base, failures: 2, error: busy(30) })).toBe(30_000);
  });

  it("doubles the delay per failure up to backoffMaxSeconds", () => {
    const delays = [1, 2, 3, 4, 5].map((failures) =>
      nextDelayMs({ ...base, failures, error: new Error("refused") }),
    );
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 120_000]);
  });

  it("adds up to 20 % jitter after a failure", () => {
    const d = nextDelayMs({ ...base, failures: 1, random: 0.5 });
    expect(d).toBe(11_000);
  });
});

describe("PollLoop", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("never runs two polls at once and counts the skipped tick", async () => {
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const skipped = vi.fn();
    const loop = new PollLoop(
      () => {
        running += 1;
        most = Math.max(most, running);
        return new Promise<void>((resolve) => {
          release = () => {
            running -= 1;
            resolve();
          };
        });
      },
      () => 1000,
      skipped,
    );
    loop.start();
    loop.trigger();
    release();
    await vi.advanceTimersByTimeAsync(1000);
    release();
    await loop.stop();
    expect([most, skipped.mock.calls.length]).toEqual([1, 1]);
  });

  it("runs again after the delay it is given", async () => {
    const task = vi.fn(async () => undefined);
    const loop = new PollLoop(
      task,
      () => 5000,
      () => undefined,
    );
    loop.start();
    await vi.advanceTimersByTimeAsync(4999);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it("counts the delay from the start of the previous run", async () => {
    const task = vi.fn(() => new Promise<void>((r) => setTimeout(r, 3000)));
    const loop = new PollLoop(
      task,
      () => 5000,
      () => undefined,
    );
    loop.start();
    await vi.advanceTimersByTimeAsync(4999);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(3000);
    await loop.stop();
  });
});
