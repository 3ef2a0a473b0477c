import { describe, expect, it } from "vitest";
import { SingleFlight } from "../../src/alerts/scheduler.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("SingleFlight", () => {
  it("skips and counts a tick that finds the previous run still active", async () => {
    const skipped: string[] = [];
    const gate = deferred();
    let runs = 0;
    const s = new SingleFlight(
      "manager_poll",
      async () => {
        runs += 1;
        await gate.promise;
      },
      { skipped: (j) => skipped.push(j), succeeded: () => undefined },
    );
    const first = s.tick();
    void s.tick();
    void s.tick();
    gate.resolve();
    await first;
    expect([runs, skipped]).toEqual([1, ["manager_poll", "manager_poll"]]);
  });

  it("records the time of the last successful run", async () => {
    const at: number[] = [];
    const s = new SingleFlight(
      "manager_poll",
      async () => undefined,
      {
        skipped: () => undefined,
        succeeded: (_j, ms) => at.push(ms),
      },
      () => 1234,
    );
    await s.tick();
    expect(at).toEqual([1234]);
  });

  it("does not record success for a run that failed", async () => {
    const at: number[] = [];
    const s = new SingleFlight(
      "manager_poll",
      async () => {
        throw new Error("slow manager");
      },
      { skipped: () => undefined, succeeded: (_j, ms) => at.push(ms) },
    );
    await s.tick();
    expect(at).toEqual([]);
  });
});
