import { afterEach, describe, expect, it } from "vitest";
import { farmStatus } from "../../src/sim/farm-status.js";
import { startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

afterEach(async () => {
  await s.close();
});

function setAll(status: "asleep" | "offline" | "error"): void {
  for (const w of s.farm.workers.values()) w.status = status;
}

describe("sim farm status", () => {
  it("is active while a job is active and a worker awake", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    s.advance(5);
    expect(farmStatus(s.farm)).toBe("active");
  });

  it("is waiting when work is queued and every worker sleeps", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    setAll("asleep");
    expect(farmStatus(s.farm)).toBe("waiting");
  });

  it("is idle without work", async () => {
    s = await startTestSim({ workers: 2, jobs: 0 });
    expect(farmStatus(s.farm)).toBe("idle");
  });

  it("is asleep without work while every worker sleeps", async () => {
    s = await startTestSim({ workers: 2, jobs: 0 });
    setAll("asleep");
    expect(farmStatus(s.farm)).toBe("asleep");
  });

  it("is inoperative when every worker is offline or in error", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    setAll("error");
    expect(farmStatus(s.farm)).toBe("inoperative");
  });

  it("is inoperative without workers", async () => {
    s = await startTestSim({ workers: 0, jobs: 1 });
    expect(farmStatus(s.farm)).toBe("inoperative");
  });
});
